"""The desa map of a PWS page, drawn as inline SVG by the server (never a map tile server):
one shape per desa/kelurahan in the colour of its PWS status for the indicator's direction
(``pws.status_tone``), grey when it has no value or the value is hidden, each a link to the
desa's own PWS page with a title saying the desa, the value and the status in words.

With outlines imported (``ilp boundaries import``, ``ilp.places.models.AreaBoundary``) the
desa are drawn as they lie: lon/lat projected equirectangularly, the longitude scaled by the
cosine of the mean latitude so shapes keep their proportions near the equator and away from
it, and fitted into the viewBox. Without outlines it is a tile map: an equal square per
desa, the squares of each kecamatan in a labelled block, blocks flowing left to right.

The map is a summary; the PWS table beside it stays the accessible version. It is drawn
from a plain list of PWS rows and the indicator (``render_map``), so a printed pack can
draw it too; ``desa_rows`` gives a page's desa rows (on a kabupaten/kota page the desa of
every kecamatan, each read as its kecamatan page reads it: same scope, same suppression).
Colours are presentation attributes (the Content-Security-Policy allows no inline style).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.accounts.access import aggregates_suppressed
from ilp.accounts.models import User
from ilp.monitoring import selectors
from ilp.monitoring.catalogue import Indicator
from ilp.monitoring.pws import STATUS_LABELS, PwsRow, PwsTable, page_url, status_tone
from ilp.places import geometry
from ilp.places.models import Area, AreaBoundary, AreaLevel

FILLS = {
    "good": "#1b7f3b",
    "watch": "#e0b020",
    "slow": "#e07b24",
    "bad": "#b3261e",
    "": "#c4c9cd",  # no value, or hidden for the reader
}
# Text on a tile: white on the dark fills, near-black on the light ones (contrast ≥ 4.5).
INKS = {"good": "#fff", "watch": "#111", "slow": "#111", "bad": "#fff", "": "#111"}
NO_VALUE_LABEL = gettext_lazy("Tanpa nilai atau disamarkan")
WIDTH = 360  # viewBox width; the SVG itself is as wide as its container
MAX_HEIGHT = 480
PAD = 4
TILE, GAP, LABEL = 30, 3, 14  # tile side, space between tiles, kecamatan label height
BLOCK_GAP = 10
# What a desa's map row takes over from its ValueRow as it is.
VALUE_FIELDS = ("numerator", "denominator", "value", "previous", "target", "status", "suppressed")


@dataclass
class MapShape:
    row: PwsRow
    kecamatan_code: str
    kecamatan_name: str
    geometry: dict[str, Any] | None = None


@dataclass
class DesaMap:
    kind: str  # "boundaries" | "tiles" | "" (no desa to draw)
    svg: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)  # (fill, label)
    without_boundary: list[str] = field(default_factory=list)  # desa names, boundary map only


def desa_rows(user: User, table: PwsTable) -> list[PwsRow]:
    """The page's rows that are desa/kelurahan; on a kabupaten/kota page (rows are
    kecamatan) the desa of every kecamatan, read for this user. Empty below the desa.

    A reader whose small counts are hidden reads them kecamatan by kecamatan, exactly as the
    kecamatan pages show them: one hiding pattern per desa, so the map and those pages
    cannot be set against each other to recover a hidden count. Every other reader gets
    them in one read (on the 500,000-person district: 6 reads took 210 ms, one 35 ms)."""
    desa = [r for r in table.children if r.level == AreaLevel.VILLAGE]
    if desa or table.top.level != AreaLevel.REGENCY:
        return desa
    if aggregates_suppressed(user):
        codes = [r.code for r in table.children if r.level == AreaLevel.DISTRICT]
    else:
        codes = [table.top.code]
    values = []
    for code in codes:
        read = selectors.indicator_values(
            user,
            table.indicator,
            area_code=code,
            year=table.year,
            month=table.month,
            desa=True,
        )
        values.extend(read[1:])
    return [
        PwsRow(
            code=v.place.code,
            name=v.place.name,
            level=v.place.level,
            tone=status_tone(table.indicator, v.status),
            drill_url=page_url(table.indicator.code, v.place.code, table.period),
            **{name: getattr(v, name) for name in VALUE_FIELDS},
        )
        for v in values
    ]


def shape_title(row: PwsRow) -> str:
    """'Ampel: 60,0% · Di atas target, naik'; no value for a hidden one."""
    if row.suppressed:
        return _("%(name)s: disamarkan") % {"name": row.name}
    if row.value is None:
        return _("%(name)s: belum ada nilai") % {"name": row.name}
    value = number_format(row.value, 1)
    if not row.status:
        return f"{row.name}: {value}%"
    return f"{row.name}: {value}% · {STATUS_LABELS[row.status]}"


def _shapes(rows: Sequence[PwsRow]) -> list[MapShape]:
    """The desa rows with their kecamatan and outline (two queries)."""
    codes = [r.code for r in rows]
    areas = {a.code: a for a in Area.objects.filter(code__in=codes).select_related("parent")}
    outlines = dict(
        AreaBoundary.objects.filter(area__code__in=codes).values_list("area__code", "geometry")
    )
    shapes = []
    for row in rows:
        area = areas.get(row.code)
        parent = area.parent if area is not None else None
        shapes.append(
            MapShape(
                row=row,
                kecamatan_code=parent.code if parent is not None else "",
                kecamatan_name=parent.name if parent is not None else "",
                geometry=outlines.get(row.code),
            )
        )
    return shapes


def _open_svg(height: float, label: str, width: float = WIDTH) -> list[str]:
    return [
        f'<svg class="pws-map-svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="group" aria-label="{escape(label)}">'
    ]


def _link(row: PwsRow, body: str) -> str:
    title = f"<title>{escape(shape_title(row))}</title>"
    if not row.drill_url:
        return f"<g>{title}{body}</g>"
    return f'<a href="{escape(row.drill_url)}">{title}{body}</a>'


def project(
    geometries: Sequence[dict[str, Any]],
) -> tuple[float, Any] | None:
    """The viewBox height and a function taking (lon, lat) to (x, y) in the viewBox, fitting
    all the geometries with the same scale on both axes after the longitude is shrunk by
    cos(mean latitude); None when there is nothing to fit."""
    box = geometry.bounds(geometries)
    if box is None:
        return None
    west, south, east, north = box
    shrink = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * shrink, 1e-9)
    span_y = max(north - south, 1e-9)
    inner = WIDTH - 2 * PAD
    scale = inner / span_x
    height = span_y * scale + 2 * PAD
    if height > MAX_HEIGHT:  # a tall area: fit the height instead, centred across
        scale = (MAX_HEIGHT - 2 * PAD) / span_y
        height = MAX_HEIGHT
    left = (WIDTH - span_x * scale) / 2

    def to_xy(lon: float, lat: float) -> tuple[float, float]:
        return left + (lon - west) * shrink * scale, PAD + (north - lat) * scale

    return height, to_xy


def path_data(geom: dict[str, Any], to_xy: Any) -> str:
    """SVG path data of a Polygon/MultiPolygon: one closed subpath per ring (holes drawn
    with the even-odd rule)."""
    parts = []
    for ring in geometry.rings(geom):
        points = [to_xy(lon, lat) for lon, lat in ring[:-1]]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _boundary_svg(shapes: Sequence[MapShape], label: str) -> str:
    drawn = [(s, s.geometry) for s in shapes if s.geometry is not None]
    fitted = project([g for _s, g in drawn])
    if fitted is None:
        return ""
    height, to_xy = fitted
    parts = _open_svg(height, label)
    for s, g in drawn:
        d = path_data(g, to_xy)
        body = (
            f'<path d="{d}" fill="{FILLS[s.row.tone]}" fill-rule="evenodd" stroke="#fff" '
            'stroke-width="1" stroke-linejoin="round"/>'
        )
        spot = label_spot(g, to_xy)
        if spot is not None:  # a phone has no hover: names where they fit, else 3 letters
            x, y, room = spot
            name = s.row.name if len(s.row.name) * 5.2 <= room else _abbreviation(s.row.name)
            body += (
                f'<text x="{x:.1f}" y="{y + 3:.1f}" font-size="9" '
                f'text-anchor="middle" fill="{INKS[s.row.tone]}">{escape(name)}</text>'
            )
        parts.append(_link(s.row, body))
    parts.append("</svg>")
    return "".join(parts)


def label_spot(geom: dict[str, Any], to_xy: Any) -> tuple[float, float, float] | None:
    """Where a desa's name goes and how wide it may be: the centre of the box of its
    largest polygon's outer ring and 60 % of the box's width, when the box is at least
    24 × 14 units (room for three letters)."""
    best: tuple[float, float, float, float] | None = None
    for polygon in geometry.polygons(geom):
        points = [to_xy(lon, lat) for lon, lat in polygon[0]]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if w >= 24 and h >= 14 and (best is None or w * h > best[0]):
            best = (w * h, (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, 0.6 * w)
    return None if best is None else best[1:]


def _abbreviation(name: str) -> str:
    """Three letters to tell tiles apart; the title and the table give the whole name."""
    letters = "".join(ch for ch in name if ch.isalnum())
    return letters[:3]


def tile_layout(
    shapes: Sequence[MapShape],
) -> tuple[float, list[tuple[str, str, float, float]], list[tuple[MapShape, float, float]]]:
    """Positions for the tile map: (height, [(kecamatan code, name, x, y) of each block's
    label], [(shape, x, y) of each tile]). A kecamatan's tiles fill a near-square block;
    blocks are placed left to right and wrap at the viewBox width."""
    groups: dict[str, list[MapShape]] = {}
    names: dict[str, str] = {}
    for s in shapes:
        groups.setdefault(s.kecamatan_code, []).append(s)
        names[s.kecamatan_code] = s.kecamatan_name
    step = TILE + GAP
    max_cols = max(1, int((WIDTH - 2 * PAD + GAP) // step))
    labels, tiles = [], []
    x, y, row_height = float(PAD), float(PAD), 0.0
    for code, members in groups.items():
        cols = min(max_cols, max(1, math.ceil(math.sqrt(len(members)))))
        rows = math.ceil(len(members) / cols)
        # The block is at least as wide as its label (about 6.5 units a letter at 11 px).
        width = max(cols * step - GAP, min(len(names[code]) * 6.5, WIDTH - 2 * PAD))
        height = LABEL + rows * step - GAP
        if x > PAD and x + width > WIDTH - PAD:  # wrap to the next line of blocks
            x, y, row_height = float(PAD), y + row_height + BLOCK_GAP, 0.0
        labels.append((code, names[code], x, y))
        for i, s in enumerate(members):
            tiles.append((s, x + (i % cols) * step, y + LABEL + (i // cols) * step))
        x += width + BLOCK_GAP
        row_height = max(row_height, height)
    return y + row_height + PAD, labels, tiles


def _tile_svg(shapes: Sequence[MapShape], label: str) -> str:
    height, labels, tiles = tile_layout(shapes)
    # A few desa would leave most of the width empty and the tiles small: the viewBox ends
    # at the last tile, but no narrower than half the width (tiles at most twice as big).
    used = max(x for _s, x, _y in tiles) + TILE
    used = max(used, *(x + len(name) * 6.5 for _c, name, x, _y in labels))
    parts = _open_svg(height, label, min(WIDTH, max(used + PAD, WIDTH / 2)))
    for _code, name, x, y in labels:
        parts.append(
            f'<text x="{x:.0f}" y="{y + LABEL - 4:.0f}" font-size="11" font-weight="bold" '
            f'fill="#222">{escape(name)}</text>'
        )
    for s, x, y in tiles:
        tone = s.row.tone
        body = (
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{TILE}" height="{TILE}" rx="3" '
            f'fill="{FILLS[tone]}"/>'
            f'<text x="{x + TILE / 2:.0f}" y="{y + TILE / 2 + 4:.0f}" font-size="10" '
            f'text-anchor="middle" fill="{INKS[tone]}">{escape(_abbreviation(s.row.name))}</text>'
        )
        parts.append(_link(s.row, body))
    parts.append("</svg>")
    return "".join(parts)


def legend(indicator: Indicator) -> list[tuple[str, str]]:
    """(fill, words) for each status as it reads for this indicator, and the grey."""
    entries = [
        (FILLS[status_tone(indicator, s)], str(STATUS_LABELS[s])) for s in selectors.STATUSES
    ]
    return [*entries, (FILLS[""], str(NO_VALUE_LABEL))]


def render_map(rows: Sequence[PwsRow], indicator: Indicator, title: str = "") -> DesaMap:
    """The desa map of these desa rows: outlines when any of them has one, tiles
    otherwise."""
    desa = [r for r in rows if r.level == AreaLevel.VILLAGE]
    if not desa:
        return DesaMap(kind="")
    label = title or _("Peta desa/kelurahan")
    shapes = _shapes(desa)
    if any(s.geometry is not None for s in shapes):
        return DesaMap(
            kind="boundaries",
            svg=_boundary_svg(shapes, label),
            legend=legend(indicator),
            without_boundary=[s.row.name for s in shapes if s.geometry is None],
        )
    return DesaMap(kind="tiles", svg=_tile_svg(shapes, label), legend=legend(indicator))
