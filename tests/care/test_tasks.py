"""Task life cycle (issue 8, "Tasks never close"): a task is closed by the service that
satisfies it (who, when, which encounter), reopened when that encounter is voided, or closed
by hand as done / not needed with a reason code rendered in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from ilp.care.models import Task, TaskCloseReason, TaskKind, TaskStatus
from ilp.care.services import session_close, session_open, task_close
from ilp.care.services.corrections import encounter_void
from ilp.care.worklists import compute_worklist
from ilp.core.corrections import Reason
from ilp.core.exceptions import ValidationFailed
from tests.care import record, resident

pytestmark = pytest.mark.django_db

ON = date(2025, 3, 10)
WRONG = Reason("wrong_person")


def task_items(district, person, on):
    """(item, state) of the person's tasks on the posyandu, pustu and puskesmas lists."""
    out = set()
    for f in (district.pos_ampel_timur_f, district.pustu_ampel_f, district.pkm_barat_f):
        out |= {
            (f.kind, i.item, i.state)
            for i in compute_worklist(f, on=on, kinds=["tindak-lanjut", "kunjungan-rumah"])
            if i.person.id == person.pk
        }
    return out


def test_blood_pressure_follow_up_closes_when_measured_again(district):
    budi = district.budi
    first = record(district, budi, ON, "adult", {"sbp": 150, "dbp": 95})
    [task] = Task.objects.filter(person=budi)
    assert (task.kind, task.status, task.due_date) == ("follow_up", "open", ON + timedelta(30))
    later = ON + timedelta(days=35)
    assert task_items(district, budi, later) == {
        (kind, "tindak-lanjut", "overdue") for kind in ("posyandu", "pustu", "puskesmas")
    }
    again = record(district, budi, later, "adult", {"sbp": 150, "dbp": 95})
    task.refresh_from_db()
    assert (task.status, task.close_reason, task.closing_encounter_id, task.closed_by_id) == (
        TaskStatus.DONE,
        TaskCloseReason.SERVICE_RECORDED,
        again.pk,
        district.bidan_ampel.pk,
    )
    assert task.closed_at is not None
    # Still raised: the new measurement opened the next follow-up, due in a month.
    [follow] = Task.objects.filter(person=budi, status=TaskStatus.OPEN)
    assert (follow.source_encounter_id, follow.due_date) == (again.pk, later + timedelta(30))
    assert task_items(district, budi, later) == set()
    # The second measurement was recorded for the wrong person: the first task is open again.
    encounter_void(actor=district.bidan_ampel, encounter=again, version=again.version, reason=WRONG)
    task.refresh_from_db()
    follow.refresh_from_db()
    assert (task.status, task.close_reason, task.closing_encounter_id, task.closed_by_id) == (
        TaskStatus.OPEN,
        "",
        None,
        None,
    )
    assert (follow.status, follow.close_reason) == (
        TaskStatus.CANCELLED,
        TaskCloseReason.SOURCE_VOIDED,
    )
    assert first.pk == task.source_encounter_id
    assert task_items(district, budi, later) == {
        (kind, "tindak-lanjut", "overdue") for kind in ("posyandu", "pustu", "puskesmas")
    }


def test_follow_up_stays_open_when_another_value_is_measured(district):
    budi = district.budi
    record(district, budi, ON, "adult", {"sbp": 150, "dbp": 95})
    record(district, budi, ON + timedelta(days=3), "adult", {"weight": 70.0, "height": 170.0})
    assert Task.objects.get(person=budi).status == TaskStatus.OPEN


def test_home_visit_of_an_absent_child_closes_when_the_visit_is_recorded(district):
    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    session_close(actor=kader, session=session)
    task = Task.objects.get(person=district.rina, kind=TaskKind.HOME_VISIT)
    assert task_items(district, district.rina, ON + timedelta(days=8)) == {
        (kind, "kunjungan-rumah", "overdue") for kind in ("posyandu", "pustu", "puskesmas")
    }
    visit = record(
        district,
        district.rina,
        ON + timedelta(days=2),
        "home_visit",
        {"visit_result": "met"},
        actor=kader,
        facility=district.pos_ampel_timur_f,
        place="home",
    )
    task.refresh_from_db()
    assert (task.status, task.closing_encounter_id, task.closed_by_id) == (
        TaskStatus.DONE,
        visit.pk,
        kader.pk,
    )
    assert task_items(district, district.rina, ON + timedelta(days=8)) == set()
    encounter_void(actor=kader, encounter=visit, version=visit.version, reason=WRONG)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_absent_child_weighed_at_the_pustu_needs_no_home_visit(district):
    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    session_close(actor=kader, session=session)
    record(
        district,
        district.rina,
        ON + timedelta(days=1),
        "child",
        {"weight": 9.0, "height": 75.0, "measured": "lying"},
    )
    assert Task.objects.get(person=district.rina).status == TaskStatus.DONE


def test_a_visit_before_the_task_does_not_close_it(district):
    kader = district.kader_ampel_timur
    record(
        district,
        district.rina,
        ON - timedelta(days=1),
        "child",
        {"weight": 9.0, "height": 75.0, "measured": "lying"},
    )
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    Task.objects.create(
        person=district.rina,
        kind=TaskKind.HOME_VISIT,
        reason="x",
        due_date=ON,
        facility=district.pos_ampel_timur_f,
        source_session=session,
    )
    record(
        district,
        district.rina,
        ON - timedelta(days=1),
        "home_visit",
        {"visit_result": "met"},
        actor=kader,
        facility=district.pos_ampel_timur_f,
        place="home",
    )
    assert Task.objects.get(person=district.rina).status == TaskStatus.OPEN


def test_referral_from_the_posyandu_closes_when_seen_at_the_puskesmas(district):
    baby = resident(district, "Bayi Kurus", "M", date(2024, 9, 1))
    record(
        district,
        baby,
        ON,
        "child",
        {"weight": 5.0, "height": 70.0, "measured": "lying"},
        actor=district.kader_ampel_timur,
        facility=district.pos_ampel_timur_f,
    )
    refer = Task.objects.get(person=baby, kind=TaskKind.REFER)
    # Seen again at the posyandu: the referral is not honoured yet.
    record(
        district,
        baby,
        ON + timedelta(days=1),
        "child",
        {"weight": 5.1},
        actor=district.kader_ampel_timur,
        facility=district.pos_ampel_timur_f,
    )
    refer.refresh_from_db()
    assert refer.status == TaskStatus.OPEN
    seen = record(
        district,
        baby,
        ON + timedelta(days=2),
        "child",
        {"weight": 5.2},
        actor=district.pkm_barat,
        facility=district.pkm_barat_f,
    )
    refer.refresh_from_db()
    assert (refer.status, refer.closing_encounter_id) == (TaskStatus.DONE, seen.pk)


def _home_visit_task(district):
    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    session_close(actor=kader, session=session)
    return Task.objects.get(person=district.rina)


def test_closed_by_hand_as_not_needed_with_a_reason(district):
    task = _home_visit_task(district)
    task_close(actor=district.bidan_ampel, task=task, status="cancelled", reason="moved")
    task.refresh_from_db()
    assert (task.status, task.close_reason, task.closed_by_id) == (
        TaskStatus.CANCELLED,
        "moved",
        district.bidan_ampel.pk,
    )
    assert task.get_close_reason_display() == "Pindah domisili"
    with translation.override("en"):
        assert task.get_close_reason_display() == "Moved away"


def test_closing_by_hand_needs_a_reason_that_fits(district):
    task = _home_visit_task(district)
    with pytest.raises(ValidationFailed) as exc:
        task_close(actor=district.bidan_ampel, task=task, status="cancelled", reason="visited")
    assert exc.value.fields == {"reason": ["Pilih alasan yang sesuai dari daftar."]}
    with pytest.raises(ValidationFailed):
        task_close(actor=district.bidan_ampel, task=task, status="cancelled")
    task_close(actor=district.bidan_ampel, task=task, status="done")
    task.refresh_from_db()
    assert (task.status, task.close_reason) == (TaskStatus.DONE, "visited")


@pytest.mark.parametrize(
    ("code", "topic"),
    [
        ("bp_pnpk.class.grade_1", "bp"),
        ("anaemia.class.anaemia", "anaemia"),
        ("care.alert.wasting", "wflh"),
        ("care.alert.stunting", "lhfa"),
        ("care.alert.dev_doubtful", "kpsp"),
        ("care.alert.kek", "kek"),
        ("tb_child.class.contact", "tb"),
        ("care.task.legacy", None),
    ],
)
def test_a_reason_code_names_the_finding_a_follow_up_is_about(code, topic):
    """Reason codes (``Text``) say which measurement satisfies a follow-up; a sentence kept
    from before (``care.task.legacy``) falls back to the encounter that opened the task."""
    from ilp.care.services.tasks import _reason_code, _topic_from_code
    from ilp.core.texts import Text

    assert _topic_from_code(_reason_code(Text(code, {"x": 1}))) == topic
    assert _reason_code({"code": code, "params": {}}) == code
    assert _reason_code("Cek ulang tekanan darah") is None


def test_correcting_away_the_measurement_that_closed_a_task_reopens_it(district):
    from ilp.care.services.corrections import encounter_correct

    budi = district.budi
    record(district, budi, ON, "adult", {"sbp": 150, "dbp": 95})
    task = Task.objects.get(person=budi)
    later = record(
        district,
        budi,
        ON + timedelta(days=20),
        "adult",
        {"sbp": 120, "dbp": 80, "weight": 70.0, "height": 170.0},
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    # The blood pressure was typed into the wrong person's form: removed by a correction.
    encounter_correct(
        actor=district.bidan_ampel,
        encounter=later,
        changes={"sbp": None, "dbp": None},
        version=later.version,
        reason=Reason("typo"),
    )
    task.refresh_from_db()
    assert (task.status, task.closing_encounter_id) == (TaskStatus.OPEN, None)
