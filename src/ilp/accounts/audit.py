"""The audit log: who viewed or changed which record, when and from where.

A call made with an API token acts as the token's user; that user object then carries the
token (`api_client`, set by `ilp.accounts.api_auth`), and every row written for the call names
the client in ``detail["client"]`` and ``detail["token"]`` without the call sites knowing."""

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
        detail=_with_client(user, detail),
    )


def _with_client(user: Any, detail: dict[str, Any] | None) -> dict[str, Any]:
    """`detail`, plus the machine client when the user acts through an API token."""
    client = getattr(user, "api_client", None)
    if client is None:
        return detail or {}
    return {**(detail or {}), "client": client.name, "token": client.prefix}


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
    shared_detail = _with_client(user, detail)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=user if getattr(user, "is_authenticated", False) else None,
                action="view",
                object_type=object_type,
                person_id=pid,
                ip=ip or None,
                detail=shared_detail,
            )
            for pid in person_ids
        ]
    )
