"""The dashboard's offline admin-1 boundaries (static/vendor/admin1.geojson, built by
scripts/build_admin1.py): valid GeoJSON, the war countries' units present, served as JSON."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from marsad.api.app import create_app
from marsad.api.db import open_database
from marsad.geo.forms import rules

ADMIN1 = Path(str(resources.files("marsad.api") / "static" / "vendor" / "admin1.geojson"))


@cache
def admin1() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ADMIN1.read_text(encoding="utf-8"))
    return data


def test_api_basemap_admin1_is_valid_geojson() -> None:
    geo = admin1()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) > 100
    codes = set()
    for feature in geo["features"]:
        assert feature["type"] == "Feature"
        props = feature["properties"]
        assert set(props) == {"name", "iso", "code"}
        assert isinstance(props["name"], str) and props["name"].strip(), props
        assert props["code"] not in codes, props  # one feature per unit
        codes.add(props["code"])
        geometry = feature["geometry"]
        assert geometry["type"] == "MultiPolygon" and geometry["coordinates"], props
        for polygon in geometry["coordinates"]:
            assert polygon, props
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1], props  # a closed linear ring
                for position in ring:
                    assert len(position) == 2, props
                    lon, lat = position
                    assert -180 <= lon <= 180 and -90 <= lat <= 90, (props, position)


def test_api_basemap_admin1_covers_the_war_countries() -> None:
    units = Counter(f["properties"]["iso"] for f in admin1()["features"])
    for iso in ("SY", "IQ", "YE", "LY", "EG"):
        assert units[iso] >= 5, (iso, units[iso])
    assert set(units) <= set(rules().countries)  # only the countries the gazetteer reads
    syria = {f["properties"]["name"] for f in admin1()["features"] if f["properties"]["iso"] == "SY"}
    assert {"Ar Raqqah", "Aleppo", "Idlib", "Dayr Az Zawr"} <= syria


def test_api_basemap_admin1_coordinates_are_rounded_to_three_decimals() -> None:
    for feature in admin1()["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert all(round(v, 3) == v for position in ring for v in position), feature["properties"]
                # consecutive duplicates were dropped after rounding
                assert all(a != b for a, b in pairwise(ring)), feature["properties"]


def test_api_basemap_static_route_serves_admin1_as_json(tmp_path: Path) -> None:
    db = open_database(tmp_path / "empty.duckdb")
    try:
        with TestClient(create_app(db, None)) as client:
            response = client.get("/static/vendor/admin1.geojson")
    finally:
        db.close()
    assert response.status_code == 200
    kind = response.headers["content-type"].split(";")[0].strip()
    assert kind in {"application/json", "application/geo+json"}, kind
    assert response.json() == admin1()
