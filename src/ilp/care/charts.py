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

import numpy as np
from django.utils.html import escape
from django.utils.translation import gettext as _

from ilp.standards.growth import lms_table as _who_table
from ilp.standards.growth.engine import DAYS_PER_MONTH
from ilp.standards.growth.lms import sd_value

MAX_MONTHS = 60

SD_LINES: tuple[int, ...] = (-3, -2, 0, 2, 3)


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """What one chart plots: WHO table, the observation code that feeds it, axis ticks."""

    indicator: str
    table: str
    observation_code: str
    unit: str
    y_step: float


CHARTS: dict[str, ChartSpec] = {
    "wfa": ChartSpec("wfa", "who2006_wfa", "weight", "kg", 2.0),
    "lhfa": ChartSpec("lhfa", "who2006_lhfa", "height", "cm", 10.0),
}


def chart_title(indicator: str, sex: str) -> str:
    """The chart's heading in the UI language (Indonesian names as in Buku KIA)."""
    names = {
        "wfa": _("Berat badan menurut umur (BB/U)"),
        "lhfa": _("Panjang/tinggi badan menurut umur (PB/U, TB/U)"),
    }
    who = _("laki-laki") if sex == "M" else _("perempuan")
    return f"{names[indicator]} · {who} · 0–60 {_('bulan')}"


@dataclass(frozen=True, slots=True)
class Point:
    """One measurement of the child: date and value in the chart's unit."""

    on: date
    value: float


def who_curves(indicator: str, sex: str, *, step_days: int = 7) -> dict[int, list[tuple]]:
    """The SD curves of `indicator` ('wfa' or 'lhfa') for `sex` ('M'/'F') from birth to 60
    months: {k: [(age_months, value), …]} for k in −3, −2, 0, +2, +3."""
    spec = CHARTS[indicator]
    t = _who_table(spec.table)
    sex_index = 0 if sex == "M" else 1
    last_day = min(t.last, int(MAX_MONTHS * DAYS_PER_MONTH))
    days = np.unique(np.append(np.arange(t.first, last_day + 1, step_days), last_day))
    rows = sex_index * t.n + (days - t.first)
    l_, m, s = t.l[rows], t.m[rows], t.s[rows]
    months = days / DAYS_PER_MONTH
    curves: dict[int, list[tuple]] = {}
    for k in SD_LINES:
        values = sd_value(float(k), l_, m, s)
        curves[k] = [(float(a), float(v)) for a, v in zip(months, values, strict=True)]
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

WIDTH, HEIGHT = 760, 500
LEFT, RIGHT, TOP, BOTTOM = 56, 40, 44, 48


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def growth_chart_svg(
    *,
    indicator: str,
    sex: str,
    birth_date: date,
    points: Iterable[Point],
    title: str | None = None,
) -> str:
    """The whole `<svg>` element of one growth chart with the child's `points` plotted.

    Points outside 0–60 months are left out (the chart covers WHO 2006 ages only)."""
    spec = CHARTS[indicator]
    curves = who_curves(indicator, sex)
    lo = min(v for _a, v in curves[-3])
    hi = max(v for _a, v in curves[3])
    plotted: list[tuple[float, Point]] = []
    for p in sorted(points, key=lambda p: p.on):
        months = (p.on - birth_date).days / DAYS_PER_MONTH
        if 0 <= months <= MAX_MONTHS and p.value is not None and math.isfinite(p.value):
            plotted.append((months, p))
            lo, hi = min(lo, p.value), max(hi, p.value)
    step = spec.y_step
    y_min = math.floor(lo / step) * step
    y_max = math.ceil(hi / step) * step
    if y_min < 0:
        y_min = 0.0
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(months: float) -> float:
        return LEFT + months / MAX_MONTHS * plot_w

    def y(value: float) -> float:
        return TOP + (y_max - value) / (y_max - y_min) * plot_h

    def path(curve: Sequence[tuple]) -> str:
        return " ".join(f"{_fmt(x(a))},{_fmt(y(v))}" for a, v in curve)

    title = title or chart_title(indicator, sex)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="growth-chart" role="img" aria-labelledby="gc-{indicator}-t gc-{indicator}-d" '
        f'data-indicator="{indicator}" font-family="sans-serif" font-size="12">',
        f'<title id="gc-{indicator}-t">{escape(title)}</title>',
        f'<desc id="gc-{indicator}-d">'
        + escape(
            _("Kurva WHO −3, −2, median, +2, +3 SD dan %(n)d pengukuran anak.")
            % {"n": len(plotted)}
        )
        + "</desc>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="24" font-size="15" font-weight="bold" fill="#222">'
        f"{escape(title)}</text>",
    ]
    # Shaded bands between curves (upper curve forwards, lower curve backwards).
    for k_lo, k_hi, colour in _BANDS:
        upper = path(curves[k_hi])
        lower = path(list(reversed(curves[k_lo])))
        out.append(
            f'<polygon class="band band-{k_lo}-{k_hi}" points="{upper} {lower}" '
            f'fill="{colour}" stroke="none"/>'
        )
    # Grid: every 6 months (labelled) and every y step.
    out.append('<g class="grid" stroke="#999" stroke-width="0.5">')
    for m in range(0, MAX_MONTHS + 1, 6):
        out.append(f'<line x1="{_fmt(x(m))}" y1="{TOP}" x2="{_fmt(x(m))}" y2="{TOP + plot_h}"/>')
    v = y_min
    while v <= y_max + 1e-9:
        out.append(f'<line x1="{LEFT}" y1="{_fmt(y(v))}" x2="{LEFT + plot_w}" y2="{_fmt(y(v))}"/>')
        v += step
    out.append("</g>")
    out.append('<g class="axis-labels" fill="#222">')
    for m in range(0, MAX_MONTHS + 1, 6):
        out.append(
            f'<text x="{_fmt(x(m))}" y="{TOP + plot_h + 16}" text-anchor="middle">{m}</text>'
        )
    v = y_min
    while v <= y_max + 1e-9:
        out.append(f'<text x="{LEFT - 6}" y="{_fmt(y(v) + 4)}" text-anchor="end">{v:g}</text>')
        v += step
    out.append(
        f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 10}" text-anchor="middle">'
        + escape(_("Umur (bulan)"))
        + "</text>"
    )
    out.append(
        f'<text x="14" y="{TOP + plot_h / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {TOP + plot_h / 2:.0f})">{escape(spec.unit)}</text>'
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
            f'<text x="{_fmt(x(end_a) + 4)}" y="{_fmt(y(end_v) + 4)}" fill="{colour}">'
            f"{label}</text>"
        )
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" '
        'fill="none" stroke="#444" stroke-width="1"/>'
    )
    # The child's measurements, joined in date order.
    if plotted:
        if len(plotted) > 1:
            joined = " ".join(f"{_fmt(x(a))},{_fmt(y(p.value))}" for a, p in plotted)
            out.append(
                f'<polyline class="child-line" points="{joined}" fill="none" '
                'stroke="#1a3c8b" stroke-width="1.6"/>'
            )
        for a, p in plotted:
            tip = f"{p.on:%d-%m-%Y}: {p.value:g} {spec.unit}"
            out.append(
                f'<circle class="child-point" cx="{_fmt(x(a))}" cy="{_fmt(y(p.value))}" '
                f'r="4" fill="#1a3c8b" stroke="#fff" stroke-width="1" '
                f'data-date="{p.on.isoformat()}" data-value="{p.value:g}">'
                f"<title>{escape(tip)}</title></circle>"
            )
    out.append("</svg>")
    return "\n".join(out)


def child_points(person, indicator: str) -> list[Point]:
    """The child's recorded measurements for `indicator`, oldest first (the caller has
    already checked that the user may see this person)."""
    from ilp.care.models import Observation

    code = CHARTS[indicator].observation_code
    rows = (
        Observation.objects.active()
        .filter(person=person, code=code, value__isnull=False)
        .order_by("date", "pk")
        .values_list("date", "value")
    )
    return [Point(on, float(value)) for on, value in rows]
