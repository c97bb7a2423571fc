"""What needs attention in an area, for the home pages of the dinkes, TPCB and puskesmas/pustu
roles (``home_attention``: their own area, last complete month), read from the all-indicators
overview (``selectors.indicator_overview``) of the area for a month and the month before it,
never indicator by indicator.

- **Gaps**: for each indicator, the child area (any desa of a district — the issue asks for
  "the desa furthest below target" — desa of a kecamatan or of a puskesmas' working area,
  dusun of a pustu's desa) furthest on the wrong side of its target line; the
  indicators whose worst child is furthest from the line come first.
- **Changes since last month**: child areas whose status turned "bad" this month (below the
  line and falling for a higher-is-better indicator; the mirror for a lower-is-better one,
  ``pws.status_tone``) while it was not last month, then the largest moves the wrong way
  (a drop for a higher-is-better indicator, a rise for a lower-is-better one).

A shortfall is measured in percentage points of the value against the row's own target line
(a puskesmas' own target where it set one). Rows without a value (no denominator, or hidden
for a suppressed reader) are never ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language

from ilp.accounts.access import can_view_data_quality, can_view_indicators
from ilp.accounts.models import User
from ilp.core.exceptions import NotFound
from ilp.monitoring import pws, quality, selectors
from ilp.monitoring.catalogue import Indicator, load_catalogue

GAPS = 5
CHANGES = 5


def shortfall(indicator: Indicator, row: selectors.ValueRow) -> float | None:
    """How many points the row's value lies on the wrong side of its target line (below it
    for a higher-is-better indicator, above it for a lower-is-better one); 0 on the line or
    the right side; None without a value."""
    if row.value is None:
        return None
    gap = row.target - row.value if indicator.direction == "up" else row.value - row.target
    return round(max(gap, 0.0), 1)


def worst_child(indicator: Indicator, rows: list[selectors.ValueRow]) -> selectors.ValueRow | None:
    """The child row (after the first, the area's own) furthest on the wrong side of its
    line; the first by area code on a tie; None when every child is on the line or the right
    side of it, or has no value."""
    best: tuple[float, selectors.ValueRow] | None = None
    for row in rows[1:]:
        gap = shortfall(indicator, row)
        if gap and (best is None or gap > best[0]):
            best = (gap, row)
    return best[1] if best else None


def signed(change: float | None) -> str:
    """A change in points with its sign, in the reader's number format ("+2,5", "-1,0")."""
    if change is None:
        return ""
    return ("+" if change > 0 else "") + number_format(change, 1)


@dataclass
class Gap:
    indicator: Indicator
    name: str  # the indicator's, in the reader's language
    row: selectors.ValueRow
    shortfall: float
    url: str


@dataclass
class Change:
    indicator: Indicator
    name: str
    row: selectors.ValueRow
    change: float  # points, value − last month's value
    turned_bad: bool  # the status became "bad" this month (it was not last month)
    url: str

    @property
    def change_text(self) -> str:
        return signed(self.change)

    @property
    def status_label(self) -> str:
        return str(pws.STATUS_LABELS[self.row.status]) if self.row.status else ""


@dataclass
class Attention:
    area_code: str
    area_name: str
    year: int
    month: int
    gaps: list[Gap]
    changes: list[Change]

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def summary_url(self) -> str:
        """The all-indicators summary of the area and month."""
        query = urlencode({"area": self.area_code, "period": self.period})
        return f"{reverse('monitoring:summary')}?{query}"


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def attention(
    user: User,
    *,
    area_code: str,
    year: int,
    month: int,
    language: str = "id",
    gaps: int = GAPS,
    changes: int = CHANGES,
) -> Attention:
    """The gaps and changes of the area's child areas in the month (two overview reads: this
    month and the month before, for last month's status)."""
    # desa=True: a kabupaten/kota's rows are its desa, not its kecamatan (other areas keep
    # their child areas).
    now = selectors.indicator_overview(user, area_code=area_code, year=year, month=month, desa=True)
    before = selectors.indicator_overview(
        user,
        area_code=area_code,
        year=previous_month(year, month)[0],
        month=previous_month(year, month)[1],
        desa=True,
    )
    catalogue = load_catalogue()
    period = f"{year:04d}-{month:02d}"
    found_gaps = []
    found_changes = []
    top = next(iter(now.values()))[0].place
    for code, rows in now.items():
        indicator = catalogue[code]
        worst = worst_child(indicator, rows)
        if worst is not None:
            found_gaps.append(
                Gap(
                    indicator,
                    indicator.name(language),
                    worst,
                    shortfall(indicator, worst) or 0.0,
                    pws.page_url(code, worst.place.code, period),
                )
            )
        last = {r.place.code: r for r in before[code]}
        for row in rows[1:]:
            if row.value is None or row.previous is None:
                continue
            change = round(row.value - row.previous, 1)
            was = last.get(row.place.code)
            bad_now = pws.status_tone(indicator, row.status) == "bad"
            bad_before = was is not None and pws.status_tone(indicator, was.status) == "bad"
            wrong_way = -change if indicator.direction == "up" else change
            if (bad_now and not bad_before) or wrong_way > 0:
                found_changes.append(
                    Change(
                        indicator,
                        indicator.name(language),
                        row,
                        change,
                        bad_now and not bad_before,
                        pws.page_url(code, row.place.code, period),
                    )
                )
    found_gaps.sort(key=lambda g: (-g.shortfall, g.indicator.code, g.row.place.code))

    def change_rank(c: Change) -> tuple[bool, float, str, str]:
        wrong_way = -c.change if c.indicator.direction == "up" else c.change
        return (not c.turned_bad, -wrong_way, c.indicator.code, c.row.place.code)

    found_changes.sort(key=change_rank)
    return Attention(
        area_code=top.code,
        area_name=top.name,
        year=year,
        month=month,
        gaps=found_gaps[:gaps],
        changes=found_changes[:changes],
    )


def home_attention(user: User) -> Attention | None:
    """What the user's home page leads with: the attention of their own area (a puskesmas'
    working area, a pustu's desa, the district of a dinkes or TPCB account) in the last
    complete month — the month the monthly *lokmin* reviews (the running month's monthly
    indicators are still filling up, and would all read as falling). None for a reader of no
    indicators or of no area."""
    if not can_view_indicators(user):
        return None
    area = pws.default_area(user)
    if not area:
        return None
    today = timezone.localdate()
    year, month = previous_month(today.year, today.month)
    try:
        return attention(
            user, area_code=area, year=year, month=month, language=get_language() or "id"
        )
    except NotFound:  # an account whose area lies outside what it may read
        return None


def home_section(user: User) -> dict[str, Any]:
    """The home pages' context (``ilp.accounts.home.HOME_SECTIONS``): ``attention`` when the
    user's area has one; for a reader of data quality, where its worst problems load from
    (``views_quality.home_problems``, after the page) and the scorecard they come from."""
    context: dict[str, Any] = {}
    found = home_attention(user)
    if found is not None:
        context["attention"] = found
    if can_view_data_quality(user) and quality.default_place(user):
        context["dq_problems_url"] = reverse("quality:home_problems")
        context["dq_scorecard_url"] = reverse("quality:scorecard")
    return context
