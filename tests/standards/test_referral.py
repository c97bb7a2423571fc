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
