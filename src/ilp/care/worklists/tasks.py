"""The tasks of a facility's area for its task page: open ones (overdue first) and those
closed lately, with who closed them, when and why. Scoped to the user and audited, like the
work lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from ilp.accounts.access import person_scope_q
from ilp.accounts.audit import audit_bulk_view
from ilp.care.models import Task, TaskStatus
from ilp.care.worklists.engine import area_filter
from ilp.core.exceptions import NotFound
from ilp.places.models import Facility

# Closed tasks shown below the open ones: those closed in this many days, at most CLOSED_MAX.
CLOSED_DAYS = 30
CLOSED_MAX = 200


@dataclass(frozen=True)
class FacilityTasks:
    open: list[Task]
    closed: list[Task]
    on: date

    @property
    def overdue(self) -> int:
        return sum(1 for t in self.open if t.due_date < self.on)


def tasks_for_user(user, facility: Facility, *, on: date, ip: str | None = None) -> FacilityTasks:
    """Open tasks of the residents of `facility`'s area the user may see (earliest due first)
    and the tasks closed in the last CLOSED_DAYS days (latest first); audited. `facility`
    must come from ``facility_for_user``."""
    qs = (
        Task.objects.filter(area_filter(facility, "person__"))
        .filter(person_scope_q(user, "person__"))
        .select_related("person", "person__rt", "closed_by", "closing_encounter")
    )
    open_tasks = list(qs.filter(status=TaskStatus.OPEN).order_by("due_date", "person__full_name"))
    since = on - timedelta(days=CLOSED_DAYS)
    closed = list(
        qs.exclude(status=TaskStatus.OPEN)
        .filter(closed_at__date__gte=since)
        .order_by("-closed_at", "pk")[:CLOSED_MAX]
    )
    audit_bulk_view(
        user=user,
        object_type="task_list",
        person_ids=sorted({t.person_id for t in open_tasks + closed}),
        ip=ip,
        detail={"facility": facility.code, "date": on.isoformat()},
    )
    return FacilityTasks(open_tasks, closed, on)


def task_for_user(user, task_uuid: UUID | str) -> Task:
    """The task with this public id if its person is in the user's scope; NotFound otherwise
    (also when it does not exist: we do not tell which)."""
    try:
        key = UUID(str(task_uuid))
    except ValueError as exc:
        raise NotFound("Tugas tidak ditemukan.") from exc
    task = (
        Task.objects.filter(uuid=key)
        .filter(person_scope_q(user, "person__"))
        .select_related("person", "facility")
        .first()
    )
    if task is None:
        raise NotFound("Tugas tidak ditemukan.")
    return task
