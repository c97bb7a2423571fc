"""The monthly evaluation of a puskesmas (issue 11 §5): one page per puskesmas and month, for
its lokmin and its TPCB team, generated from the data — each indicator against its target
line with its PWS status (the summary of the lokmin pack, ``ilp.monitoring.lokmin``, read
without the desa bars and trends, which stay in the pack), the month's data quality, the
recommendations (open and overdue at the month's end, new and closed in the month; those of
the TPCB visits and of the specialists' sessions alike, each with its origin) and the
coaching done (the month's visits and the last ones done; the specialists' sessions are a
registered section, ``ilp.evaluation.programme_review``).

Recommendations are read *as at the month's end* (or today, for the current month) from
their history: open when created by then and not verified by then; overdue when open and
past their due date then; closed in the month when verified in it. So a past month's
evaluation stays what it was.

Extension point: ``SECTION_PROVIDERS``. Another part of evaluation (e.g. the specialist
coaching sessions of the month) adds a section with ``@register_section``: a function of an
``EvaluationScope`` returning a ``Section`` (a title, a template and its context) or None to
add nothing; sections follow the built-in ones in registration order, on the page and in
its PDF. A provider reads through its own scoped selectors with ``scope.user``.

Who reads it: ``ilp.accounts.access.evaluation_puskesmas`` (404 for any other puskesmas).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import can_view_evaluations, evaluation_puskesmas
from ilp.accounts.models import User
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.evaluation.models import CoachingVisit, Recommendation, VisitState
from ilp.monitoring import lokmin, pws, selectors
from ilp.places.models import Facility

LAST_VISITS = 3


def review_puskesmas(user: User, code: str) -> Facility:
    """The puskesmas an evaluation is asked for, if the user reads its evaluations."""
    if not can_view_evaluations(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membuka evaluasi puskesmas."))
    facility = evaluation_puskesmas(user).filter(code=code).first()
    if facility is None:
        raise NotFound(
            _("Puskesmas %(code)s tidak ada atau di luar wilayah Anda.") % {"code": code}
        )
    return facility


@dataclass(frozen=True)
class EvaluationScope:
    """What a section provider is given: who reads, which puskesmas, which month, and the
    month's first and last day and the day the figures are read as at."""

    user: User
    puskesmas: Facility
    year: int
    month: int
    language: str
    first: date
    last: date
    as_of: date


@dataclass
class Section:
    """A section a provider adds: its heading, the template that draws it (included with
    ``section`` in its context) and what that template reads."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionProvider = Callable[[EvaluationScope], Section | None]
SECTION_PROVIDERS: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> SectionProvider:
    """Add a section to every monthly evaluation (after the built-in ones); usable as a
    decorator. Registering the same function twice adds it once."""
    if provider not in SECTION_PROVIDERS:
        SECTION_PROVIDERS.append(provider)
    return provider


@dataclass
class RecommendationsAsAt:
    """The puskesmas' recommendations as at the evaluation's day (see the module docstring)."""

    open: list[Recommendation]
    overdue: int
    new_in_month: int
    closed_in_month: list[Recommendation]


@dataclass
class MonthlyEvaluation:
    scope: EvaluationScope
    pack: lokmin.LokminPack
    status_counts: list[tuple[str, str, int]]
    on_target: int
    scored: int
    recommendations: RecommendationsAsAt
    visits_in_month: list[CoachingVisit]
    last_visits: list[CoachingVisit]
    generated_at: datetime
    sections: list[Section]

    @property
    def period(self) -> str:
        return f"{self.scope.year:04d}-{self.scope.month:02d}"


def on_target_tone(tone: str) -> bool:
    """Whether a PWS tone says the value meets its target line (rising or not), for the
    indicator's direction."""
    return tone in ("good", "watch")


def month_bounds(year: int, month: int, today: date | None = None) -> tuple[date, date, date]:
    """The month's first and last day, and the day its figures are read as at (its last day,
    or today for the current month)."""
    today = today or timezone.localdate()
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return first, last, min(last, today)


def verified_at() -> Max:
    """The time a recommendation was verified (None: not verified), from its history."""
    return Max("events__at", filter=Q(events__action="verify"))


def with_verified_at(found: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Each recommendation with ``verified_at`` (see `verified_at`)."""
    return found.annotate(verified_at=verified_at())


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def recommendations_as_at(puskesmas: Facility, first: date, as_of: date) -> RecommendationsAsAt:
    """The puskesmas' recommendations read as at `as_of` (one query): those of its TPCB
    visits and those of the specialists' sessions held there."""
    found = with_verified_at(
        Recommendation.objects.filter(
            Q(visit__puskesmas=puskesmas) | Q(session__puskesmas=puskesmas)
        ).select_related("owner_user", "owner_area", "visit__team", "session")
    ).filter(created_at__date__lte=as_of)
    open_, closed, new = [], [], 0
    for rec in found.order_by("due_date", "id"):
        created = _local_day(rec.created_at)
        verified = _local_day(rec.verified_at)  # type: ignore[attr-defined]
        if created is not None and created >= first:
            new += 1
        if verified is None or verified > as_of:
            rec.overdue_then = rec.due_date < as_of  # type: ignore[attr-defined]
            open_.append(rec)
        elif verified >= first:
            closed.append(rec)
    open_.sort(key=lambda r: (not r.overdue_then, r.due_date, r.pk))  # type: ignore[attr-defined]
    overdue = sum(r.overdue_then for r in open_)  # type: ignore[attr-defined]
    return RecommendationsAsAt(open_, overdue, new, closed)


def monthly_evaluation(
    user: User, puskesmas: Facility, *, year: int, month: int, language: str
) -> MonthlyEvaluation:
    """The month's evaluation of the puskesmas (the reader already checked with
    `review_puskesmas`; NotFound when the reader may not read its working area's values)."""
    first, last, as_of = month_bounds(year, month)
    scope = EvaluationScope(user, puskesmas, year, month, language, first, last, as_of)
    pack = lokmin.lokmin_pack(
        user, puskesmas, year=year, month=month, language=language, detail=False
    )
    tops = [item.top for cluster in pack.clusters for item in cluster.items]
    counts = dict.fromkeys(selectors.STATUSES, 0)
    for row in tops:
        if row.status:
            counts[row.status] += 1
    scored = [r for r in tops if r.status]
    on_target = sum(
        1
        for c in pack.clusters
        for item in c.items
        if on_target_tone(pws.status_tone(item.indicator, item.top.status))
    )
    visits = CoachingVisit.objects.filter(puskesmas=puskesmas).select_related("team")
    in_month = list(
        visits.filter(planned_date__range=(first, last))
        .prefetch_related("members")
        .order_by("planned_date", "id")
    )
    last_done = list(
        visits.filter(state=VisitState.DONE, planned_date__lte=as_of).order_by(
            "-planned_date", "-id"
        )[:LAST_VISITS]
    )
    sections = [s for provider in SECTION_PROVIDERS if (s := provider(scope)) is not None]
    return MonthlyEvaluation(
        scope=scope,
        pack=pack,
        status_counts=[(s, str(pws.STATUS_LABELS[s]), counts[s]) for s in selectors.STATUSES],
        on_target=on_target,
        scored=len(scored),
        recommendations=recommendations_as_at(puskesmas, first, as_of),
        visits_in_month=in_month,
        last_visits=last_done,
        generated_at=timezone.localtime(),
        sections=sections,
    )
