"""Care selectors: what each read returns, and that who may see what is decided by scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.care import selectors
from ilp.care.models import Task
from ilp.care.services import (
    session_close,
    session_expected,
    session_mark_attendance,
    session_open,
    session_record_weighing,
)
from ilp.core.exceptions import NotFound
from tests.care import born_days_before, encounter, resident

ON = date(2025, 3, 10)


def _encounter(person, on, facility, package="child"):
    return encounter(person, on, facility, package)


def _task(person, facility, *, due, status="open", kind="follow_up"):
    return Task.objects.create(
        person=person,
        kind=kind,
        reason="uji",
        due_date=due,
        facility=facility,
        status=status,
    )


# ---------------------------------------------------------------- a person


def test_person_encounters_newest_first_limited_and_only_theirs(district):
    pos = district.pos_ampel_timur_f
    old = _encounter(district.rina, ON - timedelta(days=60), pos)
    mid = _encounter(district.rina, ON - timedelta(days=30), pos)
    new_a = _encounter(district.rina, ON, pos)
    new_b = _encounter(district.rina, ON, pos)  # same day: the later id first
    _encounter(district.siti, ON, pos, package="anc")

    assert selectors.person_encounters(district.rina) == [new_b, new_a, mid, old]
    assert selectors.person_encounters(district.rina, limit=2) == [new_b, new_a]
    assert selectors.person_encounters(district.budi) == []
    with CaptureQueriesContext(connection) as ctx:
        encounters = selectors.person_encounters(district.rina)
        assert {e.facility.name for e in encounters} == {"Posyandu Melati"}
    assert len(ctx.captured_queries) == 1  # the facility comes with the encounters


def test_person_open_tasks_earliest_due_first_and_only_open(district):
    pos = district.pos_ampel_timur_f
    later = _task(district.rina, pos, due=ON + timedelta(days=7))
    sooner = _task(district.rina, pos, due=ON)
    _task(district.rina, pos, due=ON - timedelta(days=3), status="done")
    _task(district.rina, pos, due=ON - timedelta(days=2), status="cancelled")
    _task(district.siti, pos, due=ON)

    assert selectors.person_open_tasks(district.rina) == [sooner, later]
    assert selectors.person_open_tasks(district.budi) == []


# ---------------------------------------------------------------- a posyandu


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("kader_ampel_timur", {"POS-AT"}),
        ("kader_cemara", {"POS-CR"}),
        ("bidan_ampel", {"POS-AT", "POS-AB"}),
        ("pkm_barat", {"POS-AT", "POS-AB", "POS-BA"}),
        ("dinkes", {"POS-AT", "POS-AB", "POS-BA", "POS-CR"}),
        ("tpcb", {"POS-AT", "POS-AB", "POS-BA", "POS-CR"}),
        ("camat_barat", set()),
        ("ppa", set()),
        ("norole", set()),
    ],
)
def test_posyandu_for_user_follows_scope(district, persona, visible):
    user = getattr(district, persona)
    for code in ("POS-AT", "POS-AB", "POS-BA", "POS-CR"):
        if code in visible:
            assert selectors.posyandu_for_user(user, code).code == code
        else:
            with pytest.raises(NotFound):
                selectors.posyandu_for_user(user, code)


def test_posyandu_for_user_is_not_found_for_unknown_codes_and_other_facilities(district):
    for code in ("NOPE", "PUSTU-AMPEL", "P5271010101", ""):
        with pytest.raises(NotFound):
            selectors.posyandu_for_user(district.dinkes, code)


def test_posyandu_for_user_brings_its_area(district):
    posyandu = selectors.posyandu_for_user(district.kader_ampel_timur, "POS-AT")
    with CaptureQueriesContext(connection) as ctx:
        assert posyandu.area.name == "Ampel Timur"
    assert ctx.captured_queries == []


def test_session_on_and_recent_sessions(district):
    pos = district.pos_ampel_timur_f
    kader = district.kader_ampel_timur
    sessions = [
        session_open(actor=kader, posyandu=pos, on=ON - timedelta(days=28 * n)) for n in range(3)
    ]
    other = session_open(
        actor=district.kader_ampel_barat, posyandu=district.pos_ampel_barat_f, on=ON
    )

    assert selectors.session_on(pos, ON) == sessions[0]
    assert selectors.session_on(pos, ON - timedelta(days=28)) == sessions[1]
    assert selectors.session_on(pos, ON + timedelta(days=1)) is None
    assert selectors.session_on(district.pos_ampel_barat_f, ON) == other

    assert selectors.recent_sessions(pos) == sessions  # newest first
    assert selectors.recent_sessions(pos, limit=2) == sessions[:2]
    assert selectors.recent_sessions(district.pos_cemara_f) == []
    assert selectors.RECENT_SESSIONS_LIMIT == 24


# ---------------------------------------------------------------- a session


@pytest.fixture
def run(district):
    """A session at Posyandu Melati: Rina weighed, a wasted child weighed (a referral task),
    one child marked absent, one not marked at all; and a session elsewhere."""
    kader = district.kader_ampel_timur
    wasted = resident(district, "Anak Kurus", "F", born_days_before(ON, 90))
    absent = resident(district, "Anak Absen", "M", date(2023, 1, 15))
    unmarked = resident(district, "Anak Lain", "M", date(2022, 8, 1))
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    rina = session_record_weighing(
        actor=kader,
        session=session,
        person=district.rina,
        weight_kg=8.9,
        length_cm=73.0,
        measured="lying",
    ).encounter
    wasted_enc = session_record_weighing(
        actor=kader,
        session=session,
        person=wasted,
        weight_kg=4.5,
        length_cm=60.4,
        measured="lying",
    ).encounter
    session_mark_attendance(actor=kader, session=session, person=absent, present=False)
    elsewhere = session_open(actor=district.kader_cemara, posyandu=district.pos_cemara_f, on=ON)
    return {
        "session": session,
        "elsewhere": elsewhere,
        "wasted": wasted,
        "absent": absent,
        "unmarked": unmarked,
        "rina_enc": rina,
        "wasted_enc": wasted_enc,
    }


def test_session_people_are_the_sasaran_the_user_may_see(district, run):
    session = run["session"]
    names = [p.full_name for p in session_expected(session)]
    assert names[:4] == ["Anak Absen", "Anak Kurus", "Anak Lain", "Rina Lestari"]  # balita
    for persona in ("kader_ampel_timur", "bidan_ampel", "pkm_barat", "dinkes"):
        people = selectors.session_people(getattr(district, persona), session)
        assert [p.full_name for p in people] == names, persona
    for persona in ("kader_ampel_barat", "kader_cemara", "camat_barat", "norole"):
        assert selectors.session_people(getattr(district, persona), session) == [], persona
    assert selectors.session_people(district.kader_cemara, run["elsewhere"]) == [district.dewi]
    assert selectors.session_people(district.kader_ampel_timur, run["elsewhere"]) == []


def test_session_attendance_and_person_attendance(district, run):
    session = run["session"]
    assert selectors.session_attendance(session) == {
        district.rina.pk: True,
        run["wasted"].pk: True,
        run["absent"].pk: False,
    }
    assert selectors.person_attendance(session, district.rina) is True
    assert selectors.person_attendance(session, run["absent"]) is False
    assert selectors.person_attendance(session, run["unmarked"]) is None
    assert selectors.person_attendance(run["elsewhere"], district.rina) is None
    assert selectors.present_count(session) == 2
    assert selectors.present_count(run["elsewhere"]) == 0
    assert selectors.session_attendance(run["elsewhere"]) == {}


def test_session_encounters_last_of_the_day_wins_with_observations(district, run):
    session = run["session"]
    again = session_record_weighing(
        actor=district.kader_ampel_timur,
        session=session,
        person=district.rina,
        weight_kg=9.0,
        length_cm=73.0,
        measured="lying",
    ).encounter
    with CaptureQueriesContext(connection) as ctx:
        encounters = selectors.session_encounters(session)
        weights = {
            pk: [o.value for o in e.observations.all() if o.code == "weight"]
            for pk, e in encounters.items()
        }
    assert len(ctx.captured_queries) == 2  # encounters, then all their observations
    assert encounters == {district.rina.pk: again, run["wasted"].pk: run["wasted_enc"]}
    assert weights == {district.rina.pk: [9.0], run["wasted"].pk: [4.5]}
    assert selectors.session_encounters(run["elsewhere"]) == {}

    assert selectors.session_encounter(session, district.rina) == again
    assert selectors.session_encounter(session, run["absent"]) is None
    assert selectors.session_encounter(run["elsewhere"], district.rina) is None

    reloaded = selectors.encounter_with_observations(run["wasted_enc"])
    assert reloaded == run["wasted_enc"]
    with CaptureQueriesContext(connection) as ctx:
        assert "weight" in {o.code for o in reloaded.observations.all()}
    assert ctx.captured_queries == []


def test_session_tasks_lists_home_visits_then_encounter_tasks(district, run):
    session = run["session"]
    assert [
        (t.person.full_name, t.kind)
        for t in selectors.session_tasks(district.kader_ampel_timur, session)
    ] == [("Anak Kurus", "refer")]
    session_close(actor=district.kader_ampel_timur, session=session)
    with CaptureQueriesContext(connection) as ctx:
        tasks = [
            (t.person.full_name, t.kind)
            for t in selectors.session_tasks(district.kader_ampel_timur, session)
        ]
    assert len(ctx.captured_queries) == 2  # persons come with the tasks
    assert tasks == [
        ("Anak Absen", "home_visit"),
        ("Anak Lain", "home_visit"),
        ("Anak Kurus", "refer"),
    ]
    assert selectors.session_tasks(district.kader_ampel_timur, run["elsewhere"]) == []
