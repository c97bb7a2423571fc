"""Plain geometry on GeoJSON polygons in lon/lat degrees: simplifying rings (Douglas–Peucker)
so a desa outline stays a few hundred bytes, counting points, and the bounding box.

Pure Python, no Django and no GIS library: the outlines only need to be drawn small (a map
of a district on a phone), never measured, so planar degrees are accurate enough. A
dependency such as shapely would be a compiled wheel in the locked requirements for three
small functions.

A GeoJSON Polygon's coordinates are a list of linear rings (the outer ring first, then
holes); a ring is a closed list of [lon, lat] positions whose last equals its first.
A MultiPolygon's coordinates are a list of Polygon coordinates.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
DECIMALS = 5  # 1e-5 degree is about 1 m: finer than any outline drawn on a page


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    """The polygons of a Polygon or MultiPolygon geometry, each a list of rings."""
    coordinates = geometry["coordinates"]
    parts = [coordinates] if geometry["type"] == "Polygon" else coordinates
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in parts]


def rings(geometry: dict[str, Any]) -> Iterator[Ring]:
    for polygon in polygons(geometry):
        yield from polygon


def point_count(geometry: dict[str, Any]) -> int:
    return sum(len(r) for r in rings(geometry))


def bounds(geometries: Sequence[dict[str, Any]]) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) over all the geometries; None when there are
    none."""
    lons: list[float] = []
    lats: list[float] = []
    for geometry in geometries:
        for ring in rings(geometry):
            lons.extend(p[0] for p in ring)
            lats.extend(p[1] for p in ring)
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def _distance_sq(p: Point, a: Point, b: Point) -> float:
    """Squared distance from p to the segment a–b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return (p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    x, y = a[0] + t * dx, a[1] + t * dy
    return (p[0] - x) ** 2 + (p[1] - y) ** 2


def _douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The open polyline `points` with every point dropped that lies within `tolerance` of
    the simplified line; iterative (an official outline can hold tens of thousands of
    points, deeper than Python's recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            d = _distance_sq(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index != -1 and worst > limit:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float) -> Ring | None:
    """The closed ring simplified; None when it shrinks below a triangle (a sliver or an
    islet smaller than the tolerance). The ring is cut at the point farthest from its
    start, so both halves are open lines that Douglas–Peucker can simplify."""
    if ring[0] != ring[-1]:
        ring = [*ring, ring[0]]
    start = ring[0]
    far = max(
        range(len(ring)), key=lambda i: (ring[i][0] - start[0]) ** 2 + (ring[i][1] - start[1]) ** 2
    )
    if far == 0:
        return None
    first = _douglas_peucker(ring[: far + 1], tolerance)
    second = _douglas_peucker(ring[far:], tolerance)
    out = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in first[:-1] + second]
    # Rounding can make neighbours equal: drop the repeats, keep the closing point.
    dedup = [out[0]] + [p for prev, p in zip(out, out[1:], strict=False) if p != prev]
    if len(dedup) < 4:
        return None
    return dedup


def simplify(geometry: dict[str, Any], tolerance: float) -> dict[str, Any]:
    """The geometry with each ring simplified. A hole or an islet that vanishes is dropped;
    a polygon whose outer ring would vanish keeps that ring as it was (rounded), so a desa
    is never lost however small."""
    out_polygons = []
    for polygon in polygons(geometry):
        outer = simplify_ring(polygon[0], tolerance)
        if outer is None:
            outer = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in polygon[0]]
        holes = [h for h in (simplify_ring(r, tolerance) for r in polygon[1:]) if h is not None]
        out_polygons.append([[list(p) for p in r] for r in [outer, *holes]])
    if len(out_polygons) == 1:
        return {"type": "Polygon", "coordinates": out_polygons[0]}
    return {"type": "MultiPolygon", "coordinates": out_polygons}
