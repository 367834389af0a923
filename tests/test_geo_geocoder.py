"""Resolving mentions: clitics, qualifiers, country context, co-mentioned places, scores."""

from __future__ import annotations

from pathlib import Path

from marsad.geo.evaluate import admin_key, load_mentions, score_mentions
from marsad.geo.gazetteer import embedded_geocoder
from marsad.geo.geocoder import Geocoder
from marsad.geo.model import GazRow

FIX = Path(__file__).parent / "fixtures" / "geo"


def test_geocoder_strips_clitics_and_finds_aliases() -> None:
    geo = embedded_geocoder()
    cases = [("بالرقة", "Ar-Raqqa"), ("والبوكمال", "Abu Kamal"), ("البو كمال", "Abu Kamal"), ("كوباني", "Ayn al Arab")]
    cases += [("الشدادة", "Ash Shaddadi"), ("الباغوز", "Al Baghuz Fawqani")]
    for mention, name in cases:
        best = geo.resolve(mention)
        assert best is not None and best.row.name == name, mention


def test_geocoder_region_phrase_prefers_the_unit() -> None:
    best = embedded_geocoder().resolve("ريف الرقة")
    assert best is not None and best.row.kind == "admin1" and best.row.admin1 == "Ar-Raqqa"
    town = embedded_geocoder().resolve("مدينة الرقة")
    assert town is not None and town.row.kind == "city"


def test_geocoder_country_context_decides_a_shared_name() -> None:
    geo = embedded_geocoder()
    lebanon = geo.resolve("طرابلس", iso="LB")
    libya = geo.resolve("طرابلس", iso="LY")
    assert lebanon is not None and lebanon.row.iso == "LB"
    assert libya is not None and libya.row.iso == "LY"
    assert 0 < lebanon.score < 1


def test_geocoder_co_mentioned_places_and_admin_hierarchy_break_ties() -> None:
    a = GazRow("t", "1", "Tell A north", 36.9, 38.9, "village", "SY", "Ar-Raqqa", names=["تل الحمرا"])
    b = GazRow("t", "2", "Tell A south", 33.5, 36.3, "village", "SY", "Rural Damascus", names=["تل الحمرا"])
    geo = Geocoder([a, b])
    near = geo.resolve("تل الحمرا", near=[(36.7, 38.95)])
    assert near is not None and near.row is a
    unit = geo.resolve("تل الحمرا", admin1=["Rural Damascus"])
    assert unit is not None and unit.row is b


def test_geocoder_stop_forms_are_not_indexed() -> None:
    geo = Geocoder([GazRow("t", "1", "Zara", 34.0, 36.0, "village", "SY", names=["زارة"])])
    assert geo.candidates("زارة") == []


def test_evaluate_scores_the_fixture_mentions() -> None:
    mentions = load_mentions(FIX / "mentions.jsonl")
    docs = {"d1": {"text": "قتل مدنيون في الرقة وقرب كوباني وفي قرية لاوجود"}, "d2": {"text": "اشتباكات في عدن"}}
    s = score_mentions(mentions, docs, embedded_geocoder()).as_dict()
    assert s["mentions"] == 4
    assert s["resolved"] == 0.75  # «قرية لاوجود» is not in the gazetteer
    assert s["within_25km"] == 0.75
    assert s["admin1"] == 0.75 and s["admin1_n"] == 4
    assert s["geonameid_n"] == 3


def test_evaluate_admin_key_compares_spellings_loosely() -> None:
    assert admin_key("Ar-Raqqa") == admin_key("Raqqa")
    assert admin_key("Al Anbar") == admin_key("Anbar")
    assert admin_key("Aleppo") != admin_key("Idleb")
