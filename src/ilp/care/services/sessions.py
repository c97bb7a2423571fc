"""Posyandu sessions: open the day, list its sasaran, weigh, mark attendance, close.

**Sasaran of a session** (`session_expected`): residents (alive on the day) of the dusun/RW
the posyandu serves (its ``service_areas``; DOMAIN.md §2.3: one posyandu for all life
stages), in this order:

1. ``balita``: children 0–59 completed months (DOMAIN.md §1.3) — weighed every month (SKDN);
2. ``ibu_hamil``: women with an ongoing pregnancy;
3. ``lansia``: persons ≥ 60 years without an elderly or adult screening in the last 365 days
   (SKILAS and PTM screening at least yearly, CLINICAL.md §4.7, DOMAIN.md §1.2);
4. ``dewasa``: persons 15–59 years without an adult screening in the last 365 days (yearly
   HT screening from 15 years, DOMAIN.md §1.2).

Each returned Person carries ``sasaran`` (the code above). Only absent **balita** get a
home-visit task when the session closes: monthly weighing is what a missed session breaks;
adults due for screening stay on the screening work list instead.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.accounts.access import require_person_in_scope, require_session_runner
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.care.models import (
    Attendance,
    Encounter,
    PosyanduSession,
    Task,
    TaskKind,
)
from ilp.care.services.encounters import RecordResult, encounter_record
from ilp.core.exceptions import ValidationFailed
from ilp.core.texts import Text
from ilp.people.models import Person, Pregnancy, PregnancyOutcome
from ilp.places.models import Facility
from ilp.standards.dates import years_before

# A session is opened on its day or entered late from the paper register, never older than
# five years: no child it weighed would still be a balita.
SESSION_MAX_YEARS_BACK = 5

HOME_VISIT_DUE_DAYS = 7
SCREENING_INTERVAL_DAYS = 365


def session_open(*, actor: User, posyandu: Facility, on: date) -> PosyanduSession:
    """Open (or return the already opened) session of `posyandu` on `on`."""
    if posyandu.kind != "posyandu":
        raise ValidationFailed(
            _("Sesi hanya untuk posyandu."), fields={"posyandu": [_("Pilih posyandu.")]}
        )
    require_session_runner(actor, posyandu)
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


def _expected_queryset(session: PosyanduSession, *, balita_only: bool = False):
    """Residents of the posyandu's dusun who are its sasaran on the session date."""
    on = session.date
    balita = Q(birth_date__gt=years_before(on, 5), birth_date__lte=on)
    base = (
        Person.objects.active()
        .filter(hamlet__served_by=session.posyandu_id)
        .filter(Q(deceased_on__isnull=True) | Q(deceased_on__gt=on))
    )
    if balita_only:
        return base.filter(balita)
    pregnant = Exists(
        Pregnancy.objects.active().filter(person=OuterRef("pk"), outcome=PregnancyOutcome.ONGOING)
    )
    screened = Exists(
        Encounter.objects.active().filter(
            person=OuterRef("pk"),
            package__in=("adult", "elderly"),
            date__gt=on - timedelta(days=SCREENING_INTERVAL_DAYS),
            date__lte=on,
        )
    )
    due_for_screening = Q(birth_date__lte=years_before(on, 15), screened=False)
    return (
        base.annotate(is_pregnant=pregnant, screened=screened)
        .filter(balita | Q(is_pregnant=True) | due_for_screening)
        .order_by("name_key", "pk")
    )


def session_expected(session: PosyanduSession) -> list[Person]:
    """The session's sasaran (see the module docstring), balita first, then pregnant women,
    elderly and adults due for screening; by name within each group. One query."""
    queryset = _expected_queryset(session)
    on = session.date
    sixty = years_before(on, 60)
    five = years_before(on, 5)
    order = {"balita": 0, "ibu_hamil": 1, "lansia": 2, "dewasa": 3}
    people = list(queryset)
    for p in people:
        if p.birth_date > five:
            p.sasaran = "balita"
        elif p.is_pregnant:
            p.sasaran = "ibu_hamil"
        elif p.birth_date <= sixty:
            p.sasaran = "lansia"
        else:
            p.sasaran = "dewasa"
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
    attendance, _created = Attendance.objects.update_or_create(
        session=session, person=person, defaults={"present": present}
    )
    return attendance


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
    posyandu or above it). About a dozen queries per row, none per value."""
    require_session_runner(actor, session.posyandu)
    _require_open(session)
    values = {
        "weight": weight_kg,
        "height": length_cm,
        "measured": measured,
        "muac": muac_cm,
        "head": head_cm,
        "oedema": oedema,
    }
    with transaction.atomic():
        result = encounter_record(
            actor=actor,
            person=person,
            on=session.date,
            package="child",
            place_kind="posyandu",
            facility=session.posyandu,
            values=values,
            session=session,
            client_id=client_id,
            confirm_unusual=confirm_unusual,
        )
        # One upsert on the (session, person) unique key.
        Attendance.objects.bulk_create(
            [Attendance(session=session, person=person, present=True)],
            update_conflicts=True,
            unique_fields=["session", "person"],
            update_fields=["present"],
        )
    return result


def session_close(*, actor: User, session: PosyanduSession) -> list[Task]:
    """Close the session: every expected balita who was not present gets one home-visit task
    (due within 7 days). Closing again creates no second task for the same child; returns the
    tasks created by this call."""
    require_session_runner(actor, session.posyandu)
    with transaction.atomic():
        # Serialise concurrent closes of the same session (no-op on SQLite, which locks
        # the whole database for the write anyway).
        PosyanduSession.objects.select_for_update().filter(pk=session.pk).first()
        present = Attendance.objects.filter(session=session, present=True).values("person_id")
        weighed = Encounter.objects.active().filter(session=session).values("person_id")
        already = Task.objects.filter(source_session=session, kind=TaskKind.HOME_VISIT).values(
            "person_id"
        )
        absent = (
            _expected_queryset(session, balita_only=True)
            .exclude(pk__in=present)
            .exclude(pk__in=weighed)
            .exclude(pk__in=already)
            .order_by("name_key", "pk")
        )
        reason = Text("care.task.absent", {"name": session.posyandu.name, "date": session.date})
        due = session.date + timedelta(days=HOME_VISIT_DUE_DAYS)
        tasks = Task.objects.bulk_create(
            [
                Task(
                    person=p,
                    kind=TaskKind.HOME_VISIT,
                    reason=reason,
                    due_date=due,
                    facility=session.posyandu,
                    source_session=session,
                    created_by=actor,
                    updated_by=actor,
                )
                for p in absent
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
            detail={"closed": True, "home_visit_tasks": len(tasks)},
        )
    return tasks
