"""JSON API of coaching recommendations: ``GET /api/v1/recommendations``, scoped as the
pages (``ilp.accounts.access.recommendation_scope_q``: the dinkes administrator every one of
the district, a team member the team's, puskesmas staff their own, a specialist those of their
programmes' sessions; every other role 403). Each names its `source` (a TPCB visit or a
specialist session); `team` and `visit_date` are kept for visits and null for sessions.
Ordered by due date; optional `state` filter (an unknown state: 422).

``POST /api/v1/recommendations/{recommendation_uuid}/actions`` moves one along its state
machine with the service's rules (``ilp.evaluation.services.recommendation_act``): 403 when the
caller is not entitled, 409 for a move its state does not allow or a closed recommendation,
422 for a missing note; outside the caller's scope: 404.

Each history entry lists its evidence files (name, type, size, SHA-256 and the URL of
``GET /api/v1/recommendations/evidence/{evidence_uuid}``, which serves the file as an
attachment to those who read its recommendation, audited, else 404). Files are uploaded with
the answer on the puskesmas' page (multipart); this JSON action takes none."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, cast
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from ilp.accounts.access import can_use_coaching, client_ip
from ilp.accounts.models import User
from ilp.core.exceptions import PermissionDenied
from ilp.evaluation import evidence, selectors, services
from ilp.evaluation.models import ChecklistItem, Recommendation, RecommendationEvidence
from ilp.evaluation.views_evidence import file_response
from ilp.places.api import ERRORS_READ, ErrorOut, Text

router = Router(tags=["evaluation"])

State = Literal["open", "answered", "accepted", "sent_back", "verified"]


class AddressedTo(Schema):
    role: str | None = Field(description="A puskesmas role: kepala, k1 … k4, lintas")
    user: str | None = Field(description="The username of one of the puskesmas' staff")


class EvidenceOut(Schema):
    id: str = Field(description="The file's UUID")
    name: str
    content_type: str = Field(description="Read from the content: PDF, JPEG, PNG or XLSX")
    size: int = Field(description="Bytes")
    sha256: str
    url: str = Field(description="Where the file is downloaded (same scope, audited)")


class EventOut(Schema):
    at: datetime
    by: str | None
    action: str = Field(description="create | edit | answer | accept | send_back | verify")
    from_state: str = Field(description="Empty for the creation")
    to_state: str
    note: str
    evidence: list[EvidenceOut] = Field(description="Files attached to an answer")


class ChecklistItemOut(Schema):
    cluster: str = Field(description="k1 … k4, lintas")
    version: int = Field(description="The checklist version the visit took")
    code: str
    text: str = Field(description="The item as the Dinkes wrote it")


class SourceOut(Schema):
    """Where the recommendation was given: a TPCB visit or a specialist's session."""

    kind: Literal["visit", "session"]
    id: str = Field(description="The visit's or session's UUID")
    date: date
    team: str | None = Field(description="The visiting TPCB team (a visit)")
    programme: str | None = Field(description="The coaching programme (a session)")
    specialist: str | None = Field(description="Username of the session's specialist")


class RecommendationOut(Schema):
    id: str = Field(description="The recommendation's UUID")
    facility: str = Field(description="Code of the puskesmas it is addressed to")
    team: str | None = Field(description="The visiting team; null for a specialist session's")
    visit_date: date | None = Field(description="The visit's date; null for a session's")
    source: SourceOut
    what: str
    indicator: str = Field(description="Catalogue code of the indicator that shows it, or ''")
    quality_check: str = Field(
        description="Data-quality check that shows it (ilp.monitoring.quality.MEASURES), or ''"
    )
    why: str
    checklist_item: ChecklistItemOut | None = Field(
        None, description="The item of the visit's checklist that shows it, or null"
    )
    addressed_to: AddressedTo
    state: State
    due: date
    history: list[EventOut]


class RecommendationsIn(Schema):
    state: State | None = None


def _item_out(item: ChecklistItem | None) -> ChecklistItemOut | None:
    if item is None:
        return None
    return ChecklistItemOut(
        cluster=item.version.checklist.cluster,
        version=item.version.number,
        code=item.code,
        text=item.text,
    )


def _source(rec: Recommendation) -> SourceOut:
    if rec.session is not None:
        return SourceOut(
            kind="session",
            id=str(rec.session.uuid),
            date=rec.session.session_date,
            team=None,
            programme=rec.session.programme.name,
            specialist=rec.session.specialist.username,
        )
    visit = rec.visit
    assert visit is not None  # noqa: S101 - the recommendation_one_origin constraint
    return SourceOut(
        kind="visit",
        id=str(visit.uuid),
        date=visit.planned_date,
        team=visit.team.name,
        programme=None,
        specialist=None,
    )


def _out(rec: Recommendation) -> RecommendationOut:
    source = _source(rec)
    return RecommendationOut(
        id=str(rec.uuid),
        facility=rec.puskesmas.code,
        team=source.team,
        visit_date=source.date if source.kind == "visit" else None,
        source=source,
        what=rec.what,
        indicator=rec.indicator,
        quality_check=rec.quality_check,
        why=rec.why,
        checklist_item=_item_out(rec.checklist_item),
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
                evidence=[_evidence_out(f) for f in e.evidence.all()],
            )
            for e in rec.events.all()
        ],
    )


def _evidence_out(f: RecommendationEvidence) -> EvidenceOut:
    return EvidenceOut(
        id=str(f.uuid),
        name=f.name,
        content_type=f.content_type,
        size=f.size,
        sha256=f.sha256,
        url=reverse("api:recommendation_evidence", args=[f.uuid]),
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


class ActionIn(Schema):
    action: Literal["answer", "accept", "send_back", "verify"]
    note: Text = Field("", max_length=4000, description="Plan/progress (answer), reason")


@router.post(
    "/{recommendation_uuid}/actions",
    response={200: RecommendationOut, **ERRORS_READ, 409: ErrorOut},
)
def recommendation_action(
    request: HttpRequest, recommendation_uuid: str, body: ActionIn
) -> RecommendationOut:
    """Answer (the puskesmas), accept, send back or verify (the visit's team)."""
    user = cast(User, request.user)
    if not can_use_coaching(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca rekomendasi pembinaan."))
    rec = selectors.recommendation_get(user, recommendation_uuid)
    services.recommendation_act(user=user, recommendation=rec, action=body.action, note=body.note)
    return _out(selectors.recommendation_get(user, recommendation_uuid))


@router.get(
    "/evidence/{evidence_uuid}",
    response={200: None, **ERRORS_READ},
    url_name="recommendation_evidence",
)
def recommendation_evidence(request: HttpRequest, evidence_uuid: UUID) -> HttpResponse:
    """One evidence file, as an attachment (the caller reads its recommendation)."""
    user = cast(User, request.user)
    if not can_use_coaching(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca rekomendasi pembinaan."))
    return file_response(evidence.evidence_get(user, str(evidence_uuid), ip=client_ip(request)))
