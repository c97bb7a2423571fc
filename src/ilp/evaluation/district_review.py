"""The quarterly district review (issue 11 §5): every puskesmas the reader evaluates, side by
side — each indicator against its target line at the quarter's last month (the current
month for a quarter under way), recommendations open and overdue at the quarter's end and
closed in the quarter, visits done against planned in the quarter, the specialists' coaching
sessions held in the quarter — and the same recommendation and visit counts per TPCB team.

A specialist's session has no TPCB team: its recommendations count for the puskesmas it was
held at, and in the per-team table under its coaching programme — one row per programme
("<programme> · sesi spesialis") after the teams, with the programme's sessions of the quarter
at the reader's puskesmas — so each table still adds up to every recommendation counted.

Readers: ``ilp.accounts.access.can_view_district_review`` (the dinkes administrator: every
puskesmas of the district; a TPCB member: the puskesmas their active teams coach). The
indicator values are those of the PWS pages (``indicator_overview``, one grouped read per
puskesmas); a puskesmas whose working area the reader may not read shows no values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import can_view_district_review, evaluation_puskesmas
from ilp.accounts.models import User
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.evaluation.models import CoachingVisit, Recommendation, TpcbTeam, VisitState
from ilp.evaluation.programme_models import CoachingProgramme, CoachingSession
from ilp.evaluation.review import month_bounds, on_target_tone, verified_at
from ilp.monitoring import pws, selectors
from ilp.monitoring.catalogue import Indicator
from ilp.places.models import Facility


@dataclass
class Tally:
    """Recommendations open and overdue at the quarter's end and closed in it; visits done
    and planned (every visit dated in the quarter, planned or done) in it."""

    open: int = 0
    overdue: int = 0
    closed: int = 0
    visits_done: int = 0
    visits_planned: int = 0
    sessions: int = 0


@dataclass
class PuskesmasColumn:
    facility: Facility
    teams: list[str]
    cells: dict[str, pws.PwsRow]
    tally: Tally
    on_target: int = 0
    scored: int = 0


@dataclass
class TeamRow:
    team: TpcbTeam
    tally: Tally


@dataclass
class ProgrammeRow:
    """A specialist coaching programme's line in the per-team table (its sessions have no
    team)."""

    programme: CoachingProgramme
    tally: Tally


@dataclass
class DistrictReview:
    year: int
    quarter: int
    months: list[int]
    first: date
    as_of: date
    indicators: list[tuple[Indicator, str]]
    puskesmas: list[PuskesmasColumn]
    teams: list[TeamRow] = field(default_factory=list)
    programmes: list[ProgrammeRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-T{self.quarter}"

    def rows(self) -> list[tuple[Indicator, str, list[pws.PwsRow | None]]]:
        """Per indicator, each puskesmas' row (None: no value read)."""
        return [
            (ind, name, [p.cells.get(ind.code) for p in self.puskesmas])
            for ind, name in self.indicators
        ]


def require_reader(user: User) -> None:
    if not can_view_district_review(user):
        raise PermissionDenied(_("Tinjauan triwulanan untuk Dinas Kesehatan dan tim TPCB."))


def district_review(user: User, *, year: int, months: list[int], language: str) -> DistrictReview:
    """The review of the quarter whose months (begun by today) are `months` of `year`."""
    require_reader(user)
    first = date(year, months[0], 1)
    _first, last, as_of = month_bounds(year, months[-1])
    quarter = (months[0] - 1) // 3 + 1
    facilities = list(evaluation_puskesmas(user).prefetch_related("tpcb_teams"))
    catalogue = selectors.catalogue_for(user)
    columns = []
    for facility in facilities:
        try:
            overview = selectors.indicator_overview(
                user, area_code=facility.code, year=year, month=months[-1]
            )
        except NotFound:
            overview = {}
        cells = {
            ind.code: pws.pws_row(ind, overview[ind.code][0])
            for ind in catalogue
            if overview.get(ind.code)
        }
        column = PuskesmasColumn(
            facility,
            sorted(t.name for t in facility.tpcb_teams.all() if t.is_active),
            cells,
            Tally(),
        )
        for ind in catalogue:
            row = cells.get(ind.code)
            if row is not None and row.status:
                column.scored += 1
                column.on_target += on_target_tone(pws.status_tone(ind, row.status))
        columns.append(column)
    by_facility = {c.facility.pk: c.tally for c in columns}
    by_team: dict[int, Tally] = defaultdict(Tally)
    by_programme: dict[int, Tally] = defaultdict(Tally)
    recs = (
        Recommendation.objects.filter(
            Q(visit__puskesmas__in=list(by_facility)) | Q(session__puskesmas__in=list(by_facility)),
            created_at__date__lte=as_of,
        )
        .annotate(verified=verified_at())
        .values_list(
            "visit__puskesmas_id",
            "visit__team_id",
            "session__puskesmas_id",
            "session__programme_id",
            "due_date",
            "verified",
        )
    )
    for visit_facility, team_id, session_facility, programme_id, due, verified_time in recs:
        verified = timezone.localtime(verified_time).date() if verified_time else None
        if team_id is not None:
            tallies = (by_facility[visit_facility], by_team[team_id])
        else:  # a specialist's session: no team, its programme instead
            tallies = (by_facility[session_facility], by_programme[programme_id])
        for tally in tallies:
            if verified is None or verified > as_of:
                tally.open += 1
                tally.overdue += due < as_of
            elif verified >= first:
                tally.closed += 1
    sessions = CoachingSession.objects.filter(
        puskesmas__in=list(by_facility), session_date__range=(first, last)
    ).values_list("puskesmas_id", "programme_id")
    for facility_id, programme_id in sessions:
        by_facility[facility_id].sessions += 1
        by_programme[programme_id].sessions += 1
    visits = CoachingVisit.objects.filter(
        puskesmas__in=list(by_facility),
        planned_date__range=(first, last),
        # Planned or done: a visit in any other state (a cancelled one) is not counted.
        state__in=[VisitState.PLANNED, VisitState.DONE],
    ).values_list("puskesmas_id", "team_id", "state")
    for facility_id, team_id, state in visits:
        for tally in (by_facility[facility_id], by_team[team_id]):
            tally.visits_planned += 1
            tally.visits_done += state == VisitState.DONE
    team_ids = set(by_team) | {t.pk for f in facilities for t in f.tpcb_teams.all() if t.is_active}
    teams = TpcbTeam.objects.filter(pk__in=team_ids).order_by("name")
    programmes = CoachingProgramme.objects.filter(pk__in=list(by_programme)).order_by(
        "-start_date", "name"
    )
    return DistrictReview(
        year=year,
        quarter=quarter,
        months=months,
        first=first,
        as_of=as_of,
        indicators=[(ind, ind.name(language)) for ind in catalogue],
        puskesmas=columns,
        teams=[TeamRow(t, by_team[t.pk]) for t in teams],
        programmes=[ProgrammeRow(p, by_programme[p.pk]) for p in programmes],
    )
