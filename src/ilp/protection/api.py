"""JSON API of protection cases for partner organisations and health staff:
``GET /api/v1/protection/cases`` (the cases the caller may read, paged) and
``GET /api/v1/protection/cases/{id}`` (one case with the follow-up state of its referrals).

Scope as the pages (``ilp.accounts.access.case_scope_q``): a partner's staff the cases referred
to their organisation (or that it referred in), health staff the cases they are assigned to,
anyone with a break-glass grant that case; a role that may read no case at all (kader, TPCB,
cross-sector, data protection, specialist, hospital, no role, a protection account without a
partner organisation) answers 403. One case outside the caller's scope answers 404, as one
that does not exist. Every read is audited on the case (``ilp.protection.audit``), every
refusal too.

Only what a partner needs crosses the API: the case's number and state and its referrals to
partners (a partner sees its own organisation's, never a cancelled one) — no party, no
perpetrator, no clinical note. ``overdue``: still open (sent or acknowledged) after the
follow-up due day (``ILP_PROTECTION_FOLLOW_UP_WORKING_DAYS`` working days after sending).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, cast, get_args

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from ilp.accounts.access import can_use_protection_api, client_ip
from ilp.accounts.models import AuditAction, User
from ilp.core.exceptions import PermissionDenied
from ilp.places.api import ERRORS_READ
from ilp.protection import selectors, selectors_partner
from ilp.protection.audit import audit_case
from ilp.protection.models import (
    Case,
    CaseReferralState,
    CaseState,
    FollowUpAction,
    Partner,
    PartnerKind,
    ReferralAim,
)
from ilp.protection.selectors_partner import ReferralRow

router = Router(tags=["protection"])

State = Literal["open", "in_care", "closed"]
Aim = Literal["medical", "social", "legal"]
ReferralState = Literal["sent", "acknowledged", "followed_up", "cancelled"]
Kind = Literal["uptd_ppa", "lpa", "police", "hospital", "social", "other"]
Action = Literal[
    "contacted",
    "home_visit",
    "accompaniment",
    "counselling",
    "shelter",
    "legal_aid",
    "police_report",
    "medical",
    "other",
]


class PartnerOut(Schema):
    id: str = Field(description="The partner organisation's UUID")
    name: str
    kind: Kind


class CaseReferralOut(Schema):
    id: str = Field(description="The referral's UUID")
    partner: PartnerOut
    aim: Aim
    state: ReferralState
    sent_at: datetime
    acknowledged_at: datetime | None
    follow_up_due: date = Field(description="The last working day of the follow-up")
    followed_up_at: datetime | None
    overdue: bool = Field(description="Still open after the follow-up due day")


class CaseOut(Schema):
    id: str = Field(description="The case's UUID")
    number: str = Field(description="The register number (KTPA-…)")
    state: State
    referred_to: list[PartnerOut] = Field(
        description="The partners it is referred to (not cancelled), as the caller sees them"
    )
    referrals: list[CaseReferralOut]


class CaseListOut(Schema):
    count: int = Field(description="Cases in all pages")
    limit: int
    offset: int
    items: list[CaseOut]


class FacilityRefOut(Schema):
    code: str
    name: str


class CaseReferralDetailOut(CaseReferralOut):
    note: str = Field(description="What the health side wrote for the partner")
    overdue_working_days: int = Field(description="Working days past the due day (0: not late)")
    follow_up_action: Action | Literal[""]
    follow_up_note: str
    cancelled_at: datetime | None
    cancel_reason: str


class CaseDetailOut(CaseOut):
    urgent: bool
    arrived_at: datetime
    facility: FacilityRefOut = Field(description="The puskesmas handling the case")
    referred_by: PartnerOut | None = Field(description="The partner that referred it in")
    referrals: list[CaseReferralDetailOut]  # type: ignore[assignment]


class CasesIn(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)
    state: State | None = None


def _partner(p: Partner) -> PartnerOut:
    return PartnerOut(id=str(p.uuid), name=p.name, kind=cast(Kind, p.kind))


def _referral_fields(row: ReferralRow) -> dict[str, Any]:
    r = row.referral
    return {
        "id": str(r.uuid),
        "partner": _partner(r.partner),
        "aim": r.aim,
        "state": r.state,
        "sent_at": r.sent_at,
        "acknowledged_at": r.acknowledged_at,
        "follow_up_due": r.follow_up_due,
        "followed_up_at": r.followed_up_at,
        "overdue": row.overdue,
    }


def _referred_to(rows: list[ReferralRow]) -> list[PartnerOut]:
    seen: dict[int, Partner] = {}
    for row in rows:
        if row.referral.state != CaseReferralState.CANCELLED:
            seen.setdefault(row.referral.partner_id, row.referral.partner)
    return [_partner(p) for p in seen.values()]


def _case_out(case: Case, rows: list[ReferralRow]) -> CaseOut:
    return CaseOut(
        id=str(case.uuid),
        number=case.number,
        state=cast(State, case.state),
        referred_to=_referred_to(rows),
        referrals=[CaseReferralOut(**_referral_fields(row)) for row in rows],
    )


def _require_reader(user: User, request: HttpRequest) -> None:
    if not can_use_protection_api(user):
        audit_case(
            user=user,
            action=AuditAction.DENIED,
            ip=client_ip(request),
            detail={"what": "api"},
        )
        raise PermissionDenied(_("Peran Anda tidak dapat membaca kasus KtP/A."))


@router.get("/cases", response={200: CaseListOut, **ERRORS_READ})
def case_list(request: HttpRequest, filters: Query[CasesIn]) -> CaseListOut:
    """The cases the caller may read, urgent and newest first, paged (`limit`, `offset`),
    each with its referrals' follow-up state; every case listed is audited."""
    user = cast(User, request.user)
    _require_reader(user, request)
    found = selectors.cases_q(user)
    if filters.state:
        found = found.filter(state=filters.state)
    count = found.count()
    cases = list(
        found.order_by("-urgent", "-arrived_at", "-id")[
            filters.offset : filters.offset + filters.limit
        ]
    )
    selectors_partner.attach_referrals(user, cases)
    ip = client_ip(request)
    for case in cases:
        audit_case(
            user=user, action=AuditAction.VIEW, case=case, ip=ip, detail={"what": "api_list"}
        )
    return CaseListOut(
        count=count,
        limit=filters.limit,
        offset=filters.offset,
        items=[_case_out(c, c.partner_referrals) for c in cases],  # type: ignore[attr-defined]
    )


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS_READ})
def case_detail(request: HttpRequest, case_id: str) -> CaseDetailOut:
    """One case the caller may read (404 outside their scope, the refusal audited), with
    the follow-up state of each referral the caller sees."""
    user = cast(User, request.user)
    _require_reader(user, request)
    case = selectors.case_for_user(
        user=user, case_uuid=case_id[:64], ip=client_ip(request), what="api"
    )
    today = timezone.localdate()
    rows = selectors_partner.case_referrals(user, case, today=today)
    base = _case_out(case, rows)
    return CaseDetailOut(
        id=base.id,
        number=base.number,
        state=base.state,
        referred_to=base.referred_to,
        urgent=case.urgent,
        arrived_at=case.arrived_at,
        facility=FacilityRefOut(code=case.facility.code, name=case.facility.name),
        referred_by=_partner(case.referred_by) if case.referred_by is not None else None,
        referrals=[
            CaseReferralDetailOut(
                **_referral_fields(row),
                note=row.referral.note,
                overdue_working_days=row.late_days,
                follow_up_action=cast(Action, row.referral.follow_up_action),
                follow_up_note=row.referral.follow_up_note,
                cancelled_at=row.referral.cancelled_at,
                cancel_reason=row.referral.cancel_reason,
            )
            for row in rows
        ],
    )


# Every code of the models is one of the API's literals (checked at import).
assert set(CaseState.values) == set(get_args(State))  # noqa: S101
assert set(ReferralAim.values) == set(get_args(Aim))  # noqa: S101
assert set(CaseReferralState.values) == set(get_args(ReferralState))  # noqa: S101
assert set(PartnerKind.values) == set(get_args(Kind))  # noqa: S101
assert set(FollowUpAction.values) == set(get_args(Action))  # noqa: S101
