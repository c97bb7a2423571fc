"""Posyandu session flow: open, sasaran, weighing, attendance, close, tasks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.care.models import Attendance, CareSummary, PosyanduSession, Task
from ilp.care.services import (
    session_close,
    session_expected,
    session_mark_attendance,
    session_open,
    session_record_weighing,
    task_close,
)
from ilp.care.views.results import alert_lines
from ilp.core.exceptions import Conflict, PermissionDenied
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

    created = session_close(actor=kader, session=session)
    assert [(t.person.full_name, t.kind, t.due_date) for t in created] == [
        ("Anak Absen", "home_visit", ON + timedelta(days=7)),
    ]
    assert created[0].source_session_id == session.pk
    session.refresh_from_db()
    assert session.closed_at is not None
    # Closing again creates no duplicate.
    assert session_close(actor=kader, session=session) == []
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
    # One query more than a plain encounter: the session-runner check (ilp.accounts.access).
    assert max(first) <= 21
    assert max(later) <= 16
    for person, _ in weighed:
        summary = CareSummary.objects.get(person=person)
        assert (summary.last_weighed, summary.basis) == (ON + timedelta(days=31),) * 2


def test_task_close_once_and_in_scope(district, children):
    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    [task] = [
        t
        for t in session_close(actor=kader, session=session)
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
    from ilp.core.exceptions import ValidationFailed

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
