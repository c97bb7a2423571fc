"""The life cycle of follow-up tasks (home visits, referrals, follow-ups of abnormal results).

A task is open until one of:

- **the service that satisfies it is recorded** (:func:`close_satisfied_tasks`, called by
  ``encounter_record`` once the encounter is stored, in its transaction). What satisfies a
  task, for the person of the task, on or after the day it was opened, by an encounter other
  than the one that opened it:

  - *home visit*: a home-visit encounter (package ``home_visit``). A home visit for a child
    absent from a posyandu session is also satisfied by the child being weighed anywhere
    since (the visit's purpose: the child seen and weighed).
  - *follow-up* of an abnormal result: the finding measured again — the values it is read
    from entered again (blood pressure for a raised one, Hb for anaemia, weight and height
    for wasting or stunting, KPSP, LiLA, TB questions; ``FOLLOW_UP_MEASURES``). A raised
    blood pressure measured again closes "measure blood pressure again"; if it is still
    raised, that encounter's evaluation opens the next follow-up.
  - *referral* made below the puskesmas (posyandu, pustu, home): the person seen at the
    puskesmas. A referral made by the puskesmas itself (to a hospital) is closed by hand,
    once the hospital's answer is known.
  - *rujuk balik* follow-up (opened by ``ilp.referrals`` through
    :func:`open_back_referral_task` when a referral is answered with a back-referral plan or
    a hospital sends the person back): any encounter of the person in primary care
    (posyandu, pustu, puskesmas or a home visit) dated on or after the day it was opened. A
    back referral received at the puskesmas closes it too (:func:`close_back_referral_tasks`).

  The task keeps who closed it (the recorder), when, ``close_reason`` ``service_recorded``
  and the ``closing_encounter``; voiding that encounter reopens the task
  (:func:`reopen_tasks_closed_by`).
- **a health worker closes it by hand** (:func:`task_close`): as done or as not needed, with a
  reason code (``TaskCloseReason``), stored with who and when.

Which finding a follow-up is about is read from its reason code when the reason is a code
(``Text``), and otherwise from the abnormal screenings of the encounter that opened it.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import require_task_closer
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.care.models import (
    DONE_REASONS,
    NOT_NEEDED_REASONS,
    Encounter,
    PlaceKind,
    Screening,
    ServicePackage,
    Task,
    TaskCloseReason,
    TaskKind,
    TaskStatus,
)
from ilp.core.exceptions import Conflict, ValidationFailed
from ilp.core.texts import Text
from ilp.people.models import Person
from ilp.places.models import Facility, FacilityKind

CLOSING_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)
REASONS_FOR: dict[str, tuple[str, ...]] = {
    TaskStatus.DONE: DONE_REASONS,
    TaskStatus.CANCELLED: NOT_NEEDED_REASONS,
}
# Closed as done without a reason chosen: what "done" means for each kind of task.
DEFAULT_DONE_REASON: dict[str, str] = {
    TaskKind.HOME_VISIT: TaskCloseReason.VISITED,
    TaskKind.REFER: TaskCloseReason.REFERRED,
    TaskKind.FOLLOW_UP: TaskCloseReason.SERVED_ELSEWHERE,
    TaskKind.BACK_REFERRAL: TaskCloseReason.VISITED,
}

# A follow-up's finding (the instrument of the abnormal screening that opened it) → the values
# whose measurement again satisfies it (any one of them).
FOLLOW_UP_MEASURES: dict[str, frozenset[str]] = {
    "bp": frozenset({"sbp", "dbp"}),
    "anaemia": frozenset({"hb"}),
    "wflh": frozenset({"weight"}),
    "wfa": frozenset({"weight"}),
    "bfa": frozenset({"weight"}),
    "lhfa": frozenset({"height"}),
    "weight_trend": frozenset({"weight"}),
    "kpsp": frozenset({"development"}),
    "kek": frozenset({"muac"}),
    "tb": frozenset({"tb"}),
    "dm": frozenset({"glucose_fasting", "glucose_random"}),
}
# Words of a reason code naming the finding: a rule's class (``bp_pnpk.class.grade_1`` → bp,
# ``anaemia.class.anaemia``, ``tb_child.class.…``) or care's own alert (``care.alert.wasting``,
# ``care.alert.dev_doubtful``).
_CODE_WORDS = {
    "bp": "bp",
    "hypertension": "bp",
    "blood_pressure": "bp",
    "anaemia": "anaemia",
    "anemia": "anaemia",
    "wasting": "wflh",
    "gizi_kurang": "wflh",
    "wflh": "wflh",
    "stunting": "lhfa",
    "lhfa": "lhfa",
    "wfa": "wfa",
    "kpsp": "kpsp",
    "development": "kpsp",
    "dev": "kpsp",
    "kek": "kek",
    "tb": "tb",
    "glucose": "dm",
    "dm": "dm",
}


def _reason_code(reason: object) -> str | None:
    """The code of a task's reason when it is one (a ``Text``, its JSON, or a bare dotted
    code); None for a sentence."""
    code = getattr(reason, "code", None)
    if code is None and isinstance(reason, dict):
        code = reason.get("code")
    if code is None and isinstance(reason, str) and reason and " " not in reason:
        code = reason
    return str(code) if code else None


def _topic_from_code(code: str) -> str | None:
    for word in code.replace("-", "_").split("."):
        if word in _CODE_WORDS:
            return _CODE_WORDS[word]
        for part, topic in _CODE_WORDS.items():
            if word.startswith(part + "_") or word.endswith("_" + part):
                return topic
    return None


def follow_up_measures(reason_code: str) -> frozenset[str]:
    """The values whose measurement again satisfies a follow-up opened with `reason_code`
    (empty when the code names no finding): what the demo history closes follow-ups by."""
    topic = _topic_from_code(reason_code)
    return FOLLOW_UP_MEASURES.get(topic, frozenset()) if topic else frozenset()


def opened_on(task: Task) -> date:
    """The day the task was opened: its encounter's or session's date, else its creation."""
    if task.source_encounter_id is not None and task.source_encounter is not None:
        return task.source_encounter.date
    if task.source_session_id is not None and task.source_session is not None:
        return task.source_session.date
    return timezone.localdate(task.created_at)


def _satisfies(
    task: Task, encounter: Encounter, measured: set[str], topics: dict[int, set[str]]
) -> bool:
    if task.source_encounter_id == encounter.pk or encounter.date < opened_on(task):
        return False
    if task.kind == TaskKind.HOME_VISIT:
        if encounter.package == ServicePackage.HOME_VISIT:
            return True
        return task.source_session_id is not None and "weight" in measured
    if task.kind == TaskKind.REFER:
        source = task.source_encounter
        from_below = source is None or source.place_kind != PlaceKind.PUSKESMAS
        return from_below and encounter.place_kind == PlaceKind.PUSKESMAS
    if task.kind == TaskKind.FOLLOW_UP:
        code = _reason_code(task.reason)
        topic = _topic_from_code(code) if code else None
        wanted = {topic} if topic else topics.get(task.source_encounter_id or 0, set())
        return any(measured & FOLLOW_UP_MEASURES.get(t, frozenset()) for t in wanted)
    if task.kind == TaskKind.BACK_REFERRAL:
        # Every place of an encounter is primary care (a hospital records none here).
        return encounter.place_kind in PlaceKind.values
    return False


def close_satisfied_tasks(encounter: Encounter, *, actor: User) -> list[Task]:
    """Close the open tasks of the encounter's person that this encounter satisfies (see the
    module docstring); call it in the transaction that stored the encounter, before the
    encounter's own tasks are opened. One query when the person has no open task."""
    open_tasks = list(
        Task.objects.filter(person_id=encounter.person_id, status=TaskStatus.OPEN).select_related(
            "source_encounter", "source_session"
        )
    )
    if not open_tasks:
        return []
    measured = {k for k, v in (encounter.values or {}).items() if v not in (None, "", [], {})}
    follow_from = [
        t.source_encounter_id
        for t in open_tasks
        if t.kind == TaskKind.FOLLOW_UP and t.source_encounter_id is not None
    ]
    topics: dict[int, set[str]] = {}
    if follow_from and measured:
        for enc_id, instrument in (
            Screening.objects.active()
            .filter(encounter_id__in=follow_from, abnormal=True)
            .values_list("encounter_id", "instrument")
        ):
            topics.setdefault(enc_id, set()).add(instrument)
    done = [t for t in open_tasks if _satisfies(t, encounter, measured, topics)]
    if not done:
        return []
    now = timezone.now()
    Task.objects.filter(pk__in=[t.pk for t in done], status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE,
        closed_at=now,
        closed_by=actor,
        close_reason=TaskCloseReason.SERVICE_RECORDED,
        closing_encounter=encounter,
        updated_at=now,
        updated_by=actor,
    )
    for t in done:
        t.status, t.closed_at, t.closed_by = TaskStatus.DONE, now, actor
        t.close_reason, t.closing_encounter = TaskCloseReason.SERVICE_RECORDED, encounter
    return done


def reopen_tasks_closed_by(encounter: Encounter, *, actor: User) -> int:
    """Reopen the tasks the encounter closed (call it when voiding the encounter: the service
    that satisfied them did not happen). Returns how many were reopened."""
    now = timezone.now()
    return Task.objects.filter(
        closing_encounter=encounter,
        status=TaskStatus.DONE,
        close_reason=TaskCloseReason.SERVICE_RECORDED,
    ).update(
        status=TaskStatus.OPEN,
        closed_at=None,
        closed_by=None,
        close_reason="",
        closing_encounter=None,
        updated_at=now,
        updated_by=actor,
    )


def cancel_tasks(tasks: QuerySet[Task], *, actor: User, reason: str) -> int:
    """Close open tasks as not needed by a service (``source_voided``,
    ``finding_corrected``): the finding that opened them is gone."""
    now = timezone.now()
    return tasks.filter(status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED,
        closed_at=now,
        closed_by=actor,
        close_reason=reason,
        updated_at=now,
        updated_by=actor,
    )


def task_close(*, actor: User, task: Task, status: str, reason: str = "") -> Task:
    """Close an open task by hand: done (``DONE_REASONS``) or not needed (status
    ``cancelled``, ``NOT_NEEDED_REASONS``), with the reason code; who and when are stored
    (conditional update: closing twice is a Conflict).

    The actor must record care (role), see the person (scope) and work at the task's facility
    or one above it."""
    require_task_closer(actor, task)
    if status not in CLOSING_STATUSES:
        raise ValidationFailed(
            _("Status penutupan tidak dikenal."),
            fields={"status": [_("Pilih selesai atau tidak diperlukan.")]},
        )
    if not reason and status == TaskStatus.DONE:
        reason = DEFAULT_DONE_REASON[task.kind]
    now = timezone.now()
    with transaction.atomic():
        current = (
            Task.objects.select_for_update()
            .filter(pk=task.pk)
            .values_list("status", flat=True)
            .first()
        )
        if current != TaskStatus.OPEN:
            raise Conflict(_("Tugas ini sudah ditutup."), code="task_closed")
        if reason not in REASONS_FOR[status]:
            raise ValidationFailed(
                _("Pilih alasan penutupan."),
                fields={"reason": [_("Pilih alasan yang sesuai dari daftar.")]},
            )
        Task.objects.filter(pk=task.pk).update(
            status=status,
            closed_at=now,
            closed_by=actor,
            close_reason=reason,
            updated_at=now,
            updated_by=actor,
        )
        audit_record(
            user=actor,
            action="update",
            object_type="task",
            object_uuid=task.uuid,
            person_id=task.person_id,
            detail={"status": status, "reason": reason},
        )
    task.status, task.closed_at, task.updated_by = status, now, actor
    task.closed_by, task.close_reason = actor, reason
    return task


# ---------------------------------------------------------------- rujuk balik follow-up

# The facility a follow-up belongs to: the lowest of primary care serving the person (their
# posyandu, else pustu, else puskesmas), so that everyone from the kader up may close it.
_LOWEST_FIRST = (FacilityKind.POSYANDU, FacilityKind.PUSTU, FacilityKind.PUSKESMAS)


def follow_up_facility(person: Person, fallback: Facility) -> Facility:
    """The posyandu serving the person's dusun, else the pustu or puskesmas serving their
    desa (one query); `fallback` when none is active."""
    areas = [a for a in (person.hamlet_id, person.village_id) if a is not None]
    found = {
        f.kind: f
        for f in Facility.objects.filter(
            kind__in=_LOWEST_FIRST, is_active=True, service_areas__in=areas
        ).order_by("-pk")
    }
    return next((found[k] for k in _LOWEST_FIRST if k in found), fallback)


def open_back_referral_task(
    *,
    actor: User,
    person: Person,
    facility: Facility,
    referral_uuid: UUID,
    hospital: str,
    answered_on: date,
    due_date: date,
    plan: str,
) -> Task:
    """Open the "Kontrol rujuk balik" follow-up of a referral answered (or a person sent back)
    on `answered_on` by `hospital` with `plan`: on the work lists of every facility whose area
    holds the person until an encounter in primary care closes it. Called by
    ``ilp.referrals.services`` in its transaction; one open follow-up per referral (a second
    call returns the open one)."""
    existing = Task.objects.filter(
        person=person,
        status=TaskStatus.OPEN,
        kind=TaskKind.BACK_REFERRAL,
        source_referral=referral_uuid,
    ).first()
    if existing is not None:
        return existing
    reason = Text(
        "care.why.back_referral",
        {"facility": hospital, "date": answered_on, "plan": plan or "—"},
    )
    task = Task(
        person=person,
        kind=TaskKind.BACK_REFERRAL,
        due_date=due_date,
        facility=facility,
        source_referral=referral_uuid,
        created_by=actor,
        updated_by=actor,
        **Task.reason_columns(reason),
    )
    task.save()
    audit_record(
        user=actor,
        action="create",
        object_type="task",
        object_uuid=task.uuid,
        person_id=person.pk,
        detail={"kind": task.kind, "referral": str(referral_uuid)},
    )
    return task


def close_back_referral_tasks(referral_uuid: UUID, *, actor: User, status: str, reason: str) -> int:
    """Close the open follow-ups a referral opened: done when the person it sent back was
    received (``visited``), not needed when it was cancelled. Returns how many."""
    now = timezone.now()
    return Task.objects.filter(
        source_referral=referral_uuid, kind=TaskKind.BACK_REFERRAL, status=TaskStatus.OPEN
    ).update(
        status=status,
        closed_at=now,
        closed_by=actor,
        close_reason=reason,
        updated_at=now,
        updated_by=actor,
    )
