"""The growth chart SVG: WHO curves where the standard puts them, and the child's points."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

import pytest

from ilp.care.charts import MAX_MONTHS, Point, growth_chart_svg, who_curves

SVG = "{http://www.w3.org/2000/svg}"


def test_who_curves_match_the_published_median_at_birth_and_60_months():
    curves = who_curves("wfa", "F")
    assert curves[0][0] == (0.0, pytest.approx(3.2322))  # WHO 2006 girls WFA day 0 median
    assert curves[0][-1][0] == pytest.approx(MAX_MONTHS, abs=0.05)
    boys = who_curves("lhfa", "M")
    assert boys[0][0][1] == pytest.approx(49.8842, abs=1e-4)  # boys LHFA day 0 median
    # −3 SD < −2 SD < median < +2 SD < +3 SD at every age
    for k_lo, k_hi in ((-3, -2), (-2, 0), (0, 2), (2, 3)):
        assert all(lo[1] < hi[1] for lo, hi in zip(curves[k_lo], curves[k_hi], strict=True))


def test_chart_svg_has_five_curves_three_bands_and_the_childs_points():
    svg = growth_chart_svg(
        indicator="wfa",
        sex="F",
        birth_date=date(2024, 1, 1),
        points=[Point(date(2024, 1, 1), 3.1), Point(date(2024, 3, 31), 4.5)],
    )
    root = ElementTree.fromstring(svg)
    curves = root.findall(f"{SVG}polyline[@data-sd]")
    assert sorted(int(c.get("data-sd")) for c in curves) == [-3, -2, 0, 2, 3]
    assert len(root.findall(f"{SVG}polygon")) == 3
    points = root.findall(f"{SVG}circle")
    assert [(p.get("data-date"), p.get("data-value")) for p in points] == [
        ("2024-01-01", "3.1"),
        ("2024-03-31", "4.5"),
    ]
    assert points[1].find(f"{SVG}title").text == "31-03-2024: 4.5 kg"


def test_a_point_on_the_median_is_drawn_on_the_median_curve():
    curves = who_curves("lhfa", "F", step_days=1)
    birth = date(2024, 1, 1)
    on = date(2024, 7, 1)  # day 182
    median = curves[0][182][1]
    svg = growth_chart_svg(
        indicator="lhfa", sex="F", birth_date=birth, points=[Point(on, round(median, 4))]
    )
    root = ElementTree.fromstring(svg)
    cy = float(root.find(f"{SVG}circle").get("cy"))
    pts = root.find(f"{SVG}polyline[@data-sd='0']").get("points").split()
    # the median polyline passes through the point's height at its age (within a pixel)
    coords = [tuple(map(float, p.split(","))) for p in pts]
    cx = float(root.find(f"{SVG}circle").get("cx"))
    nearest = min(coords, key=lambda c: abs(c[0] - cx))
    assert abs(nearest[1] - cy) < 1.5


def test_points_beyond_60_months_are_left_out():
    svg = growth_chart_svg(
        indicator="wfa",
        sex="M",
        birth_date=date(2019, 1, 1),
        points=[Point(date(2023, 12, 1), 16.0), Point(date(2024, 6, 1), 18.0)],
    )
    assert len(re.findall(r"<circle ", svg)) == 1
