"""Reads of evaluation and coaching, scoped to the user (``ilp.accounts.access``): teams and
the puskesmas without one, a team's visits (and every visit the user opens), a visit with its
history and its recommendations with their history (each answer's evidence files listed, their
bytes not loaded), the recommendations a puskesmas answers, the tasks of a camat or kepala desa,
the district's open list, and the movement of a recommendation's indicator since its visit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    can_answer_area_tasks,
    can_answer_recommendations,
    can_manage_teams,
    can_use_coaching,
    may_view_team,
    may_view_visit,
    recommendation_scope_q,
)
from ilp.accounts.models import User
from ilp.core.exceptions import ApplicationError, NotFound, PermissionDenied
from ilp.core.paging import span
from ilp.evaluation.models import (
    CoachingVisit,
    Recommendation,
    RecommendationEvent,
    RecommendationEvidence,
    RecState,
    TpcbTeam,
    VisitEvent,
)
from ilp.monitoring.catalogue import load_catalogue
from ilp.places.models import Facility, FacilityKind

OPEN_STATES = (RecState.OPEN, RecState.ANSWERED, RecState.ACCEPTED, RecState.SENT_BACK)


def district_puskesmas(user: User) -> QuerySet[Facility]:
    """The puskesmas of the user's district (for the dinkes administrator)."""
    if not can_manage_teams(user) or user.area is None:
        return Facility.objects.none()
    code = user.area.code
    return Facility.objects.filter(
        Q(area__code=code) | Q(area__code__startswith=f"{code}."),
        kind=FacilityKind.PUSKESMAS,
        is_active=True,
    ).order_by("name")


def teams_for(user: User) -> QuerySet[TpcbTeam]:
    """The teams the user sees: all of the district for its dinkes administrator, else the
    teams the user belongs to."""
    found = TpcbTeam.objects.select_related("lead").prefetch_related("members", "puskesmas")
    if can_manage_teams(user):
        return found.filter(district_id=user.area_id)
    return found.filter(members=user.pk, is_active=True)


def puskesmas_without_team(user: User) -> QuerySet[Facility]:
    """The district's puskesmas no active team coaches."""
    return district_puskesmas(user).exclude(tpcb_teams__is_active=True)


def team_get(user: User, uuid: UUID | str) -> TpcbTeam:
    team = TpcbTeam.objects.filter(uuid=uuid).select_related("lead").first()
    if team is None or not may_view_team(user, team):
        raise NotFound(_("Tim tidak ditemukan."))
    return team


def team_visits(team: TpcbTeam) -> QuerySet[CoachingVisit]:
    """The team's visits, newest first, with the count of open recommendations."""
    return (
        team.visits.select_related("puskesmas")
        .prefetch_related("members")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.filter(state__in=OPEN_STATES),
                to_attr="open_recommendations",
            )
        )
    )


def visit_get(user: User, uuid: UUID | str) -> CoachingVisit:
    visit = (
        CoachingVisit.objects.filter(uuid=uuid)
        .select_related("team", "puskesmas", "cancelled_by")
        .prefetch_related(
            "members", Prefetch("events", queryset=VisitEvent.objects.select_related("by"))
        )
        .first()
    )
    if visit is None or not may_view_visit(user, visit):
        raise NotFound(_("Kunjungan tidak ditemukan."))
    return visit


def _with_history(found: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    # The evidence rows without their bytes: a list shows names and sizes only.
    files = RecommendationEvidence.objects.defer("data")
    events = RecommendationEvent.objects.select_related("by").prefetch_related(
        Prefetch("evidence", queryset=files)
    )
    return found.select_related(
        "owner_user",
        "owner_area",
        "visit__puskesmas",
        "visit__team",
        # A specialist session's recommendations (``rec.origin``): nullable, so LEFT JOINs.
        "checklist_item__version__checklist",
        "session__puskesmas",
        "session__programme",
        "session__specialist",
        # A death review's (``rec.origin``): the review, its death (the link) and puskesmas.
        "death_review__death",
        "death_review__puskesmas",
    ).prefetch_related(Prefetch("events", queryset=events))


def recommendations_for(user: User) -> QuerySet[Recommendation]:
    """Every recommendation the user reads (`recommendation_scope_q`), each once."""
    scoped = Recommendation.objects.filter(recommendation_scope_q(user)).values("pk")
    return _with_history(Recommendation.objects.filter(pk__in=scoped))


def recommendation_get(user: User, uuid: UUID | str) -> Recommendation:
    rec = recommendations_for(user).filter(uuid=uuid).first()
    if rec is None:
        raise NotFound(_("Rekomendasi tidak ditemukan."))
    return rec


def visit_recommendations(visit: CoachingVisit) -> QuerySet[Recommendation]:
    return _with_history(visit.recommendations.all())


def puskesmas_recommendations(user: User) -> QuerySet[Recommendation]:
    """The recommendations addressed to the user's puskesmas, the ones to answer first."""
    if user.role != "puskesmas" or not user.facility_id:
        raise PermissionDenied(_("Halaman ini untuk staf puskesmas."))
    return recommendations_for(user).order_by("due_date", "id")


def area_tasks(user: User) -> QuerySet[Recommendation]:
    """The recommendations addressed to the cross-sector official's area (for a camat also
    those of the desa of his kecamatan), the ones to answer first."""
    if not can_answer_area_tasks(user):
        raise PermissionDenied(_("Halaman ini untuk camat dan kepala desa."))
    return recommendations_for(user).order_by("due_date", "id")


def visits_for(user: User) -> QuerySet[CoachingVisit]:
    """Every visit the user opens (`may_view_visit`): the dinkes administrator all of the
    district's, a team member the team's, puskesmas staff those to their puskesmas."""
    if not can_use_coaching(user):
        return CoachingVisit.objects.none()
    if can_answer_recommendations(user):
        scope = Q(puskesmas_id=user.facility_id)
    else:
        scope = Q(team__members=user.pk)
        if can_manage_teams(user):
            scope |= Q(team__district_id=user.area_id)
    ids = CoachingVisit.objects.filter(scope).values("pk")
    return (
        CoachingVisit.objects.filter(pk__in=ids)
        .select_related("team", "puskesmas")
        .prefetch_related("members")
    )


# Rows per page of the district's open list (a district of 60 puskesmas has hundreds open).
OPEN_PAGE_SIZE = 50


@dataclass(frozen=True)
class OpenPage:
    """One page of the district's open recommendations and the counts of the whole list."""

    rows: list[Recommendation]
    total: int
    overdue: int
    page: int
    pages: int


def open_recommendations(
    user: User,
    *,
    team: TpcbTeam | None = None,
    cluster: str = "",
    page: int = 1,
    per_page: int = OPEN_PAGE_SIZE,
) -> OpenPage:
    """The district's open recommendations (dinkes administrator), overdue first then by due
    date (an overdue one's due date is before every other's, so the due-date order is that
    order); optionally of one team, or whose indicator belongs to one cluster. One page of
    rows (without their history, which the list does not show) and the counts: two queries."""
    if not can_manage_teams(user):
        raise PermissionDenied(_("Daftar ini untuk administrator Dinas Kesehatan."))
    scoped = Recommendation.objects.filter(recommendation_scope_q(user)).values("pk")
    found = Recommendation.objects.filter(pk__in=scoped, state__in=OPEN_STATES)
    if team is not None:
        found = found.filter(visit__team=team)
    if cluster:
        codes = [i.code for i in load_catalogue().values() if i.cluster == cluster]
        found = found.filter(indicator__in=codes)
    today = timezone.localdate()
    counts = found.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    at = span(counts["total"], page, per_page)
    rows = list(
        found.select_related(
            "owner_user",
            "owner_area",
            "visit__puskesmas",
            "visit__team",
            "session__puskesmas",
            "session__programme",
            "death_review__death",
            "death_review__puskesmas",
        ).order_by("due_date", "id")[at.start : at.stop]
    )
    return OpenPage(rows, counts["total"], counts["overdue"], at.page, at.pages)


def is_overdue(rec: Recommendation, today: date | None = None) -> bool:
    return rec.state in OPEN_STATES and rec.due_date < (today or timezone.localdate())


@dataclass(frozen=True)
class Movement:
    """An indicator's value frozen at the visit and its value now (percent; None: none)."""

    code: str
    frozen: float | None
    current: float | None

    @property
    def change(self) -> float | None:
        if self.frozen is None or self.current is None:
            return None
        return round(self.current - self.frozen, 1)


def movements(
    user: User, recommendations: Iterable[Recommendation], today: date | None = None
) -> dict[int, Movement]:
    """By recommendation id, for those linked to an indicator whose visit is done: the
    indicator's value frozen in the visit's snapshot and its value this month, read now as
    `user` reads it (one overview per puskesmas). Left out when the user reads no indicator
    of the puskesmas."""
    from ilp.evaluation.services import indicator_snapshot

    today = today or timezone.localdate()
    by_puskesmas: dict[int, list[Recommendation]] = defaultdict(list)
    for rec in recommendations:
        if rec.indicator and rec.visit is not None and rec.visit.snapshot:
            by_puskesmas[rec.visit.puskesmas_id].append(rec)
    found: dict[int, Movement] = {}
    for recs in by_puskesmas.values():
        try:
            now = indicator_snapshot(user, recs[0].puskesmas, today.year, today.month)
        except ApplicationError:
            continue
        current = {row["code"]: row["value"] for row in now["rows"]}
        for rec in recs:
            snapshot = rec.visit.snapshot if rec.visit is not None else None
            frozen = {row["code"]: row["value"] for row in (snapshot or {})["rows"]}
            found[rec.pk] = Movement(
                rec.indicator, frozen.get(rec.indicator), current.get(rec.indicator)
            )
    return found
