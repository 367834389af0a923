"""Great-circle distance, the one formula every stage uses (geocoder, gazetteer, linking, eval)."""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "km"]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
