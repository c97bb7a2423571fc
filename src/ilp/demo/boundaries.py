"""Synthetic desa/kelurahan boundaries for the demo district, so the demo shows the desa map
with outlines (``ilp boundaries import``) rather than only the tile map.

They are made up, not the real Mataram outlines: a convex district outline around a made-up
centre is split into one Voronoi cell per kecamatan around random sites, and each kecamatan
cell again into one cell per desa. The FeatureCollection says so in its name and in each
feature (``SINTETIS``), and the file name ``ilp demo`` writes carries it too.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from ilp.places.models import Area, AreaLevel

Point = tuple[float, float]
CENTRE = (116.115, -8.59)  # about where Kota Mataram lies; the shapes inside are invented
RADIUS = 0.055  # degrees
FILE_NAME = "batas-desa-SINTETIS-demo.geojson"


def _clip(polygon: list[Point], keep: Point, other: Point) -> list[Point]:
    """The part of the convex `polygon` nearer to `keep` than to `other`
    (Sutherland–Hodgman against their perpendicular bisector)."""
    mx, my = (keep[0] + other[0]) / 2, (keep[1] + other[1]) / 2
    nx, ny = other[0] - keep[0], other[1] - keep[1]

    def side(p: Point) -> float:  # <= 0: on keep's side
        return (p[0] - mx) * nx + (p[1] - my) * ny

    out: list[Point] = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        sp, sq = side(p), side(q)
        if sp <= 0:
            out.append(p)
        if (sp <= 0) != (sq <= 0):
            t = sp / (sp - sq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def _cells(region: list[Point], sites: list[Point]) -> list[list[Point]]:
    """The Voronoi cell of each site within the convex `region`."""
    cells = []
    for i, site in enumerate(sites):
        cell = region
        for j, other in enumerate(sites):
            if i != j and cell:
                cell = _clip(cell, site, other)
        cells.append(cell)
    return cells


def _inside(polygon: list[Point], p: Point) -> bool:
    """Whether p lies inside the convex, counter-clockwise `polygon`."""
    for i, a in enumerate(polygon):
        b = polygon[(i + 1) % len(polygon)]
        if (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) < 0:
            return False
    return True


def _sites(rng: np.random.Generator, region: list[Point], n: int) -> list[Point]:
    """n random points inside the region, kept apart so no cell is a sliver (the spacing
    shrinks when the region is too crowded to honour it)."""
    xs = [p[0] for p in region]
    ys = [p[1] for p in region]
    spacing = 0.8 * math.sqrt((max(xs) - min(xs)) * (max(ys) - min(ys)) / max(n, 1))
    sites: list[Point] = []
    tries = 0
    while len(sites) < n:
        p = (float(rng.uniform(min(xs), max(xs))), float(rng.uniform(min(ys), max(ys))))
        tries += 1
        if tries % 200 == 0:
            spacing *= 0.8
        if _inside(region, p) and all(math.dist(p, s) >= spacing for s in sites):
            sites.append(p)
    return sites


def _outline() -> list[Point]:
    """The district: a slightly irregular convex 12-gon, counter-clockwise."""
    wobble = [1.0, 0.93, 1.05, 0.97, 1.08, 0.95, 1.02, 0.9, 1.04, 0.98, 1.06, 0.94]
    # Only mildly irregular, so it stays convex; longitude stretched for the latitude.
    stretch = 1 / math.cos(math.radians(CENTRE[1]))
    return [
        (
            CENTRE[0] + RADIUS * w * stretch * math.cos(2 * math.pi * k / 12),
            CENTRE[1] + RADIUS * w * math.sin(2 * math.pi * k / 12),
        )
        for k, w in enumerate(wobble)
    ]


def synthetic_boundaries(desa: list[tuple[str, str, str]], *, seed: int = 1) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with one Polygon per desa, for (code, name, kecamatan
    code) triples; the code sits in ``KDEPUM`` as in the BIG files."""
    rng = np.random.default_rng(seed)
    by_kecamatan: dict[str, list[tuple[str, str]]] = {}
    for code, name, kecamatan in desa:
        by_kecamatan.setdefault(kecamatan, []).append((code, name))
    district = _outline()
    kecamatan_cells = _cells(district, _sites(rng, district, len(by_kecamatan)))
    features = []
    for cell, (kecamatan, members) in zip(kecamatan_cells, by_kecamatan.items(), strict=True):
        for (code, name), ring in zip(
            members, _cells(cell, _sites(rng, cell, len(members))), strict=True
        ):
            coordinates = [[round(x, 6), round(y, 6)] for x, y in ring]
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "KDEPUM": code,
                        "WADMKD": name,
                        "KDCPUM": kecamatan,
                        "SINTETIS": True,
                    },
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[*coordinates, coordinates[0]]],
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "name": "SINTETIS: batas desa buatan untuk demo, bukan batas resmi",
        "features": features,
    }


def write_demo_boundaries(folder: Path, *, region_code: str, seed: int = 1) -> Path | None:
    """Write the synthetic boundaries of the desa under `region_code` to a GeoJSON file in
    `folder` and return its path (None when the region has no desa)."""
    desa = [
        (a.code, a.name, a.parent.code if a.parent else "")
        for a in Area.objects.filter(
            level=AreaLevel.VILLAGE, code__startswith=f"{region_code}."
        ).select_related("parent")
    ]
    if not desa:
        return None
    path = folder / FILE_NAME
    path.write_text(json.dumps(synthetic_boundaries(desa, seed=seed)), encoding="utf-8")
    return path
