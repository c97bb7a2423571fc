"""Aggregate population counts for the home pages: counts only, never a name or a NIK.

Every function starts from `aggregate_areas(user)` (ilp.accounts.access), so a user sees the
figures of their own area and nothing else; a role without aggregates gets empty lists.

These are live counts over the person table, acceptable for the home page of one district at
today's sizes. When the monitoring app's pre-aggregated count tables exist (STYLE §2.15), these
functions should read from them instead; their callers will not change.

Viewers without personal-data access (cross-sector) see the stage tables through
`suppress_stage_counts` (``ilp.core.suppression``): no count below 5, nor one recoverable by
subtraction.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ilp.accounts.access import aggregate_areas
from ilp.accounts.models import User
from ilp.core.suppression import Nesting, Relation, suppress
from ilp.people.models import Person, Sex
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind
from ilp.standards.lifestage import STAGES, completed_months

# The person column that holds an area of each level (kecamatan goes through the desa).
_AREA_COLUMN: dict[int, str] = {
    AreaLevel.DISTRICT: "village__parent_id",
    AreaLevel.VILLAGE: "village_id",
    AreaLevel.HAMLET: "hamlet_id",
}


@dataclass
class AreaCount:
    """Living residents of one area, in total and by sex."""

    area: Area
    total: int = 0
    male: int = 0
    female: int = 0


@dataclass
class StageCount:
    stage: str
    male: int = 0
    female: int = 0

    @property
    def total(self) -> int:
        return self.male + self.female


@dataclass
class AreaStageCounts:
    """Living residents of one area by ILP life stage and sex (stages overlap)."""

    area: Area
    total: int = 0
    stages: list[StageCount] = field(default_factory=list)


@dataclass
class FacilityCount:
    facility: Facility
    total: int = 0


def _living() -> QuerySet[Person]:
    return Person.objects.active().filter(deceased_on__isnull=True)


def _areas_at(user: User, level: int) -> list[Area]:
    return list(aggregate_areas(user).filter(level=level).order_by("code"))


def population_by_area(user: User, level: int) -> list[AreaCount]:
    """Living residents per area of `level` (kecamatan, desa or dusun) within the user's
    aggregate scope, with the split by sex."""
    areas = _areas_at(user, level)
    if not areas:
        return []
    column = _AREA_COLUMN[level]
    rows = (
        _living()
        .filter(**{f"{column}__in": [a.pk for a in areas]})
        .values(column)
        .annotate(
            total=Count("pk"),
            male=Count("pk", filter=Q(sex=Sex.MALE)),
            female=Count("pk", filter=Q(sex=Sex.FEMALE)),
        )
    )
    by_area = {r[column]: r for r in rows}
    result = []
    for area in areas:
        r = by_area.get(area.pk, {})
        result.append(AreaCount(area, r.get("total", 0), r.get("male", 0), r.get("female", 0)))
    return result


def _latest_birth_with_months(on: date, months: int) -> date:
    """The latest birth date at which a person is at least `months` old on `on`, found with
    the standards module's own month count so the bands match `life_stages` exactly."""
    low = date(on.year - months // 12 - 2, 1, 1)  # certainly old enough
    high = on  # certainly too young for months >= 1
    while (high - low).days > 1:
        mid = low + (high - low) // 2
        if completed_months(mid, on) >= months:
            low = mid
        else:
            high = mid
    return low


def stage_filters(on: date) -> dict[str, Q]:
    """One filter on birth_date per ILP life stage on `on` (same bands as
    `ilp.standards.lifestage.life_stages`)."""

    def born_after_months(m: int) -> Q:  # younger than m completed months
        return Q(birth_date__gt=_latest_birth_with_months(on, m))

    def born_by_months(m: int) -> Q:  # at least m completed months old
        return Q(birth_date__lte=_latest_birth_with_months(on, m))

    born = Q(birth_date__lte=on)
    return {
        "newborn": born & Q(birth_date__gte=on - timedelta(days=28)),
        "infant": born & born_after_months(12),
        "toddler": born & born_after_months(60),
        "preschool": born_by_months(60) & born_after_months(73),
        "school_age": born_by_months(72) & born_after_months(216),
        "adolescent": born_by_months(120) & born_after_months(216),
        "adult": born_by_months(216) & born_after_months(720),
        "elderly": born_by_months(720),
    }


def population_by_stage(user: User, level: int, on: date | None = None) -> list[AreaStageCounts]:
    """Living residents per area of `level` by life stage and sex, within the user's
    aggregate scope. A person counts in every stage they are in (the bands overlap)."""
    areas = _areas_at(user, level)
    if not areas:
        return []
    on = on or timezone.localdate()
    column = _AREA_COLUMN[level]
    filters = stage_filters(on)
    annotations = {"total": Count("pk")}
    for stage in STAGES:
        annotations[f"{stage}_M"] = Count("pk", filter=filters[stage] & Q(sex=Sex.MALE))
        annotations[f"{stage}_F"] = Count("pk", filter=filters[stage] & Q(sex=Sex.FEMALE))
    rows = (
        _living()
        .filter(**{f"{column}__in": [a.pk for a in areas]})
        .values(column)
        .annotate(**annotations)
    )
    by_area = {r[column]: r for r in rows}
    result = []
    for area in areas:
        r = by_area.get(area.pk, {})
        result.append(
            AreaStageCounts(
                area,
                r.get("total", 0),
                [StageCount(s, r.get(f"{s}_M", 0), r.get(f"{s}_F", 0)) for s in STAGES],
            )
        )
    return result


def population_by_puskesmas(user: User) -> list[FacilityCount]:
    """Living residents in each puskesmas working area within the user's aggregate scope."""
    villages = population_by_area(user, AreaLevel.VILLAGE)
    if not villages:
        return []
    count_of = {c.area.pk: c.total for c in villages}
    facilities = (
        Facility.objects.filter(kind=FacilityKind.PUSKESMAS, service_areas__in=list(count_of))
        .distinct()
        .prefetch_related("service_areas")
        .order_by("code")
    )
    return [
        FacilityCount(f, sum(count_of.get(a.pk, 0) for a in f.service_areas.all()))
        for f in facilities
    ]


# Life stages that lie within another (the outer count includes the inner one): the
# difference of the two is a count too, and suppression must protect it.
STAGE_NESTINGS = (("infant", "newborn"), ("toddler", "infant"), ("school_age", "adolescent"))


@dataclass
class ShownStage:
    """One row of a suppressed stage table: None where a count is hidden."""

    stage: str
    male: int | None
    female: int | None
    total: int | None
    label: str = ""

    @property
    def counts(self) -> tuple[int | None, int | None, int | None]:
        return (self.male, self.female, self.total)


@dataclass
class ShownArea:
    area: Area
    total: int | None
    stages: list[ShownStage]


def suppress_stage_counts(
    areas: list[AreaStageCounts],
) -> tuple[list[ShownArea], int | None]:
    """The areas' stage × sex tables and their grand total with every count below the
    threshold hidden, and every count that would give one back by subtraction (male +
    female = total per row; the areas' totals = the grand total; nested stages)."""
    values: dict[Hashable, int] = {("grand",): sum(a.total for a in areas)}
    relations = [Relation(("grand",), tuple((a.area.pk, "total") for a in areas))]
    nestings = []
    for a in areas:
        values[(a.area.pk, "total")] = a.total
        for s in a.stages:
            m, f, t = ((a.area.pk, s.stage, x) for x in ("M", "F", "T"))
            values.update({m: s.male, f: s.female, t: s.total})
            relations.append(Relation(t, (m, f)))
        for outer, inner in STAGE_NESTINGS:
            for x in ("M", "F", "T"):
                nestings.append(Nesting((a.area.pk, outer, x), (a.area.pk, inner, x)))
    hidden = suppress(values, relations, nestings)

    def shown(key: Hashable) -> int | None:
        return None if key in hidden else values[key]

    result = [
        ShownArea(
            a.area,
            shown((a.area.pk, "total")),
            [
                ShownStage(
                    s.stage,
                    shown((a.area.pk, s.stage, "M")),
                    shown((a.area.pk, s.stage, "F")),
                    shown((a.area.pk, s.stage, "T")),
                )
                for s in a.stages
            ],
        )
        for a in areas
    ]
    return result, shown(("grand",))
