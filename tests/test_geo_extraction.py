"""The gazetteer inside extraction: the seed lands in Raqqa, gazetteer towns get coordinates,
false places stay out, and a store's imported places are used by `marsad run`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from marsad.extract import extract_text
from marsad.geo.extractor import extractor_for
from marsad.geo.gazetteer import embedded_geocoder, import_files
from marsad.model import Document, InputKind
from marsad.store import Store

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed" / "000_72491fde59c97982.txt"
FIX = Path(__file__).parent / "fixtures" / "geo"


def test_geo_seed_events_land_in_raqqa_and_tallies_in_the_governorate() -> None:
    if not SEED.exists():
        pytest.skip("the seed document is not in ../shared/corpus")
    x = extract_text("seed", SEED.read_text(encoding="utf-8"), "", dt.date(2019, 4, 20))
    assert x.events
    for e in x.events:
        assert e.admin1 == "Ar-Raqqa" and e.geo_precision in (1, 2)
        assert e.latitude == pytest.approx(35.95, abs=0.01) and e.longitude == pytest.approx(39.01, abs=0.01)
    april = [t for t in x.tallies if t.period_text and "نيسان" in t.period_text]
    assert april
    for t in april:
        best = embedded_geocoder().resolve(t.area or "", iso=t.iso)
        assert best is not None and best.row.admin1 == "Ar-Raqqa" and best.row.kind == "admin1"


def test_geo_gazetteer_town_named_as_a_town_gets_coordinates() -> None:
    x = extract_text("t1", "قتل خمسة مدنيين في قصف جوي على بلدة السبخة في ريف الرقة الغربي يوم الأحد.", "",
                     dt.date(2019, 4, 20))  # fmt: skip
    (e,) = x.events
    assert e.location == "As Sabkhah" and e.admin1 == "Ar-Raqqa" and e.geonameid == 172511
    assert e.latitude == pytest.approx(35.81, abs=0.01) and e.geo_precision == 1


def test_geo_stop_list_keeps_words_out_of_places() -> None:
    x = extract_text("t2", "أعلنت وزارة الداخلية في لبنان مقتل ثلاثة عناصر من الجيش في هجوم يوم الأحد.", "",
                     dt.date(2019, 4, 20))  # fmt: skip
    for e in x.events:
        assert e.place_mention is None or "زارة" not in e.place_mention
        assert e.country == "Lebanon"
    y = extract_text("t3", "قتل ثلاثة أشخاص في هجوم على مقر التحالف في اليمن يوم الأحد.", "", dt.date(2019, 4, 20))
    assert all(e.location is None for e in y.events)  # «التحالف» is a village in GeoNames, not here


def test_geo_extractor_uses_the_store_imported_places(tmp_path: Path) -> None:
    with Store(tmp_path / "m.duckdb") as store:
        assert extractor_for(store.con) is None  # nothing imported: the default engine
        import_files(store.con, [FIX / "villages.tsv"], country="SY")
        extract = extractor_for(store.con)
        assert extract is not None
        text = "قتل ثلاثة مدنيين في قصف على حي تشرين الجديد يوم الأحد."
        doc = Document(id="d", record_id="r", input_path="-", locator="1", input_kind=InputKind.JSONL, raw=text,
                       text=text, published=dt.date(2019, 4, 20))  # fmt: skip
        (e,) = extract(doc).events
        assert e.location == "Tishreen neighbourhood" and e.admin1 == "Ar-Raqqa" and e.geo_precision == 1
