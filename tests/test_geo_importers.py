"""Importing gazetteer files: GeoNames dumps (plain or zipped), alternate names, TSV; bad rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb

from marsad.geo import sql
from marsad.geo.gazetteer import geocoder_for, import_files
from marsad.geo.importers import read_file

FIX = Path(__file__).parent / "fixtures" / "geo"


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    sql.create_tables(con)
    return con


def test_importers_tsv_reports_bad_rows_with_line_numbers_and_keeps_the_rest() -> None:
    res = read_file(FIX / "villages.tsv")
    assert [r.name for r in res.rows] == ["Tell Samen", "Hazima", "Tishreen neighbourhood"]
    lines = {line: msg for line, msg in res.problems}
    assert set(lines) == {4, 5, 6, 7}
    assert "coordinates" in lines[4] and "out of range" in lines[5]
    assert "duplicate" in lines[6] and "columns" in lines[7]
    assert res.rows[0].kind == "village" and res.rows[2].kind == "neighbourhood"


def test_importers_tsv_admin1_comes_from_coordinates_not_the_label() -> None:
    con = _con()
    (res,) = import_files(con, [FIX / "villages.tsv"], country="SY")
    rows = sql.load_rows(con)
    assert len(rows) == 3 and res.bad_rows == 4
    samen = next(r for r in rows if r.name == "Tell Samen")
    assert samen.admin1 == "Ar-Raqqa" and samen.iso == "SY"  # labelled QUINETRA in the file
    geo = geocoder_for(con)
    best = geo.resolve("بقرية تل السمن", iso="SY")
    assert best is not None and best.row.name == "Tell Samen"


def test_importers_geonames_dump_plain_and_zipped(tmp_path: Path) -> None:
    res = read_file(FIX / "SY.txt", country="SY")
    assert [r.geonameid for r in res.rows] == [170063]
    assert res.skipped == 1  # a mountain (feature class T)
    msgs = dict(res.problems)
    assert "19" in msgs[2] and "duplicate" in msgs[3] and "out of range" in msgs[5]
    z = tmp_path / "SY.zip"
    with zipfile.ZipFile(z, "w") as fh:
        fh.write(FIX / "SY.txt", "SY.txt")
        fh.writestr("readme.txt", "about the file")
    again = read_file(z)
    assert [r.geonameid for r in again.rows] == [170063]
    assert again.rows[0].names == ["حلب التجريبية"]


def test_importers_alternate_names_attach_to_rows_by_geonameid() -> None:
    con = _con()
    import_files(con, [FIX / "SY.txt"])
    (res,) = import_files(con, [FIX / "alternateNamesV2.txt"])
    assert res.names == [(170063, "حلب الاختبارية")] and res.problems[0][0] == 3
    best = geocoder_for(con).resolve("حلب الاختبارية")
    assert best is not None and best.row.geonameid == 170063


def test_importers_reimport_replaces_rows() -> None:
    con = _con()
    import_files(con, [FIX / "villages.tsv"])
    import_files(con, [FIX / "villages.tsv"])
    assert sql.stats(con)["by_source"] == {"villages.tsv": 3}
