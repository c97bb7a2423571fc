"""The "Skrining KtP/A" family of the monitoring summary: for an area and month, a row per child
area (the desa of a kecamatan, the kecamatan of a district; a desa alone) and the area's total,
with the number of WAST screenings (adult women) and child screenings, and how many of each
were positive (``ilp.standards.ktpa_screening``). Counts only: never an answer, a sign, a
person or a case (``ilp.protection.selectors_screening.desa_screening_counts``, by the screened
person's residence desa).

Why not catalogue indicators: there is no target population (only persons showing signs are
screened, WHO), and the counts are small events, read directly like the "Kematian" family
(``ilp.monitoring.death_family``).

Readers: ``can_view_screening_counts``, for the areas of ``indicator_areas``. A cross-sector
viewer (``aggregates_suppressed``) gets the counts through ``ilp.core.suppression.suppress``:
every count of 1–4 hidden, the total row = the sum of the child rows and positives ⊆
screenings protected against subtraction; and completed months only (a month's count to date,
read again later, would give by difference the screenings in between).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from ilp.accounts.access import aggregates_suppressed, can_view_screening_counts, indicator_areas
from ilp.accounts.models import User
from ilp.monitoring.area_tree import area_tree, hidden_cells, sum_measures
from ilp.places.models import Area, AreaLevel
from ilp.protection.selectors_screening import MEASURES, desa_screening_counts

# Levels the family is shown for: a dusun has too few events.
LEVELS = (AreaLevel.REGENCY, AreaLevel.DISTRICT, AreaLevel.VILLAGE)
# positives within screenings, per instrument
NESTED = (("wast", "wast_positive"), ("child", "child_positive"))


@dataclass
class ScreeningRow:
    """One area's counts of the month; a count is None where it is hidden from the reader."""

    name: str
    wast: int | None
    wast_positive: int | None
    child: int | None
    child_positive: int | None
    is_total: bool = False

    @property
    def counts(self) -> list[int | None]:
        """The counts in the table's column order."""
        return [getattr(self, m) for m in MEASURES]


@dataclass
class ScreeningFamily:
    area: Area
    year: int
    month: int
    rows: list[ScreeningRow]
    total: ScreeningRow
    suppressed_reader: bool
    any_hidden: bool = False

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def family_month(user: User, year: int, month: int, today: date | None = None) -> tuple[int, int]:
    """The month shown: the one asked for, except that a suppressed reader gets the last
    completed month at the latest (see the module docstring)."""
    today = today or timezone.localdate()
    latest = (today.year, today.month)
    if aggregates_suppressed(user):
        latest = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return min((year, month), latest)


def ktpa_screening_family(
    user: User, area_code: str, year: int, month: int
) -> ScreeningFamily | None:
    """The section's context for the area and month; None for a reader without the rule, an
    area outside their `indicator_areas` or one below desa level."""
    if not can_view_screening_counts(user):
        return None
    area = indicator_areas(user).filter(code=area_code, level__in=LEVELS).first()
    if area is None:
        return None
    year, month = family_month(user, year, month)
    tree = area_tree(area)
    counts = desa_screening_counts(tree.village_ids, year, month)
    children = tree.children
    figures = tree.figures(counts, MEASURES)
    total = sum_measures(counts.values(), MEASURES)
    suppressed = aggregates_suppressed(user)
    hidden = hidden_cells(figures, total, MEASURES, NESTED) if suppressed else set()

    def row(key: str, name: str, values: dict[str, int], is_total: bool = False) -> ScreeningRow:
        shown = {m: None if (key, m) in hidden else values[m] for m in MEASURES}
        return ScreeningRow(name=name, is_total=is_total, **shown)

    return ScreeningFamily(
        area=area,
        year=year,
        month=month,
        rows=[row(code, name, figures[code]) for code, name in children],
        total=row("", str(area), total, is_total=True),
        suppressed_reader=suppressed,
        any_hidden=bool(hidden),
    )
