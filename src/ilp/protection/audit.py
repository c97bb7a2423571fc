"""The audit of protection records: every read and write of a case, and every refusal.

Rows go to the one audit log (``ilp.accounts.audit``) with ``object_type`` "protection_case"
and ``object_uuid`` the case's uuid (what was touched inside it goes in ``detail``), and never
a ``person_id``: a case must not surface in a person's access history, which other staff read.
The case officer reads the rows of their case (``selectors.case_access_log``)."""

from __future__ import annotations

from typing import Any

from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditEvent

OBJECT_TYPE = "protection_case"


def audit_case(
    *,
    user: Any,
    action: str,
    case: Any = None,
    case_uuid: Any = None,
    ip: str | None = None,
    detail: dict[str, Any] | None = None,
    purpose: str | None = None,
) -> AuditEvent:
    """Record one read, write or refusal of `case` (or of a case known only by its uuid)."""
    return audit_record(
        user=user,
        action=action,
        object_type=OBJECT_TYPE,
        object_uuid=case.uuid if case is not None else case_uuid,
        ip=ip,
        detail=detail or {},
        purpose=purpose,
    )
