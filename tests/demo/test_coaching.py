"""The demo district's coaching (``ilp.demo.coaching``): teams, a year of visits with frozen
snapshots, recommendations in every state with their history on the story's days;
deterministic and written once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ilp.accounts.models import AuditEvent, Role, User
from ilp.demo.coaching import generate_coaching
from ilp.demo.generate import generate_district
from ilp.demo.history import generate_service_history
from ilp.evaluation import selectors
from ilp.evaluation.models import (
    CoachingVisit,
    Recommendation,
    RecommendationEvent,
    RecommendationEvidence,
    RecState,
    TpcbTeam,
    VisitEvent,
    VisitState,
)
from ilp.evaluation.services import indicator_snapshot

TODAY = date(2026, 3, 2)


@pytest.fixture
def coached(db):
    generate_district(population=400, seed=7, today=TODAY)
    generate_service_history(start=TODAY - timedelta(days=400), end=TODAY, seed=7)
    return generate_coaching(today=TODAY, seed=7)


def _digest() -> list[tuple]:
    """What the coaching rows say, without their primary keys."""
    visits = [
        (str(v.uuid), v.team.name, v.puskesmas.code, v.planned_date, v.state, v.findings,
         v.snapshot, v.created_at, v.done_at)
        for v in CoachingVisit.objects.select_related("team", "puskesmas").order_by("uuid")
    ]  # fmt: skip
    recs = [
        (str(r.uuid), str(r.visit.uuid), r.what, r.indicator, r.owner_role,
         r.owner_user_id and r.owner_user.username, r.due_date, r.state, r.created_at,
         [(e.at, e.by.username, e.action, e.to_state, e.note) for e in r.events.all()])
        for r in Recommendation.objects.select_related("visit", "owner_user").order_by("uuid")
    ]  # fmt: skip
    return visits + recs


def _delete_coaching() -> None:
    RecommendationEvidence.objects.all().delete()
    RecommendationEvent.objects.all().delete()
    Recommendation.objects.all().delete()
    VisitEvent.objects.all().delete()
    CoachingVisit.objects.all().delete()
    TpcbTeam.objects.all().delete()


@pytest.mark.django_db
def test_teams_visits_snapshots_and_recommendations(coached):
    """One generation (some seconds) read three ways."""
    _every_state(coached)
    _snapshots_are_the_visit_months_indicators(coached)
    _history_lies_on_the_story_days()


def _every_state(coached):
    assert coached.teams == TpcbTeam.objects.count() == 2
    dinkes = User.objects.get(username="dinkes")
    # Sandubaya's puskesmas waits for the decree's revision.
    assert [f.name for f in selectors.puskesmas_without_team(dinkes)] == ["Puskesmas Babakan"]
    for team in TpcbTeam.objects.all():
        assert team.decree_date < TODAY - timedelta(days=365)
        assert set(team.members.values_list("role", flat=True)) <= {Role.TPCB, Role.DINKES_ADMIN}
    # A year back, two months ahead; done up to three days ago, planned after.
    visits = CoachingVisit.objects.all()
    assert coached.visits == visits.count() > 60
    assert min(v.planned_date for v in visits) >= date(2025, 3, 1)
    assert max(v.planned_date for v in visits) <= date(2026, 5, 31)
    for v in visits:
        assert v.planned_date.weekday() < 5
        if v.planned_date <= TODAY - timedelta(days=3):
            assert v.state == VisitState.DONE and v.done_at.date() == v.planned_date
            assert v.findings
        else:
            assert v.state == VisitState.PLANNED and v.snapshot is None
    assert visits.filter(state=VisitState.PLANNED, planned_date__gt=TODAY).count() >= 10
    # Monthly at the demo puskesmas.
    ampenan = visits.filter(puskesmas__name="Puskesmas Ampenan")
    assert len({(v.planned_date.year, v.planned_date.month) for v in ampenan}) == 15

    states = Counter(Recommendation.objects.values_list("state", flat=True))
    assert set(states) == set(RecState.values)
    assert all(states[s] > 0 for s in RecState.values)
    assert coached.by_state == dict(states)
    open_states = [RecState.OPEN, RecState.ANSWERED, RecState.ACCEPTED, RecState.SENT_BACK]
    overdue = Recommendation.objects.filter(state__in=open_states, due_date__lt=TODAY)
    assert coached.overdue == overdue.count() > 0
    assert overdue.filter(state=RecState.OPEN).exists()
    # Addressed to roles and to the demo staff login; answered by each puskesmas' staff.
    recs = Recommendation.objects.select_related("visit__puskesmas", "owner_user")
    assert {r.owner_role for r in recs} >= {"kepala", "k2", "k3"}
    assert {r.owner_user.username for r in recs if r.owner_user} == {"puskesmas.ampenan"}
    for event in RecommendationEvent.objects.select_related("by", "recommendation__visit"):
        if event.action == "answer":
            assert event.by.role == Role.PUSKESMAS
            assert event.by.facility_id == event.recommendation.visit.puskesmas_id
        elif event.action != "create":
            assert event.recommendation.visit.members.filter(pk=event.by_id).exists()


def _snapshots_are_the_visit_months_indicators(coached):
    done = CoachingVisit.objects.filter(state=VisitState.DONE).select_related("puskesmas", "team")
    assert done.count() == coached.done > 50
    for visit in done:
        expected = indicator_snapshot(
            visit.team.lead, visit.puskesmas, visit.planned_date.year, visit.planned_date.month
        )
        # The data quality of the month before is frozen beside them (ilp.evaluation).
        assert {k: v for k, v in visit.snapshot.items() if k != "quality"} == expected
        assert visit.snapshot["rows"]
        assert visit.snapshot["quality"]["measures"]


def _history_lies_on_the_story_days():
    events = RecommendationEvent.objects.select_related("recommendation__visit")
    months = {(e.at.year, e.at.month) for e in events}
    assert len(months) >= 10
    for rec in Recommendation.objects.prefetch_related("events").select_related("visit"):
        moments = [e.at for e in rec.events.all()]
        assert moments == sorted(moments)
        assert timezone.localdate(moments[0]) == rec.visit.planned_date
        assert timezone.localdate(moments[-1]) < TODAY
        assert rec.due_date >= rec.visit.planned_date
        # The state is where the last event left it.
        assert rec.events.all()[len(moments) - 1].to_state == rec.state
    verified = RecommendationEvent.objects.filter(action="verify").select_related(
        "recommendation__visit"
    )
    for event in verified:
        # Verified at one of the team's later visits to the puskesmas.
        visit = event.recommendation.visit
        assert CoachingVisit.objects.filter(
            puskesmas=visit.puskesmas,
            planned_date=timezone.localdate(event.at),
            state=VisitState.DONE,
        ).exists()
        assert timezone.localdate(event.at) > visit.planned_date


@pytest.mark.django_db
def test_written_once_and_the_same_from_the_same_seed(coached):
    digest = _digest()
    again = generate_coaching(today=TODAY, seed=7)
    assert again.teams == 0 and [login.username for login in again.logins][:3] == [
        "tpcb.kia",
        "tpcb.gizi",
        "tpcb.ptm",
    ]
    assert _digest() == digest
    # The same seed and day write the same rows (UUIDs and moments included); the audit rows
    # follow the UUIDs the rows were given.
    assert AuditEvent.objects.filter(object_type="recommendation").count() > coached.events / 2
    uuids = set(Recommendation.objects.values_list("uuid", flat=True))
    assert (
        set(
            AuditEvent.objects.filter(object_type="recommendation").values_list(
                "object_uuid", flat=True
            )
        )
        == uuids
    )
    _delete_coaching()
    generate_coaching(today=TODAY, seed=7)
    assert _digest() == digest


@pytest.mark.django_db
def test_command_writes_coaching_once_and_prints_its_logins():
    out = StringIO()
    call_command("demo", population=300, history_years=1, stdout=out)
    assert "2 TPCB teams" in out.getvalue()
    assert "tpcb.gizi" in out.getvalue() and "puskesmas.babakan" in out.getvalue()
    count = Recommendation.objects.count()
    out = StringIO()
    call_command("demo", population=300, if_empty=True, stdout=out)
    assert Recommendation.objects.count() == count
    assert "TPCB teams" not in out.getvalue() and "tpcb.gizi" in out.getvalue()
    # A demo district made before the coaching existed gets it with --if-empty.
    _delete_coaching()
    out = StringIO()
    call_command("demo", population=300, if_empty=True, stdout=out)
    assert "2 TPCB teams" in out.getvalue()
    assert Recommendation.objects.count() == count
    # --reset wipes it with the rest (a team's lead is protected until then).
    call_command("demo", population=300, history_years=0, reset=True, stdout=StringIO())
    assert TpcbTeam.objects.count() == 2
    assert User.objects.filter(username="tpcb.gizi").count() == 1
