"""Rebuild the dashboard's offline basemap (src/marsad/api/static/vendor/countries.geojson).

Source: the npm package world-atlas (Natural Earth 1:50m admin-0 countries as TopoJSON, public
domain; ISC-licensed packaging by Mike Bostock). The script fetches it with `npm pack` (or reads a
tarball given with --tarball), decodes the TopoJSON into GeoJSON and rounds coordinates to
--digits decimals (3 ≈ 100 m) to keep the file small. Country and admin1 names are not needed by
the map; each feature keeps the country's name and numeric ISO code.

    python scripts/build_basemap.py [--version 2.0.2] [--tarball world-atlas-2.0.2.tgz] [--digits 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src" / "marsad" / "api" / "static" / "vendor" / "countries.geojson"


def decode_arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    """Absolute coordinates of every arc (delta-decoded and transformed when quantized)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append([x * sx + tx, y * sy + ty])
        else:
            points = [[p[0], p[1]] for p in arc]
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[list[float]]], digits: int) -> list[list[float]]:
    points: list[list[float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        for k, (x, y) in enumerate(arc):
            if points and k == 0:
                continue  # an arc starts where the previous one ended
            point = [round(x, digits), round(y, digits)]
            if not points or point != points[-1]:
                points.append(point)
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points


def to_geojson(topology: dict[str, Any], name: str, digits: int) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"][name]["geometries"]:
        kind = geom.get("type")
        if kind == "Polygon":
            polygons = [geom["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        shapes = []
        for polygon in polygons:
            rings = [ring(r, arcs, digits) for r in polygon]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                shapes.append(rings)
        if not shapes:
            continue
        props = {"name": geom.get("properties", {}).get("name"), "iso_n3": geom.get("id")}
        geometry = {"type": "MultiPolygon", "coordinates": shapes}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", default="2.0.2")
    parser.add_argument("--tarball", type=Path)
    parser.add_argument("--digits", type=int, default=3)
    parser.add_argument("--scale", default="50m", choices=["10m", "50m", "110m"])
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball
        if tarball is None:
            subprocess.run(["npm", "pack", f"world-atlas@{args.version}", "--silent"], cwd=tmp, check=True)
            tarball = next(Path(tmp).glob("world-atlas-*.tgz"))
        with tarfile.open(tarball) as tar:
            member = tar.extractfile(f"package/countries-{args.scale}.json")
            assert member is not None
            topology = json.load(member)
    geo = to_geojson(topology, "countries", args.digits)
    args.output.write_text(json.dumps(geo, separators=(",", ":")), encoding="utf-8")
    print(f"{args.output}: {len(geo['features'])} countries, {args.output.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
