"""JSON API of referrals: ``GET /api/v1/referrals``, scoped as the pages
(``ilp.accounts.access.referral_scope_q``: the sending side the referrals from the
facilities it records at, the receiving side those sent to its facility, the dinkes
administrator every one from or to a facility of the district; every other role 403).
Newest decision first; optional `state` filter (an unknown state: 422). Each referral lists
its person (UUID), facilities (codes), kind, state and every step's timestamp (null until
recorded). The read is audited as one event naming every person listed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from ilp.accounts.access import can_use_referrals, client_ip
from ilp.accounts.audit import audit_bulk_view
from ilp.accounts.models import User
from ilp.core.exceptions import PermissionDenied
from ilp.places.api import ERRORS_READ
from ilp.referrals import selectors
from ilp.referrals.models import Referral

router = Router(tags=["referrals"])

State = Literal[
    "created",
    "departed",
    "received",
    "handled",
    "answered",
    "closed",
    "refused",
    "redirected",
    "cancelled",
    "not_arrived",
]
Kind = Literal["emergency", "maternal", "neonatal", "planned", "back"]


class ReferralOut(Schema):
    id: str = Field(description="The referral's UUID")
    person: str = Field(description="The referred person's UUID")
    from_facility: str = Field(description="Code of the sending facility")
    to_facility: str = Field(description="Code of the receiving facility")
    kind: Kind
    state: State
    diagnosis: str = Field(description="WHO ICD-10 code (e.g. O14.1), or ''")
    previous: str | None = Field(description="UUID of the redirected leg this one continues")
    detected_at: datetime
    decided_at: datetime
    departed_at: datetime | None
    received_at: datetime | None
    handled_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    ended_at: datetime | None = Field(
        description="When it was refused, redirected, cancelled or marked not arrived"
    )


class ReferralsIn(Schema):
    state: State | None = None


def _out(r: Referral) -> ReferralOut:
    return ReferralOut(
        id=str(r.uuid),
        person=str(r.person.uuid),
        from_facility=r.from_facility.code,
        to_facility=r.to_facility.code,
        kind=cast(Kind, r.kind),
        state=cast(State, r.state),
        diagnosis=r.diagnosis_code,
        previous=str(r.previous.uuid) if r.previous is not None else None,
        detected_at=r.detected_at,
        decided_at=r.decided_at,
        departed_at=r.departed_at,
        received_at=r.received_at,
        handled_at=r.handled_at,
        answered_at=r.answered_at,
        closed_at=r.closed_at,
        ended_at=r.ended_at,
    )


@router.get("", response={200: list[ReferralOut], **ERRORS_READ})
def referral_list(request: HttpRequest, filters: Query[ReferralsIn]) -> list[ReferralOut]:
    """The referrals the caller reads, newest decision first."""
    user = cast(User, request.user)
    if not can_use_referrals(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca rujukan."))
    found = selectors.referrals_for(user).select_related("previous").order_by("-decided_at", "-pk")
    if filters.state:
        found = found.filter(state=filters.state)
    rows = list(found)
    audit_bulk_view(
        user=user,
        object_type="referral",
        person_ids=[r.person_id for r in rows],
        ip=client_ip(request),
        detail={"api": "referrals"},
    )
    return [_out(r) for r in rows]
