"""The specialists' coaching in the monthly evaluation of a puskesmas (issue 11 §4–5): a
section registered on ``ilp.evaluation.review`` (``register_section``; imported by
``EvaluationConfig.ready``) with the sessions held at the puskesmas in the month and the last
ones before it — programme, specialist, participants, and the mean pre- and post-test of the
session — and the coverage of the programmes concerned.

The figures follow ``ilp.evaluation.programme_figures`` (the same functions, not a second
way of counting): a session's score change is ``change_by_puskesmas`` over that session's
scores alone (each participant once: the mean of their paired topics, then the mean over the
participants with a pair); a programme's coverage is ``coverage`` over the sessions dated up
to the month's last day, so a past month's evaluation does not move when later sessions come.

Which programmes: those of the sessions shown, and those covering the puskesmas whose period
touches the month (active ones), so a puskesmas due a visit shows it has not had one yet. A
puskesmas with neither gets no section. Readers: those of the monthly evaluation (the
puskesmas was checked by ``review.review_puskesmas``); the section holds no personal data
(participants are counted, not named). Six queries at most, however many sessions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import pgettext

from ilp.evaluation.programme_figures import (
    Coverage,
    ScoreChange,
    change_by_puskesmas,
    coverage,
)
from ilp.evaluation.programme_models import CoachingProgramme, CoachingSession, SessionScore
from ilp.evaluation.programme_selectors import score_rows
from ilp.evaluation.review import EvaluationScope, Section, register_section

LAST_SESSIONS = 3


@dataclass(frozen=True)
class SessionLine:
    """A session as the section shows it; `change` None: no participant with both tests."""

    session: CoachingSession
    participants: int
    change: ScoreChange | None


@dataclass(frozen=True)
class ProgrammeLine:
    """A programme's coverage as at the month's end, and whether this puskesmas is one of its
    puskesmas to cover and has had a session by then."""

    programme: CoachingProgramme
    coverage: Coverage
    targeted: bool
    visited: bool


def _sessions(scope: EvaluationScope) -> QuerySet[CoachingSession]:
    return (
        CoachingSession.objects.filter(puskesmas=scope.puskesmas)
        .select_related("programme", "specialist")
        .annotate(participant_count=Count("participants"))
        .order_by("-session_date", "-id")
    )


def _lines(sessions: list[CoachingSession]) -> list[SessionLine]:
    """Each session with its score change (one query for all of them)."""
    rows = score_rows(
        SessionScore.objects.filter(participant__session__in=[s.pk for s in sessions])
    )
    by_session = defaultdict(list)
    for row in rows:
        by_session[row.session].append(row)
    return [
        SessionLine(
            s,
            s.participant_count,  # type: ignore[attr-defined]
            change_by_puskesmas(by_session[s.pk]).get(s.puskesmas_id),
        )
        for s in sessions
    ]


def _programmes(scope: EvaluationScope, shown: list[CoachingSession]) -> list[ProgrammeLine]:
    """The programmes concerned with their coverage (three queries)."""
    programmes = list(
        CoachingProgramme.objects.filter(
            Q(pk__in={s.programme_id for s in shown})
            | Q(
                puskesmas=scope.puskesmas,
                is_active=True,
                start_date__lte=scope.last,
                end_date__gte=scope.first,
            )
        )
        .distinct()
        .order_by("-start_date", "name")
    )
    if not programmes:
        return []
    ids = [p.pk for p in programmes]
    to_cover: dict[int, list[int]] = defaultdict(list)
    through = CoachingProgramme.puskesmas.through.objects.filter(coachingprogramme_id__in=ids)
    for programme_id, facility_id in through.values_list("coachingprogramme_id", "facility_id"):
        to_cover[programme_id].append(facility_id)
    held: dict[int, list[int]] = defaultdict(list)
    found = (
        CoachingSession.objects.filter(programme_id__in=ids, session_date__lte=scope.last)
        .values_list("programme_id", "puskesmas_id")
        .distinct()
    )
    for programme_id, facility_id in found:
        held[programme_id].append(facility_id)
    lines = []
    for p in programmes:
        cover = coverage(to_cover[p.pk], held[p.pk])
        targeted = scope.puskesmas.pk in to_cover[p.pk]
        lines.append(
            ProgrammeLine(
                p, cover, targeted, targeted and scope.puskesmas.pk not in cover.not_visited
            )
        )
    return lines


@register_section
def specialist_sessions(scope: EvaluationScope) -> Section | None:
    """The section "Sesi pendampingan spesialis" (None: no session and no programme)."""
    in_month = list(_sessions(scope).filter(session_date__range=(scope.first, scope.last)))
    earlier = list(_sessions(scope).filter(session_date__lt=scope.first)[:LAST_SESSIONS])
    programmes = _programmes(scope, in_month + earlier)
    if not programmes:
        return None
    lines = _lines(in_month + earlier) if in_month or earlier else []
    return Section(
        key="sesi-spesialis",
        title=pgettext("section", "Sesi pendampingan spesialis"),
        template="evaluation/_review_sessions.html",
        context={
            "in_month": lines[: len(in_month)],
            "earlier": lines[len(in_month) :],
            "programmes": programmes,
        },
    )
