"""Reads of specialist coaching programmes, scoped to the user (``ilp.accounts.access``): the
programmes a user opens, one programme with its sessions and figures (coverage, score change
per topic and per puskesmas), a session with its participants, scores, cases and
recommendations."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    can_manage_programmes,
    is_specialist,
    may_view_session,
    programme_scope_q,
)
from ilp.accounts.models import Role, User
from ilp.core.exceptions import NotFound
from ilp.evaluation.models import Recommendation
from ilp.evaluation.programme_figures import (
    Coverage,
    ScoreChange,
    ScoreRow,
    change_by_puskesmas,
    change_by_topic,
    coverage,
)
from ilp.evaluation.programme_models import (
    CoachingProgramme,
    CoachingSession,
    ProgrammeTopic,
    SessionParticipant,
    SessionScore,
)
from ilp.places.models import Facility


def programmes_for(user: User) -> QuerySet[CoachingProgramme]:
    """The programmes the user opens, each with its coverage counted (`visited`, `to_cover`)."""
    return (
        CoachingProgramme.objects.filter(programme_scope_q(user))
        .annotate(
            to_cover=Count("puskesmas", distinct=True),
            visited=Count(
                "sessions__puskesmas",
                distinct=True,
                # A session at a puskesmas since removed from the programme does not count.
                filter=Q(sessions__puskesmas__coaching_programmes=F("pk")),
            ),
        )
        .order_by("-start_date", "name")
    )


def programmes_run_by(user: User) -> QuerySet[CoachingProgramme]:
    """The programmes whose sessions the user records and whose recommendations the user
    judges (``access.may_run_programme`` for many at once)."""
    if can_manage_programmes(user):
        return CoachingProgramme.objects.filter(district_id=user.area_id)
    if is_specialist(user):
        return CoachingProgramme.objects.filter(specialists=user.pk)
    return CoachingProgramme.objects.none()


def programme_get(user: User, uuid: UUID | str) -> CoachingProgramme:
    found = (
        CoachingProgramme.objects.filter(programme_scope_q(user), uuid=uuid)
        .prefetch_related("specialists", "topics")
        .first()
    )
    if found is None:
        raise NotFound(_("Program tidak ditemukan."))
    return found


def district_specialists(user: User) -> QuerySet[User]:
    """The specialists of the user's district (to choose a programme's)."""
    return User.objects.filter(
        role=Role.SPECIALIST, area_id=user.area_id or 0, is_active=True
    ).order_by("last_name", "first_name", "username")


def programme_sessions(programme: CoachingProgramme) -> QuerySet[CoachingSession]:
    """The programme's sessions, newest first, with their counts of participants and open
    recommendations."""
    return (
        programme.sessions.select_related("puskesmas", "specialist")
        .annotate(
            participant_count=Count("participants", distinct=True),
            open_count=Count(
                "recommendations",
                distinct=True,
                filter=Q(recommendations__state__in=("open", "answered", "accepted", "sent_back")),
            ),
        )
        .order_by("-session_date", "-id")
    )


@dataclass(frozen=True)
class ProgrammeFigures:
    """The programme's coverage and its score changes, with the names to show them."""

    coverage: Coverage
    puskesmas: list[Facility]
    by_topic: list[tuple[ProgrammeTopic, ScoreChange | None]]
    by_puskesmas: list[tuple[Facility, ScoreChange | None]]
    not_visited: list[Facility]


def score_rows(scores: QuerySet[SessionScore]) -> list[ScoreRow]:
    """The scores as the plain rows ``programme_figures`` counts (one query); a person is
    identified as that module says."""
    found = scores.values_list(
        "participant__user_id",
        "participant__name",
        "participant__session__puskesmas_id",
        "participant__session__session_date",
        "participant__session_id",
        "topic_id",
        "pre",
        "post",
    )
    rows = []
    for user_id, name, puskesmas, day, session, topic, pre, post in found:
        person = ("u", user_id) if user_id else ("n", puskesmas, name.strip().casefold())
        rows.append(ScoreRow(person, puskesmas, topic, day, session, pre, post))
    return rows


def programme_figures(programme: CoachingProgramme) -> ProgrammeFigures:
    """Coverage ("17 of 17 puskesmas visited") and the mean pre-/post-test per topic and
    per puskesmas (the counting rules: ``ilp.evaluation.programme_figures``). Four queries."""
    puskesmas = list(programme.puskesmas.order_by("name"))
    visited = programme.sessions.values_list("puskesmas_id", flat=True).distinct()
    cover = coverage([f.pk for f in puskesmas], list(visited))
    rows = score_rows(SessionScore.objects.filter(participant__session__programme=programme))
    per_topic = change_by_topic(rows)
    per_puskesmas = change_by_puskesmas(rows)
    by_id = {f.pk: f for f in puskesmas}
    return ProgrammeFigures(
        coverage=cover,
        puskesmas=puskesmas,
        by_topic=[(t, per_topic.get(t.pk)) for t in programme.topics.all()],
        by_puskesmas=[(f, per_puskesmas.get(f.pk)) for f in puskesmas],
        not_visited=[by_id[pk] for pk in cover.not_visited],
    )


def session_get(user: User, uuid: UUID | str) -> CoachingSession:
    session = (
        CoachingSession.objects.filter(uuid=uuid)
        .select_related("programme", "puskesmas", "specialist")
        .first()
    )
    if session is None or not may_view_session(user, session):
        raise NotFound(_("Sesi tidak ditemukan."))
    return session


def session_participants(session: CoachingSession) -> list[SessionParticipant]:
    """The session's participants with their scores (`scores_by_topic`: topic id → score)."""
    found = list(
        session.participants.select_related("user").prefetch_related(
            Prefetch("scores", queryset=SessionScore.objects.all())
        )
    )
    for participant in found:
        participant.scores_by_topic = {s.topic_id: s for s in participant.scores.all()}  # type: ignore[attr-defined]
    return found


def session_recommendations(session: CoachingSession) -> QuerySet[Recommendation]:
    from ilp.evaluation.selectors import _with_history

    return _with_history(session.recommendations.all())


def puskesmas_staff(session: CoachingSession) -> QuerySet[User]:
    """The ILP users of the session's puskesmas (to pick participants from)."""
    return User.objects.filter(facility_id=session.puskesmas_id, is_active=True).order_by(
        "first_name", "username"
    )
