"""Reads of maternal and perinatal deaths, scoped to the user
(``ilp.accounts.access.death_scope_q``): the list with each review's state, one death, the
path of care before it (the person's referrals and encounters of the weeks before), and the
counts per area and year (maternal deaths, stillbirths, neonatal deaths).

Counts are of deaths not voided, by the year of death (local time) and the dead person's
desa (a stillbirth: the mother's). They are shown to the roles that read deaths only; no
cross-sector role reads them, so no suppression applies here (a page that ever shows them to
one must pass them through ``ilp.core.suppression``).

:func:`desa_mortality_counts` is the monitoring family's read (``ilp.monitoring.death_family``):
per desa of a list, unscoped by death (the caller checks the areas against
``indicator_areas``) and naming no one, the year's deaths by kind, the infant deaths of the
registry and the live births.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import death_scope_q, may_record_death
from ilp.accounts.models import User
from ilp.care.models import Encounter
from ilp.core.exceptions import NotFound
from ilp.people.models import Person, Pregnancy, PregnancyOutcome
from ilp.places.models import Area, Facility, FacilityKind
from ilp.referrals.models import Death, DeathKind, Referral

# How far back the path of care before a death is read (the maternal period: 42 days).
CARE_PATH_DAYS = 42
# Area levels of the counts: the desa, its kecamatan, the whole district.
COUNT_LEVELS = ("desa", "kecamatan", "district")


def deaths_for(user: User) -> QuerySet[Death]:
    """Every death the user reads (voided ones too: the list marks them)."""
    return Death.objects.filter(death_scope_q(user)).select_related(
        "person", "person__village", "facility", "review"
    )


def death_list(user: User, year: int | None = None) -> list[Death]:
    """The deaths the user reads, latest first, optionally of one year."""
    found = deaths_for(user)
    if year is not None:
        found = found.filter(died_at__year=year)
    return list(found.order_by("-died_at", "-pk"))


def death_get(user: User, death_uuid: Any) -> Death:
    """One death the user reads; NotFound otherwise (outside scope looks the same)."""
    try:
        found = (
            deaths_for(user)
            .select_related("pregnancy", "referral", "notified_by_facility", "created_by")
            .filter(uuid=death_uuid)
            .first()
        )
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise NotFound(_("Catatan kematian tidak ditemukan."))
    return found


@dataclass
class CarePath:
    """The person's referrals and encounters in the weeks before the death."""

    referrals: list[Referral] = field(default_factory=list)
    encounters: list[Encounter] = field(default_factory=list)


def care_path(death: Death) -> CarePath:
    """The path of care before `death` (see ``CARE_PATH_DAYS``), oldest first. A stillbirth's
    is the mother's."""
    start = death.died_at - timedelta(days=CARE_PATH_DAYS)
    referrals = (
        Referral.objects.filter(person_id=death.person_id, decided_at__gte=start)
        .filter(decided_at__lte=death.died_at)
        .select_related("from_facility", "to_facility")
        .order_by("decided_at", "pk")
    )
    died_on = timezone.localtime(death.died_at).date()
    encounters = (
        Encounter.objects.active()
        .filter(person_id=death.person_id, date__gte=died_on - timedelta(days=CARE_PATH_DAYS))
        .filter(date__lte=died_on)
        .select_related("facility")
        .order_by("date", "pk")
    )
    return CarePath(list(referrals), list(encounters))


def death_facilities() -> QuerySet[Facility]:
    """Facilities a death may have happened at (the form's list)."""
    return Facility.objects.filter(
        kind__in=(
            FacilityKind.POSYANDU,
            FacilityKind.PUSTU,
            FacilityKind.PUSKESMAS,
            FacilityKind.HOSPITAL,
        ),
        is_active=True,
    ).order_by("kind", "name")


def may_void(user: User, death: Death) -> bool:
    """Whether the page offers voiding `death` (the service checks again)."""
    return death.voided_at is None and may_record_death(user, death.person, death.facility)


@dataclass(frozen=True)
class CountRow:
    """Deaths of one area in one year, by kind."""

    area: str
    maternal: int
    stillbirth: int
    neonatal: int


def death_counts(user: User, year: int, level: str = "desa") -> list[CountRow]:
    """Deaths the user reads in `year` per desa, kecamatan or for the whole district (one
    query), by kind; areas without a death are left out."""
    if level not in COUNT_LEVELS:
        level = "desa"
    column = {
        "desa": "person__village_id",
        "kecamatan": "person__village__parent_id",
        "district": "person__village__parent__parent_id",
    }[level]
    rows = (
        Death.objects.active()
        .filter(death_scope_q(user))
        .annotate(year=ExtractYear("died_at"))
        .filter(year=year)
        .values(column)
        .annotate(
            maternal=Count("pk", filter=Q(kind=DeathKind.MATERNAL)),
            stillbirth=Count("pk", filter=Q(kind=DeathKind.STILLBIRTH)),
            neonatal=Count("pk", filter=Q(kind=DeathKind.NEONATAL)),
        )
    )
    found = {r[column]: r for r in rows}
    names = dict(Area.objects.filter(pk__in=list(found)).values_list("pk", "name"))
    return sorted(
        (
            CountRow(names.get(pk, "—"), r["maternal"], r["stillbirth"], r["neonatal"])
            for pk, r in found.items()
        ),
        key=lambda row: row.area,
    )


@dataclass
class DesaMortality:
    """One desa's year: deaths by kind (``Death``, not voided), infant deaths (the registry:
    persons who died before their first birthday, any cause; neonatal deaths are among them)
    and live births (the larger of persons born that year and pregnancies ended in a live
    birth that year: the register lags behind births, a pregnancy outcome misses twins and
    mothers never seen in ANC, so the larger is the better lower bound)."""

    maternal: int = 0
    stillbirth: int = 0
    neonatal: int = 0
    infant: int = 0
    births_registered: int = 0
    births_outcome: int = 0

    @property
    def live_births(self) -> int:
        return max(self.births_registered, self.births_outcome)


def _yyyymmdd(field_name: str) -> Any:
    return ExtractYear(field_name) * 10000 + ExtractMonth(field_name) * 100 + ExtractDay(field_name)


def desa_mortality_counts(village_ids: list[int], year: int) -> dict[int, DesaMortality]:
    """The year's figures per desa of `village_ids` by the residence desa (three queries:
    deaths, persons, pregnancies); a desa without any is absent. Before the first birthday
    compares dates as yyyymmdd numbers (``ilp.standards.mortality.died_before_first_birthday``),
    which both SQLite and PostgreSQL compute."""
    found: dict[int, DesaMortality] = {}
    deaths = (
        Death.objects.active()
        .filter(person__village_id__in=village_ids, died_at__year=year)
        .values("person__village_id")
        .annotate(
            maternal=Count("pk", filter=Q(kind=DeathKind.MATERNAL)),
            stillbirth=Count("pk", filter=Q(kind=DeathKind.STILLBIRTH)),
            neonatal=Count("pk", filter=Q(kind=DeathKind.NEONATAL)),
        )
    )
    for row in deaths:
        counts = found.setdefault(row["person__village_id"], DesaMortality())
        counts.maternal, counts.stillbirth = row["maternal"], row["stillbirth"]
        counts.neonatal = row["neonatal"]
    persons = (
        Person.objects.active()
        .filter(village_id__in=village_ids)
        .filter(Q(birth_date__year=year) | Q(deceased_on__year=year))
        .annotate(age_key=_yyyymmdd("deceased_on") - _yyyymmdd("birth_date"))
        .values("village_id")
        .annotate(
            born=Count("pk", filter=Q(birth_date__year=year)),
            infant=Count("pk", filter=Q(deceased_on__year=year, age_key__lt=10000)),
        )
    )
    for row in persons:
        counts = found.setdefault(row["village_id"], DesaMortality())
        counts.births_registered, counts.infant = row["born"], row["infant"]
    outcomes = (
        Pregnancy.objects.active()
        .filter(person__village_id__in=village_ids)
        .filter(outcome=PregnancyOutcome.LIVE_BIRTH, outcome_date__year=year)
        .values("person__village_id")
        .annotate(n=Count("pk"))
    )
    for row in outcomes:
        found.setdefault(row["person__village_id"], DesaMortality()).births_outcome = row["n"]
    return found
