"""Posyandu session flow: open, sasaran, weighing, attendance, close, tasks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.care.models import Attendance, CareSummary, PosyanduSession, Task
from ilp.care.services import (
    session_add_visitor,
    session_close,
    session_expected,
    session_mark_attendance,
    session_open,
    session_record_adult,
    session_record_weighing,
    task_close,
)
from ilp.care.services.sessions import session_date_parse
from ilp.care.views.results import alert_lines
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.people.models import Pregnancy
from tests.care import born_days_before, resident

ON = date(2025, 3, 10)


@pytest.fixture
def children(district):
    wasted = resident(district, "Anak Kurus", "F", born_days_before(ON, 90))
    absent = resident(district, "Anak Absen", "M", date(2023, 1, 15))
    other = resident(district, "Anak Lain", "M", date(2022, 8, 1))
    return {"wasted": wasted, "absent": absent, "other": other}


def test_open_is_idempotent_per_day_and_restricted(district):
    s1 = session_open(actor=district.kader_ampel_timur, posyandu=district.pos_ampel_timur_f, on=ON)
    s2 = session_open(actor=district.bidan_ampel, posyandu=district.pos_ampel_timur_f, on=ON)
    s3 = session_open(actor=district.pkm_barat, posyandu=district.pos_ampel_timur_f, on=ON)
    assert s1.pk == s2.pk == s3.pk
    assert PosyanduSession.objects.count() == 1
    for persona in ("kader_ampel_barat", "kader_cemara", "camat_barat", "norole", "dinkes"):
        with pytest.raises(PermissionDenied):
            session_open(
                actor=getattr(district, persona), posyandu=district.pos_ampel_timur_f, on=ON
            )


def test_expected_lists_balita_pregnant_and_due_adults(district, children):
    Pregnancy.objects.create(
        person=district.siti, lmp=ON - timedelta(days=100), edd=ON + timedelta(days=180)
    )
    session = session_open(
        actor=district.kader_ampel_timur, posyandu=district.pos_ampel_timur_f, on=ON
    )
    expected = session_expected(session)
    assert [(p.full_name, p.sasaran) for p in expected] == [
        ("Anak Absen", "balita"),
        ("Anak Kurus", "balita"),
        ("Anak Lain", "balita"),
        ("Rina Lestari", "balita"),
        ("Siti Aminah", "ibu_hamil"),
        ("Budi Santoso", "dewasa"),
    ]
    # Nobody from another dusun (Ahmad lives in Ampel Barat).
    assert district.ahmad.pk not in {p.pk for p in expected}


def test_session_flow_weighing_alerts_and_absentee_home_visits(district, children):
    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    normal = session_record_weighing(
        actor=kader,
        session=session,
        person=district.rina,
        weight_kg=8.9,
        length_cm=73.0,
        measured="lying",
    )
    assert normal.evaluation.alerts == []
    wasted = session_record_weighing(
        actor=kader,
        session=session,
        person=children["wasted"],
        weight_kg=4.5,
        length_cm=60.4,
        measured="lying",
    )
    assert alert_lines(wasted.evaluation.alerts)[0] == {
        "level": "danger",
        "message": "Gizi buruk",
        "action": "Rujuk ke puskesmas",
    }
    session_record_weighing(
        actor=kader,
        session=session,
        person=children["other"],
        weight_kg=13.5,
        length_cm=92.0,
        measured="standing",
    )
    session_mark_attendance(actor=kader, session=session, person=children["absent"], present=False)
    assert set(
        Attendance.objects.filter(session=session, present=True).values_list(
            "person__full_name", flat=True
        )
    ) == {"Rina Lestari", "Anak Kurus", "Anak Lain"}
    refer = Task.objects.get(person=children["wasted"])
    assert (refer.kind, refer.source_encounter.session_id) == ("refer", session.pk)

    closed = session_close(actor=kader, session=session)
    assert [(t.person.full_name, t.kind, t.due_date) for t in closed.tasks] == [
        ("Anak Absen", "home_visit", ON + timedelta(days=7)),
    ]
    assert closed.absent == 1
    assert closed.tasks[0].source_session_id == session.pk
    session.refresh_from_db()
    assert session.closed_at is not None
    # Closing again is refused and creates no duplicate.
    with pytest.raises(ValidationFailed) as again:
        session_close(actor=kader, session=session)
    assert again.value.code == "session_closed"
    assert Task.objects.filter(kind="home_visit").count() == 1


def test_weighing_uses_few_queries_and_keeps_the_summary_current(district, children):
    """Query counts, not seconds (bench/care.py times the row): a child's first record also
    builds its work-list summary; later weighings move its dates with one UPDATE."""
    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    session_record_weighing(
        actor=kader, session=session, person=children["other"], weight_kg=13.5
    )  # warm caches (tables, content types)
    weighed = ((district.rina, 8.9), (children["absent"], 11.8), (children["wasted"], 5.6))

    def counts(session, gain: float) -> list[int]:
        out = []
        for person, weight in weighed:
            with CaptureQueriesContext(connection) as ctx:
                session_record_weighing(
                    actor=kader, session=session, person=person, weight_kg=weight + gain
                )
            out.append(len(ctx.captured_queries))
        return out

    first = counts(session, 0)
    next_month = session_open(
        actor=kader, posyandu=district.pos_ampel_timur_f, on=ON + timedelta(days=31)
    )
    later = counts(next_month, 0.3)
    # Three queries more than a plain encounter: the session-runner check
    # (ilp.accounts.access), whether the child belongs to the session (resident or visitor),
    # and the person's open tasks the weighing may satisfy (ilp.care.services.tasks). One
    # marks the person for the indicator counts (ilp.monitoring.refresh.facts_mark); the
    # five queries of their refresh run after the response, outside the write.
    # SQLite counts one more for a child's first record than PostgreSQL.
    assert (max(first), max(later)) == (22 if connection.vendor == "sqlite" else 21, 15)
    for person, _ in weighed:
        summary = CareSummary.objects.get(person=person)
        assert (summary.last_weighed, summary.basis) == (ON + timedelta(days=31),) * 2


def test_task_close_once_and_in_scope(district, children):
    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    [task] = [
        t
        for t in session_close(actor=kader, session=session).tasks
        if t.person_id == children["absent"].pk
    ]
    with pytest.raises(PermissionDenied):
        task_close(actor=district.kader_cemara, task=task, status="done")
    closed = task_close(actor=district.bidan_ampel, task=task, status="done")
    assert closed.status == "done"
    task.refresh_from_db()
    assert (task.status, task.closed_at is not None) == ("done", True)
    with pytest.raises(Conflict):
        task_close(actor=kader, task=task, status="cancelled")


def test_closed_session_takes_no_more_rows(district, children):
    from ilp.care.models import Encounter

    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    session_close(actor=kader, session=session)
    with pytest.raises(ValidationFailed) as exc:
        session_record_weighing(
            actor=kader, session=session, person=children["other"], weight_kg=12.0
        )
    assert exc.value.code == "session_closed"
    assert exc.value.message.startswith("Sesi posyandu ini sudah ditutup")
    with pytest.raises(ValidationFailed):
        session_mark_attendance(
            actor=kader, session=session, person=children["other"], present=True
        )
    assert not Encounter.objects.filter(session=session).exists()
    assert not Attendance.objects.filter(session=session, present=True).exists()


# ---------------------------------------------------------------- issue 8: session close


def test_every_absent_balita_becomes_a_home_visit_and_the_close_says_how_many(district):
    """Seven children did not come: seven are counted absent; six get a new home visit, the
    seventh already has one planned at this posyandu (no second task). A child weighed at
    the posyandu that day through her own page came, and is not absent."""
    from ilp.care.services import encounter_record

    kader = district.kader_ampel_timur
    post = district.pos_ampel_timur_f
    absent = [
        resident(district, f"Balita Absen {i}", "F", born_days_before(ON, 100 + 120 * i))
        for i in range(7)
    ]
    session = session_open(actor=kader, posyandu=post, on=ON)
    session_record_weighing(actor=kader, session=session, person=district.rina, weight_kg=11.0)
    came_by_page = resident(district, "Balita Datang", "M", born_days_before(ON, 400))
    encounter_record(
        actor=kader,
        person=came_by_page,
        on=ON,
        package="child",
        place_kind="posyandu",
        facility=post,
        values={"weight": 9.5},
    )
    for child in absent[:3]:  # some marked absent, the others not marked at all
        session_mark_attendance(actor=kader, session=session, person=child, present=False)
    planned = Task.objects.create(
        person=absent[6],
        kind="home_visit",
        reason="Kunjungan rumah bulan lalu",
        due_date=ON + timedelta(days=2),
        facility=post,
    )
    # Adults due for screening who did not come are no home visits.
    closed = session_close(actor=kader, session=session)
    assert closed.absent == 7
    assert sorted(t.person.full_name for t in closed.tasks) == [
        f"Balita Absen {i}" for i in range(6)
    ]
    assert closed.already_planned == 1
    assert Task.objects.filter(person=absent[6], kind="home_visit").get() == planned
    assert not Task.objects.filter(person__in=[district.rina, came_by_page]).exists()
    assert not Task.objects.filter(person__in=[district.budi, district.siti]).exists()


def test_a_person_with_an_overdue_follow_up_at_the_posyandu_is_on_the_session(district):
    """Budi was screened two months ago (not due for screening) and has a blood-pressure
    recheck at this posyandu due last week: he belongs on the session. A task not yet due, or
    at another posyandu, does not bring Siti in."""
    from tests.care import encounter

    post = district.pos_ampel_timur_f
    for person in (district.budi, district.siti):
        encounter(person, ON - timedelta(days=60), post, "adult", cluster="k3")
    Task.objects.create(
        person=district.budi,
        kind="follow_up",
        reason="Ukur ulang tekanan darah",
        due_date=ON - timedelta(days=7),
        facility=post,
    )
    Task.objects.create(
        person=district.siti,
        kind="follow_up",
        reason="Ukur ulang tekanan darah",
        due_date=ON + timedelta(days=20),
        facility=post,
    )
    Task.objects.create(
        person=district.siti,
        kind="follow_up",
        reason="Ukur ulang tekanan darah",
        due_date=ON - timedelta(days=20),
        facility=district.pos_ampel_barat_f,
    )
    session = session_open(actor=district.kader_ampel_timur, posyandu=post, on=ON)
    expected = {p.full_name: p.sasaran for p in session_expected(session)}
    assert expected == {"Rina Lestari": "balita", "Budi Santoso": "tindak_lanjut"}


# ---------------------------------------------------------------- issue 8: adults at the session


def test_adults_are_recorded_from_the_session_through_the_package_evaluation(district):
    from ilp.care.models import Encounter, Screening

    kader = district.kader_ampel_timur
    grandma = resident(district, "Nenek Sumi", "F", date(1950, 4, 1))
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    result = session_record_adult(
        actor=kader,
        session=session,
        person=district.budi,
        values={"weight": "72,5", "sbp": "165", "dbp": "102", "smoking": True},
    )
    enc = result.encounter
    assert (enc.package, enc.session_id, enc.place_kind) == ("adult", session.pk, "posyandu")
    screenings = {s.instrument: s.result_code for s in Screening.objects.filter(encounter=enc)}
    assert (screenings["bp"], screenings["smoking"]) == ("grade_2", "smoker")
    assert Task.objects.filter(person=district.budi, kind="follow_up", status="open").exists()
    elderly = session_record_adult(
        actor=kader, session=session, person=grandma, values={"sbp": "128", "dbp": "80"}
    )
    assert elderly.encounter.package == "elderly"
    assert set(
        Attendance.objects.filter(session=session, present=True).values_list(
            "person__full_name", flat=True
        )
    ) == {"Budi Santoso", "Nenek Sumi"}
    with pytest.raises(ValidationFailed) as child:
        session_record_adult(
            actor=kader, session=session, person=district.rina, values={"sbp": "100"}
        )
    assert "15 tahun" in child.value.message
    with pytest.raises(ValidationFailed) as bad:
        session_record_adult(
            actor=kader, session=session, person=district.siti, values={"sbp": "999"}
        )
    assert "sbp" in bad.value.fields
    assert Encounter.objects.filter(person=district.siti).count() == 0


def test_an_adult_row_uses_few_queries(district):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    session_record_adult(
        actor=kader, session=session, person=district.siti, values={"sbp": "120", "dbp": "80"}
    )  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        session_record_adult(
            actor=kader,
            session=session,
            person=district.budi,
            values={"weight": "70", "sbp": "128", "dbp": "82", "smoking": False},
        )
    # One of them marks budi for the indicator counts (ilp.monitoring.refresh.facts_mark).
    assert len(ctx.captured_queries) == 21


# ---------------------------------------------------------------- issue 9: a session's people


def test_a_session_records_only_its_own_people_and_visitors_added_as_such(district):
    """The bidan of Pustu Ampel may see Ampel Barat, but a Posyandu Melati session does not
    take a record for a child living there until she is added as a visitor (audited)."""
    from ilp.accounts.models import AuditEvent
    from ilp.care.models import Encounter

    bidan = district.bidan_ampel
    outsider = resident(
        district, "Anak Barat", "F", born_days_before(ON, 300), district.rt_ampel_barat
    )
    session = session_open(actor=bidan, posyandu=district.pos_ampel_timur_f, on=ON)
    with pytest.raises(PermissionDenied) as refused:
        session_record_weighing(actor=bidan, session=session, person=outsider, weight_kg=8.0)
    assert "bukan warga wilayah posyandu ini" in refused.value.message
    with pytest.raises(PermissionDenied):
        session_mark_attendance(actor=bidan, session=session, person=outsider, present=True)
    with pytest.raises(PermissionDenied):
        session_record_adult(
            actor=bidan, session=session, person=district.ahmad, values={"sbp": "120"}
        )
    assert not Encounter.objects.filter(person__in=[outsider, district.ahmad]).exists()
    assert outsider.pk not in {p.pk for p in session_expected(session)}

    # The kader cannot add a person she may not see.
    with pytest.raises(PermissionDenied):
        session_add_visitor(actor=district.kader_ampel_timur, session=session, person=outsider)

    session_add_visitor(actor=bidan, session=session, person=outsider, ip="10.0.0.9")
    event = AuditEvent.objects.get(object_type="posyandu_session", person_id=outsider.pk)
    assert (event.user, event.ip, event.detail["visitor_added"]) == (bidan, "10.0.0.9", outsider.pk)
    session_record_weighing(actor=bidan, session=session, person=outsider, weight_kg=8.0)
    assert Encounter.objects.filter(person=outsider, session=session).count() == 1
    assert {p.pk: p.sasaran for p in session_expected(session)}[outsider.pk] == "pengunjung"
    # A visitor is no home visit of this posyandu, and the close only counts its own balita.
    closed = session_close(actor=bidan, session=session)
    assert (closed.absent, closed.tasks) == (1, closed.tasks)  # Rina only
    assert [t.person_id for t in closed.tasks] == [district.rina.pk]


# ---------------------------------------------------------------- issue 8: implausible dates


@pytest.mark.parametrize("raw", ["0001-01-01", "01-01-1900", "1900-01-01", "31-12-9999", "abc"])
def test_a_session_dated_0001_or_1900_is_refused_on_the_field(raw):
    with pytest.raises(ValidationFailed) as exc:
        session_date_parse(raw)
    assert list(exc.value.fields) == ["on"]
    assert exc.value.fields["on"][0].startswith(("Tanggal", "Sesi hanya"))
