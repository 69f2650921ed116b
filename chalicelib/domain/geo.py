"""Where a report may be: inside the province's boundary polygon."""

from __future__ import annotations

from collections.abc import Sequence


def contains(polygon: Sequence[Sequence[float]], lat: float, lon: float) -> bool:
    """Ray casting over ``[lat, lon]`` vertices; points on an edge count as inside.

    A province is small enough that treating degrees as a plane changes nothing.
    """
    inside = False
    n = len(polygon)
    for i in range(n):
        lat1, lon1 = polygon[i]
        lat2, lon2 = polygon[(i + 1) % n]
        if _on_segment(lat, lon, lat1, lon1, lat2, lon2):
            return True
        if (lon1 > lon) != (lon2 > lon):
            cross_lat = lat1 + (lon - lon1) * (lat2 - lat1) / (lon2 - lon1)
            if lat < cross_lat:
                inside = not inside
    return inside


def bounding_box(
    polygon: Sequence[Sequence[float]],
) -> tuple[float, float, float, float]:
    lats = [p[0] for p in polygon]
    lons = [p[1] for p in polygon]
    return min(lats), min(lons), max(lats), max(lons)


def _on_segment(lat, lon, lat1, lon1, lat2, lon2) -> bool:
    cross = (lat - lat1) * (lon2 - lon1) - (lon - lon1) * (lat2 - lat1)
    if abs(cross) > 1e-12:
        return False
    return min(lat1, lat2) <= lat <= max(lat1, lat2) and min(lon1, lon2) <= lon <= max(
        lon1, lon2
    )
