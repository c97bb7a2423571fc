"""JSON API of coaching recommendations: ``GET /api/v1/recommendations``, scoped as the
pages (``ilp.accounts.access.recommendation_scope_q``: the dinkes administrator every one of
the district, a team member the team's, puskesmas staff their own; every other role 403).
Ordered by due date; optional `state` filter (an unknown state: 422)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from ilp.accounts.access import can_use_coaching
from ilp.accounts.models import User
from ilp.core.exceptions import PermissionDenied
from ilp.evaluation import selectors
from ilp.evaluation.models import Recommendation
from ilp.places.api import ERRORS_READ

router = Router(tags=["evaluation"])

State = Literal["open", "answered", "accepted", "sent_back", "verified"]


class AddressedTo(Schema):
    role: str | None = Field(description="A puskesmas role: kepala, k1 … k4, lintas")
    user: str | None = Field(description="The username of one of the puskesmas' staff")


class EventOut(Schema):
    at: datetime
    by: str | None
    action: str = Field(description="create | edit | answer | accept | send_back | verify")
    from_state: str = Field(description="Empty for the creation")
    to_state: str
    note: str


class RecommendationOut(Schema):
    id: str = Field(description="The recommendation's UUID")
    facility: str = Field(description="Code of the puskesmas it is addressed to")
    team: str
    visit_date: date
    what: str
    indicator: str = Field(description="Catalogue code of the indicator that shows it, or ''")
    why: str
    addressed_to: AddressedTo
    state: State
    due: date
    history: list[EventOut]


class RecommendationsIn(Schema):
    state: State | None = None


def _out(rec: Recommendation) -> RecommendationOut:
    return RecommendationOut(
        id=str(rec.uuid),
        facility=rec.visit.puskesmas.code,
        team=rec.visit.team.name,
        visit_date=rec.visit.planned_date,
        what=rec.what,
        indicator=rec.indicator,
        why=rec.why,
        addressed_to=AddressedTo(
            role=rec.owner_role or None,
            user=rec.owner_user.username if rec.owner_user else None,
        ),
        state=cast(State, rec.state),
        due=rec.due_date,
        history=[
            EventOut(
                at=e.at,
                by=e.by.username if e.by else None,
                action=e.action,
                from_state=e.from_state,
                to_state=e.to_state,
                note=e.note,
            )
            for e in rec.events.all()
        ],
    )


@router.get("", response={200: list[RecommendationOut], **ERRORS_READ})
def recommendation_list(
    request: HttpRequest, filters: Query[RecommendationsIn]
) -> list[RecommendationOut]:
    """The recommendations the caller reads, by due date, each with its history."""
    user = cast(User, request.user)
    if not can_use_coaching(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca rekomendasi pembinaan."))
    found = selectors.recommendations_for(user).order_by("due_date", "id")
    if filters.state:
        found = found.filter(state=filters.state)
    return [_out(r) for r in found]
