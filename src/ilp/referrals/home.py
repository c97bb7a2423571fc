"""The hospital staff's home page (``ilp.accounts.home.HOSPITAL_SECTIONS``): the referrals
waiting for their hospital, most urgent first, with how many wait, how many are past the
answer allowance and how many are urgent; and how many back referrals the hospital sent are
still open. The persons named are audited as one list read."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone

from ilp.accounts.access import client_ip, is_hospital_staff
from ilp.accounts.audit import audit_bulk_view
from ilp.accounts.models import User
from ilp.referrals import selectors


def hospital_home(request: HttpRequest) -> dict[str, Any]:
    """The context of the hospital staff's home page (empty for anyone else)."""
    user = cast(User, request.user)
    if not is_hospital_staff(user):
        return {}
    waiting = selectors.incoming(user)
    now = timezone.now()
    rows = [{"ref": r, "overdue": selectors.is_overdue(r, now)} for r in waiting]
    audit_bulk_view(
        user=user,
        object_type="referral",
        person_ids=[r.person_id for r in waiting],
        ip=client_ip(request),
        detail={"list": "hospital_home"},
    )
    return {
        "hospital": user.facility,
        "rows": rows,
        "show_from": True,
        "waiting_count": len(rows),
        "overdue_count": sum(1 for row in rows if row["overdue"]),
        "urgent_count": sum(1 for r in waiting if r.is_urgent),
        "back_open_count": selectors.outgoing_open_count(user),
    }
