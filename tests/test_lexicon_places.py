"""Checks of the places lexicon (countries, admin1 units, cities): the data is well-formed,
internally consistent, and written the way the matcher expects."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest

from marsad import lexicon
from marsad.arabic.normalize import normalize_phrase

_ISO = re.compile(r"[A-Z]{2}")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_DIACRITIC = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_ARAB_LEAGUE = {
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR",
    "MA", "OM", "PS", "QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE",
}  # fmt: skip
_OTHERS = {"TR", "IR", "IL", "AF", "PK", "NG", "ML", "US", "RU", "FR", "GB", "DE"}
_ADMIN1_COUNT = {"SY": 14, "YE": 22, "IQ": 18, "SA": 13, "EG": 27, "LY": 22, "LB": 8, "JO": 12, "PS": 2}
_MIN_CITIES = {"SY": 40, "YE": 40, "IQ": 40, "SA": 25, "LY": 25, "EG": 25}
# generous (lat_min, lat_max, lon_min, lon_max) boxes, to catch swapped or mistyped coordinates
_BOX = {
    "SY": (32.3, 37.4, 35.6, 42.4), "YE": (12.0, 19.0, 42.5, 54.6), "IQ": (29.0, 37.4, 38.7, 48.7),
    "SA": (16.3, 32.2, 34.5, 55.7), "EG": (22.0, 31.7, 24.7, 36.9), "LY": (19.5, 33.2, 9.3, 25.2),
    "LB": (33.0, 34.7, 35.1, 36.7), "JO": (29.1, 33.4, 34.9, 39.3), "PS": (31.2, 32.6, 34.2, 35.6),
    "TN": (30.2, 37.6, 7.5, 11.6), "TR": (35.8, 42.2, 25.6, 44.9), "KW": (28.5, 30.1, 46.5, 48.5),
    "BH": (25.8, 26.4, 50.3, 50.7),
}  # fmt: skip


def _places() -> dict[str, Any]:
    data = lexicon.load("places")
    assert isinstance(data, dict)
    return data


def _entries() -> list[tuple[str, dict[str, Any]]]:
    data = _places()
    return [(section, entry) for section in ("countries", "admin1", "cities") for entry in data[section]]


def _forms(entry: dict[str, Any]) -> list[str]:
    """The Arabic matching forms of an entry (capital.ar is informative, not a matching form)."""
    return [*entry["names"], *entry.get("adjectives", []), *entry.get("parts", [])]


def _key(form: str) -> str:
    """Matching key: normalised, with the article of the first word dropped (the matcher makes
    it optional both ways, so «الجبيل» and «جبيل» meet)."""
    words = normalize_phrase(form).split(" ")
    if words[0].startswith("ال") and len(words[0]) > 3:
        words[0] = words[0][2:]
    return " ".join(words)


def _label(section: str, entry: dict[str, Any]) -> str:
    return f"{section}:{entry['iso']}:{entry['name']}"


def test_lexicon_places_loads_with_three_sections() -> None:
    data = _places()
    assert {"complete_admin1", "countries", "admin1", "cities"} <= data.keys()
    assert all(isinstance(data[k], list) and data[k] for k in ("countries", "admin1", "cities"))


def test_lexicon_places_countries_have_required_fields() -> None:
    for c in _places()["countries"]:
        assert _ISO.fullmatch(c["iso"]), c
        assert isinstance(c["name"], str) and c["name"].strip(), c["iso"]
        assert isinstance(c["names"], list) and c["names"], c["iso"]
        assert isinstance(c["adjectives"], list) and c["adjectives"], c["iso"]
        cap = c["capital"]
        assert {"name", "ar", "lat", "lon"} <= cap.keys(), c["iso"]
        assert isinstance(cap["name"], str) and isinstance(cap["ar"], str), c["iso"]
        assert isinstance(cap["lat"], float) and -90 <= cap["lat"] <= 90, c["iso"]
        assert isinstance(cap["lon"], float) and -180 <= cap["lon"] <= 180, c["iso"]


def test_lexicon_places_admin1_and_cities_have_required_fields() -> None:
    data = _places()
    for section, required in (
        ("admin1", {"iso", "name", "names", "lat", "lon", "capital", "ambiguous"}),
        ("cities", {"iso", "name", "names", "admin1", "lat", "lon", "ambiguous"}),
    ):
        for e in data[section]:
            assert required <= e.keys(), (section, e.get("name"))
            assert isinstance(e["name"], str) and e["name"].strip(), e
            assert isinstance(e["names"], list) and e["names"], e["name"]
            assert all(isinstance(n, str) and n.strip() == n and n for n in e["names"]), e["name"]
            assert isinstance(e["lat"], float) and -90 <= e["lat"] <= 90, e["name"]
            assert isinstance(e["lon"], float) and -180 <= e["lon"] <= 180, e["name"]
            assert round(e["lat"], 2) == e["lat"] and round(e["lon"], 2) == e["lon"], e["name"]
        for e in data["cities"]:
            assert isinstance(e["admin1"], str) and e["admin1"], e["name"]
            gid = e.get("geonameid")
            assert gid is None or (isinstance(gid, int) and gid > 0), e["name"]
            assert e.get("geo_precision", 1) in (1, 2), e["name"]
            assert isinstance(e.get("parts", []), list), e["name"]
        for e in data["admin1"]:
            assert isinstance(e["capital"], str) and e["capital"], e["name"]
            code = e.get("geonames_code")
            assert code is None or re.fullmatch(rf"{e['iso']}\.[0-9A-Z]+", code), e["name"]


def test_lexicon_places_iso_codes_are_valid_and_known() -> None:
    data = _places()
    isos = [c["iso"] for c in data["countries"]]
    assert len(isos) == len(set(isos))
    assert all(_ISO.fullmatch(i) for i in isos)
    assert set(isos) >= _ARAB_LEAGUE | _OTHERS
    for section in ("admin1", "cities"):
        for e in data[section]:
            assert e["iso"] in isos, _label(section, e)
    assert set(data["complete_admin1"]) <= set(isos)


def test_lexicon_places_no_duplicate_entries() -> None:
    data = _places()
    for section in ("admin1", "cities"):
        seen = [(e["iso"], e["name"]) for e in data[section]]
        dupes = {k for k in seen if seen.count(k) > 1}
        assert not dupes, (section, dupes)


def test_lexicon_places_city_admin1_exists_for_its_country() -> None:
    data = _places()
    admin1 = defaultdict(set)
    for a in data["admin1"]:
        admin1[a["iso"]].add(a["name"])
    for c in data["cities"]:
        assert c["admin1"] in admin1[c["iso"]], f"{c['iso']}:{c['name']} -> {c['admin1']}"


def test_lexicon_places_complete_countries_list_every_admin1() -> None:
    data = _places()
    count = defaultdict(int)
    for a in data["admin1"]:
        count[a["iso"]] += 1
    assert set(data["complete_admin1"]) == set(_ADMIN1_COUNT)
    for iso, n in _ADMIN1_COUNT.items():
        assert count[iso] == n, iso


def test_lexicon_places_admin1_coordinates_are_those_of_a_listed_capital() -> None:
    data = _places()
    cities = {(c["iso"], c["name"]): c for c in data["cities"]}
    for a in data["admin1"]:
        city = cities.get((a["iso"], a["capital"]))
        if city is not None:
            assert (a["lat"], a["lon"]) == (city["lat"], city["lon"]), a["name"]
        elif a["iso"] in data["complete_admin1"]:
            pytest.fail(f"capital of {a['iso']}:{a['name']} is not among the cities")


def test_lexicon_places_cover_the_main_conflict_countries() -> None:
    count = defaultdict(int)
    for c in _places()["cities"]:
        count[c["iso"]] += 1
    for iso, n in _MIN_CITIES.items():
        assert count[iso] >= n, (iso, count[iso])


def test_lexicon_places_coordinates_fall_inside_their_country() -> None:
    data = _places()
    points = [(e["iso"], e["name"], e["lat"], e["lon"]) for e in data["admin1"] + data["cities"]]
    points += [(c["iso"], c["capital"]["name"], c["capital"]["lat"], c["capital"]["lon"]) for c in data["countries"]]
    for iso, name, lat, lon in points:
        if iso in _BOX:
            lat0, lat1, lon0, lon1 = _BOX[iso]
            assert lat0 <= lat <= lat1 and lon0 <= lon <= lon1, (iso, name, lat, lon)


def test_lexicon_places_arabic_forms_are_plain_arabic() -> None:
    data = _places()
    forms = [f for _, e in _entries() for f in [*_forms(e), *e.get("ambiguous_forms", [])]]
    forms += [c["capital"]["ar"] for c in data["countries"]]
    for form in forms:
        assert isinstance(form, str) and form == form.strip() and "  " not in form, repr(form)
        assert _ARABIC_LETTER.search(form), form
        assert not _DIACRITIC.search(form), form
        assert not re.search(r"[A-Za-z]", form), form


def test_lexicon_places_ambiguous_flag_matches_ambiguous_forms() -> None:
    for section, e in _entries():
        assert isinstance(e["ambiguous"], bool), _label(section, e)
        amb = e.get("ambiguous_forms", [])
        assert e["ambiguous"] == bool(amb), _label(section, e)
        own = {_key(f) for f in _forms(e)}
        assert {_key(f) for f in amb} <= own, _label(section, e)


def test_lexicon_places_shared_forms_are_ambiguous_everywhere() -> None:
    """A form carried by two entries of one section, or by entries of two countries, must be
    listed as ambiguous in each of them. A country, its units and its cities may share a name."""
    holders: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for section, e in _entries():
        for key in {_key(f) for f in _forms(e)}:
            holders[key].append((section, e))
    for key, held in holders.items():
        if len(held) < 2:
            continue
        sections = [s for s, _ in held]
        if len({e["iso"] for _, e in held}) == 1 and len(set(sections)) == len(sections):
            continue
        for section, e in held:
            amb = {_key(f) for f in e.get("ambiguous_forms", [])}
            assert key in amb, f"«{key}» is shared but not ambiguous in {_label(section, e)}"


@pytest.mark.parametrize(
    ("form", "iso", "name"),
    [
        ("البوكمال", "SY", "Abu Kamal"),
        ("البو كمال", "SY", "Abu Kamal"),
        ("دير الزور", "SY", "Deir-ez-Zor"),
        ("ديرالزور", "SY", "Deir-ez-Zor"),
        ("كوباني", "SY", "Ayn al Arab"),
        ("الحديدة", "YE", "Al Hudaydah"),
        ("صنعاء", "YE", "Sanaa"),
        ("المخا", "YE", "Al Mukha"),
        ("قاعدة العند", "YE", "Al Anad"),
        ("الفلوجة", "IQ", "Fallujah"),
        ("الدالوة", "SA", "Al Dalwah"),
        ("الشيخ زويد", "EG", "Sheikh Zuweid"),
        ("سوروتش", "TR", "Suruc"),
    ],
)
def test_lexicon_places_known_forms_resolve_to_their_city(form: str, iso: str, name: str) -> None:
    found = [(c["iso"], c["name"]) for c in _places()["cities"] if _key(form) in {_key(f) for f in _forms(c)}]
    assert (iso, name) in found, (form, found)


def test_lexicon_places_known_shared_names_are_ambiguous() -> None:
    for form, isos in (("طرابلس", {"LY", "LB"}), ("رفح", {"EG", "PS"}), ("دوما", {"SY", "PS"})):
        held = [c for c in _places()["cities"] if _key(form) in {_key(f) for f in c["names"]}]
        assert {c["iso"] for c in held} == isos, form
        assert all(c["ambiguous"] for c in held), form
    jawf = [a for a in _places()["admin1"] if _key("الجوف") in {_key(f) for f in a["names"]}]
    assert {a["iso"] for a in jawf} == {"SA", "YE"} and all(a["ambiguous"] for a in jawf)
