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


# ------------------------------------------------ weight-for-length/height, legible on a phone


def test_weight_for_length_and_height_curves_are_the_who_tables():
    wfl = who_curves("wfl", "M")
    assert wfl[0][0] == (45.0, pytest.approx(2.441))  # WHO 2006 boys WFL 45 cm median
    assert wfl[0][-1][0] == pytest.approx(110.0)
    wfh = who_curves("wfh", "F")
    assert wfh[0][0] == (65.0, pytest.approx(7.2402))  # WHO 2006 girls WFH 65 cm median
    assert wfh[0][-1][0] == pytest.approx(120.0)


def _x_of(root, value):
    """The x pixel of an axis tick label (the labels sit centred under their tick)."""
    for t in root.iter(f"{SVG}text"):
        if t.get("class") == "x-tick" and t.text == value:
            return float(t.get("x"))
    raise AssertionError(f"no x tick {value}")


def test_weight_for_length_plots_weight_over_length_with_the_age_rule():
    birth = date(2024, 1, 1)
    points = [
        Point(date(2024, 7, 1), 7.5, at=66.0),  # 6 months: lying, on the WFL chart
        Point(date(2025, 12, 31), 10.0, at=80.0),  # 730 days: still WFL
        Point(date(2026, 1, 1), 11.0, at=85.0),  # 731 days: WFH, not here
    ]
    svg = growth_chart_svg(indicator="wfl", sex="F", birth_date=birth, points=points)
    root = ElementTree.fromstring(svg)
    circles = root.findall(f"{SVG}circle")
    assert [c.get("data-value") for c in circles] == ["7.5", "10"]
    assert [c.get("data-length") for c in circles] == ["66", "80"]
    # x is the length: the 66 cm point lies between the 60 and 70 cm ticks, 0.6 along
    x60, x70 = _x_of(root, "60"), _x_of(root, "70")
    assert float(circles[0].get("cx")) == pytest.approx(x60 + (x70 - x60) * 0.6, abs=0.2)
    assert "cm" in root.find(f"{SVG}title").text or "PB" in root.find(f"{SVG}title").text

    wfh = growth_chart_svg(indicator="wfh", sex="F", birth_date=birth, points=points)
    assert re.findall(r'data-length="([\d.]+)"', wfh) == ["85"]


def test_a_point_on_the_wfh_median_is_drawn_on_the_median_curve():
    curves = who_curves("wfh", "M")
    length, median = next((x, v) for x, v in curves[0] if x == pytest.approx(90.0))
    svg = growth_chart_svg(
        indicator="wfh",
        sex="M",
        birth_date=date(2021, 1, 1),
        points=[Point(date(2024, 1, 1), round(median, 4), at=length)],
    )
    root = ElementTree.fromstring(svg)
    circle = root.find(f"{SVG}circle")
    pts = root.find(f"{SVG}polyline[@data-sd='0']").get("points").split()
    coords = [tuple(map(float, p.split(","))) for p in pts]
    nearest = min(coords, key=lambda c: abs(c[0] - float(circle.get("cx"))))
    assert abs(nearest[1] - float(circle.get("cy"))) < 1.5


@pytest.mark.parametrize("indicator", ["wfa", "lhfa", "wfl", "wfh"])
def test_labels_and_points_stay_legible_when_the_chart_is_390_px_wide(indicator):
    # On a 390 px phone the chart is drawn about 340 px wide: every text must come out at
    # 10 px or more, the child's points at 3.5 px radius or more.
    svg = growth_chart_svg(
        indicator=indicator,
        sex="F",
        birth_date=date(2024, 1, 1),
        points=[Point(date(2024, 7, 1), 7.5, at=66.0), Point(date(2026, 7, 1), 13.0, at=90.0)],
    )
    root = ElementTree.fromstring(svg)
    scale = 340 / float(root.get("viewBox").split()[2])
    default = float(root.get("font-size"))
    sizes = [float(t.get("font-size") or default) for t in root.iter(f"{SVG}text")]
    assert min(sizes) * scale >= 10
    radius = [float(c.get("r")) for c in root.iter(f"{SVG}circle")]
    assert radius and min(radius) * scale >= 3.5
