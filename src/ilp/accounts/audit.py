"""The audit log: who viewed or changed which record, when and from where."""

from __future__ import annotations

from typing import Any

from ilp.accounts.models import AuditEvent


def audit_record(
    *,
    user: Any,
    action: str,
    object_type: str,
    object_uuid: Any = None,
    person_id: int | None = None,
    ip: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Never raises on a missing user (anonymous denials count)."""
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_uuid=object_uuid,
        person_id=person_id,
        ip=ip or None,
        detail=detail or {},
    )


def audit_bulk_view(
    *,
    user: Any,
    object_type: str,
    person_ids: list[int],
    ip: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Log one 'view' event per person shown in a list (search results, work lists)."""
    if not person_ids:
        return
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=user if getattr(user, "is_authenticated", False) else None,
                action="view",
                object_type=object_type,
                person_id=pid,
                ip=ip or None,
                detail=detail or {},
            )
            for pid in person_ids
        ]
    )
