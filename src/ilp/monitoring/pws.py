"""PWS (Pemantauan Wilayah Setempat) pages' content: the rows of an indicator for an area and
its child areas with their bar, change and status in words, the links one level down and to
the work list of the persons not yet served, the 12-month trend as inline SVG and the Excel
sheet of the table.

Values come from ``ilp.monitoring.selectors`` (scope and suppression per reader); this module
only arranges them. The SVG carries its colours as presentation attributes (the
Content-Security-Policy allows no inline style), like ``ilp.care.charts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from ilp.accounts.access import aggregates_suppressed, can_view_personal_data, indicator_areas
from ilp.accounts.models import Role, User
from ilp.care.worklists import facilities_for_user
from ilp.core.spreadsheets import write_cell
from ilp.monitoring import selectors
from ilp.monitoring.catalogue import Indicator
from ilp.places.models import AreaLevel, Facility, FacilityKind

STATUS_LABELS = {
    "above_rising": gettext_lazy("Di atas target, naik"),
    "above_falling": gettext_lazy("Di atas target, turun"),
    "below_rising": gettext_lazy("Di bawah target, naik"),
    "below_falling": gettext_lazy("Di bawah target, turun"),
}
STATUS_MEANINGS = {
    "above_rising": gettext_lazy("Baik: pertahankan."),
    "above_falling": gettext_lazy("Waspada: capaian menurun."),
    "below_rising": gettext_lazy("Kurang: capaian naik, perlu dipercepat."),
    "below_falling": gettext_lazy("Jelek: perlu tindakan segera."),
}
# What a status means depends on the indicator's direction: for a "lower is better"
# indicator (stunting, SRQ-20 positive) being below the target line and falling is good.
# A status stays literal (where the value is and where it moved); its meaning and its tone
# (good, watch, slow, bad) are read through the mirror for those indicators.
MIRROR = {
    "above_rising": "below_falling",
    "above_falling": "below_rising",
    "below_rising": "above_falling",
    "below_falling": "above_rising",
}
TONES = {
    "above_rising": "good",
    "above_falling": "watch",
    "below_rising": "slow",
    "below_falling": "bad",
}


def _as_if_higher_is_better(indicator: Indicator, status: str) -> str:
    return MIRROR[status] if indicator.direction == "down" else status


def status_tone(indicator: Indicator, status: str | None) -> str:
    """'good', 'watch', 'slow' or 'bad' for a status of this indicator ('' for none)."""
    return TONES[_as_if_higher_is_better(indicator, status)] if status else ""


def status_meaning(indicator: Indicator, status: str) -> str:
    """What the status asks of the team, for this indicator's direction."""
    return str(STATUS_MEANINGS[_as_if_higher_is_better(indicator, status)])


CLUSTER_LABELS = {
    "1": gettext_lazy("Klaster 1: Manajemen"),
    "2": gettext_lazy("Klaster 2: Ibu dan anak"),
    "3": gettext_lazy("Klaster 3: Usia dewasa dan lanjut usia"),
    "4": gettext_lazy("Klaster 4: Penanggulangan penyakit menular"),
    "lintas": gettext_lazy("Lintas klaster"),
}
# The work-list item kind (ilp.care.worklists.ITEM_KINDS) that lists who is not yet served
# for an indicator; an indicator not named here has no work list to follow.
ITEM_KIND_BY_INDICATOR = {
    "idl": "imunisasi",
    "baduta": "imunisasi",
    "k1": "anc",
    "k1_murni": "anc",
    "k4": "anc",
    "k6": "anc",
    "kn1": "kn",
    "kn_lengkap": "kn",
    "ds": "timbang",
    "ptm_15": "skrining",
    "lansia_skrining": "skrining",
}
SUPPRESSED = "<5"


@dataclass
class PwsRow:
    code: str
    name: str
    level: int | None
    numerator: int | None
    denominator: int | None
    value: float | None
    previous: float | None
    target: float
    status: str | None
    suppressed: bool
    # Sasaran proyeksi (the Dinkes' uploaded yearly targets) and the value over it, beside the
    # registry's sasaran riil (``denominator``); None where no sheet covers the row, or (the
    # value) when the numerator is hidden from the reader.
    denominator_projected: int | None = None
    value_projected: float | None = None
    tone: str = ""  # good / watch / slow / bad, for the indicator's direction
    drill_url: str = ""
    gap_url: str = ""
    bar_svg: str = ""

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.status else ""


@dataclass
class PwsTable:
    indicator: Indicator
    year: int
    month: int
    top: PwsRow
    children: list[PwsRow]
    suppressed_reader: bool
    parent_url: str = ""
    has_projected: bool = False  # any row carries a sasaran proyeksi
    puskesmas_links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def default_area(user: User) -> str:
    """The area a user's PWS page opens on: a puskesmas' working area, otherwise the widest
    area the user may read (district, kecamatan, desa or the first dusun of a kader)."""
    if user.role == Role.PUSKESMAS and user.facility is not None:
        return user.facility.code
    area = indicator_areas(user).order_by("level", "code").first()
    if area is None:
        return ""
    return area.code


def page_url(indicator: str, area: str, period: str) -> str:
    query = urlencode({"area": area, "period": period})
    return f"{reverse('monitoring:pws', args=[indicator])}?{query}"


def target_bar_svg(value: float | None, target: float, *, print_line: bool = False) -> str:
    """A bar of the value (0–100 %) with the target line across it; the figures are written
    beside it in the page, so the drawing needs no text. `print_line`: a hairline that scales
    with the bar (PDF renderers such as WeasyPrint ignore non-scaling strokes, and the 2-unit
    line would print as a block)."""
    width = 0.0 if value is None else max(0.0, min(value, 100.0))
    line = max(0.0, min(target, 100.0))
    colour = "#1b7f3b" if value is not None and value >= target else "#b3261e"
    stroke = (
        'stroke-width="0.8"'
        if print_line
        else 'stroke-width="2" vector-effect="non-scaling-stroke"'
    )
    return (
        '<svg class="pws-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">'
        '<rect x="0" y="0" width="100" height="10" fill="#eceff1"/>'
        f'<rect x="0" y="1" width="{width:.1f}" height="8" fill="{colour}"/>'
        f'<line x1="{line:.1f}" y1="0" x2="{line:.1f}" y2="10" stroke="#111" {stroke}/>'
        "</svg>"
    )


def _gap_facilities(user: User, rows: Sequence[selectors.ValueRow]) -> dict[str, Facility]:
    """Per desa or dusun code among `rows`: the facility whose work list holds its persons
    (the posyandu serving a dusun; the pustu, else the puskesmas, serving a desa), only where
    the user may open that list."""
    if not can_view_personal_data(user):
        return {}
    codes = [
        r.place.code
        for r in rows
        if r.place.kind == "area" and r.place.level in (AreaLevel.VILLAGE, AreaLevel.HAMLET)
    ]
    if not codes:
        return {}
    allowed = set(facilities_for_user(user).values_list("pk", flat=True))
    order: dict[str, int] = {
        FacilityKind.POSYANDU: 0,
        FacilityKind.PUSTU: 1,
        FacilityKind.PUSKESMAS: 2,
    }
    found: dict[str, Facility] = {}
    candidates = (
        Facility.objects.filter(
            pk__in=allowed, service_areas__code__in=codes, kind__in=list(order), is_active=True
        )
        .prefetch_related("service_areas")
        .order_by("code")
    )
    for facility in sorted(candidates, key=lambda f: order[f.kind]):
        for area in facility.service_areas.all():
            if area.code in codes and area.code not in found:
                found[area.code] = facility
    return found


def pws_row(indicator: Indicator, v: selectors.ValueRow) -> PwsRow:
    """One value row as the page shows it (status tone, bar), without links."""
    return PwsRow(
        code=v.place.code,
        name=v.place.name,
        level=v.place.level,
        numerator=v.numerator,
        denominator=v.denominator,
        value=v.value,
        previous=v.previous,
        target=v.target,
        status=v.status,
        suppressed=v.suppressed,
        tone=status_tone(indicator, v.status),
        bar_svg=target_bar_svg(v.value, v.target),
        denominator_projected=v.denominator_projected,
        value_projected=v.value_projected,
    )


def pws_table(
    user: User, indicator: Indicator, *, area_code: str, year: int, month: int
) -> PwsTable:
    """The page's rows: the area (or puskesmas working area) first, then its child areas."""
    values = selectors.indicator_values(
        user, indicator, area_code=area_code, year=year, month=month
    )
    period = f"{year:04d}-{month:02d}"
    kind = ITEM_KIND_BY_INDICATOR.get(indicator.code)
    gaps = _gap_facilities(user, values) if kind else {}
    rows = []
    for i, v in enumerate(values):
        row = pws_row(indicator, v)
        if i > 0 and (v.place.level is None or v.place.level < AreaLevel.HAMLET):
            row.drill_url = page_url(indicator.code, v.place.code, period)
        facility = gaps.get(v.place.code)
        served_all = v.numerator is not None and v.numerator >= (v.denominator or 0)
        if facility is not None and not served_all:
            url = reverse("care:worklist", args=[facility.code])
            row.gap_url = f"{url}?{urlencode({'kind': kind})}"
        rows.append(row)
    table = PwsTable(
        indicator=indicator,
        year=year,
        month=month,
        top=rows[0],
        children=rows[1:],
        suppressed_reader=aggregates_suppressed(user),
        has_projected=any(r.denominator_projected is not None for r in rows),
    )
    _up_and_across(user, table, area_code, period)
    return table


def _up_and_across(user: User, table: PwsTable, area_code: str, period: str) -> None:
    """The link one level up (when the user may read it), and on a kecamatan page the
    puskesmas whose working area lies in it (the level between kecamatan and desa)."""
    allowed = indicator_areas(user)
    area = allowed.filter(code=area_code).select_related("parent").first()
    code = table.indicator.code
    if area is None:  # a puskesmas: up is the kecamatan of its desa
        facility = Facility.objects.filter(code=area_code).first()
        first = facility.service_areas.order_by("code").first() if facility else None
        parent = first.parent if first is not None else None
    else:
        parent = area.parent
    if parent is not None and allowed.filter(pk=parent.pk).exists():
        table.parent_url = page_url(code, parent.code, period)
    elif (
        area is not None
        and area.level == AreaLevel.VILLAGE
        and user.role == Role.PUSKESMAS
        and user.facility is not None
    ):
        # A puskesmas reads no kecamatan: up from one of its desa is its working area.
        table.parent_url = page_url(code, user.facility.code, period)
    if area is not None and area.level == AreaLevel.DISTRICT:
        puskesmas = (
            Facility.objects.filter(
                kind=FacilityKind.PUSKESMAS, service_areas__parent=area, is_active=True
            )
            .distinct()
            .order_by("code")
        )
        table.puskesmas_links = [(p.name, page_url(code, p.code, period)) for p in puskesmas]


def previous_months(year: int, month: int, n: int = 12) -> list[tuple[int, int]]:
    """The `n` months ending with (year, month), oldest first."""
    months = []
    for _i in range(n):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def trend(
    user: User, indicator: Indicator, *, area_code: str, year: int, month: int
) -> list[tuple[tuple[int, int], float | None, float]]:
    """(month, the area's value or None, target line) over the last 12 months."""
    months = previous_months(year, month)
    values = selectors.indicator_trend(user, indicator, area_code=area_code, months=months)
    return [(ym, value, target) for ym, (value, target) in zip(months, values, strict=True)]


def trend_svg(
    points: list[tuple[tuple[int, int], float | None, float]], title: str, *, tooltips: bool = True
) -> str:
    """The trend as an SVG line chart scaled to its container (readable at 390 px): the
    value line with dots and numbers, the target line dashed, months on the x axis.
    `tooltips`: each dot's month and value on hover, and every month labelled; without them
    (a printed pack has no hover) every other month is labelled: WeasyPrint lays out SVG text
    letter by letter and spends more time on the titles and labels than on the lines."""
    w, h, left, right, top, bottom = 360, 200, 30, 8, 12, 28
    values = [v for _m, v, _t in points if v is not None] + [t for _m, _v, t in points]
    high = max([100.0, *values]) if values else 100.0
    n = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + (w - left - right) * i / n

    def y(v: float) -> float:
        return top + (h - top - bottom) * (1 - v / high)

    parts = [
        f'<svg class="pws-trend" viewBox="0 0 {w} {h}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for g in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{left}" y1="{y(g):.1f}" x2="{w - right}" y2="{y(g):.1f}" '
            'stroke="#d0d5d9" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y(g) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#333">{g}</text>'
        )
    target = " ".join(f"{x(i):.1f},{y(t):.1f}" for i, (_m, _v, t) in enumerate(points))
    parts.append(
        f'<polyline points="{target}" fill="none" stroke="#111" stroke-width="1.5" '
        'stroke-dasharray="5 3"/>'
    )
    segment: list[str] = []
    segments = []
    for i, (_m, v, _t) in enumerate(points):
        if v is None:  # no value (no target, or suppressed): the line breaks here
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(v):.1f}")
    if segment:
        segments.append(segment)
    for s in segments:
        parts.append(
            f'<polyline points="{" ".join(s)}" fill="none" stroke="#0b5394" stroke-width="2.5"/>'
        )
    for i, ((yy, mm), v, _t) in enumerate(points):
        if tooltips or i % 2 == (len(points) - 1) % 2:  # printed: every other month, the last
            parts.append(
                f'<text x="{x(i):.1f}" y="{h - 12}" font-size="11" text-anchor="middle" '
                f'fill="#333">{mm:02d}</text>'
            )
        if mm == 1 or i == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{h - 1}" font-size="10" text-anchor="middle" '
                f'fill="#333">{yy}</text>'
            )
        if v is not None:
            tip = (
                f"<title>{yy}-{mm:02d}: {escape(number_format(v, 1))}%</title>" if tooltips else ""
            )
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#0b5394">{tip}</circle>'
            )
    parts.append("</svg>")
    return "".join(parts)


def count_text(n: int | None) -> str:
    return SUPPRESSED if n is None else number_format(n, force_grouping=True)


def write_pws_xlsx(table: PwsTable, out: IO[bytes], language: str) -> None:
    """The page's table as one sheet: counts and percentages as numbers, a hidden count as
    the text "<5", names and labels as text (never a formula: ilp.core.spreadsheets)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "PWS"
    title = f"{table.indicator.name(language)} · {table.top.name} · {table.period}"
    write_cell(ws, 1, 1, title).font = Font(bold=True, size=12)
    headers = [
        _("Wilayah"),
        _("Kode"),
        _("Pembilang"),
        _("Penyebut: sasaran riil"),
        _("Capaian (%): sasaran riil"),
        _("Penyebut: sasaran proyeksi"),
        _("Capaian (%): sasaran proyeksi"),
        _("Target bulan ini (%)"),
        _("Perubahan dari bulan lalu (poin)"),
        _("Status"),
    ]
    for c, h in enumerate(headers, start=1):
        write_cell(ws, 3, c, h).font = Font(bold=True)
    for r, row in enumerate([table.top, *table.children], start=4):
        cells = [
            row.name,
            row.code,
            SUPPRESSED if row.numerator is None else row.numerator,
            SUPPRESSED if row.denominator is None else row.denominator,
            row.value,
            row.denominator_projected,
            row.value_projected,
            row.target,
            row.change,
            row.status_label,
        ]
        for c, v in enumerate(cells, start=1):
            write_cell(ws, r, c, v)
    widths = (28, 18, 11, 14, 14, 14, 14, 14, 16, 26)
    for letter, width in zip("ABCDEFGHIJ", widths, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    wb.save(out)
