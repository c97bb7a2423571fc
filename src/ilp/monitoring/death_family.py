"""The "Kematian ibu dan bayi" family of the monitoring pages: for an area and year, a row per
child area (the desa of a kecamatan, the kecamatan of a district; a desa alone) and the area's
total, with the maternal deaths, stillbirths and neonatal deaths recorded (``Death``, not
voided), the infant deaths of the registry (persons who died before their first birthday, any
cause; the neonatal deaths are among them), the live births, and the maternal mortality ratio
and infant mortality rate only where the numbers carry one (``ilp.standards.mortality``).

Why not catalogue indicators: the catalogue counts persons per dusun as a share of a target
population, pre-aggregated monthly; these are yearly event counts and ratios per live birth,
of which a desa has a handful. Like the "Rujukan" family (``ilp.monitoring.referral_family``)
they are read directly (``ilp.referrals.selectors_deaths.desa_mortality_counts``, by the
residence desa) and shown as a section of the summary page.

Readers: ``can_view_death_counts``, for the areas of ``indicator_areas``. A cross-sector viewer
(``aggregates_suppressed``) gets the counts through ``ilp.core.suppression.suppress``: every
count of 1–4 (deaths or births) hidden, the total row = the sum of the child rows and the
infant deaths ⊇ the neonatal deaths protected against subtraction, a ratio hidden with either
of its counts. Such a viewer reads completed years only: a year's counts to date, read again
a month later, would give by difference the deaths of the month between.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone

from ilp.accounts.access import (
    aggregates_suppressed,
    can_view_death_counts,
    can_view_deaths,
    indicator_areas,
)
from ilp.accounts.models import User
from ilp.monitoring.area_tree import area_tree, hidden_cells, sum_measures
from ilp.places.models import Area, AreaLevel
from ilp.referrals.selectors_deaths import desa_mortality_counts
from ilp.standards import mortality

MEASURES = ("maternal", "stillbirth", "neonatal", "infant", "live_births")
# Levels the family is shown for: a desa's rows are itself; a dusun has too few events.
LEVELS = (AreaLevel.REGENCY, AreaLevel.DISTRICT, AreaLevel.VILLAGE)


@dataclass
class MortalityRow:
    """One area's figures of the year; a count is None where it is hidden from the reader."""

    name: str
    maternal: int | None
    stillbirth: int | None
    neonatal: int | None
    infant: int | None
    live_births: int | None
    is_total: bool = False

    @property
    def counts(self) -> list[int | None]:
        """The counts in the table's column order."""
        return [getattr(self, m) for m in MEASURES]

    @property
    def mmr(self) -> float | None:
        """Maternal deaths per 100,000 live births, None when not meaningful or hidden."""
        if self.maternal is None or self.live_births is None:
            return None
        return mortality.maternal_mortality_ratio(self.maternal, self.live_births)

    @property
    def imr(self) -> float | None:
        """Infant deaths per 1,000 live births, None when not meaningful or hidden."""
        if self.infant is None or self.live_births is None:
            return None
        return mortality.infant_mortality_rate(self.infant, self.live_births)


@dataclass
class DeathFamily:
    area: Area
    year: int
    rows: list[MortalityRow]
    total: MortalityRow
    suppressed_reader: bool
    any_hidden: bool = False
    min_events: int = mortality.MIN_EVENTS
    min_live_births: int = mortality.MIN_LIVE_BIRTHS
    deaths_url: str = field(default="")


def family_year(user: User, year: int, today: date | None = None) -> int:
    """The year shown: the one asked for, except that a suppressed reader gets the last
    completed year at the latest (see the module docstring)."""
    today = today or timezone.localdate()
    if aggregates_suppressed(user):
        return min(year, today.year - 1)
    return min(year, today.year)


def death_family(user: User, area_code: str, year: int) -> DeathFamily | None:
    """The section's context for the area and year; None for a reader without the rule, an
    area outside their `indicator_areas` or one below desa level."""
    if not can_view_death_counts(user):
        return None
    area = indicator_areas(user).filter(code=area_code, level__in=LEVELS).first()
    if area is None:
        return None
    year = family_year(user, year)
    tree = area_tree(area)
    counts = desa_mortality_counts(tree.village_ids, year)
    children = tree.children
    figures = tree.figures(counts, MEASURES)
    total = sum_measures(counts.values(), MEASURES)
    hidden = (
        hidden_cells(figures, total, MEASURES, [("infant", "neonatal")])
        if aggregates_suppressed(user)
        else set()
    )

    def row(key: str, name: str, values: dict[str, int], is_total: bool = False) -> MortalityRow:
        shown = {m: None if (key, m) in hidden else values[m] for m in MEASURES}
        return MortalityRow(name=name, is_total=is_total, **shown)

    return DeathFamily(
        area=area,
        year=year,
        rows=[row(code, name, figures[code]) for code, name in children],
        total=row("", str(area), total, is_total=True),
        suppressed_reader=aggregates_suppressed(user),
        any_hidden=bool(hidden),
        deaths_url=f"{reverse('referrals:deaths')}?tahun={year}" if can_view_deaths(user) else "",
    )
