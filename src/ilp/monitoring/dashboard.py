"""The all-indicators summary page (``/pws/ringkasan/``): every catalogue indicator for an area
and month, by cluster, each as a card with its value, target line, status in words and tone,
change from last month and the child area furthest below target, each linked to the
indicator's PWS page; and the same as an Excel sheet (one row per indicator and area).

Values come from ``selectors.indicator_overview`` (one read of all indicators, scoped and
suppressed per reader); this module only arranges them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ilp.accounts.access import aggregates_suppressed
from ilp.accounts.models import User
from ilp.core.spreadsheets import write_cell
from ilp.monitoring import pws, selectors
from ilp.monitoring.attention import shortfall, signed, worst_child
from ilp.monitoring.catalogue import CLUSTERS, Indicator, load_catalogue


@dataclass
class Card:
    indicator: Indicator
    name: str
    row: selectors.ValueRow  # the area's own row
    children: list[selectors.ValueRow]
    url: str
    worst: selectors.ValueRow | None = None
    worst_url: str = ""
    worst_shortfall: float | None = None

    @property
    def tone(self) -> str:
        return pws.status_tone(self.indicator, self.row.status)

    @property
    def status_label(self) -> str:
        return str(pws.STATUS_LABELS[self.row.status]) if self.row.status else ""

    @property
    def change(self) -> float | None:
        if self.row.value is None or self.row.previous is None:
            return None
        return round(self.row.value - self.row.previous, 1)

    @property
    def change_text(self) -> str:
        return signed(self.change)


@dataclass
class Summary:
    area_code: str
    area_name: str
    year: int
    month: int
    clusters: list[tuple[str, list[Card]]]
    suppressed_reader: bool

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def cards(self) -> list[Card]:
        return [card for _label, cards in self.clusters for card in cards]

    @property
    def child_links(self) -> list[tuple[str, str]]:
        """(name, summary URL) of each child area: the summary one level down."""
        first = self.cards[0]
        url = reverse("monitoring:summary")
        return [
            (r.place.name, f"{url}?{urlencode({'area': r.place.code, 'period': self.period})}")
            for r in first.children
        ]


def summary(user: User, *, area_code: str, year: int, month: int, language: str) -> Summary:
    """The cards of every catalogue indicator for the area and month, by cluster."""
    overview = selectors.indicator_overview(user, area_code=area_code, year=year, month=month)
    catalogue = load_catalogue()
    period = f"{year:04d}-{month:02d}"
    by_cluster: dict[str, list[Card]] = {c: [] for c in CLUSTERS}
    top = next(iter(overview.values()))[0].place  # the catalogue is never empty
    for code, rows in overview.items():
        indicator = catalogue[code]
        card = Card(
            indicator=indicator,
            name=indicator.name(language),
            row=rows[0],
            children=rows[1:],
            url=pws.page_url(code, area_code, period),
        )
        worst = worst_child(indicator, rows)
        if worst is not None:
            card.worst = worst
            card.worst_shortfall = shortfall(indicator, worst)
            card.worst_url = pws.page_url(code, worst.place.code, period)
        by_cluster[indicator.cluster].append(card)
    return Summary(
        area_code=area_code,
        area_name=top.name,
        year=year,
        month=month,
        clusters=[(str(pws.CLUSTER_LABELS[c]), cards) for c, cards in by_cluster.items() if cards],
        suppressed_reader=aggregates_suppressed(user),
    )


# The sheet's columns: header and width (characters).
COLUMNS = (
    (gettext_lazy("Indikator"), 36),
    (gettext_lazy("Kode indikator"), 16),
    (gettext_lazy("Wilayah"), 28),
    (gettext_lazy("Kode"), 18),
    (gettext_lazy("Pembilang"), 11),
    (gettext_lazy("Penyebut"), 11),
    (gettext_lazy("Capaian (%)"), 12),
    (gettext_lazy("Target bulan ini (%)"), 14),
    (gettext_lazy("Perubahan dari bulan lalu (poin)"), 16),
    (gettext_lazy("Status"), 26),
)


def _cells(card: Card, row: selectors.ValueRow) -> list[object]:
    change = None
    if row.value is not None and row.previous is not None:
        change = round(row.value - row.previous, 1)
    hidden = pws.SUPPRESSED
    return [
        card.name,
        card.indicator.code,
        row.place.name,
        row.place.code,
        hidden if row.numerator is None else row.numerator,
        hidden if row.denominator is None else row.denominator,
        row.value,
        row.target,
        change,
        str(pws.STATUS_LABELS[row.status]) if row.status else "",
    ]


def write_summary_xlsx(page: Summary, out: IO[bytes]) -> None:
    """Every indicator's rows (the area, then its child areas) as one sheet: counts and
    percentages as numbers, a hidden count as the text "<5", names as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Ringkasan")[:31]
    title = f"{_('Ringkasan PWS')} · {page.area_name} · {page.period}"
    write_cell(ws, 1, 1, title).font = Font(bold=True, size=12)
    for c, (header, width) in enumerate(COLUMNS, start=1):
        write_cell(ws, 3, c, str(header)).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    rows = [(card, row) for card in page.cards for row in (card.row, *card.children)]
    for r, (card, row) in enumerate(rows, start=4):
        for c, value in enumerate(_cells(card, row), start=1):
            write_cell(ws, r, c, value)
    ws.freeze_panes = "A4"
    wb.save(out)
