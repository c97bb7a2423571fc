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

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from ilp.accounts.access import aggregates_suppressed, can_view_screening_counts, indicator_areas
from ilp.accounts.models import User
from ilp.core.suppression import Nesting, Relation, suppress
from ilp.places.models import Area, AreaLevel
from ilp.protection.selectors_screening import MEASURES, DesaScreenings, desa_screening_counts

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


def _sum(parts: list[DesaScreenings]) -> dict[str, int]:
    return {m: sum(getattr(p, m) for p in parts) for m in MEASURES}


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
    child_level = area.level + 1
    tree = list(
        Area.objects.filter(Q(code__startswith=f"{area.code}.") | Q(pk=area.pk))
        .filter(level__in={child_level, AreaLevel.VILLAGE})
        .order_by("name", "code")
        .values_list("pk", "code", "name", "level")
    )
    villages = [(pk, code) for pk, code, _n, level in tree if level == AreaLevel.VILLAGE]
    counts = desa_screening_counts([pk for pk, _c in villages], year, month)
    children = [
        (code, name)
        for _pk, code, name, level in tree
        if level == child_level and area.level != AreaLevel.VILLAGE
    ]
    figures: dict[str, dict[str, int]] = {}
    for code, _name in children:
        inside = [
            counts[pk]
            for pk, vcode in villages
            if pk in counts and (vcode == code or vcode.startswith(f"{code}."))
        ]
        figures[code] = _sum(inside)
    total = _sum(list(counts.values()))
    suppressed = aggregates_suppressed(user)
    hidden = _hidden(figures, total) if suppressed else set()

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


def _hidden(figures: dict[str, dict[str, int]], total: dict[str, int]) -> set[Hashable]:
    """The (row, measure) cells a suppressed reader does not see: counts of 1–4, and those
    that would give one back by subtraction (``ilp.core.suppression``)."""
    values: dict[Hashable, int] = {("", m): total[m] for m in MEASURES}
    for code, counts in figures.items():
        values.update({(code, m): counts[m] for m in MEASURES})
    rows = ["", *figures]
    relations = [
        Relation(total=("", m), parts=tuple((code, m) for code in figures))
        for m in MEASURES
        if figures
    ]
    nestings = [Nesting(outer=(r, outer), inner=(r, inner)) for r in rows for outer, inner in NESTED]
    return suppress(values, relations, nestings)
