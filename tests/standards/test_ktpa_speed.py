"""Speed of care in KtP/A cases: deadlines (minutes and the same calendar day), marks of
recorded and pending steps, and the monthly figures (worked by hand)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ilp.standards import ktpa_speed as ks

WITA = ZoneInfo("Asia/Makassar")
T0 = datetime(2026, 3, 2, 22, 0, tzinfo=WITA)  # arrival at 22:00
DEFAULT = ks.targets()


def test_default_targets_are_an_hour_and_a_day():
    assert DEFAULT[ks.FIRST_CONTACT] == ks.Target(minutes=60)
    assert DEFAULT[ks.EXAMINATION] == ks.Target(minutes=24 * 60)
    assert ks.targets(30, 0)[ks.EXAMINATION] == ks.Target(same_day=True)


def test_target_is_minutes_or_same_day():
    with pytest.raises(ValueError):
        ks.Target()
    with pytest.raises(ValueError):
        ks.Target(minutes=60, same_day=True)
    with pytest.raises(ValueError):
        ks.Target(minutes=0)


def test_deadline_in_minutes_is_inclusive():
    t = ks.Target(minutes=60)
    assert t.deadline(T0) == T0 + timedelta(hours=1)
    assert t.is_within(T0, T0 + timedelta(minutes=60))
    assert not t.is_within(T0, T0 + timedelta(minutes=60, seconds=1))


def test_same_day_ends_at_local_midnight():
    t = ks.Target(same_day=True)
    assert t.is_within(T0, datetime(2026, 3, 2, 23, 59, 59, tzinfo=WITA))
    assert not t.is_within(T0, datetime(2026, 3, 3, 0, 0, tzinfo=WITA))
    # the same instant in UTC (14:00 on the 2nd, before the local midnight at 16:00 UTC)
    assert t.is_within(T0, datetime(2026, 3, 2, 15, 59, tzinfo=ZoneInfo("UTC")))


def test_recorded_steps_marked_and_elapsed():
    steps = [
        (ks.ARRIVAL, T0),
        (ks.EXAMINATION, T0 + timedelta(hours=25)),
        (ks.FIRST_CONTACT, T0 + timedelta(minutes=45)),
        ("counselling", T0 + timedelta(hours=30)),
        (ks.EXAMINATION, T0 + timedelta(hours=26)),
    ]
    rows = ks.step_timings(T0, steps, now=T0 + timedelta(days=3), step_targets=DEFAULT)
    assert [(r.step, r.elapsed, r.mark) for r in rows] == [
        (ks.ARRIVAL, timedelta(0), ks.NO_TARGET),
        (ks.FIRST_CONTACT, timedelta(minutes=45), ks.WITHIN),
        (ks.EXAMINATION, timedelta(hours=25), ks.LATE),
        (ks.EXAMINATION, timedelta(hours=26), ks.NO_TARGET),  # the first one counts
        ("counselling", timedelta(hours=30), ks.NO_TARGET),
    ]


def test_pending_steps_waiting_then_overdue():
    steps = [(ks.ARRIVAL, T0)]
    now = T0 + timedelta(minutes=61)
    rows = ks.step_timings(T0, steps, now=now, step_targets=DEFAULT)
    pending = [(r.step, r.at, r.elapsed, r.mark) for r in rows if r.pending]
    assert pending == [
        (ks.FIRST_CONTACT, None, timedelta(minutes=61), ks.OVERDUE),
        (ks.EXAMINATION, None, timedelta(minutes=61), ks.WAITING),
    ]
    same_day = ks.targets(60, 0)
    rows = ks.step_timings(T0, steps, now=T0 + timedelta(hours=2), step_targets=same_day)
    assert rows[-1].mark == ks.OVERDUE  # past midnight: the same day is over


def test_closed_case_missing_step_is_not_overdue():
    rows = ks.step_timings(
        T0, [(ks.ARRIVAL, T0)], now=T0 + timedelta(days=2), step_targets=DEFAULT, case_open=False
    )
    assert [r.mark for r in rows if r.pending] == [ks.MISSING, ks.MISSING]


def _case(arrived: datetime, fc_minutes: float | None, ex_hours: float | None) -> ks.CaseTimes:
    return ks.CaseTimes(
        arrived,
        {
            ks.FIRST_CONTACT: arrived + timedelta(minutes=fc_minutes) if fc_minutes else None,
            ks.EXAMINATION: arrived + timedelta(hours=ex_hours) if ex_hours else None,
        },
    )


def test_speed_figures_median_p90_and_share():
    cases = [
        _case(T0, 10, 2),
        _case(T0, 20, 4),
        _case(T0, 30, 30),  # examination late
        _case(T0, 90, None),  # first contact late, no examination, its day passed
        _case(T0 + timedelta(days=5), None, None),  # waiting: not judged yet
    ]
    now = T0 + timedelta(days=5, minutes=30)
    got = ks.speed_figures(cases, now=now, step_targets=DEFAULT)
    assert got.cases == 5
    fc = got.steps[ks.FIRST_CONTACT]
    # 10, 20, 30, 90 minutes: median 25, p90 = 30 + 0.7 × 60 = 72
    assert (fc.n, fc.due, fc.within) == (4, 4, 3)
    assert fc.median == timedelta(minutes=25)
    assert fc.p90 == timedelta(minutes=72)
    assert fc.within_share == 75.0
    ex = got.steps[ks.EXAMINATION]
    # 2, 4, 30 hours: median 4, p90 = 4 + 0.8 × 26 = 24.8 h; due 4 (the case without one)
    assert (ex.n, ex.due, ex.within) == (3, 4, 2)
    assert ex.median == timedelta(hours=4)
    assert ex.p90 == timedelta(hours=24.8)
    assert ex.within_share == 50.0


def test_speed_figures_of_no_case():
    got = ks.speed_figures([], now=T0, step_targets=DEFAULT)
    assert got.cases == 0
    assert got.steps[ks.FIRST_CONTACT].median is None
    assert got.steps[ks.FIRST_CONTACT].within_share is None
