from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPORT
from fakes import FakeExtractor, make_event
from marsad import lexicon
from marsad.errors import MarsadError
from marsad.export import FORMATS, export
from marsad.export.acled import HEADER, NO_DATE, NO_PLACE, guard_formula, interaction_code
from marsad.export.regions import countries, country
from marsad.extract.model import ACLED_COLUMNS, Event
from marsad.model import Document
from marsad.runner import run
from marsad.store import Store


def _store(tmp_path: Path, events: Callable[[Document], list[Event]]) -> Store:
    """A database holding one article from the SOHR site, with the events ``events`` gives."""
    inputs = tmp_path / "in.jsonl"
    article = {"id": "sohr-1", "text": REPORT, "url": "https://www.syriahr.com/en/1", "published": "2019-04-30"}
    inputs.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    store = Store(tmp_path / "export.duckdb")
    run([str(inputs)], store, extractor=FakeExtractor(events=events))
    return store


def _csv(store: Store) -> tuple[list[list[str]], object]:
    out = io.StringIO(newline="")
    report = export(store, "acled-csv", out)
    return list(csv.reader(io.StringIO(out.getvalue(), newline=""))), report


def _rows(store: Store) -> list[dict[str, str]]:
    header, *rows = _csv(store)[0]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_export_acled_header_is_acled_columns_then_marsad_columns(tmp_path: Path) -> None:
    assert HEADER == (
        "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
        "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
        "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
        "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
        "document_ids", "incident_id", "actor1_id", "actor2_id", "fatalities_low", "fatalities_high", "geonameid",
        "evidence", "confidence", "claim_status",
    )  # fmt: skip
    assert HEADER[: len(ACLED_COLUMNS)] == ACLED_COLUMNS and len(ACLED_COLUMNS) == 31
    with _store(tmp_path, lambda doc: []) as store:
        assert _csv(store)[0] == [list(HEADER)]  # no events: the header alone


def test_export_acled_row_maps_event_fields(tmp_path: Path) -> None:
    with _store(tmp_path, lambda doc: [make_event(doc)]) as store:
        [row] = _rows(store)
        [event] = store.events()
    assert row["event_id_cnty"] == f"SY-{event['id']}"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2019-04-30", "2019", "1")
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("1", "7", "17")
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["region"], row["country"]) == ("760", "Middle East", "Syria")
    assert (row["latitude"], row["longitude"], row["geonameid"]) == ("33.5711", "36.4028", "170592")
    assert row["source"] == "Syrian Observatory for Human Rights" and row["source_scale"] == row["tags"] == ""
    assert row["notes"] == "قصف مدفعي على دوما. According to Syrian Civil Defence."
    assert row["timestamp"] == str(int(event["created_at"].replace(tzinfo=dt.UTC).timestamp()))
    assert row["document_ids"] == event["document_id"] and row["incident_id"] == ""
    assert (row["actor1_id"], row["fatalities"], row["fatalities_low"], row["confidence"]) == (
        "syria-military", "5", "5", "0.8",
    )  # fmt: skip
    assert json.loads(row["evidence"]) == event["evidence"] and "دوما" in row["evidence"]  # not \\u-escaped
    assert row["claim_status"] == ""


@pytest.mark.parametrize(
    ("inter1", "inter2", "code"), [(2, 1, 12), (1, 2, 12), (1, 7, 17), (3, 3, 33), (2, None, 20), (None, 4, 40),
                                   (None, None, None), (8, 0, 80)],
)  # fmt: skip
def test_export_interaction_code(inter1: int | None, inter2: int | None, code: int | None) -> None:
    assert interaction_code(inter1, inter2) == code


def test_export_csv_round_trips_arabic_commas_quotes_and_newlines(tmp_path: Path) -> None:
    notes = 'قال "المرصد"، إن القصف, استمر\nحتى الصباح\r\nثم توقف; «نهاية»'
    location = 'دوما, "الغوطة الشرقية"\n'
    with _store(tmp_path, lambda doc: [make_event(doc, notes=notes, location=location, source_attribution="")]) as s:
        [row] = _rows(s)
        path = tmp_path / "out.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            export(s, "acled-csv", out)
    assert row["notes"] == notes and row["location"] == location
    with path.open(encoding="utf-8", newline="") as f:
        header, from_file = list(csv.reader(f))
    assert dict(zip(header, from_file, strict=True)) == row


def test_export_guards_formula_cells_in_text_columns_only(tmp_path: Path) -> None:
    hostile = {
        "actor1": '=HYPERLINK("http://evil.example","click")',
        "assoc_actor_1": "+1+1",
        "location": "-2+3",
        "admin1": "@SUM(A1:A2)",
        "admin2": "\tcmd",
        "admin3": "\rcmd",
        "notes": "=1+2 قصف",
        "source_attribution": "",
        "actor2": "مدنيون = ضحايا",  # '=' inside is harmless
        "iso": "MA",
        "longitude": -7.5898,
        "latitude": 33.5731,
    }
    with _store(tmp_path, lambda doc: [make_event(doc, **hostile)]) as store:
        [row] = _rows(store)
    for column in ("actor1", "assoc_actor_1", "location", "admin1", "admin2", "admin3", "notes"):
        expected = hostile[column]
        assert row[column] == "'" + str(expected), column
    assert row["actor2"] == "مدنيون = ضحايا"
    assert row["longitude"] == "-7.5898" and row["region"] == "Northern Africa"  # numbers are not touched
    assert guard_formula("-") == "'-" and guard_formula("دوما") == "دوما" and guard_formula("") == ""


def test_export_unresolved_place_excluded_from_csv_but_in_jsonl(tmp_path: Path) -> None:
    def events(doc: Document) -> list[Event]:
        return [
            make_event(doc, 0),
            make_event(doc, 1, latitude=None, longitude=None, location=None, place_reason="country only"),
            make_event(doc, 2, iso=None, country=None, latitude=None, longitude=None, location=None),
            make_event(doc, 3, event_date=None, date_reason="no date in the article"),
        ]

    with _store(tmp_path, events) as store:
        rows, report = _csv(store)
        out = io.StringIO()
        jsonl = export(store, "jsonl", out)
    assert [r[0].rsplit("-", 1)[1] for r in rows[1:]] == ["e0"]
    assert report.events == 1 and report.excluded == {NO_PLACE: 2, NO_DATE: 1}  # type: ignore[attr-defined]
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert sorted(r["id"].rsplit("-", 1)[1] for r in lines if r["kind"] == "event") == ["e0", "e1", "e2", "e3"]
    assert jsonl.events == 4 and jsonl.tallies == 1 and not jsonl.excluded


def test_export_jsonl_has_every_event_and_tally_as_utf8_objects(tmp_path: Path) -> None:
    with _store(tmp_path, lambda doc: [make_event(doc, 0), make_event(doc, 1, event_date=None)]) as store:
        out = io.StringIO()
        export(store, "jsonl", out)
        stored = store.events()
    text = out.getvalue()
    assert "دوما" in text and "\\u" not in text
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["kind"] for r in records] == ["event", "event", "tally"]
    first = records[0]
    assert next(iter(first)) == "kind" and first["id"] == stored[0]["id"]
    assert first["event_date"] == "2019-04-30" and records[1]["event_date"] is None
    assert first["evidence"] == stored[0]["evidence"] and first["evidence"][1]["text"] == "دوما"
    assert records[2]["actors"] == ["Military Forces of Syria (2000-)", "Wagner Group"]
    assert records[2]["period_start"] == "2019-04-01"
    assert dt.datetime.fromisoformat(first["created_at"])


def test_export_unknown_format_is_a_coded_error(tmp_path: Path) -> None:
    assert set(FORMATS) == {"acled-csv", "jsonl"}
    with Store(tmp_path / "x.duckdb") as store, pytest.raises(MarsadError, match="E401"):
        export(store, "xlsx", io.StringIO())


def test_export_regions_table_covers_the_countries_of_arabic_news() -> None:
    data = lexicon.load("regions")
    table = countries()
    required = {"SA", "YE", "SY", "IQ", "EG", "LY", "LB", "JO", "TR", "KW", "BH", "QA", "AE", "OM", "IR", "IL",
                "PS", "TN", "DZ", "MA", "SD", "SO", "AF", "PK", "NG", "ML"}  # fmt: skip
    assert required <= set(table) and len(table) == len(data["countries"])
    assert {c.region for c in table.values()} <= set(data["regions"])
    assert len({c.numeric for c in table.values()}) == len(table)  # numeric codes are unique
    assert country("sy") == country("SY") and country("SY").numeric == 760  # type: ignore[union-attr]
    assert (country("EG").region, country("AF").region, country("NG").region) == (  # type: ignore[union-attr]
        "Northern Africa", "South Asia", "Western Africa",
    )  # fmt: skip
    assert country("ZZ") is None and country(None) is None
