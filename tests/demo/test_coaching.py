"""The demo district's coaching (``ilp.demo.coaching``): teams, a year of visits with frozen
snapshots, recommendations in every state with their history on the story's days;
deterministic and written once."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ilp.accounts.models import AuditEvent, Cluster, Role, User
from ilp.demo.coaching import generate_coaching
from ilp.demo.generate import generate_district
from ilp.demo.history import generate_service_history
from ilp.evaluation import selectors
from ilp.evaluation.models import (
    Checklist,
    ChecklistAnswer,
    ChecklistAnswerCode,
    ChecklistItem,
    ChecklistVersion,
    CoachingVisit,
    Recommendation,
    RecommendationEvent,
    RecommendationEvidence,
    RecState,
    TpcbTeam,
    VisitEvent,
    VisitState,
)
from ilp.evaluation.programme_models import (
    CaseReview,
    CoachingProgramme,
    CoachingSession,
    ProgrammeTopic,
    SessionParticipant,
    SessionScore,
)
from ilp.evaluation.programme_selectors import programme_figures
from ilp.evaluation.services import indicator_snapshot
from ilp.places.models import AreaLevel, Facility, FacilityKind

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
    rec_rows = Recommendation.objects.select_related("visit", "session", "owner_user")
    recs = [
        (str(r.uuid), str(r.origin.uuid), r.what, r.indicator, r.owner_role,
         r.owner_user_id and r.owner_user.username, r.due_date, r.state, r.created_at,
         [(e.at, e.by.username, e.action, e.to_state, e.note) for e in r.events.all()])
        for r in rec_rows.order_by("uuid")
    ]  # fmt: skip
    answers = [
        (str(a.uuid), str(a.visit.uuid), a.item.code, a.answer, a.note, a.created_at)
        for a in ChecklistAnswer.objects.select_related("visit", "item").order_by("uuid")
    ]
    sessions = [
        (str(x.uuid), x.puskesmas.code, x.specialist.username, x.session_date, x.created_at,
         [(p.user_id and p.user.username, p.name, p.profession,
           [(sc.topic.code, sc.pre, sc.post) for sc in p.scores.all()])
          for p in x.participants.all()],
         [(c.topic.code, c.summary, c.created_at) for c in x.case_reviews.all()])
        for x in CoachingSession.objects.select_related("puskesmas", "specialist").order_by("uuid")
    ]  # fmt: skip
    return visits + recs + answers + sessions


def _delete_coaching() -> None:
    """Everything the coaching generation writes (as if the demo predated it)."""
    RecommendationEvidence.objects.all().delete()
    RecommendationEvent.objects.all().delete()
    Recommendation.objects.all().delete()
    VisitEvent.objects.all().delete()
    SessionScore.objects.all().delete()
    SessionParticipant.objects.all().delete()
    CaseReview.objects.all().delete()
    CoachingSession.objects.all().delete()
    ProgrammeTopic.objects.all().delete()
    CoachingProgramme.objects.all().delete()
    ChecklistAnswer.objects.all().delete()
    CoachingVisit.checklist_versions.through.objects.all().delete()
    CoachingVisit.objects.all().delete()
    ChecklistItem.objects.all().delete()
    ChecklistVersion.objects.all().delete()
    Checklist.objects.all().delete()
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

    visit_recs = Recommendation.objects.filter(visit__isnull=False)
    states = Counter(visit_recs.values_list("state", flat=True))
    assert set(states) == set(RecState.values)
    assert all(states[s] > 0 for s in RecState.values)
    assert coached.by_state == dict(states)
    open_states = [RecState.OPEN, RecState.ANSWERED, RecState.ACCEPTED, RecState.SENT_BACK]
    overdue = visit_recs.filter(state__in=open_states, due_date__lt=TODAY)
    assert coached.overdue == overdue.count() > 0
    assert overdue.filter(state=RecState.OPEN).exists()
    # Addressed to roles and to the demo staff login; answered by each puskesmas' staff.
    recs = visit_recs.select_related("visit__puskesmas", "owner_user")
    assert {r.owner_role for r in recs} >= {"kepala", "k2", "k3"}
    assert {r.owner_user.username for r in recs if r.owner_user} == {"puskesmas.ampenan"}
    # Two tasks of the demo puskesmas' last visits for the cross-sector logins: the kepala
    # desa answered his (and the team accepted it), the camat's is open.
    tasks = visit_recs.filter(owner_area__isnull=False).order_by("visit__planned_date")
    assert [(t.owner_area.level, t.state) for t in tasks] == [
        (AreaLevel.VILLAGE, RecState.ACCEPTED),
        (AreaLevel.DISTRICT, RecState.OPEN),
    ]
    (answer,) = tasks[0].events.filter(action="answer")
    assert answer.by.username.startswith("kades.")
    assert answer.at.date() == tasks[0].visit.planned_date + timedelta(days=7)
    for event in RecommendationEvent.objects.filter(
        recommendation__visit__isnull=False, recommendation__owner_area__isnull=True
    ).select_related("by", "recommendation__visit"):
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
    recs = Recommendation.objects.prefetch_related("events").select_related("visit", "session")
    for rec in recs:
        moments = [e.at for e in rec.events.all()]
        assert moments == sorted(moments)
        assert timezone.localdate(moments[0]) == rec.origin_date
        assert timezone.localdate(moments[-1]) < TODAY
        assert rec.due_date >= rec.origin_date
        # The state is where the last event left it.
        assert rec.events.all()[len(moments) - 1].to_state == rec.state
    verified = RecommendationEvent.objects.filter(
        action="verify", recommendation__visit__isnull=False
    ).select_related("recommendation__visit")
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
def test_checklists_and_the_specialist_programme(coached):
    """One generation read twice: the visits' checklists, the programme."""
    _checklists_before_the_visits_answered_at_done_ones(coached)
    _programme_sessions_scores_and_recommendations(coached)


def _checklists_before_the_visits_answered_at_done_ones(coached):
    versions = ChecklistVersion.objects.select_related("checklist")
    assert coached.checklists == versions.count() == len(Cluster.values) == 5
    assert {(v.checklist.cluster, v.number) for v in versions} == {(c, 1) for c in Cluster.values}
    first_visit = CoachingVisit.objects.order_by("planned_date").first()
    first_plan = min(CoachingVisit.objects.values_list("created_at", flat=True))
    team_decree = min(TpcbTeam.objects.values_list("decree_date", flat=True))
    for version in versions:
        assert version.created_at < first_plan
        assert timezone.localdate(version.created_at) < team_decree < first_visit.planned_date
        assert all(i.created_at == version.created_at for i in version.items.all())
    items = ChecklistItem.objects.count()
    answers = ChecklistAnswer.objects.select_related("visit", "item")
    per_visit = Counter(a.visit_id for a in answers)
    assert coached.answers == len(answers) == items * coached.done
    for visit in CoachingVisit.objects.prefetch_related("checklist_versions"):
        # Every visit took version 1 of each cluster; only the done ones were answered.
        assert len(visit.checklist_versions.all()) == 5
        assert per_visit[visit.pk] == (items if visit.state == VisitState.DONE else 0)
    for answer in answers:
        assert timezone.localdate(answer.created_at) == answer.visit.planned_date
    mix = Counter(a.answer for a in answers)
    assert set(mix) == set(ChecklistAnswerCode.values)
    assert mix.most_common(1)[0][0] == ChecklistAnswerCode.YES
    # Some recommendations cite an item the visit answered tidak, addressed to its cluster.
    cited = Recommendation.objects.filter(checklist_item__isnull=False).select_related(
        "checklist_item__version__checklist", "visit"
    )
    assert cited.count() >= 5
    for rec in cited:
        assert rec.owner_role == rec.checklist_item.version.checklist.cluster
        assert answers.get(visit=rec.visit, item=rec.checklist_item).answer == "no"


def _programme_sessions_scores_and_recommendations(coached):
    programme = CoachingProgramme.objects.get()
    assert programme.name == "Pendampingan KIA dan rujukan 2025"
    assert (programme.start_date, programme.end_date) == (date(2025, 4, 1), date(2026, 3, 31))
    assert timezone.localdate(programme.created_at) < programme.start_date
    assert set(programme.specialists.values_list("username", flat=True)) == {
        "spesialis.obgyn", "spesialis.anak"
    }  # fmt: skip
    assert [t.code for t in programme.topics.all()] == ["poned", "neonatal", "rujukan"]
    all_puskesmas = Facility.objects.filter(kind=FacilityKind.PUSKESMAS)
    assert set(programme.puskesmas.all()) == set(all_puskesmas)
    figures = programme_figures(programme)
    total = all_puskesmas.count()
    assert (figures.coverage.visited, figures.coverage.total) == (total - 2, total)
    summary = coached.programme
    assert (summary.visited, summary.to_cover) == (total - 2, total)
    sessions = programme.sessions.select_related("puskesmas", "specialist")
    assert summary.sessions == sessions.count() == total - 1  # a second one at Ampenan
    assert sessions.filter(puskesmas__name="Puskesmas Ampenan").count() == 2
    assert {s.specialist.username for s in sessions} == {"spesialis.obgyn", "spesialis.anak"}
    for session in sessions:
        assert programme.start_date <= session.session_date <= TODAY - timedelta(days=3)
        assert session.session_date.weekday() < 5
        assert timezone.localdate(session.created_at) == session.session_date
        people = list(session.participants.select_related("user"))
        staff = [p.user for p in people if p.user is not None]
        assert [u.facility_id for u in staff] == [session.puskesmas_id]
        assert 3 <= len(people) - 1 <= 5
        reviews = list(session.case_reviews.all())
        assert len(reviews) == 2
        for review in reviews:
            assert not re.search(r"\d{16}", review.summary + review.lessons)
            assert timezone.localdate(review.created_at) == session.session_date
    # Spread over the months of the programme so far.
    assert len({(s.session_date.year, s.session_date.month) for s in sessions}) >= 8
    # Scores: post above pre on every topic, by a plausible margin.
    for _topic, change in figures.by_topic:
        assert change is not None and change.n > 20
        assert 5 < change.mean_post - change.mean_pre < 25
        assert 35 < change.mean_pre < 70
    assert summary.mean_post > summary.mean_pre
    missed = SessionScore.objects.filter(post__isnull=True).count()
    assert 0 < missed < SessionScore.objects.count() / 5
    # Its recommendations: in several states, answered by the puskesmas, judged by the
    # session's specialist.
    recs = Recommendation.objects.filter(session__programme=programme)
    states = Counter(recs.values_list("state", flat=True))
    assert summary.recommendations == recs.count() >= total
    assert len(states) >= 3 and states[RecState.VERIFIED] > 0
    assert summary.by_state == {s: states[s] for s in RecState.values}
    events = RecommendationEvent.objects.filter(recommendation__in=recs).select_related(
        "by", "recommendation__session"
    )
    for event in events:
        session = event.recommendation.session
        if event.action == "answer":
            assert event.by.role == Role.PUSKESMAS
            assert event.by.facility_id == session.puskesmas_id
        else:
            assert event.by_id == session.specialist_id


@pytest.mark.django_db
def test_written_once_and_the_same_from_the_same_seed(coached):
    digest = _digest()
    again = generate_coaching(today=TODAY, seed=7)
    assert again.teams == 0 and again.programme is None
    assert [login.username for login in again.logins][:3] == [
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
    assert "2 TPCB teams" in out.getvalue() and "checklist answers" in out.getvalue()
    assert "specialist programme, " in out.getvalue()
    assert "tpcb.gizi" in out.getvalue() and "puskesmas.babakan" in out.getvalue()
    assert "spesialis.anak" in out.getvalue() and "spesialis.obgyn" in out.getvalue()
    count = Recommendation.objects.count()
    out = StringIO()
    call_command("demo", population=300, if_empty=True, stdout=out)
    assert Recommendation.objects.count() == count
    assert "TPCB teams" not in out.getvalue() and "tpcb.gizi" in out.getvalue()
    assert "specialist programme" not in out.getvalue()
    # A demo district made before the coaching existed gets it with --if-empty.
    _delete_coaching()
    out = StringIO()
    call_command("demo", population=300, if_empty=True, stdout=out)
    assert "2 TPCB teams" in out.getvalue() and "specialist programme, " in out.getvalue()
    assert Recommendation.objects.count() == count
    # --reset wipes it with the rest (a team's lead is protected until then).
    call_command("demo", population=300, history_years=0, reset=True, stdout=StringIO())
    assert TpcbTeam.objects.count() == 2
    assert User.objects.filter(username="tpcb.gizi").count() == 1
