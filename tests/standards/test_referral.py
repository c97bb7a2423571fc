"""The referral state machine, its delays and the percentile method (hand-worked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from ilp.standards import referral as rules

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


# Every (state, action) pair: allowed exactly where the table says, refused everywhere else.
EXPECTED = {
    ("created", "depart"): "departed",
    ("created", "receive"): "received",
    ("departed", "receive"): "received",
    ("received", "handle"): "handled",
    ("handled", "answer"): "answered",
    ("answered", "close"): "closed",
    ("created", "refuse"): "refused",
    ("departed", "refuse"): "refused",
    ("created", "redirect"): "redirected",
    ("departed", "redirect"): "redirected",
    ("received", "redirect"): "redirected",
    ("created", "cancel"): "cancelled",
    ("departed", "cancel"): "cancelled",
    ("created", "not_arrive"): "not_arrived",
    ("departed", "not_arrive"): "not_arrived",
}


@pytest.mark.parametrize("state", rules.STATES)
@pytest.mark.parametrize("action", rules.ACTIONS)
def test_every_transition(state, action):
    assert rules.next_state(state, action) == EXPECTED.get((state, action))


def test_terminal_states_accept_nothing():
    for state in rules.TERMINAL:
        assert rules.allowed_actions(state) == []
    assert rules.next_state("created", "fly") is None


def test_allowed_actions_per_side():
    assert rules.allowed_actions("created", rules.SENDER) == ["depart", "cancel"]
    assert rules.allowed_actions("created", rules.RECEIVER) == [
        "receive",
        "refuse",
        "redirect",
        "not_arrive",
    ]
    assert rules.allowed_actions("answered", rules.SENDER) == ["close"]
    assert rules.allowed_actions("answered", rules.RECEIVER) == []


def test_delays_from_timestamps():
    stamps = {
        "detected_at": T0,
        "decided_at": T0 + timedelta(minutes=45),
        "departed_at": T0 + timedelta(hours=2),
        "received_at": T0 + timedelta(hours=3, minutes=30),
        "handled_at": None,
        "answered_at": None,
    }
    assert rules.delays(stamps) == {
        "detection_decision": timedelta(minutes=45),
        "decision_departure": timedelta(hours=1, minutes=15),
        "departure_reception": timedelta(hours=1, minutes=30),
        "reception_handling": None,
        "handling_answer": None,
    }


def test_earlier_step_is_the_latest_recorded_before():
    stamps = {"detected_at": T0, "decided_at": T0 + timedelta(hours=1), "departed_at": None}
    assert rules.earlier_step(stamps, "received_at") == ("decided_at", T0 + timedelta(hours=1))
    assert rules.earlier_step(stamps, "ended_at") == ("decided_at", T0 + timedelta(hours=1))
    assert rules.earlier_step({}, "decided_at") is None


def test_median_and_p90_hand_worked():
    # 10, 20, 30, 40 (n = 4): median h = 1.5 → 20 + 0.5·10 = 25; p90 h = 2.7 → 30 + 0.7·10 = 37
    assert rules.median([40, 10, 30, 20]) == 25
    assert rules.p90([40, 10, 30, 20]) == pytest.approx(37)
    # 1..10 (n = 10): p90 h = 8.1 → x9 + 0.1·(x10 − x9) = 9.1; median h = 4.5 → 5.5
    values = list(range(1, 11))
    assert rules.p90(values) == pytest.approx(9.1)
    assert rules.median(values) == 5.5
    # odd count: the middle one; one value: itself; none: None
    assert rules.median([7, 1, 3]) == 3
    assert rules.p90([5]) == 5
    assert rules.median([]) is None


def test_percentile_matches_numpy_default():
    values = [3.0, 61.0, 7.5, 120.0, 15.0, 15.0, 2.0]
    for fraction in (0, 0.1, 0.5, 0.9, 1):
        assert rules.percentile(values, fraction) == pytest.approx(
            float(np.percentile(values, fraction * 100))
        )
    with pytest.raises(ValueError):
        rules.percentile(values, 1.5)


def test_duration_summary():
    durations = [timedelta(minutes=m) for m in (10, 20, 30, 40)]
    assert rules.duration_summary(durations) == {
        "median": timedelta(minutes=25),
        "p90": timedelta(minutes=37),
    }
    assert rules.duration_summary([]) == {"median": None, "p90": None}


def _stamps(offsets_hours):
    """Step times at these hours after detection (None: not recorded), by name."""
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    return {
        name: start + timedelta(hours=h) if h is not None else None
        for name, h in zip(rules.STEP_ORDER, offsets_hours, strict=False)
    }


def _line(offsets_hours, allowance=24, limit=2):
    """A report line with the steps at these hours after detection."""
    stamps = _stamps(offsets_hours)
    return rules.ReportLine.of(stamps, timedelta(hours=allowance), timedelta(hours=limit))


def test_arrived_too_late_counts_from_the_decision():
    # decided at +1, received at +3: two hours exactly is not late, a minute more is
    on_time = _stamps([0, 1, 1.5, 3])
    assert rules.arrived_too_late(on_time, timedelta(hours=2)) is False
    assert rules.arrived_too_late(on_time, timedelta(hours=1, minutes=59)) is True
    # no reception recorded: unknown, not late
    assert rules.arrived_too_late(_stamps([0, 1, 2]), timedelta(hours=2)) is None


def test_answered_in_time():
    stamps = _stamps([0, 1, 2, 3, 4, 25])  # answered 24 h after the decision
    assert rules.answered_in_time(stamps, timedelta(hours=24)) is True
    assert rules.answered_in_time(stamps, timedelta(hours=23)) is False
    assert rules.answered_in_time(_stamps([0, 1]), timedelta(hours=24)) is None


def test_delay_report_hand_worked():
    lines = [
        _line([0, 1, 2, 3, 4, 5]),  # answered 4 h after decision; received 2 h after: on time
        _line([0, 2, 3, 6, 7, 40]),  # received 4 h after decision: late; answered 38 h: not in time
        _line([0, 0.5, None, 1.5]),  # received without a recorded departure: on time
        _line([1, 3]),  # sent, nothing since
    ]
    report = rules.delay_report(lines)
    assert (report.referrals, report.answered, report.answered_in_time) == (4, 2, 1)
    assert (report.received, report.too_late) == (3, 1)
    assert report.answered_share == 50.0
    assert report.answered_in_time_share == 25.0
    assert report.too_late_share == 33.3
    # detection → decision over all four: 0.5, 1, 2, 2 h → median 1.5 h, p90 2 h
    first = report.delays["detection_decision"]
    assert first == {"median": timedelta(hours=1.5), "p90": timedelta(hours=2), "n": 4}
    # departure → reception only where both are known: 1 h and 3 h
    journey = report.delays["departure_reception"]
    assert journey["n"] == 2
    assert journey["median"] == timedelta(hours=2)
    assert journey["p90"] == timedelta(hours=2.8)
    # handling → answer: 1 h and 33 h
    assert report.delays["handling_answer"]["median"] == timedelta(hours=17)
    # decision → reception where received: 2, 4 and 1 h (the third without a departure)
    assert report.reaching == {"median": timedelta(hours=2), "p90": timedelta(hours=3.6), "n": 3}


def test_delay_report_of_nothing():
    report = rules.delay_report([])
    assert report.referrals == 0
    assert report.answered_share is None
    assert report.too_late_share is None
    assert report.delays["reception_handling"] == {"median": None, "p90": None, "n": 0}


def test_delay_reports_per_group_and_total_agree_with_delay_report():
    lines = [_line([0, 1, 2, 3, 4, 5]), _line([0, 2, 3, 6, 7, 40]), _line([0, 0.5, None, 1.5])]
    groups = {"x": lines[:1], "y": lines[1:]}
    found, total = rules.delay_reports(groups)
    assert found["x"] == rules.delay_report(lines[:1])
    assert found["y"] == rules.delay_report(lines[1:])
    assert total == rules.delay_report(lines)
    assert total.referrals == 3
