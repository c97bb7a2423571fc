"""JSON API of coaching: TPCB teams, their visits and the recommendations visits leave.

Scoped as the pages (``ilp.accounts.access``); a record outside the caller's scope answers
404 (the API does not tell missing from unseen), a role that may not read the kind at all 403.

``GET /api/v1/recommendations``: the dinkes administrator every one of the district, a team
member the team's, puskesmas staff their own (``recommendation_scope_q``), a specialist those
of their programmes' sessions, a camat those addressed to his kecamatan or to a desa of it, a
kepala desa those addressed to his desa; every other role 403. Each names its `source` (a TPCB
visit or a specialist session); `team` and `visit_date` are kept for visits and null for
sessions. Ordered by due date; optional `state` filter (an unknown state: 422).
`addressed_to` holds one of `role`, `user` (a puskesmas role or one of its staff) or `area`
(`{code, kind: kecamatan|desa, name}`: a task for the camat or kepala desa). A camat or
kepala desa sees no personal data: in the history `by` is null except for their own changes.

``POST /api/v1/recommendations/{recommendation_uuid}/actions`` moves one along its state
machine with the service's rules (``ilp.evaluation.services.recommendation_act``): the
puskesmas (or, for a task of a kecamatan or desa, its camat or kepala desa) answers, the
visit's team accepts, sends back or verifies. 403 when the caller is not entitled, 409 for a
move its state does not allow or a closed recommendation, 422 for a missing note.

``GET /api/v1/teams``: the teams of the pages' list (the district's for its dinkes
administrator, else the caller's own active ones); roles that sit on no team: 403.

``GET /api/v1/visits`` (optional `team`, `puskesmas` code and `state` filters) and
``GET /api/v1/visits/{visit_uuid}`` (with its frozen snapshot and its recommendations): the
team's members and the district's dinkes administrator, and the visited puskesmas' staff;
pustu, kader, cross-sector, protection and data-protection roles: 403.

``POST /api/v1/visits`` plans a visit (``services.visit_plan``: the team's members; 201) and
``POST /api/v1/visits/{visit_uuid}/done`` marks it done and freezes its snapshot
(``services.visit_mark_done``; 409 when done already, 422 before its date). Every change is
audited by the services.

Each history entry lists its evidence files (name, type, size, SHA-256 and the URL of
``GET /api/v1/recommendations/evidence/{evidence_uuid}``, which serves the file as an
attachment to those who read its recommendation, audited, else 404). Files are uploaded with
the answer on the puskesmas' page (multipart); this JSON action takes none."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, cast
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ilp.accounts.access import (
    can_answer_area_tasks,
    can_join_teams,
    can_read_recommendations,
    can_use_coaching,
    client_ip,
)
from ilp.accounts.models import User
from ilp.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from ilp.evaluation import evidence, selectors, services
from ilp.evaluation.models import (
    ChecklistItem,
    CoachingVisit,
    Recommendation,
    RecommendationEvidence,
    TpcbTeam,
)
from ilp.evaluation.views_evidence import file_response
from ilp.places.api import ERRORS_READ, ErrorOut, IsoDate, Text
from ilp.places.models import AreaLevel, Facility

router = Router(tags=["evaluation"])
teams = Router(tags=["evaluation"])
visits = Router(tags=["evaluation"])
ERRORS_WRITE = {**ERRORS_READ, 409: ErrorOut}

State = Literal["open", "answered", "accepted", "sent_back", "verified"]


class AreaRef(Schema):
    code: str = Field(description="Official area code")
    kind: Literal["kecamatan", "desa"] = Field(description="kecamatan (camat) or desa (kades)")
    name: str


class AddressedTo(Schema):
    role: str | None = Field(description="A puskesmas role: kepala, k1 … k4, lintas")
    user: str | None = Field(description="The username of one of the puskesmas' staff")
    area: AreaRef | None = Field(
        description="A kecamatan or desa of the puskesmas' working area (its camat or kades)"
    )


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
    """Where the recommendation was given: a TPCB visit, a specialist's session or a death
    review (AMP-SR)."""

    kind: Literal["visit", "session", "death_review"]
    id: str = Field(description="The visit's, session's or death review's UUID")
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
    if rec.death_review is not None:
        return SourceOut(
            kind="death_review",
            id=str(rec.death_review.uuid),
            date=rec.origin_date,
            team=None,
            programme=None,
            specialist=None,
        )
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


def _out(rec: Recommendation, viewer: User) -> RecommendationOut:
    source = _source(rec)
    # A camat or kepala desa reads no personal data: who acted only when it was themself.
    names = not can_answer_area_tasks(viewer)
    area = rec.owner_area
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
            area=AreaRef(
                code=area.code,
                kind="kecamatan" if area.level == AreaLevel.DISTRICT else "desa",
                name=area.name,
            )
            if area is not None
            else None,
        ),
        state=cast(State, rec.state),
        due=rec.due_date,
        history=[
            EventOut(
                at=e.at,
                by=e.by.username if e.by and (names or e.by_id == viewer.pk) else None,
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


def _uuid(raw: str, not_found: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(not_found) from None


@router.get("", response={200: list[RecommendationOut], **ERRORS_READ})
def recommendation_list(
    request: HttpRequest, filters: Query[RecommendationsIn]
) -> list[RecommendationOut]:
    """The recommendations the caller reads, by due date, each with its history."""
    user = cast(User, request.user)
    if not can_read_recommendations(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca rekomendasi pembinaan."))
    found = selectors.recommendations_for(user).order_by("due_date", "id")
    if filters.state:
        found = found.filter(state=filters.state)
    return [_out(r, user) for r in found]


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
    """Answer (the puskesmas, or the camat/kepala desa of a task addressed to their area),
    accept, send back or verify (the visit's team)."""
    user = cast(User, request.user)
    if not can_read_recommendations(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca rekomendasi pembinaan."))
    uuid = _uuid(recommendation_uuid, _("Rekomendasi tidak ditemukan."))
    rec = selectors.recommendation_get(user, uuid)
    services.recommendation_act(user=user, recommendation=rec, action=body.action, note=body.note)
    return _out(selectors.recommendation_get(user, uuid), user)


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


# ---------------------------------------------------------------- teams


class TeamOut(Schema):
    id: str = Field(description="The team's UUID")
    name: str
    decree_number: str
    decree_date: date
    lead: str = Field(description="Username of the team's lead")
    members: list[str] = Field(description="Usernames of the members")
    puskesmas: list[str] = Field(description="Codes of the puskesmas it coaches")
    active: bool


@teams.get("", response={200: list[TeamOut], **ERRORS_READ})
def team_list(request: HttpRequest) -> list[TeamOut]:
    """The teams the caller sees: all of the district for its dinkes administrator, else the
    active teams the caller belongs to."""
    user = cast(User, request.user)
    if not can_join_teams(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca tim TPCB."))
    return [
        TeamOut(
            id=str(t.uuid),
            name=t.name,
            decree_number=t.decree_number,
            decree_date=t.decree_date,
            lead=t.lead.username,
            members=sorted(m.username for m in t.members.all()),
            puskesmas=sorted(f.code for f in t.puskesmas.all()),
            active=t.is_active,
        )
        for t in selectors.teams_for(user)
    ]


# ---------------------------------------------------------------- visits


class SnapshotRow(Schema):
    code: str = Field(description="Catalogue code of the indicator")
    value: float | None = Field(description="Percent, or null when no denominator")
    target: float | None
    status: str | None = Field(description="PWS status, or null")


class SnapshotOut(Schema):
    year: int
    month: int
    rows: list[SnapshotRow]


class VisitOut(Schema):
    id: str = Field(description="The visit's UUID")
    team_id: str = Field(description="The team's UUID")
    team: str
    facility: str = Field(description="Code of the visited puskesmas")
    planned_date: date
    state: Literal["planned", "done", "cancelled"]
    members: list[str] = Field(description="Usernames of the members going")
    findings: str


class VisitDetailOut(VisitOut):
    snapshot: SnapshotOut | None = Field(
        description="The puskesmas' indicators of the visit month, frozen when marked done"
    )
    recommendations: list[RecommendationOut]


class VisitsIn(Schema):
    team: UUID | None = None
    puskesmas: str | None = Field(None, max_length=32, description="Code of the puskesmas")
    state: Literal["planned", "done", "cancelled"] | None = None


def _visit_fields(v: CoachingVisit) -> dict[str, Any]:
    return {
        "id": str(v.uuid),
        "team_id": str(v.team.uuid),
        "team": v.team.name,
        "facility": v.puskesmas.code,
        "planned_date": v.planned_date,
        "state": v.state,
        "members": sorted(m.username for m in v.members.all()),
        "findings": v.findings,
    }


def _visit_detail(user: User, visit: CoachingVisit) -> VisitDetailOut:
    return VisitDetailOut(
        **_visit_fields(visit),
        snapshot=visit.snapshot,
        recommendations=[_out(r, user) for r in selectors.visit_recommendations(visit)],
    )


def _require_visits_reader(user: User) -> None:
    if not can_use_coaching(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca kunjungan pembinaan."))


@visits.get("", response={200: list[VisitOut], **ERRORS_READ})
def visit_list(request: HttpRequest, filters: Query[VisitsIn]) -> list[VisitOut]:
    """The visits the caller opens, newest first."""
    user = cast(User, request.user)
    _require_visits_reader(user)
    found = selectors.visits_for(user)
    if filters.team:
        found = found.filter(team__uuid=filters.team)
    if filters.puskesmas:
        found = found.filter(puskesmas__code=filters.puskesmas)
    if filters.state:
        found = found.filter(state=filters.state)
    return [VisitOut(**_visit_fields(v)) for v in found.order_by("-planned_date", "-id")]


@visits.get("/{visit_uuid}", response={200: VisitDetailOut, **ERRORS_READ})
def visit_detail(request: HttpRequest, visit_uuid: str) -> VisitDetailOut:
    """One visit with its frozen snapshot and its recommendations (each with its history)."""
    user = cast(User, request.user)
    _require_visits_reader(user)
    visit = selectors.visit_get(user, _uuid(visit_uuid, _("Kunjungan tidak ditemukan.")))
    return _visit_detail(user, visit)


class VisitIn(Schema):
    team: UUID = Field(description="The visiting team's UUID")
    puskesmas: str = Field(max_length=32, description="Code of a puskesmas the team coaches")
    planned_date: IsoDate
    members: list[str] = Field(max_length=50, description="Usernames of the members going")


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


@visits.post("", response={201: VisitDetailOut, **ERRORS_WRITE})
def visit_plan(request: HttpRequest, body: VisitIn) -> Status[VisitDetailOut]:
    """Plan a visit of a team the caller belongs to (the service's rules and messages)."""
    user = cast(User, request.user)
    if not can_join_teams(user):
        raise PermissionDenied(_("Hanya anggota tim yang merencanakan kunjungannya."))
    team: TpcbTeam = selectors.team_get(user, body.team)
    puskesmas = Facility.objects.filter(code=body.puskesmas).first()
    if puskesmas is None:
        raise _invalid("puskesmas", _("Puskesmas tidak dikenal."))
    found = {m.username: m for m in team.members.filter(username__in=body.members)}
    unknown = sorted(set(body.members) - set(found))
    if unknown:
        raise _invalid(
            "members",
            _("Yang berangkat harus anggota tim ini: %(names)s.") % {"names": ", ".join(unknown)},
        )
    visit = services.visit_plan(
        user=user,
        team=team,
        puskesmas=puskesmas,
        planned_date=body.planned_date,
        members=found.values(),
    )
    return Status(201, _visit_detail(user, selectors.visit_get(user, visit.uuid)))


@visits.post("/{visit_uuid}/done", response={200: VisitDetailOut, **ERRORS_WRITE})
def visit_done(request: HttpRequest, visit_uuid: str) -> VisitDetailOut:
    """Mark a visit done and freeze the puskesmas' indicators of its month (its team)."""
    user = cast(User, request.user)
    _require_visits_reader(user)
    uuid = _uuid(visit_uuid, _("Kunjungan tidak ditemukan."))
    services.visit_mark_done(user=user, visit=selectors.visit_get(user, uuid))
    return _visit_detail(user, selectors.visit_get(user, uuid))
