"""Read gazetteer files a user imports: GeoNames dumps and simple TSV/CSV tables.

* GeoNames place dumps (``SY.txt``, ``allCountries.txt``, zipped or not): 19 tab-separated
  columns; populated places (feature class P) and administrative units (A) are kept, with the
  Arabic forms of the ``alternatenames`` column.
* GeoNames ``alternateNamesV2.txt`` (or ``alternateNames.txt``): the Arabic (``ar``) names,
  attached by geonameid to every row of the gazetteer, embedded or imported.
* TSV/CSV with a header naming at least an Arabic name and the coordinates: ``name``,
  ``name_ar`` (or ``arabic_name``, ``arabic``), ``latitude``/``lat``, ``longitude``/``lon``/``lng``,
  optional ``region``/``admin1``/``governorate`` and ``country``/``iso``.

A bad row (wrong column count, coordinates missing or out of range, duplicate id) is reported
with its line number and skipped; the rest is imported.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from marsad.geo.forms import has_arabic, rules, strip_descriptor
from marsad.geo.model import GazRow

__all__ = ["FORMATS", "ImportResult", "detect_format", "read_file"]

FORMATS = ("geonames", "alternatenames", "tsv", "csv")
_MAX_PROBLEMS = 200  # reported one by one; more are counted
_NAME = ("name", "name_en", "english", "name_english")
_AR = ("name_ar", "arabic_name", "arabic", "ar", "name_arabic")
_LAT = ("latitude", "lat")
_LON = ("longitude", "lon", "lng", "long")
_ADMIN = ("admin1", "region", "governorate", "province", "admin")
_ISO = ("iso", "country", "country_code", "countrycode")
_LANDMARK = ("جامع", "مسجد", "شارع", "دوار", "ساحة", "سجن", "مشفى", "مستشفى", "جسر", "مطار", "قلعة")


@dataclass(slots=True)
class ImportResult:
    path: str
    format: str
    rows: list[GazRow] = field(default_factory=list)
    names: list[tuple[int, str]] = field(default_factory=list)  # alternate names (geonameid, Arabic)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    bad_rows: int = 0
    skipped: int = 0  # rows that are fine but not wanted (other country, feature class, no Arabic)

    def problem(self, line: int, message: str) -> None:
        self.bad_rows += 1
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append((line, message))


def detect_format(path: Path) -> str:
    name = path.name.lower()
    if name.startswith("alternatenames"):
        return "alternatenames"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".tsv"):
        return "tsv"
    return "geonames"


def _lines(path: Path) -> Iterator[str]:
    """Text lines of a plain or zipped file (the zip's data member: not a readme)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.namelist() if m.endswith(".txt") and "readme" not in m.lower()]
            if not members:
                raise ValueError("the zip file holds no .txt data file")
            with z.open(members[0]) as raw:
                yield from io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        return
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        yield from fh


def _coord(text: str, limit: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or abs(value) > limit:
        return None
    return value


def _check_coords(res: ImportResult, line: int, lat_s: str, lon_s: str) -> tuple[float, float] | None:
    lat, lon = _coord(lat_s.strip(), 90.0), _coord(lon_s.strip(), 180.0)
    if lat is None or lon is None:
        res.problem(line, f"coordinates missing or out of range: latitude {lat_s!r}, longitude {lon_s!r}")
        return None
    return lat, lon


def read_file(
    path: Path,
    fmt: str | None = None,
    country: str | None = None,
    admin1_of: dict[str, str] | None = None,
    admin2_of: dict[str, str] | None = None,
) -> ImportResult:
    """Parse ``path``; ``admin1_of``/``admin2_of`` map GeoNames codes (``SY.04``) to names."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    res = ImportResult(str(path), fmt)
    iso = country.upper() if country else None
    if fmt == "geonames":
        _geonames(path, res, iso, admin1_of or {}, admin2_of or {})
    elif fmt == "alternatenames":
        _alternate(path, res)
    else:
        _table(path, res, "\t" if fmt == "tsv" else ",", iso)
    return res


def _geonames(
    path: Path, res: ImportResult, iso: str | None, admin1_of: dict[str, str], admin2_of: dict[str, str]
) -> None:
    seen: set[str] = set()
    source = path.name
    for n, line in enumerate(_lines(path), 1):
        line = line.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 19:
            res.problem(n, f"expected 19 tab-separated columns (GeoNames dump), found {len(cols)}")
            continue
        gid_s = cols[0].strip()
        if not gid_s.isdigit():
            res.problem(n, f"geonameid is not a number: {gid_s!r}")
            continue
        if iso and cols[8] != iso:
            res.skipped += 1
            continue
        if cols[6] not in ("P", "A"):
            res.skipped += 1
            continue
        coords = _check_coords(res, n, cols[4], cols[5])
        if coords is None:
            continue
        if gid_s in seen:
            res.problem(n, f"duplicate geonameid {gid_s} (first one kept)")
            continue
        seen.add(gid_s)
        arabic = [a for a in cols[3].split(",") if a and has_arabic(a)]
        code = cols[7]
        kind = "city"
        if cols[6] == "A":
            kind = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "PCLI": "country"}.get(code, "admin3")
        elif code == "PPLX":
            kind = "neighbourhood"
        try:
            pop = int(cols[14] or 0)
        except ValueError:
            pop = 0
        a1 = admin1_of.get(f"{cols[8]}.{cols[10]}")
        a2 = admin2_of.get(f"{cols[8]}.{cols[10]}.{cols[11]}") if cols[11] else None
        res.rows.append(
            GazRow(
                source,
                gid_s,
                cols[1],
                coords[0],
                coords[1],
                kind,
                cols[8] or None,
                a1,
                a2,
                int(gid_s),
                arabic[0] if arabic else None,
                arabic,
                pop,
                code or None,
            )
        )


def _alternate(path: Path, res: ImportResult) -> None:
    for n, line in enumerate(_lines(path), 1):
        line = line.rstrip("\r\n")
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            res.problem(n, f"expected at least 4 tab-separated columns (GeoNames alternate names), found {len(cols)}")
            continue
        if not cols[1].strip().isdigit():
            res.problem(n, f"geonameid is not a number: {cols[1]!r}")
            continue
        if cols[2] != "ar" or not has_arabic(cols[3]):
            res.skipped += 1
            continue
        res.names.append((int(cols[1]), cols[3].strip()))


def _pick(header: list[str], choices: tuple[str, ...]) -> int | None:
    low = [h.strip().lower() for h in header]
    return next((low.index(c) for c in choices if c in low), None)


def _kind(name: str, name_ar: str, region: str) -> str:
    first = name_ar.split()[0] if name_ar.split() else ""
    low = name.lower()
    if first == "حي":
        return "neighbourhood"
    if first == "قرية":
        return "village"
    if first in _LANDMARK:
        return "landmark"
    if low.endswith("nahiyah") or first == "ناحية":
        return "admin3"
    if low.endswith("mantiqah"):
        return "admin2"
    if region and name.strip().upper() == region.strip().upper():
        return "admin1"
    return "city"


def _table(path: Path, res: ImportResult, delimiter: str, iso: str | None) -> None:
    lines = _lines(path)
    reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        res.problem(1, f"unreadable header: {exc}")
        return
    i_ar, i_lat, i_lon = _pick(header, _AR), _pick(header, _LAT), _pick(header, _LON)
    i_name, i_admin, i_iso = _pick(header, _NAME), _pick(header, _ADMIN), _pick(header, _ISO)
    if i_ar is None or i_lat is None or i_lon is None:
        res.problem(
            1,
            "the header must name an Arabic name column (name_ar), latitude and longitude; found: " + ", ".join(header),
        )
        return
    seen: set[tuple[str, float, float]] = set()
    source = path.name
    line = 1
    while True:
        try:
            cols = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            res.problem(reader.line_num, f"unreadable row: {exc}")
            continue
        line = reader.line_num
        if not any(c.strip() for c in cols):
            continue
        if len(cols) != len(header):
            res.problem(line, f"expected {len(header)} columns, found {len(cols)}")
            continue
        name_ar = " ".join(cols[i_ar].split())
        if not has_arabic(name_ar):
            res.problem(line, f"no Arabic name: {name_ar!r}")
            continue
        coords = _check_coords(res, line, cols[i_lat], cols[i_lon])
        if coords is None:
            continue
        key = (name_ar, round(coords[0], 4), round(coords[1], 4))
        if key in seen:
            res.problem(line, f"duplicate row: «{name_ar}» at the same coordinates (first one kept)")
            continue
        seen.add(key)
        name = cols[i_name].strip() if i_name is not None else strip_descriptor(name_ar)[0]
        region = cols[i_admin].strip() if i_admin is not None else ""
        row_iso = (cols[i_iso].strip().upper() if i_iso is not None else "") or iso
        names = [name_ar]
        rest = strip_descriptor(name_ar)[0]
        if rest != name_ar and rules().allowed(rest):
            names.append(rest)
        res.rows.append(
            GazRow(
                source,
                str(line),
                name or name_ar,
                coords[0],
                coords[1],
                _kind(name, name_ar, region),
                row_iso,
                region or None,
                None,
                None,
                name_ar,
                names,
                note=f"line {line}",
            )
        )
