"""The demo district's synthetic desa outlines: a valid FeatureCollection with one Polygon
per kelurahan that together tile the made-up district outline without gaps or overlaps,
marked as synthetic, and imported by ``ilp demo`` through ``ilp boundaries import``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from ilp.demo.boundaries import _outline, synthetic_boundaries
from ilp.demo.geography import load_json
from ilp.places.boundaries import read_boundaries
from ilp.places.models import AreaBoundary, BoundaryImport


def _area(ring) -> float:
    """Shoelace area of a ring (closed or not), in square degrees."""
    points = [tuple(p) for p in ring]
    if points[0] == points[-1]:
        points = points[:-1]
    twice = sum(
        a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1], strict=True)
    )
    return abs(twice) / 2


def _mataram_desa() -> list[tuple[str, str, str]]:
    data = load_json("mataram.json")
    return [
        (f"{d['code']}.{suffix}", name, d["code"])
        for d in data["districts"]
        for suffix, name in d["villages"]
    ]


def test_the_synthetic_outlines_tile_the_district_and_say_they_are_synthetic():
    desa = _mataram_desa()
    data = synthetic_boundaries(desa, seed=7)
    assert "SINTETIS" in data["name"]
    features, errors = read_boundaries(
        json.dumps(data), code_property="KDEPUM", desa_codes={c for c, _n, _k in desa}
    )
    assert errors == []
    assert [f.code for f in features] == [c for c, _n, _k in desa]  # 50, one each
    assert all(f["properties"]["SINTETIS"] is True for f in data["features"])
    cells = sum(_area(f["geometry"]["coordinates"][0]) for f in data["features"])
    assert cells == pytest.approx(_area(_outline()), rel=1e-4)
    assert min(_area(f["geometry"]["coordinates"][0]) for f in data["features"]) > 0
    assert synthetic_boundaries(desa, seed=7) == data  # deterministic


@pytest.mark.django_db
def test_ilp_demo_imports_them_through_the_import_command():
    out = StringIO()
    call_command("demo", population=300, history_years=0, stdout=out)
    assert AreaBoundary.objects.count() == 50
    record = BoundaryImport.objects.get()
    assert (record.file_name, record.imported_by, record.feature_count) == (
        "batas-desa-SINTETIS-demo.geojson",
        "dinkes",
        50,
    )
    assert "50 desa/kelurahan mendapat batas wilayah" in out.getvalue()
    # A demo database made before the outlines existed gets them with --if-empty.
    AreaBoundary.objects.all().delete()
    call_command("demo", population=300, if_empty=True, stdout=StringIO())
    assert AreaBoundary.objects.count() == 50
    assert BoundaryImport.objects.count() == 2
    call_command("demo", population=300, if_empty=True, stdout=StringIO())
    assert BoundaryImport.objects.count() == 2  # not again once they are there
