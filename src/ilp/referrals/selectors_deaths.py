"""Reads of maternal and perinatal deaths, scoped to the user
(``ilp.accounts.access.death_scope_q``): the list with each review's state, one death, the
path of care before it (the person's referrals and encounters of the weeks before), and the
counts per area and year (maternal deaths, stillbirths, neonatal deaths).

Counts are of deaths not voided, by the year of death (local time) and the dead person's
desa (a stillbirth: the mother's). They are shown to the roles that read deaths only; no
cross-sector role reads them, so no suppression applies here (a page that ever shows them to
one must pass them through ``ilp.core.suppression``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import death_scope_q, may_record_death
from ilp.accounts.models import User
from ilp.care.models import Encounter
from ilp.core.exceptions import NotFound
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
