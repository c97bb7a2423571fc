"""Reads of the care app for its pages: a person's encounters and open tasks, a posyandu the
user may open, and what a posyandu session holds.

Scope is settled at the entry points: persons come from ``ilp.people.selectors.person_detail``
(scoped and audited), posyandu from :func:`posyandu_for_user`; the session reads below take
those already-scoped objects, and :func:`session_people` narrows a session's sasaran to the
persons the user may see. Every function is one query (or a fixed number), whatever the size
of the session.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ilp.accounts.access import may_view_posyandu, person_scope_q
from ilp.accounts.models import User
from ilp.care.models import (
    Attendance,
    Encounter,
    ImmunizationRecord,
    Observation,
    PosyanduSession,
    Task,
    TaskStatus,
)
from ilp.care.services.sessions import session_expected
from ilp.core.exceptions import NotFound
from ilp.people.models import Person
from ilp.people.selectors import persons_visible, record_of_visible_person
from ilp.places.models import Facility, FacilityKind
from ilp.standards.dates import years_before

PERSON_ENCOUNTERS_LIMIT = 20
# An encounter's observations that count (a voided one, e.g. a mistyped height, does not).
_ACTIVE_OBSERVATIONS = Prefetch("observations", queryset=Observation.objects.active())
RECENT_SESSIONS_LIMIT = 24

# ---------------------------------------------------------------- a person


def person_encounters(person: Person, *, limit: int = PERSON_ENCOUNTERS_LIMIT) -> list[Encounter]:
    """The person's latest `limit` encounters, newest first, with their facility.

    `person` must come from a scoped selector (``person_detail``)."""
    return list(
        Encounter.objects.filter(person=person)
        .select_related("facility", "voided_by")
        .order_by("-date", "-pk")[:limit]
    )


def person_active_encounters(person: Person) -> QuerySet[Encounter]:
    """The person's encounters that count (voided ones left out), newest first, with what
    the API shows of each (person, facility, pregnancy).

    `person` must come from a scoped selector (``person_detail``)."""
    return (
        Encounter.objects.active()
        .filter(person=person)
        .select_related("person", "facility", "pregnancy")
        .order_by("-date", "-pk")
    )


def person_doses(person: Person) -> list[ImmunizationRecord]:
    """The person's immunisation doses, voided ones too (pages strike them through), by
    date. `person` must come from a scoped selector (``person_detail``)."""
    return list(
        ImmunizationRecord.objects.filter(person=person)
        .select_related("voided_by")
        .order_by("date", "pk")
    )


def encounter_for_user(user: User, encounter_uuid, *, ip: str | None = None) -> Encounter:
    """One encounter of a person the user may see (with its person), or NotFound; audited."""
    return record_of_visible_person(
        user,
        Encounter.objects.select_related("person", "facility", "pregnancy"),
        encounter_uuid,
        object_type="encounter",
        not_found=_("Catatan pelayanan tidak ditemukan di wilayah Anda."),
        ip=ip,
    )


def dose_for_user(user: User, dose_uuid, *, ip: str | None = None) -> ImmunizationRecord:
    """One dose of a person the user may see (with its person), or NotFound; audited."""
    return record_of_visible_person(
        user,
        ImmunizationRecord.objects.select_related("person"),
        dose_uuid,
        object_type="immunization",
        not_found=_("Catatan imunisasi tidak ditemukan di wilayah Anda."),
        ip=ip,
    )


def person_open_tasks(person: Person) -> list[Task]:
    """The person's open tasks, earliest due first.

    `person` must come from a scoped selector (``person_detail``)."""
    return list(
        Task.objects.filter(person=person, status=TaskStatus.OPEN)
        .select_related("facility")
        .order_by("due_date", "pk")
    )


# ---------------------------------------------------------------- a posyandu


def posyandu_for_user(user: User, code: str) -> Facility:
    """The posyandu with `code` if the user works there (kader) or supervises its dusun/RW
    (puskesmas, pustu, district roles); else NotFound, also when it does not exist (we do not
    say whether it exists elsewhere)."""
    try:
        posyandu = Facility.objects.select_related("area").get(
            kind=FacilityKind.POSYANDU, code=code
        )
    except Facility.DoesNotExist as exc:
        raise NotFound(_("Posyandu tidak ditemukan di wilayah Anda.")) from exc
    if not may_view_posyandu(user, posyandu):
        raise NotFound(_("Posyandu tidak ditemukan di wilayah Anda."))
    return posyandu


def recent_sessions(
    posyandu: Facility, *, limit: int = RECENT_SESSIONS_LIMIT
) -> list[PosyanduSession]:
    """The posyandu's latest `limit` sessions, newest first.

    `posyandu` must come from :func:`posyandu_for_user`."""
    return list(PosyanduSession.objects.filter(posyandu=posyandu).order_by("-date")[:limit])


def session_on(posyandu: Facility, on: date) -> PosyanduSession | None:
    """The posyandu's session on `on`, or None when none was opened that day.

    `posyandu` must come from :func:`posyandu_for_user`."""
    return PosyanduSession.objects.filter(posyandu=posyandu, date=on).first()


# ---------------------------------------------------------------- a session


def session_people(user: User, session: PosyanduSession) -> list[Person]:
    """The session's sasaran (``session_expected``: balita first, then by group and name) that
    the user may see. Two queries."""
    expected = session_expected(session)
    visible = set(
        persons_visible(user).filter(pk__in=[p.pk for p in expected]).values_list("pk", flat=True)
    )
    return [p for p in expected if p.pk in visible]


def session_attendance(session: PosyanduSession) -> dict[int, bool]:
    """Who was marked at the session: person id → present (absent persons map to False,
    unmarked persons are missing)."""
    return {a.person_id: a.present for a in Attendance.objects.filter(session=session)}


def person_attendance(session: PosyanduSession, person: Person) -> bool | None:
    """Whether `person` was marked present (True), absent (False) or not at all (None)."""
    return (
        Attendance.objects.filter(session=session, person=person)
        .values_list("present", flat=True)
        .first()
    )


def present_count(session: PosyanduSession) -> int:
    """How many persons were marked present at the session."""
    return Attendance.objects.filter(session=session, present=True).count()


def session_present_counts(session: PosyanduSession) -> dict[str, int]:
    """How many balita (under five on the session day) and how many older persons were
    marked present: ``{"balita": n, "others": m}``. One query."""
    five = years_before(session.date, 5)
    counts = Attendance.objects.filter(session=session, present=True).aggregate(
        balita=Count("pk", filter=Q(person__birth_date__gt=five)),
        others=Count("pk", filter=Q(person__birth_date__lte=five)),
    )
    return {"balita": counts["balita"] or 0, "others": counts["others"] or 0}


def session_encounters(session: PosyanduSession) -> dict[int, Encounter]:
    """The session's encounters by person id, with their observations; when a person has
    several, the last one of the day (by date, then id) wins."""
    encounters: dict[int, Encounter] = {}
    for enc in (
        Encounter.objects.active()
        .filter(session=session)
        .prefetch_related(_ACTIVE_OBSERVATIONS)
        .order_by("date", "pk")
    ):
        encounters[enc.person_id] = enc
    return encounters


def session_encounter(session: PosyanduSession, person: Person) -> Encounter | None:
    """The person's latest encounter at the session (highest id), with its observations."""
    return (
        Encounter.objects.active()
        .filter(session=session, person=person)
        .prefetch_related(_ACTIVE_OBSERVATIONS)
        .order_by("-pk")
        .first()
    )


def encounter_with_observations(encounter: Encounter) -> Encounter:
    """`encounter` read again with its observations (e.g. right after it was recorded)."""
    return Encounter.objects.prefetch_related(_ACTIVE_OBSERVATIONS).get(pk=encounter.pk)


def session_tasks(user: User, session: PosyanduSession) -> list[Task]:
    """The tasks the session produced for persons the user may see, with their person: first
    those of the session itself (home visits of absentees), then those of its encounters
    (follow-ups, referrals); each group by kind, then the person's name. Two queries."""
    visible = person_scope_q(user, "person__")
    return list(
        Task.objects.filter(visible, source_session=session)
        .select_related("person")
        .order_by("kind", "person__full_name")
    ) + list(
        Task.objects.filter(visible, source_encounter__session=session, source_session__isnull=True)
        .select_related("person")
        .order_by("kind", "person__full_name")
    )
