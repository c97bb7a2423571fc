"""The referrals section of the kepala puskesmas' home page (``ilp.accounts.home``): this
month's referrals sent by the puskesmas and the pustu and posyandu below it — how many, the
share answered, the median delays — and how many still wait for their answer past the
allowance (linked to the open list, where they are marked)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from ilp.accounts.access import can_send_referrals, can_view_referral_report
from ilp.accounts.models import Role, User
from ilp.referrals import selectors


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
