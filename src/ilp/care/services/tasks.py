"""Closing follow-up tasks (home visits, referrals, follow-ups of abnormal results)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import require_task_closer
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.care.models import Task, TaskStatus
from ilp.core.exceptions import Conflict, ValidationFailed

CLOSING_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


def task_close(*, actor: User, task: Task, status: str) -> Task:
    """Mark an open task done or cancelled (conditional update: closing twice is a Conflict).

    The actor must record care (role), see the person (scope) and work at the task's facility
    or one above it."""
    require_task_closer(actor, task)
    if status not in CLOSING_STATUSES:
        raise ValidationFailed(
            _("Status penutupan tidak dikenal."),
            fields={"status": [_("Pilih selesai atau dibatalkan.")]},
        )
    now = timezone.now()
    with transaction.atomic():
        changed = Task.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=status, closed_at=now, updated_at=now, updated_by=actor
        )
        if not changed:
            raise Conflict(_("Tugas ini sudah ditutup."), code="task_closed")
        audit_record(
            user=actor,
            action="update",
            object_type="task",
            object_uuid=task.uuid,
            person_id=task.person_id,
            detail={"status": status},
        )
    task.status, task.closed_at, task.updated_by = status, now, actor
    return task
