"""Reads of a case's referrals to partners and of the duty to inform, cut to the reader.

A partner's staff see only their own organisation's referrals of a case (not where else it
was referred) and never a cancelled one; the health circle sees every referral. Overdue is
computed on the reader's today: a referral still open (sent or acknowledged) after its
follow-up due day is overdue by the working days since (``ilp.standards.working_days``).
The duty-to-inform records are for the health side only (never a partner)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ilp.accounts.access import partner_id_of
from ilp.protection.models import (
    Case,
    CaseReferral,
    CaseReferralState,
    DutyToInform,
    Partner,
)
from ilp.standards.working_days import working_days_between


@dataclass(frozen=True)
class ReferralRow:
    """A referral as a reader sees it: ``overdue`` with the working days it is late by, and
    ``mine`` when the reader is staff of the partner it went to."""

    referral: CaseReferral
    overdue: bool
    late_days: int
    mine: bool


def visible_referrals_q(user: Any) -> Q:
    """A filter over CaseReferral: a partner's staff their organisation's (not cancelled),
    everyone else (who reads the case) every referral of it."""
    partner_id = partner_id_of(user)
    if partner_id is None:
        return Q()
    return Q(partner_id=partner_id) & ~Q(state=CaseReferralState.CANCELLED)


def _row(user_partner: int | None, referral: CaseReferral, today: date) -> ReferralRow:
    overdue = referral.overdue_on(today)
    return ReferralRow(
        referral=referral,
        overdue=overdue,
        late_days=working_days_between(referral.follow_up_due, today) if overdue else 0,
        mine=user_partner is not None and referral.partner_id == user_partner,
    )


def case_referrals(user: Any, case: Case, *, today: date | None = None) -> list[ReferralRow]:
    """The referrals of `case` the user sees (call after ``selectors.case_for_user``)."""
    today = today or timezone.localdate()
    rows = (
        CaseReferral.objects.filter(visible_referrals_q(user), case=case)
        .select_related("partner", "acknowledged_by", "followed_up_by", "cancelled_by")
        .order_by("sent_at", "id")
    )
    partner_id = partner_id_of(user)
    return [_row(partner_id, r, today) for r in rows]


def attach_referrals(user: Any, cases: list[Case], *, today: date | None = None) -> list[Case]:
    """Set ``partner_referrals`` (the user's `ReferralRow` list) on each of `cases`, for the
    case lists (one query for all)."""
    today = today or timezone.localdate()
    partner_id = partner_id_of(user)
    by_case: dict[int, list[ReferralRow]] = defaultdict(list)
    if cases:
        found = (
            CaseReferral.objects.filter(
                visible_referrals_q(user), case_id__in=[c.pk for c in cases]
            )
            .select_related("partner")
            .order_by("sent_at", "id")
        )
        for r in found:
            by_case[r.case_id].append(_row(partner_id, r, today))
    for case in cases:
        case.partner_referrals = by_case.get(case.pk, [])  # type: ignore[attr-defined]
    return cases


def partners_for(case: Case) -> QuerySet[Partner]:
    """The active partners a case may be referred to: those working in its puskesmas' area
    (the district, or the kecamatan above it)."""
    code = case.facility.area.code
    parts = code.split(".")
    above = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return Partner.objects.filter(active=True, area__code__in=above).order_by("kind", "name")


def informed_of(case: Case) -> list[DutyToInform]:
    """The records that the duty to inform was met, oldest first (health side only)."""
    return list(DutyToInform.objects.active().filter(case=case).select_related("informed_by"))
