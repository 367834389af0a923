"""Events and tallies from whole documents: acceptance on the seed, rules on constructed reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from marsad.extract import Extraction, extract_text

PUB = dt.date(2015, 8, 7)


def _check_evidence(x: Extraction, text: str, title: str = "") -> None:
    fields = {"text": text, "title": title}
    for rec in [*x.events, *x.tallies]:
        for ev in rec.evidence:
            assert fields[ev.field][ev.start : ev.end] == ev.text, ev


def test_extract_events_seed_acceptance(seed_text: str) -> None:
    x = extract_text("seed", seed_text, "", dt.date(2019, 4, 28))
    _check_evidence(x, seed_text)
    assert len(x.events) == 1, [e.to_dict() for e in x.events]
    (e,) = x.events
    assert e.event_date == dt.date(2019, 4, 3) and e.time_precision == 1
    assert e.event_type == "Explosions/Remote violence"
    assert e.sub_event_type == "Remote explosive/landmine/IED"
    assert e.fatalities == 7
    assert e.actor1 == "Islamic State (Syria)"
    assert e.actor2_id == "asayish"
    assert e.iso == "SY" and e.admin1 == "Ar-Raqqa"
    assert e.latitude is not None and abs(e.latitude - 35.95) < 0.1
    assert e.geo_precision in (1, 2)
    roles = {ev.role: ev.text for ev in e.evidence}
    assert "مفخخة" in roles["trigger"]
    assert "الثالث من شهر نيسان" in roles["date"]
    assert "7" in roles["fatalities"]
    counts = sorted(t.fatalities for t in x.tallies)
    assert counts == [11, 50]
    fifty = next(t for t in x.tallies if t.fatalities == 50)
    assert fifty.fatalities_qualifier == "more_than"
    assert fifty.period_start == dt.date(2019, 4, 1)
    assert fifty.victims == "Syrian Democratic Forces"
    assert "Islamic State (Syria)" in fifty.actors
    eleven = next(t for t in x.tallies if t.fatalities == 11)
    assert eleven.victims == "Civilians (Syria)"


@pytest.fixture
def seed_text(shared: Path) -> str:
    path = shared / "corpus" / "seed" / "000_72491fde59c97982.txt"
    if not path.exists():
        pytest.skip("seed article absent")
    return path.read_text(encoding="utf-8")


def test_extract_events_simple_report() -> None:
    text = "قتل خمسة جنود عراقيين وأصيب ثمانية آخرون أمس الخميس بانفجار عبوة ناسفة في مدينة الرمادي غربي العراق."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.sub_event_type == "Remote explosive/landmine/IED"
    assert e.event_date == dt.date(2015, 8, 6) and e.time_precision == 1
    assert (e.fatalities, e.injured) == (5, 8)
    assert e.iso == "IQ"
    assert e.actor1 == "Unidentified Armed Group (Iraq)"
    assert e.actor2 == "Military Forces of Iraq"


def test_extract_events_air_strike_roles() -> None:
    text = "شنت طائرات التحالف العربي غارات جوية على مواقع للحوثيين في محافظة صعدة اليوم الجمعة."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.sub_event_type == "Air/drone strike"
    assert e.actor1 == "Saudi-led Coalition"
    assert e.actor2 == "Houthi Movement"
    assert e.iso == "YE"


def test_extract_events_the_actor_right_after_a_seizing_verb_took_the_place() -> None:
    # the verb before its subject: the Houthis seized the town, they are not its losers
    (e,) = extract_text("d", "سيطر الحوثيون أمس على مدينة الحوطة في محافظة لحج.", "", PUB).events
    assert e.sub_event_type == "Non-state actor overtakes territory"
    assert (e.actor1, e.actor2) == ("Houthi Movement", None)
    # regaining takes its object next: «طرد عناصر داعش» expels IS
    text = "تمكن الجيش العراقي أمس من طرد عناصر داعش من مدينة الرمادي."
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.actor1, e.actor2) == ("Military Forces of Iraq", "Islamic State (Iraq)")
    # who holds a place is no event
    assert extract_text("d", "قالت مصادر إن مدينة الحوطة تحت سيطرة الحوثيين منذ أشهر.", "", PUB).events == []


def test_extract_events_a_claim_names_the_perpetrator_past_a_group_noun() -> None:
    text = (
        'أصيب 18 مجندا أمس إثر انفجار عبوة ناسفة بحافلة جنود شرطة بمدينة العريش، وتبنت جماعة "أنصار بيت '
        'المقدس" الإرهابية مسؤوليتها عن الحادث.'
    )
    (e,) = extract_text("d", text, "", PUB).events
    assert e.actor1 == "Islamic State (Egypt)"
    # a victim word is not read past the group noun: the bomber «من تنظيم داعش» is still actor1
    text = "فجر انتحاري من تنظيم داعش نفسه أمس في مدينة الرمادي وقتل 5 جنود."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.actor1 == "Islamic State (Iraq)"


def test_extract_events_civilians_are_actor2() -> None:
    text = "أعدم تنظيم داعش ثلاثة مدنيين في مدينة الرقة أمس بتهمة التعامل مع التحالف."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.event_type == "Violence against civilians"
    assert e.actor1 == "Islamic State (Syria)"
    assert e.actor2 == "Civilians (Syria)" and e.civilian_targeting
    assert e.fatalities == 3


@pytest.mark.parametrize(
    "text",
    [
        "هدد تنظيم داعش بتفجير سيارات مفخخة في بغداد خلال الأيام المقبلة.",
        "نفت وزارة الداخلية وقوع انفجار في الرياض أمس.",
        "أصدرت المحكمة حكما بالإعدام على خمسة متهمين في القاهرة أمس.",
        "قتل ثلاثة أشخاص في حادث سير على طريق الرياض أمس.",
        "سجل المهاجم هدفا في مباراة الهلال والنصر أمس.",
    ],
)
def test_extract_events_no_event(text: str) -> None:
    x = extract_text("d", text, "", PUB)
    assert x.events == [], [e.to_dict() for e in x.events]


def test_extract_events_attacks_a_cell_prepared_are_no_event() -> None:
    text = "كشفت مصادر أمنية أن عناصر الخلية كانوا يعدون لتنفيذ تفجيرات في سيناء."
    x = extract_text("d", text, "", PUB)
    assert x.events == [] and any("plan" in n for n in x.notes)


def test_extract_events_strikes_asked_to_stop_are_no_event() -> None:
    text = "وطالب مسؤول كردي خلال زيارة إلى واشنطن يوم الجمعة الحكومة التركية بوقف غاراتها الجوية على مواقع الحزب."
    x = extract_text("d", text, "", PUB)
    assert x.events == [] and any("halt" in n for n in x.notes)
    # the cue must stand right before the trigger: a breach of a ceasefire by shelling is one
    text = "وخرقت قوات النظام يوم الجمعة وقف إطلاق النار بقصف مدفعي على بلدة كفرنبل في ريف إدلب."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.sub_event_type == "Shelling/artillery/missile attack"


def test_extract_events_denial_and_threat_are_noted() -> None:
    x = extract_text("d", "هدد تنظيم داعش بتفجير سيارات مفخخة في بغداد.", "", PUB)
    assert any("threat" in n for n in x.notes)


def test_extract_events_tally_not_event() -> None:
    text = "قتل أكثر من 100 مدني في غارات النظام على ريف إدلب خلال شهر تموز الماضي."
    x = extract_text("d", text, "", PUB)
    assert x.events == []
    (t,) = x.tallies
    assert t.fatalities == 100 and t.fatalities_qualifier == "more_than"
    assert t.period_start == dt.date(2015, 7, 1) and t.period_end == dt.date(2015, 7, 31)
    assert t.iso == "SY"


def test_extract_events_old_background_dropped() -> None:
    text = "وكانت سيارة مفخخة قد انفجرت في 3 مارس 2015 في مدينة بنغازي ما أسفر عن مقتل 4 أشخاص."
    x = extract_text("d", text, "", PUB)
    assert x.events == []
    assert any("background" in n for n in x.notes)


def test_extract_events_a_year_alone_makes_a_past_incident_background() -> None:
    text = (
        "- عام 2004 تفجير إرهابي بسيارة مفخخة يقودها انتحاري استهدف مبنى وزارة الداخلية في الرياض وأسفر عن "
        "مقتل 4 أشخاص."
    )
    x = extract_text("d", text, "", PUB)
    assert x.events == [] and any("background (2004" in n for n in x.notes)


@pytest.mark.parametrize(
    "background",
    [
        "وكان آخر هجوم للجماعة قد وقع في الأول من يونيو الماضي بالهجوم على عدد من الكمائن للجيش في مدينة رفح.",
        "ويذكر أن سيناء تشهد العديد من الهجمات ضد قوات الجيش منذ الإطاحة بالرئيس في يوليو 2013.",
    ],
)
def test_extract_events_an_undated_incident_takes_no_date_from_older_background(background: str) -> None:
    text = (
        "قتل ضابط و3 جنود بالجيش المصري في انفجار عبوة ناسفة أثناء تمشيط قوات الجيش لإحدى مناطق مدينة رفح في "
        "محافظة شمال سيناء. " + background
    )
    (e,) = extract_text("d", text, "", PUB).events
    assert e.sub_event_type == "Remote explosive/landmine/IED" and e.fatalities == 4
    assert e.event_date == PUB - dt.timedelta(days=1) and e.time_precision == 2


def test_extract_events_one_incident_across_sentences_and_title() -> None:
    title = "مقتل 4 جنود بانفجار لغم في سيناء"
    text = (
        "قتل أربعة جنود مصريين أمس بانفجار لغم أرضي في مدينة الشيخ زويد بشمال سيناء. "
        "وقالت مصادر أمنية إن اللغم انفجر أثناء مرور دورية عسكرية. "
        "وأضافت أن الانفجار أسفر أيضا عن إصابة جنديين."
    )
    x = extract_text("d", text, title, PUB)
    _check_evidence(x, text, title)
    assert len(x.events) == 1
    (e,) = x.events
    assert (e.fatalities, e.injured) == (4, 2)
    assert e.iso == "EG"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "قصف " * 5000,
        "انفجرت سيارة مفخخة في 31 شباط في دمشق وقتل ٣ و۴ و 5 أشخاص",
        "A car bomb exploded in Baghdad killing 12 people سيارة مفخخة في بغداد ١٢ قتيلا",
        "١٢٣٤٥٦٧٨٩٠ 1234567890 ۱۲۳۴۵۶۷۸۹۰" * 50,
    ],
)
def test_extract_events_bad_input_no_crash(text: str) -> None:
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    for e in x.events:
        assert e.event_date is None or e.event_date <= PUB


def test_extract_events_impossible_date_not_invented() -> None:
    x = extract_text("d", "انفجرت سيارة مفخخة في 31 شباط في دمشق", "", None)
    for e in x.events:
        assert e.event_date is None
        assert e.date_reason


def test_extract_events_no_year_without_publication_date() -> None:
    (e,) = extract_text("d", "انفجرت سيارة مفخخة في 3 نيسان في دمشق وقتل 5 أشخاص", "", None).events
    assert e.event_date is None and e.date_reason


def test_extract_events_headline_total_not_the_incident_count() -> None:
    # the headline and the lead sum two incidents; each incident keeps the count its own sentence gives
    title = "مقتل 24 مدنيا في بعقوبة"
    text = (
        "أفادت مصادر أمنية أمس بمقتل 24 مدنيا في مدينة بعقوبة. "
        "وقالت المصادر إن عبوة ناسفة انفجرت أمس في حي اليرموك غربي بعقوبة ما أدى إلى مقتل ستة مدنيين. "
        "وأشارت إلى مقتل 18 مدنيا جراء سقوط قذائف هاون الليلة الماضية على منازل في ناحية هبهب."
    )
    x = extract_text("d", text, title, PUB)
    _check_evidence(x, text, title)
    counts = sorted(e.fatalities for e in x.events)
    assert counts == [6, 18], [e.to_dict() for e in x.events]


def test_extract_events_war_toll_is_not_an_incident_count() -> None:
    text = "قتل 5 أشخاص في غارة جوية على مدينة إدلب أمس، في حرب أودت بحياة أكثر من 240 ألف شخص."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.fatalities == 5


def test_extract_events_country_only_and_undated_is_not_an_incident() -> None:
    x = extract_text("d", "يواصل الحوثيون قصف السعودية بالصواريخ في حرب لا تنتهي.", "", PUB)
    assert x.events == []
    assert any("no date and no place below country" in n for n in x.notes)


def test_extract_events_containing_a_crisis_is_not_a_cordon() -> None:
    x = extract_text("d", "دعت مصر اليوم إلى العمل على تطويق الأزمة السياسية في المنطقة.", "", PUB)
    assert x.events == []


def test_extract_events_celebratory_gunfire_is_not_political() -> None:
    text = "حذرت الإمارة من استخدام الأعيرة النارية في الأفراح والمناسبات بعد إصابة شخصين في جازان أمس."
    assert extract_text("d", text, "", PUB).events == []


def test_extract_events_geo_score_says_how_sure_the_place_is() -> None:
    (town,) = extract_text("d", "انفجرت سيارة مفخخة في مدينة الرقة أمس وقتل 7 أشخاص.", "", PUB).events
    assert town.geo_score is not None and town.geo_score >= 0.9
    (country,) = extract_text("d", "انفجرت سيارة مفخخة في سوريا أمس وقتل 7 أشخاص.", "", PUB).events
    assert country.location is None and country.geo_score is None


def test_extract_events_place_noun_does_not_reach_across_a_sentence_end() -> None:
    text = "وصلت القوات إلى محيط قرية. حلب شهدت انفجار سيارة مفخخة أمس قتل فيه 5 أشخاص."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.location == "Aleppo"
    assert [v.text for v in e.evidence if v.role == "place"] == ["حلب"]


def test_extract_events_a_destination_or_venue_is_not_the_scene() -> None:
    # where the wounded were taken is not where the bomb went off
    text = "انفجرت عبوة ناسفة في مدينة إدلب أمس. ونقل 8 مصابين بواسطة طائرة الإخلاء إلى دمشق."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.location == "Idleb"
    # where the minister spoke is not where the bomber struck: the event stays at country level
    text = "قال الوزير في مؤتمر صحافي عقده في أنقرة إن انتحاريا فجر نفسه أمس وقتل 5 جنود."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.location is None and e.country == "Turkey"
    # the same words with the place as the scene
    text = "انفجرت عبوة ناسفة في مدينة دمشق أمس وقتل 3 مدنيين."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.location == "Damascus"


def test_extract_events_an_air_base_strikes_fly_from_is_not_their_place() -> None:
    # strikes are coded where they fall, not at the base they are flown from
    text = "سمحت تركيا أمس باستخدام قاعدة انجرليك في شن غارات على تنظيم داعش في مدينة الرقة."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.sub_event_type == "Air/drone strike" and e.location == "Ar-Raqqa"
    text = "قالت مصادر إن الطائرات أقلعت أمس من قاعدة انجرليك وشنت غارات على تنظيم داعش."
    assert all(e.location != "Incirlik" for e in extract_text("d", text, "", PUB).events)
    # a base the strikes hit is their place
    text = "شن طيران التحالف أمس غارات على قاعدة العند الجوية."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.location == "Al Anad"


def test_extract_events_a_namesake_in_a_country_the_text_never_names_is_not_coded() -> None:
    # «الحضر» is Hatra (Iraq) and also Hadar (Quneitra): in a Syrian report it is the local town
    text = "قتل عنصران من حزب الله أمس في غارة إسرائيلية على سيارة في بلدة الحضر في ريف القنيطرة جنوب سوريا."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.iso == "SY" and e.location == "Quneitra"
    # in a report that names Iraq, it is Hatra
    text = "هاجم مسلحو داعش أمس بلدة الحضر جنوب الموصل وقتلوا 3 جنود."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.location == "Hatra"


def test_extract_events_a_clause_after_a_semicolon_keeps_its_subject() -> None:
    text = "وتمكنت قوات الجيش الوطني والمقاومة الشعبية اليوم؛ من فرض السيطرة على قاعدة العند بعد معارك مع الحوثيين."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.sub_event_type == "Government regains territory"
    assert e.actor1 == "Military Forces of Yemen (Hadi)" and e.location == "Al Anad"


def test_extract_events_a_date_after_since_does_not_date_the_incident() -> None:
    text = "قتل 3 مدنيين في انفجار عبوة ناسفة في بلدة تل أبيض التي يسيطر عليها المقاتلون منذ الشهر الماضي."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.event_date != dt.date(2015, 7, 1) and e.time_precision != 3


def test_extract_events_an_air_strike_is_flown_by_a_state_or_a_coalition() -> None:
    # groups named after the strike word are its targets, even two of them
    text = "قتل خمسة أشخاص أمس في غارات جوية استهدفت مقرا لتنظيم داعش وجبهة النصرة في مدينة إدلب."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.sub_event_type == "Air/drone strike"
    assert e.actor1 == "Unidentified Armed Group (Syria)" and e.actor2 == "Islamic State (Syria)"
    # a group named before a drone is its subject
    (e,) = extract_text("d", "أطلقت ميليشيا الحوثي أمس طائرة مسيرة مفخخة باتجاه مطار أبها.", "", PUB).events
    assert e.actor1 == "Houthi Movement"
    # aircraft that shell are an air strike
    (e,) = extract_text("d", "قصفت الطائرات الروسية أمس مواقع لتنظيم داعش في مدينة تدمر.", "", PUB).events
    assert (e.sub_event_type, e.actor1, e.location) == ("Air/drone strike", "Military Forces of Russia", "Palmyra")


def test_extract_events_a_weapon_with_a_country_adjective_names_that_states_forces() -> None:
    text = "قصفت الدبابات التركية أمس قرية في ريف حلب تسيطر عليها وحدات حماية الشعب."
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.actor1, e.actor2) == ("Military Forces of Turkey", "YPG")
    (e,) = extract_text("d", text.replace(" التركية", ""), "", PUB).events
    assert e.actor1 != "Military Forces of Turkey"


def test_extract_events_one_force_is_not_on_both_sides_of_an_attack() -> None:
    text = "أعلن الجيش المصري مقتل 17 جنديا أمس في هجوم على كمائن للجيش في رفح."
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.actor1, e.actor2) == ("Unidentified Armed Group (Egypt)", "Military Forces of Egypt")


def test_extract_events_one_force_named_as_victim_is_not_also_the_attacker() -> None:
    text = "أعلنت الشرطة التركية أمس العثور على جثتي شرطيين مقتولين برصاص في مدينة ديار بكر."
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.actor1, e.actor2, e.fatalities) == ("Unidentified Armed Group (Turkey)", "Police Forces of Turkey", 2)
    # an arrest keeps the force that arrests, and no one is both sides
    (e,) = extract_text("d", "ألقت الشرطة التركية أمس القبض على 3 من رجال الأمن في اسطنبول.", "", PUB).events
    assert (e.sub_event_type, e.actor1, e.actor2) == ("Arrests", "Police Forces of Turkey", None)


def test_extract_events_a_bombs_dead_people_are_civilians_whoever_investigates() -> None:
    text = "قتل 12 شخصا أمس في هجوم انتحاري على مسبح في طوز خورماتو. وقالت الشرطة العراقية إنها فتحت تحقيقا."
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.actor2, e.civilian_targeting) == ("Civilians (Iraq)", True)
    (e,) = extract_text("d", text.replace("12 شخصا", "12 شرطيا"), "", PUB).events
    assert e.actor2 == "Police Forces of Iraq"


def test_extract_events_strikes_listed_province_by_province_are_one_event_per_place() -> None:
    text = (
        "شنت طائرات التحالف أمس غارات على مواقع للمتمردين في مناطق كرش بمحافظة لحج، وفي أنحاء متفرقة "
        "من محافظة مأرب، إلى الشرق من صنعاء، ومنطقة معبر بمحافظة ذمار."
    )
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    # Lahij is Kirsh's province, Sanaa only a bearing
    assert [e.location for e in x.events] == ["Kirsh", "Marib", "Mabar"]
    assert {e.sub_event_type for e in x.events} == {"Air/drone strike"}
    # a border, an official's office and a road's end are not places struck
    text = (
        "شنت طائرات التحالف أمس غارات على مواقع للحوثيين في منطقة ميكراس بمحافظة البيضاء الحدودية مع "
        "محافظة أبين، وعلى منزل محافظ شبوة."
    )
    assert [e.admin1 for e in extract_text("d", text, "", PUB).events] == ["Al Bayda"]


def test_extract_events_a_conjunction_splits_two_incidents_in_one_sentence() -> None:
    text = "قتل 3 مدنيين أمس في قصف حوثي على تعز، في وقت شن طيران التحالف غارات على المخاء."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    got = sorted((e.sub_event_type, e.location, e.fatalities, str(e.event_date)) for e in x.events)
    assert got == [
        ("Air/drone strike", "Al Mukha", 0, "2015-08-06"),  # the sentence's day holds for both
        ("Shelling/artillery/missile attack", "Taiz", 3, "2015-08-06"),
    ]
    text = "انفجرت عبوة ناسفة أمس في أنقرة، فيما أبطل خبراء المتفجرات مفعول عبوة ثانية."
    subs = sorted(e.sub_event_type for e in extract_text("d", text, "", PUB).events)
    assert subs == ["Disrupted weapons use", "Remote explosive/landmine/IED"]
    # without the conjunction the defusal refines the bombing: one incident
    text = "أبطل خبراء المتفجرات أمس مفعول عبوة ناسفة في أنقرة."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.sub_event_type == "Disrupted weapons use"
    # a conjunction inside one incident's report does not split it
    text = "قتل 5 جنود أمس في انفجار عبوة ناسفة في العريش، فيما أصيب 3 آخرون."
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.sub_event_type, e.fatalities) == ("Remote explosive/landmine/IED", 5)


def test_extract_events_common_words_that_are_town_names_need_context() -> None:
    # «حماة» guardians, «مدنين» a misspelt «مدنيين»: not Hama, not Medenine
    text = "رجال الأمن حماة الوطن، وقد استشهد 3 منهم أمس في التفجير الإرهابي بمسجد قوات الطوارئ في أبها."
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.location, e.country) == ("Abha", "Saudi Arabia")
    text = "قتل مدنين اثنين أمس في قصف عشوائي للحوثيين على الأحياء السكنية في تعز."
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.location, e.country) == ("Taiz", "Yemen")
    # the town itself, with a qualifier or with the country's forces named
    (e,) = extract_text("d", "قتل 5 مدنيين أمس في قصف على مدينة حماة.", "", PUB).events
    assert e.location == "Hama"
    (e,) = extract_text("d", "قتل 5 مدنيين أمس في قصف لقوات النظام على حماة.", "", PUB).events
    assert (e.location, e.actor1) == ("Hama", "Military Forces of Syria")


def test_extract_events_a_background_sentence_starts_another_incident() -> None:
    text = (
        "دارت معارك عنيفة أمس في منطقة كرش بين المقاومة الشعبية والحوثيين. يشار إلى أن المقاومة "
        "الشعبية سيطرت على قاعدة العند في 3 آب الجاري."
    )
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    assert sorted((str(e.event_date), e.location) for e in x.events) == [
        ("2015-08-03", "Al Anad"),  # «آب» is the month, not the Yemeni town Ibb
        ("2015-08-06", "Kirsh"),
    ]


def test_extract_events_the_event_country_confirms_a_local_alias() -> None:
    (e,) = extract_text("d", "سيطرت المقاومة الشعبية أمس على مدينة زنجبار بعد انسحاب الحوثيين.", "", PUB).events
    assert e.actor1 == "Popular Resistance (Yemen)"
    # a militia on the government's side regains territory (ACLED: government forces or affiliates)
    assert e.sub_event_type == "Government regains territory"
    (e,) = extract_text("d", "سيطر الحوثيون أمس على مدينة زنجبار بعد انسحاب المقاومة الشعبية.", "", PUB).events
    assert e.sub_event_type == "Non-state actor overtakes territory"


def test_extract_events_a_vague_figure_beside_a_number_restates_it() -> None:
    text = "أشارت المصادر إلى مقتل 17 حوثيا أمس في غارة على مدينة حيس، حيث لا تزال عديد من الجثث تحت الأنقاض."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.fatalities == 17


def test_extract_events_one_event_per_place_of_a_list() -> None:
    text = "شن طيران التحالف أمس غارات على صعدة، حجة وعمران أسفرت عن مقتل 7 حوثيين."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    assert [(e.location, e.fatalities) for e in x.events] == [("Saada", 7), ("Hajjah", 0), ("Amran", 0)]
    assert len({e.id for e in x.events}) == 3
    assert all(e.sub_event_type == "Air/drone strike" and e.actor1 == "Saudi-led Coalition" for e in x.events)
    # a route is one place of the incident, not a list
    text = "قتل 5 أشخاص أمس في انفجار عبوة ناسفة على الطريق بين حلب وإدلب."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.location == "Aleppo"


def test_extract_events_a_street_named_after_a_city_is_not_that_city() -> None:
    text = "سقطت قذائف صاروخية على شارع بغداد في دمشق أمس وقتل 5 مدنيين."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.location == "Damascus" and e.iso == "SY"
    assert "بغداد" not in [v.text for v in e.evidence if v.role == "place"]
    text = "سقطت قذائف صاروخية على شارعي الثورة وبغداد وحي باب توما بالعاصمة دمشق أمس وقتل 5 مدنيين."
    (e,) = extract_text("d", text, "", PUB).events
    assert e.location == "Damascus" and e.iso == "SY"


def test_extract_events_a_projectile_from_across_the_border_is_shelling() -> None:
    text = "أصيب مواطن أمس جراء سقوط مقذوف عسكري على منزله في محافظة الطوال بمنطقة جازان."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.sub_event_type == "Shelling/artillery/missile attack" and e.iso == "SA"
    assert e.event_date == PUB - dt.timedelta(days=1)


def test_extract_events_an_air_strike_is_flown_by_an_air_force() -> None:
    # an armed group named before a strike word is its target, not its pilot
    (e,) = extract_text("d", "تعرضت مواقع الحوثيين أمس لغارات جوية في مدينة صعدة.", "", PUB).events
    assert e.actor2 == "Houthi Movement" and e.actor1 != "Houthi Movement"
    # ... but armed groups fly drones
    (e,) = extract_text("d", "أطلق الحوثيون أمس طائرة مسيرة على مدينة مأرب.", "", PUB).events
    assert e.actor1 == "Houthi Movement"
    # a strike nobody is named for is flown by the air force the report names
    text = "أعلن التحالف العربي استمرار عملياته في اليمن. وشنت الطائرات أمس غارات على مدينة صعدة."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.actor1 == "Saudi-led Coalition"
    assert [v.text for v in e.evidence if v.role == "actor1"] == ["التحالف العربي"]
    # a strike word beats the longer aircraft name it overlaps: «ضربت طائرات التحالف»
    (e,) = extract_text("d", "كما ضربت طائرات التحالف العربي أمس مواقع في عمران.", "", PUB).events
    assert e.sub_event_type == "Air/drone strike" and e.actor1 == "Saudi-led Coalition"


def test_extract_events_a_country_adjective_names_whose_aircraft() -> None:
    (e,) = extract_text("d", "شنت طائرات حربية أمريكية أمس غارة على مدينة الرقة.", "", PUB).events
    assert e.actor1 == "Military Forces of the United States"  # ACLED writes «of the United States»


def test_extract_events_the_dated_and_counted_sentence_names_the_incident() -> None:
    text = (
        "تواصل القصف بالمدفعية على مواقع المسلحين في محافظة الحديدة. "
        "وشن طيران التحالف العربي أمس غارات على مدينة حيس أسفرت عن مقتل 17 حوثيا."
    )
    (e,) = extract_text("d", text, "", PUB).events
    assert (e.sub_event_type, e.fatalities) == ("Air/drone strike", 17)


def test_extract_events_a_town_named_elsewhere_says_where_in_the_province() -> None:
    text = "أسفرت الغارات أمس عن مقتل 17 حوثيا في محافظة الحديدة. واستهدفت الغارات مدينة حيس."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.location == "Hays" and e.admin1 == "Al Hudaydah" and e.geo_precision == 1


def test_extract_events_a_quoted_outlet_name_is_not_a_place() -> None:
    text = 'وقالت مصادر محلية ل"الرياض" إن 3 حوثيين قتلوا أمس في غارة للتحالف على مواقعهم في الجبهة.'
    (e,) = extract_text("d", text, "", PUB).events
    assert e.location is None
    assert not [v for v in e.evidence if v.role == "place"]
    # a quoted place that is no outlet's name stays a place
    (e,) = extract_text("d", 'قتل 3 أشخاص أمس في تفجيرات "أبها" التي استهدفت مسجدا.', "", PUB).events
    assert e.location == "Abha"


def test_extract_events_the_headline_is_evidence_of_the_incident_it_reports() -> None:
    title = "المنامة تلمح إلى يد إيرانية وراء تفجير سترة"
    text = "أعلنت السلطات البحرينية أمس مقتل شرطيين وإصابة ستة في تفجير استهدف دورية في قرية سترة."
    x = extract_text("d", text, title, PUB)
    _check_evidence(x, text, title)
    (e,) = x.events
    assert {v.field for v in e.evidence if v.role in ("trigger", "headline")} == {"title", "text"}


def test_extract_events_a_death_from_wounds_keeps_the_incident_day() -> None:
    text = "توفي جندي خامس، أمس، متأثرا بإصابته في حادث إطلاق النار على مركزين عسكريين في مدينة تشاتانوغا يوم الاثنين."
    x = extract_text("d", text, "", PUB)
    _check_evidence(x, text)
    (e,) = x.events
    assert e.event_date == dt.date(2015, 8, 3) and e.fatalities == 5
    assert [v.text for v in e.evidence if v.role == "date"] == ["الاثنين"]


def test_extract_events_a_match_report_is_sport_whatever_the_club_is_called() -> None:
    text = (
        "فاز الفريق على حرس الحدود المصري 4-صفر وديا أول من أمس على ملعب بالقاهرة، "
        "وشهدت المباراة تصدي الحارس لركلة جزاء، وخروج المهاجم متأثرا بإصابته."
    )
    assert extract_text("d", text, "", PUB).events == []


def test_extract_events_a_field_news_opener_starts_another_incident() -> None:
    # «ميدانيا، …» turns from one report to the field news: its dead are not the strike's
    text = "شنت طائرات التحالف أمس غارات على مواقع الحوثيين في محافظة صعدة. ميدانيا، قتل 5 مسلحين حوثيين في تعز."
    strike = next(e for e in extract_text("d", text, "", PUB).events if e.sub_event_type == "Air/drone strike")
    assert strike.fatalities == 0
