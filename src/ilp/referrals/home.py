"""The referral sections of the home pages.

- The hospital staff's home (``ilp.accounts.home.HOSPITAL_SECTIONS``, `hospital_home`): the
  first referrals waiting for their hospital (`HOME_ROWS`, the rest on the incoming list),
  most urgent first, with how many wait, how many are past the answer allowance and how many
  are urgent (over the whole list); and how many back referrals the hospital
  sent are still open. The persons named are audited as one list read.
- The kepala puskesmas' home (``ilp.accounts.home.HOME_SECTIONS``, `home_section`): this
  month's referrals sent by the puskesmas and the pustu and posyandu below it — how many, the
  share answered, the median delays — and how many still wait for their answer past the
  allowance (linked to the open list, where they are marked). No person named.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from ilp.accounts.access import (
    can_send_referrals,
    can_view_referral_report,
    client_ip,
    is_hospital_staff,
)
from ilp.accounts.audit import audit_bulk_view
from ilp.accounts.models import Role, User
from ilp.referrals import selectors

# The incoming rows the home page shows (the rest on the incoming list, linked).
HOME_ROWS = 10


def hospital_home(request: HttpRequest) -> dict[str, Any]:
    """The context of the hospital staff's home page (empty for anyone else)."""
    user = cast(User, request.user)
    if not is_hospital_staff(user):
        return {}
    found = selectors.incoming(user, per_page=HOME_ROWS)
    shown = found.rows
    now = timezone.now()
    rows = [{"ref": r, "overdue": selectors.is_overdue(r, now)} for r in shown]
    audit_bulk_view(
        user=user,
        object_type="referral",
        person_ids=[r.person_id for r in shown],
        ip=client_ip(request),
        detail={"list": "hospital_home"},
    )
    return {
        "hospital": user.facility,
        "rows": rows,
        "show_from": True,
        "waiting_count": found.total,
        "overdue_count": found.overdue,
        "urgent_count": found.urgent,
        "more_count": found.total - len(shown),
        "back_open_count": selectors.outgoing_open_count(user),
    }


def home_section(user: User) -> dict[str, Any]:
    """``referral_home`` for a puskesmas account; nothing for other roles."""
    if user.role != Role.PUSKESMAS or not can_view_referral_report(user):
        return {}
    now = timezone.now()
    today = timezone.localdate(now)
    page = selectors.delay_report(user, start=today, end=today, side=selectors.SENT)
    return {
        "referral_home": {
            "report": page.total,
            "month": today.replace(day=1),
            "overdue": selectors.overdue_sent_count(user, now) if can_send_referrals(user) else 0,
            "open_url": reverse("referrals:index"),
            "report_url": reverse("referrals:report"),
        }
    }
