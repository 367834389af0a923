"""Checks of the extraction lexicons (events, casualties, attribution, actors): the data is
well-formed, consistent with ACLED's categories, and written the way the matcher expects."""

from __future__ import annotations

import re
from collections import Counter

from marsad import lexicon
from marsad.arabic.normalize import normalize_plain

ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
        "Suicide bomb", "Grenade", "Chemical weapon",
    },
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Arrests", "Disrupted weapons use", "Looting/property destruction", "Headquarters or base established",
        "Non-violent transfer of territory", "Agreement", "Change to group/activity", "Other",
    },
}  # fmt: skip
_DIACRITIC = re.compile(r"[\u064B-\u065F\u0670\u0640]")


def _all_forms(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [f for item in node for f in _all_forms(item)]
    if isinstance(node, dict):
        return [f for value in node.values() for f in _all_forms(value)]
    return []


def test_lexicon_events_triggers_are_complete_and_acled_valid() -> None:
    triggers = lexicon.load("events")["triggers"]
    ids = [t["id"] for t in triggers]
    assert len(ids) == len(set(ids)) and len(ids) >= 30
    for t in triggers:
        assert {"id", "forms", "event_type", "sub_event_type", "plover", "strength"} <= t.keys(), t["id"]
        assert t["sub_event_type"] in ACLED[t["event_type"]], t["id"]
        assert t["strength"] in {"strong", "weak"}, t["id"]
        assert t["forms"] and all(isinstance(f, str) and f.strip() for f in t["forms"]), t["id"]
        assert set(t.get("overrides") or []) <= set(ids), t["id"]


def test_lexicon_events_cue_sections_are_well_formed() -> None:
    events = lexicon.load("events")
    for section, label in (("negation", "scope"), ("hypothetical", "kind"), ("non_political", "kind")):
        for entry in events[section]:
            assert set(entry) <= {label, "forms", "position"}, entry
            assert entry[label] and entry["forms"], entry
            assert entry.get("position") in (None, "adjacent"), entry
    assert any(e.get("position") == "adjacent" for e in events["hypothetical"])


def test_lexicon_events_cover_the_issue_examples() -> None:
    forms = {normalize_plain(f) for t in lexicon.load("events")["triggers"] for f in t["forms"]}
    for needed in ("سيارة مفخخة", "عبوة ناسفة", "لغم", "انتحاري", "غارة", "قصف مدفعي", "اشتباكات", "قنص",
                   "اغتيال", "خطف", "إعدام", "حملة اعتقالات"):  # fmt: skip
        assert normalize_plain(needed) in forms, needed


def test_lexicon_casualties_and_attribution_are_well_formed() -> None:
    cas = lexicon.load("casualties")
    assert {"killed", "injured", "abducted"} <= cas["outcomes"].keys()
    killed = {normalize_plain(f) for f in cas["outcomes"]["killed"]["forms"]}
    assert {normalize_plain(w) for w in ("قتل", "مقتل", "مصرع")} <= killed
    assert set(cas["ranges"]) == {"joiners", "between", "between_lead", "rising"}
    assert all(cas["ranges"].values()) and "بينهم" in cas["subset_words"]
    att = lexicon.load("attribution")
    stances = {"asserts", "denies", "alleges", "reports_uncertain", "claims_responsibility", "accuses"}
    for cue in att["cues"]:
        assert cue["stance"] in stances and cue["forms"], cue
    cue_forms = {normalize_plain(f) for c in att["cues"] for f in c["forms"]}
    for needed in ("بحسب", "وفق", "أفاد", "أكد", "نفى", "زعم", "أعلن", "نقلت"):
        assert normalize_plain(needed) in cue_forms, needed


def test_lexicon_actors_are_complete_and_unambiguous() -> None:
    actors = lexicon.load("actors")["actors"]
    ids = [a["id"] for a in actors]
    assert len(ids) == len(set(ids)) and len(ids) >= 60
    for a in actors:
        assert {"id", "name", "acled", "inter", "kind", "aliases"} <= a.keys(), a["id"]
        assert a["inter"] in range(1, 9), a["id"]
        assert a.get("parent") in (None, *ids), a["id"]
        assert a["aliases"], a["id"]
    owners: Counter[str] = Counter()
    for a in actors:
        for alias in set(map(normalize_plain, a["aliases"])) - set(map(normalize_plain, a.get("ambiguous") or [])):
            owners[alias] += 1
    for a in actors:
        # a local alias is an ambiguous one the actor's single country confirms
        local = set(a.get("local_aliases") or [])
        assert local <= set(a.get("ambiguous") or []), a["id"]
        assert not local or len(a.get("countries") or []) == 1, a["id"]
        assert set(a.get("with_adjective") or []).isdisjoint(a["aliases"]), a["id"]
    shared = sorted(alias for alias, n in owners.items() if n > 1)
    assert not shared, f"aliases claimed by several actors without being marked ambiguous: {shared[:10]}"
    by_alias = {normalize_plain(al): a["id"] for a in actors for al in a["aliases"]}
    for alias in ("داعش", "قسد", "الأسايش", "الحشد الشعبي"):
        assert normalize_plain(alias) in by_alias, alias


def test_lexicon_extraction_forms_carry_no_diacritics() -> None:
    for name in ("events", "casualties", "attribution", "actors"):
        marked = [f for f in _all_forms(lexicon.load(name)) if _DIACRITIC.search(f)]
        assert not marked, f"{name}.yaml: {marked[:5]}"


def test_lexicon_extraction_rules_data_is_well_formed() -> None:
    data = lexicon.load("extraction")
    assert {p["kind"] for p in data["periods"]} == {"span", "since", "to_date", "total"}
    assert {p["kind"] for p in data["place_nouns"]} == {"settlement", "district", "street", "region", "direction"}
    assert set(data["roles"]) == {"perpetrator", "target", "victim_of"}
    assert set(data["off_scene"]) == {"destination", "venue", "base"}
    assert set(data["off_scene_objects"]) <= set(data["off_scene"])
    # words that are also place names never put a place off the scene («منطقة الزيارة», «بلدة حوار»)
    assert not {"زيارة", "حوار"} & set(data["off_scene"]["venue"])
    assert all(set(kinds) <= set(data["off_scene"]) for kinds in data["off_scene_prepositions"].values())
    assert "بين" in data["route_words"] and "منذ" in data["since_words"]
    assert {"في وقت", "فيما", "بينما"} <= set(data["clause_openers"])
    words = [
        *_all_forms(data["off_scene"]),
        *data["off_scene_prepositions"],
        *data["route_words"],
        *data["base_nouns"],
        *data["role_group_nouns"],
        *data["since_words"],
        *data["clause_openers"],
        *_all_forms(data["periods"]),
        *_all_forms(data["place_nouns"]),
        *_all_forms(data["roles"]),
        *data["non_people_units"],
        *data["singular_victims"],
        *data["unsplittable"],
    ]
    for w in words:
        assert isinstance(w, str) and w.strip() == w and w, w
        assert not _DIACRITIC.search(w), w
    # «منذ» alone dates background; only anchored forms make a tally
    since = next(p for p in data["periods"] if p["kind"] == "since")
    assert "منذ" not in since["forms"]
    # every unsplittable word starts with a letter that could be read as a clitic
    assert all(normalize_plain(w)[0] in "وفبلكا" for w in data["unsplittable"])


def test_lexicon_extraction_compiles_into_matchers() -> None:
    from marsad.extract.lexicons import lexicons

    lex = lexicons()
    assert lex.triggers.size > 500 and lex.actors.size > 500
    assert set(lex.trigger_by_id) >= {"car_bomb", "ied", "landmine", "air_strike", "armed_clash"}
    assert lex.country_names["SY"] == "Syria"
