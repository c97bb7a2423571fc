"""Posyandu sessions: open the day, list its sasaran, weigh, screen adults, mark attendance,
add visitors, close.

**Who belongs to a session.** A session records only its own posyandu's people — residents
(alive on the day) of the dusun/RW it serves (its ``service_areas``; DOMAIN.md §2.3) — plus
*visitors* added explicitly by the session runner (`session_add_visitor`, audited). Any other
person is refused (`PermissionDenied`), even when the recorder's wider scope (a pustu, a
puskesmas) covers them.

**Sasaran of a session** (`session_expected`), in this order:

1. ``balita``: children 0–59 completed months (DOMAIN.md §1.3) — weighed every month (SKDN);
2. ``ibu_hamil``: women with an ongoing pregnancy;
3. ``lansia``: persons ≥ 60 years without an elderly or adult screening in the last 365 days
   (SKILAS and PTM screening at least yearly, CLINICAL.md §4.7, DOMAIN.md §1.2);
4. ``dewasa``: persons 15–59 years without an adult screening in the last 365 days (yearly
   HT screening from 15 years, DOMAIN.md §1.2);
5. ``tindak_lanjut``: anyone else of the posyandu with an open task at the posyandu due on or
   before the session day (a blood-pressure recheck is done at the next session);
6. ``pengunjung``: visitors added to this session.

Each returned Person carries ``sasaran`` (the code above). Only absent **balita** get a
home-visit task when the session closes: monthly weighing is what a missed session breaks;
adults due for screening stay on the screening work list instead. A balita counts as present
when marked present or weighed at the session, or when weighed at the posyandu on the day
through the person's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    require_person_in_scope,
    require_session_runner,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.care.evaluation import ages
from ilp.care.evaluation.registry import SESSION_ADULT_KEYS
from ilp.care.models import (
    Attendance,
    Encounter,
    PosyanduSession,
    Task,
    TaskKind,
    TaskStatus,
)
from ilp.care.services.encounters import RecordResult, encounter_record
from ilp.core.dates import parse_date_param
from ilp.core.exceptions import BadParameter, PermissionDenied, ValidationFailed
from ilp.core.texts import Text
from ilp.people.models import Person, Pregnancy, PregnancyOutcome
from ilp.places.models import Facility
from ilp.standards.dates import years_before

# A session is opened on its day or entered late from the paper register, never older than
# five years: no child it weighed would still be a balita.
SESSION_MAX_YEARS_BACK = 5

HOME_VISIT_DUE_DAYS = 7
SCREENING_INTERVAL_DAYS = 365
# What the session screen records for an adult (the posyandu part of the ``adult`` and
# ``elderly`` packages: weight, blood pressure, waist, capillary glucose, the smoking
# question); anything else goes through the package form.
SESSION_PERSON_FIELDS = ("uuid", "full_name", "name_key", "sex", "birth_date", "deceased_on")
ADULT_SESSION_KEYS = SESSION_ADULT_KEYS


def session_open(*, actor: User, posyandu: Facility, on: date) -> PosyanduSession:
    """Open (or return the already opened) session of `posyandu` on `on`."""
    if posyandu.kind != "posyandu":
        raise ValidationFailed(
            _("Sesi hanya untuk posyandu."), fields={"posyandu": [_("Pilih posyandu.")]}
        )
    require_session_runner(actor, posyandu)
    session_date_check(on)
    existing = PosyanduSession.objects.filter(posyandu=posyandu, date=on).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            session = PosyanduSession.objects.create(
                posyandu=posyandu, date=on, opened_by=actor, created_by=actor, updated_by=actor
            )
            audit_record(
                user=actor,
                action="create",
                object_type="posyandu_session",
                object_uuid=session.uuid,
            )
    except IntegrityError:
        # Two devices opened the same day at once (one_session_per_day).
        return PosyanduSession.objects.get(posyandu=posyandu, date=on)
    return session


def session_date_check(on: date) -> date:
    """`on` if a session may be held that day (today or up to five years back); otherwise
    ValidationFailed with the message on the field ``on``."""
    today = timezone.localdate()
    if on > today:
        raise ValidationFailed(
            _("Sesi tidak dapat dibuka untuk tanggal di masa depan."),
            fields={"on": [_("Tanggal di masa depan.")]},
        )
    earliest = years_before(today, SESSION_MAX_YEARS_BACK)
    if on < earliest:
        message = _("Sesi hanya dapat dibuka untuk tanggal sejak %(earliest)s.") % {
            "earliest": date_format(earliest, "j F Y")
        }
        raise ValidationFailed(message, fields={"on": [message]})
    return on


def session_date_parse(raw: str) -> date:
    """A session date typed or sent as text, read by the one date parser
    (`ilp.core.dates`) and checked by `session_date_check`: ValidationFailed with a message
    on the field ``on`` for anything else (0001-01-01, 1900-01-01, tomorrow, garbage)."""
    try:
        on = parse_date_param(raw, name="on")
    except BadParameter as exc:
        raise ValidationFailed(exc.message, fields=exc.fields) from exc
    return session_date_check(on)


def _alive_here(session: PosyanduSession) -> Q:
    """Residents of the posyandu's dusun/RW alive on the session day."""
    return Q(hamlet__served_by=session.posyandu_id) & (
        Q(deceased_on__isnull=True) | Q(deceased_on__gt=session.date)
    )


def _residents(session: PosyanduSession) -> QuerySet[Any]:
    """Residents of the posyandu's dusun/RW alive on the session day (unordered)."""
    return Person.objects.active().filter(_alive_here(session))


def _overdue_task(session: PosyanduSession) -> Exists:
    """An open task at this posyandu due on or before the session day."""
    return Exists(
        Task.objects.filter(
            person=OuterRef("pk"),
            facility=session.posyandu_id,
            status=TaskStatus.OPEN,
            due_date__lte=session.date,
        )
    )


def session_admits(session: PosyanduSession, person: Person) -> bool:
    """Whether `person` may be recorded at the session: a resident of the posyandu's
    dusun/RW, or a visitor added to this session. One query on the person's row."""
    visitor = Q(pk__in=Attendance.objects.filter(session=session, visitor=True).values("person_id"))
    return (
        Person.objects.active().filter(pk=person.pk).filter(_alive_here(session) | visitor).exists()
    )


def _require_admitted(session: PosyanduSession, person: Person) -> None:
    if not session_admits(session, person):
        raise PermissionDenied(
            _("%(name)s bukan warga wilayah posyandu ini; tambahkan dulu sebagai pengunjung.")
            % {"name": person.full_name}
        )


def _balita(on: date) -> Q:
    return Q(birth_date__gt=years_before(on, 5), birth_date__lte=on)


def _annotated(queryset: QuerySet[Any], session: PosyanduSession) -> QuerySet[Any]:
    """Persons with an ongoing pregnancy or an overdue task at the posyandu marked."""
    pregnant = Exists(
        Pregnancy.objects.active().filter(person=OuterRef("pk"), outcome=PregnancyOutcome.ONGOING)
    )
    return queryset.annotate(is_pregnant=pregnant, overdue_task=_overdue_task(session))


def _screened(session: PosyanduSession, person_ids: list[int]) -> set[int]:
    """Of `person_ids`, those with an adult or elderly screening in the year before the
    session (a screening at the session itself keeps the person on it). The ids are a
    literal list: PostgreSQL then probes the (person, package) index per person instead of
    hashing every screening of the district."""
    on = session.date
    return set(
        Encounter.objects.active()
        .filter(
            person_id__in=person_ids,
            package__in=("adult", "elderly"),
            date__gt=on - timedelta(days=SCREENING_INTERVAL_DAYS),
            date__lte=on,
        )
        .exclude(session=session)
        .values_list("person_id", flat=True)
    )


def session_expected(session: PosyanduSession) -> list[Person]:
    """The session's sasaran (see the module docstring), balita first, then pregnant women,
    elderly and adults due for screening, persons with an overdue task, visitors; by name
    within each group. Four queries: the session's attendance rows, its residents (through
    the dusun/RW index), their screenings of the last year, its visitors."""
    on = session.date
    marks = dict(Attendance.objects.filter(session=session).values_list("person_id", "visitor"))
    visitor_ids = {pk for pk, visitor in marks.items() if visitor}
    # Only what the session page and its services read of a person: a posyandu serves
    # hundreds of residents, and full rows cost more to build than to fetch.
    residents = list(_annotated(_residents(session).only(*SESSION_PERSON_FIELDS), session))
    five, fifteen = years_before(on, 5), years_before(on, 15)
    screened = _screened(session, [p.pk for p in residents if p.birth_date <= fifteen])
    people = []
    for p in residents:
        p.screened = p.pk in screened
        p.is_visitor = False
        if (
            five < p.birth_date <= on
            or p.is_pregnant
            or (p.birth_date <= fifteen and not p.screened)
            or p.overdue_task
            or p.pk in marks  # marked at this session (present or absent): stays on it
        ):
            people.append(p)
    seen = {p.pk for p in residents}
    if visitor_ids - seen:
        visitors = Person.objects.active().filter(pk__in=visitor_ids - seen)
        for p in _annotated(visitors.only(*SESSION_PERSON_FIELDS), session):
            p.screened, p.is_visitor = True, True
            people.append(p)
    people.sort(key=lambda p: (p.name_key, p.pk))
    sixty = years_before(on, 60)
    order = {
        "balita": 0,
        "ibu_hamil": 1,
        "lansia": 2,
        "dewasa": 3,
        "tindak_lanjut": 4,
        "pengunjung": 5,
    }
    for p in people:
        if p.is_visitor:
            p.sasaran = "pengunjung"
        elif p.birth_date > five:
            p.sasaran = "balita"
        elif p.is_pregnant:
            p.sasaran = "ibu_hamil"
        elif p.birth_date <= sixty and not p.screened:
            p.sasaran = "lansia"
        elif p.birth_date <= fifteen and not p.screened:
            p.sasaran = "dewasa"
        else:
            p.sasaran = "tindak_lanjut"
    people.sort(key=lambda p: order[p.sasaran])
    return people


def _require_open(session: PosyanduSession) -> None:
    """A closed session takes no more rows: its absentees have already become tasks."""
    if session.closed_at is not None:
        raise ValidationFailed(
            _("Sesi posyandu ini sudah ditutup; buka catatan layanan orangnya untuk menambah."),
            code="session_closed",
        )


def session_mark_attendance(
    *, actor: User, session: PosyanduSession, person: Person, present: bool
) -> Attendance:
    """Mark `person` present or absent at the session (one row per person)."""
    require_session_runner(actor, session.posyandu)
    _require_open(session)
    require_person_in_scope(actor, person)
    _require_admitted(session, person)
    attendance, _created = Attendance.objects.update_or_create(
        session=session, person=person, defaults={"present": present}
    )
    return attendance


def session_add_visitor(
    *, actor: User, session: PosyanduSession, person: Person, ip: str | None = None
) -> Attendance:
    """Add `person` (in the actor's scope, living outside the posyandu's dusun/RW) to the
    session as a visitor, present; audited. Adding a resident or the same visitor twice
    changes nothing."""
    require_session_runner(actor, session.posyandu)
    _require_open(session)
    require_person_in_scope(actor, person)
    if session_admits(session, person):
        return Attendance.objects.get_or_create(session=session, person=person)[0]
    with transaction.atomic():
        attendance, _created = Attendance.objects.update_or_create(
            session=session, person=person, defaults={"present": True, "visitor": True}
        )
        audit_record(
            user=actor,
            action="update",
            object_type="posyandu_session",
            object_uuid=session.uuid,
            person_id=person.pk,
            ip=ip,
            detail={"visitor_added": person.pk},
        )
    return attendance


def _mark_present(session: PosyanduSession, person: Person) -> None:
    # One upsert on the (session, person) unique key.
    Attendance.objects.bulk_create(
        [Attendance(session=session, person=person, present=True)],
        update_conflicts=True,
        unique_fields=["session", "person"],
        update_fields=["present"],
    )


def _record_at_session(
    actor: User,
    session: PosyanduSession,
    person: Person,
    package: str,
    values: dict[str, Any],
    *,
    client_id: UUID | None,
    confirm: bool,
) -> RecordResult:
    """One encounter of the session through `encounter_record` (the package forms' service),
    and the person marked present, in one transaction."""
    with transaction.atomic():
        result = encounter_record(
            actor=actor,
            person=person,
            on=session.date,
            package=package,
            place_kind="posyandu",
            facility=session.posyandu,
            values=values,
            session=session,
            client_id=client_id,
            confirm_unusual=confirm,
        )
        # One upsert on the (session, person) unique key.
        _mark_present(session, person)
    return result


def session_record_weighing(
    *,
    actor: User,
    session: PosyanduSession,
    person: Person,
    weight_kg: float,
    length_cm: float | None = None,
    measured: str | None = None,
    muac_cm: float | None = None,
    head_cm: float | None = None,
    oedema: bool = False,
    client_id: UUID | None = None,
    confirm_unusual: bool = False,
) -> RecordResult:
    """Record a balita's weighing at the session (package 'child') and mark them present.

    The permission checks of `encounter_record` apply (the actor must work at the session's
    posyandu or above it), and the child must belong to the session (resident or visitor).
    About a dozen queries per row, none per value."""
    require_session_runner(actor, session.posyandu)
    _require_open(session)
    _require_admitted(session, person)
    values = {
        "weight": weight_kg,
        "height": length_cm,
        "measured": measured,
        "muac": muac_cm,
        "head": head_cm,
        "oedema": oedema,
    }
    return _record_at_session(
        actor, session, person, "child", values, client_id=client_id, confirm=confirm_unusual
    )


def adult_package(person: Person, on: date) -> str | None:
    """The screening package of the session's adult row: ``elderly`` from 60 years,
    ``adult`` from 15, None below (children go through the weighing row or their page)."""
    months = ages.months_on(person.birth_date, on)
    if months in ages.ELDERLY:
        return "elderly"
    if months in ages.PRODUCTIVE:
        return "adult"
    return None


def session_record_adult(
    *,
    actor: User,
    session: PosyanduSession,
    person: Person,
    values: dict[str, Any],
    client_id: UUID | None = None,
    confirm_unusual: bool = False,
) -> RecordResult:
    """Record an adult's posyandu services (`ADULT_SESSION_KEYS`: weight, blood pressure,
    waist, capillary glucose, smoking) at the session through `encounter_record` — the same
    evaluation, results, alerts and follow-up tasks as the ``adult``/``elderly`` package
    form — and mark them present. Values arrive as typed (the services parse them)."""
    require_session_runner(actor, session.posyandu)
    _require_open(session)
    _require_admitted(session, person)
    package = adult_package(person, session.date)
    if package is None:
        raise ValidationFailed(
            _("Skrining usia produktif untuk umur 15 tahun ke atas."),
            fields={"package": [_("Skrining usia produktif untuk umur 15 tahun ke atas.")]},
        )
    unknown = sorted(set(values) - set(ADULT_SESSION_KEYS))
    if unknown:
        raise ValidationFailed(
            _("Isian tidak dikenal di baris sesi."),
            fields={k: [_("Tidak dikenal.")] for k in unknown},
        )
    kept = {k: v for k, v in values.items() if v not in (None, "")}
    if not kept:
        raise ValidationFailed(
            _("Isi paling sedikit satu pemeriksaan."),
            fields={"weight": [_("Isi paling sedikit satu pemeriksaan.")]},
        )
    return _record_at_session(
        actor, session, person, package, kept, client_id=client_id, confirm=confirm_unusual
    )


@dataclass
class SessionClosed:
    """What closing a session did: how many expected balita were absent, the home-visit
    tasks created for them, and how many already had an open home visit at the posyandu
    (no second task: the visit already planned covers the missed session)."""

    absent: int
    tasks: list[Task] = field(default_factory=list)
    already_planned: int = 0


def _absent_balita(session: PosyanduSession) -> list[Person]:
    """Expected balita who were neither marked present nor weighed — at the session, or at
    the posyandu that day through the person's page."""
    present = Attendance.objects.filter(session=session, present=True).values("person_id")
    weighed = (
        Encounter.objects.active()
        .filter(
            Q(session=session) | Q(facility=session.posyandu_id, date=session.date, package="child")
        )
        .values("person_id")
    )
    return list(
        _residents(session)
        .filter(_balita(session.date))
        .exclude(pk__in=present)
        .exclude(pk__in=weighed)
        .order_by("name_key", "pk")
    )


def session_close(*, actor: User, session: PosyanduSession) -> SessionClosed:
    """Close the session: every expected balita who was not present gets one home-visit task
    (due within 7 days), unless an open home visit at this posyandu already exists for the
    child. A closed session is not closed again (ValidationFailed ``session_closed``)."""
    require_session_runner(actor, session.posyandu)
    with transaction.atomic():
        # Serialise concurrent closes of the same session (no-op on SQLite, which locks
        # the whole database for the write anyway).
        locked = PosyanduSession.objects.select_for_update().filter(pk=session.pk).first()
        if locked is None or locked.closed_at is not None:
            raise ValidationFailed(_("Sesi posyandu ini sudah ditutup."), code="session_closed")
        absent = _absent_balita(session)
        planned = set(
            Task.objects.filter(
                person__in=[p.pk for p in absent],
                kind=TaskKind.HOME_VISIT,
                status=TaskStatus.OPEN,
                facility=session.posyandu_id,
            ).values_list("person_id", flat=True)
        )
        reason = Text("care.task.absent", {"name": session.posyandu.name, "date": session.date})
        due = session.date + timedelta(days=HOME_VISIT_DUE_DAYS)
        tasks = Task.objects.bulk_create(
            [
                Task(
                    person=p,
                    kind=TaskKind.HOME_VISIT,
                    **Task.reason_columns(reason),
                    due_date=due,
                    facility=session.posyandu,
                    source_session=session,
                    created_by=actor,
                    updated_by=actor,
                )
                for p in absent
                if p.pk not in planned
            ]
        )
        now = timezone.now()
        PosyanduSession.objects.filter(pk=session.pk).update(
            closed_at=now, updated_at=now, updated_by=actor
        )
        session.closed_at = now
        audit_record(
            user=actor,
            action="update",
            object_type="posyandu_session",
            object_uuid=session.uuid,
            detail={
                "closed": True,
                "absent_balita": len(absent),
                "home_visit_tasks": len(tasks),
                "already_planned": len(planned),
            },
        )
    return SessionClosed(absent=len(absent), tasks=tasks, already_planned=len(planned))
