"""Growth charts as inline SVG: WHO curves at −3, −2, 0, +2, +3 SD with shaded bands, and the
child's own measurements over them.

The curves come from the WHO Child Growth Standards 2006 L, M, S tables that
``ilp.standards.growth`` ships (SD_k = M·(1 + L·S·k)^(1/L), CLINICAL.md §1.2), so the chart
and the z-scores shown next to it always agree. The SVG carries its colours as presentation
attributes (no stylesheet), so the same markup works inline in a page, as a stand-alone
``.svg`` file, and on paper (dashed outer curves stay readable in black and white).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from django.utils.html import escape
from django.utils.translation import gettext as _

from ilp.standards.growth import lms_table as _who_table
from ilp.standards.growth.engine import DAYS_PER_MONTH, LENGTH_ADJUSTMENT_CM
from ilp.standards.growth.lms import sd_value

if TYPE_CHECKING:
    from ilp.people.models import Person

MAX_MONTHS = 60
# WHO 2006: weight-for-length (lying) up to day 730, weight-for-height (standing) from day
# 731 to 60 months; a length measured the other way is moved by 0.7 cm (as the z-scores do).
WFL_LAST_DAY = 730

SD_LINES: tuple[int, ...] = (-3, -2, 0, 2, 3)


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """What one chart plots: WHO table, the observation code that feeds it, the axes (age in
    months or length in cm) and which ages' measurements belong on it."""

    indicator: str
    table: str
    observation_code: str
    unit: str
    y_step: float
    x_kind: str = "age"
    x_min: float = 0.0
    x_max: float = float(MAX_MONTHS)
    x_grid: float = 6.0
    x_label_step: float = 6.0
    first_day: int = 0
    last_day: int | None = None


CHARTS: dict[str, ChartSpec] = {
    "wfa": ChartSpec("wfa", "who2006_wfa", "weight", "kg", 2.0),
    "lhfa": ChartSpec("lhfa", "who2006_lhfa", "height", "cm", 10.0),
    "wfl": ChartSpec(
        "wfl",
        "who2006_wfl",
        "weight",
        "kg",
        2.0,
        "length",
        45.0,
        110.0,
        5.0,
        10.0,
        last_day=WFL_LAST_DAY,
    ),
    "wfh": ChartSpec(
        "wfh",
        "who2006_wfh",
        "weight",
        "kg",
        2.0,
        "length",
        65.0,
        120.0,
        5.0,
        10.0,
        first_day=WFL_LAST_DAY + 1,
    ),
}


def _names() -> dict[str, str]:
    return {
        "wfa": _("Berat badan menurut umur (BB/U)"),
        "lhfa": _("Panjang/tinggi badan menurut umur (PB/U, TB/U)"),
        "wfl": _("Berat badan menurut panjang badan (BB/PB)"),
        "wfh": _("Berat badan menurut tinggi badan (BB/TB)"),
    }


def _subtitle(indicator: str, sex: str) -> str:
    who = _("laki-laki") if sex == "M" else _("perempuan")
    ages = {"wfl": "0–24", "wfh": "24–60"}.get(indicator, "0–60")
    return f"{who} · {ages} {_('bulan')}"


def chart_title(indicator: str, sex: str) -> str:
    """The chart's heading in the UI language (Indonesian names as in Buku KIA)."""
    return f"{_names()[indicator]} · {_subtitle(indicator, sex)}"


def charts_for(age_days: int) -> list[str]:
    """The charts a child of `age_days` gets: weight and length for age, and the weight-for-
    length chart under two years, weight-for-height from two (the one that flags wasting)."""
    return ["wfa", "lhfa", "wfl" if age_days <= WFL_LAST_DAY else "wfh"]


@dataclass(frozen=True, slots=True)
class Point:
    """One measurement of the child: date and value in the chart's unit; `at` is the length
    in cm (after the lying/standing adjustment) for the weight-for-length/height charts."""

    on: date
    value: float
    at: float | None = None


def who_curves(
    indicator: str, sex: str, *, step_days: int = 7
) -> dict[int, list[tuple[float, float]]]:
    """The SD curves of `indicator` for `sex` ('M'/'F'): {k: [(x, value), …]} for k in −3,
    −2, 0, +2, +3, x the age in months (birth to 60) or the length in cm (every 0.5 cm)."""
    spec = CHARTS[indicator]
    t = _who_table(spec.table)
    sex_index = 0 if sex == "M" else 1
    if spec.x_kind == "length":  # rows in tenths of a centimetre
        steps = np.unique(np.append(np.arange(t.first, t.last + 1, 5), t.last))
        xs = steps / 10.0
    else:
        last_day = min(t.last, int(MAX_MONTHS * DAYS_PER_MONTH))
        steps = np.unique(np.append(np.arange(t.first, last_day + 1, step_days), last_day))
        xs = steps / DAYS_PER_MONTH
    rows = sex_index * t.n + (steps - t.first)
    l_, m, s = t.l[rows], t.m[rows], t.s[rows]
    curves: dict[int, list[tuple[float, float]]] = {}
    for k in SD_LINES:
        values = sd_value(float(k), l_, m, s)
        curves[k] = [(float(a), float(v)) for a, v in zip(xs, values, strict=True)]
    return curves


# Band fills from the Buku KIA / KMS colour convention: red outside ±3, yellow between 2 and 3,
# green between −2 and +2. Light tints so the curves and points stay legible when printed.
_BANDS = (
    (-3, -2, "#f6c9c4"),
    (-2, 2, "#d5ecd4"),
    (2, 3, "#fbefc0"),
)
_LINE_STYLE = {
    -3: ("#8b1a10", "1.6", "6 3"),
    -2: ("#c0392b", "1.4", ""),
    0: ("#1e6b35", "2", ""),
    2: ("#c0392b", "1.4", ""),
    3: ("#8b1a10", "1.6", "6 3"),
}

# A phone-sized drawing: on a 390 px screen the chart is about 340 px wide, so a 440-unit
# viewBox draws 13-unit text at 10 px (at 760 units it came out at 5 px). On a desktop the
# stylesheet caps the width, so the text does not grow huge.
WIDTH, HEIGHT = 440, 420
LEFT, RIGHT, TOP, BOTTOM = 40, 26, 52, 40
FONT = 14


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def _in_chart(spec: ChartSpec, birth_date: date, p: Point) -> float | None:
    """The x of `p` on the chart, or None when it does not belong there."""
    if p.value is None or not math.isfinite(p.value):
        return None
    days = (p.on - birth_date).days
    if spec.x_kind == "age":
        x = days / DAYS_PER_MONTH
    else:
        if p.at is None or days < spec.first_day or days / DAYS_PER_MONTH >= MAX_MONTHS:
            return None
        if spec.last_day is not None and days > spec.last_day:
            return None
        x = p.at
    return x if spec.x_min <= x <= spec.x_max else None


def growth_chart_svg(
    *,
    indicator: str,
    sex: str,
    birth_date: date,
    points: Iterable[Point],
    title: str | None = None,
) -> str:
    """The whole `<svg>` element of one growth chart with the child's `points` plotted.

    Points outside the chart (ages beyond 60 months; for weight-for-length/height a length
    outside the table or an age on the other chart) are left out."""
    spec = CHARTS[indicator]
    curves = who_curves(indicator, sex)
    lo = min(v for _a, v in curves[-3])
    hi = max(v for _a, v in curves[3])
    plotted: list[tuple[float, Point]] = []
    for p in sorted(points, key=lambda p: p.on):
        at = _in_chart(spec, birth_date, p)
        if at is not None:
            plotted.append((at, p))
            lo, hi = min(lo, p.value), max(hi, p.value)
    step = spec.y_step
    y_min = max(math.floor(lo / step) * step, 0.0)
    y_max = math.ceil(hi / step) * step
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    span = spec.x_max - spec.x_min

    def x(at: float) -> float:
        return LEFT + (at - spec.x_min) / span * plot_w

    def y(value: float) -> float:
        return float(TOP + (y_max - value) / (y_max - y_min) * plot_h)

    def path(curve: Sequence[tuple[float, float]]) -> str:
        return " ".join(f"{_fmt(x(a))},{_fmt(y(v))}" for a, v in curve)

    def ticks(first: float, last: float, every: float) -> list[float]:
        start = math.ceil(first / every - 1e-9) * every
        return [start + i * every for i in range(int((last - start) / every + 1e-9) + 1)]

    full_title = title or chart_title(indicator, sex)
    heading = title or _names()[indicator]
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="growth-chart" role="img" aria-labelledby="gc-{indicator}-t gc-{indicator}-d" '
        f'data-indicator="{indicator}" font-family="sans-serif" font-size="{FONT}">',
        f'<title id="gc-{indicator}-t">{escape(full_title)}</title>',
        f'<desc id="gc-{indicator}-d">'
        + escape(
            _("Kurva WHO −3, −2, median, +2, +3 SD dan %(n)d pengukuran anak.")
            % {"n": len(plotted)}
        )
        + "</desc>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="4" y="18" font-size="15" font-weight="bold" fill="#222">'
        f"{escape(heading)}</text>",
        f'<text x="4" y="37" font-size="13" fill="#444">{escape(_subtitle(indicator, sex))}</text>',
    ]
    # Shaded bands between curves (upper curve forwards, lower curve backwards).
    for k_lo, k_hi, colour in _BANDS:
        upper = path(curves[k_hi])
        lower = path(list(reversed(curves[k_lo])))
        out.append(
            f'<polygon class="band band-{k_lo}-{k_hi}" points="{upper} {lower}" '
            f'fill="{colour}" stroke="none"/>'
        )
    # Grid: every x step and every y step; labels fewer where they would crowd.
    x_grid = ticks(spec.x_min, spec.x_max, spec.x_grid)
    x_labels = ticks(spec.x_min, spec.x_max, spec.x_label_step)
    y_ticks = ticks(y_min, y_max, step)
    out.append('<g class="grid" stroke="#8a8a8a" stroke-width="0.6">')
    for g in x_grid:
        out.append(f'<line x1="{_fmt(x(g))}" y1="{TOP}" x2="{_fmt(x(g))}" y2="{TOP + plot_h}"/>')
    for v in y_ticks:
        out.append(f'<line x1="{LEFT}" y1="{_fmt(y(v))}" x2="{LEFT + plot_w}" y2="{_fmt(y(v))}"/>')
    out.append("</g>")
    out.append('<g class="axis-labels" fill="#222">')
    for g in x_labels:
        out.append(
            f'<text class="x-tick" x="{_fmt(x(g))}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle">{g:g}</text>'
        )
    for v in y_ticks:
        out.append(
            f'<text class="y-tick" x="{LEFT - 4}" y="{_fmt(y(v) + 5)}" '
            f'text-anchor="end">{v:g}</text>'
        )
    x_title = {
        "age": _("Umur (bulan)"),
        "length": _("Tinggi badan (cm)") if indicator == "wfh" else _("Panjang badan (cm)"),
    }[spec.x_kind]
    out.append(
        f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">'
        + escape(x_title)
        + "</text>"
    )
    out.append(
        f'<text x="13" y="{TOP + plot_h / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 13 {TOP + plot_h / 2:.0f})">{escape(spec.unit)}</text>'
    )
    out.append("</g>")
    # The five SD curves, labelled at their right end.
    for k in SD_LINES:
        colour, width, dash = _LINE_STYLE[k]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        label = "0" if k == 0 else f"{k:+d}".replace("-", "−")
        out.append(
            f'<polyline class="sd-curve sd{k:+d}" data-sd="{k}" points="{path(curves[k])}" '
            f'fill="none" stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
        )
        end_a, end_v = curves[k][-1]
        out.append(
            f'<text x="{_fmt(x(end_a) + 3)}" y="{_fmt(y(end_v) + 5)}" font-size="13" '
            f'fill="{colour}">{label}</text>'
        )
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" '
        'fill="none" stroke="#444" stroke-width="1"/>'
    )
    # The child's measurements, joined in date order, drawn over everything else.
    if plotted:
        if len(plotted) > 1:
            joined = " ".join(f"{_fmt(x(a))},{_fmt(y(p.value))}" for a, p in plotted)
            out.append(
                f'<polyline class="child-line" points="{joined}" fill="none" '
                'stroke="#1a3c8b" stroke-width="2.2"/>'
            )
        for a, p in plotted:
            tip = f"{p.on:%d-%m-%Y}: {p.value:g} {spec.unit}"
            length = ""
            if spec.x_kind == "length":
                tip += f", {p.at:g} cm"
                length = f' data-length="{p.at:g}"'
            out.append(
                f'<circle class="child-point" cx="{_fmt(x(a))}" cy="{_fmt(y(p.value))}" '
                f'r="5" fill="#1a3c8b" stroke="#fff" stroke-width="1.5" '
                f'data-date="{p.on.isoformat()}" data-value="{p.value:g}"{length}>'
                f"<title>{escape(tip)}</title></circle>"
            )
    out.append("</svg>")
    return "\n".join(out)


def child_points(person: Person, indicator: str) -> list[Point]:
    """The child's recorded measurements for `indicator`, oldest first (the caller has
    already checked that the user may see this person)."""
    return chart_points(person, [indicator])[indicator]


def chart_points(person: Person, indicators: Sequence[str]) -> dict[str, list[Point]]:
    """The child's points for each of `indicators`, oldest first, from one query of their
    weights and lengths. For weight-for-length/height the weight and length of one encounter
    make a point, the length moved by 0.7 cm when it was measured the other way than the WHO
    table for that age expects (standing under two years, lying from two), as the z-score
    does."""
    from ilp.care.models import Observation
    from ilp.care.services.plausibility import LOINC_HEIGHT_STANDING, LOINC_LENGTH_LYING

    rows = (
        Observation.objects.active()
        .filter(person=person, code__in=("weight", "height"), value__isnull=False)
        .order_by("date", "pk")
        .values_list("encounter_id", "date", "code", "value", "loinc")
    )
    by_code: dict[str, list[Point]] = {"weight": [], "height": []}
    weights: dict[int, tuple[date, float]] = {}
    lengths: dict[int, tuple[float, str]] = {}
    for encounter, on, code, value, loinc in rows:
        by_code[code].append(Point(on, float(value)))
        if code == "weight":
            weights[encounter] = (on, float(value))
        else:
            lengths[encounter] = (float(value), loinc)
    paired = []
    for encounter, (on, weight) in weights.items():
        if encounter not in lengths:
            continue
        length, loinc = lengths[encounter]
        young = (on - person.birth_date).days <= WFL_LAST_DAY
        if young and loinc == LOINC_HEIGHT_STANDING:
            length += LENGTH_ADJUSTMENT_CM
        elif not young and loinc == LOINC_LENGTH_LYING:
            length -= LENGTH_ADJUSTMENT_CM
        paired.append(Point(on, weight, at=round(length, 1)))
    return {
        i: paired if CHARTS[i].x_kind == "length" else by_code[CHARTS[i].observation_code]
        for i in indicators
    }
