"""Data-quality measures (``ilp.standards.data_quality``), each worked by hand."""

from __future__ import annotations

import math

import pytest

from ilp.standards import data_quality as dq


@pytest.mark.parametrize(
    ("index", "z", "flagged"),
    [
        ("wfa", -6.0, False),  # on the limit: plausible (WHO flags z < -6)
        ("wfa", -6.01, True),
        ("wfa", 5.0, False),
        ("wfa", 5.01, True),
        ("lhfa", 5.9, False),  # a HAZ of +5.9 is plausible, a WAZ of +5.9 is not
        ("lhfa", 6.01, True),
        ("lhfa", -6.5, True),
        ("wflh", -5.01, True),
        ("wflh", 4.99, False),
        ("wfa", None, False),
        ("wfa", math.nan, False),
    ],
)
def test_who_implausible_limits(index, z, flagged):
    assert dq.implausible_z(index, z) is flagged


def test_terminal_digit_of_weights_and_heights():
    assert [dq.terminal_digit(v) for v in (8.0, 8.5, 12.3, 76.9, 0.1)] == [0, 5, 3, 9, 1]
    # 10.2 is 101.99999… in binary floating point times ten: rounded, not truncated
    assert dq.terminal_digit(10.2) == 2
    assert dq.digit_counts([8.0, 9.0, 8.5, 7.5]) == [2, 0, 0, 0, 0, 2, 0, 0, 0, 0]


def test_digit_preference_score_by_hand():
    # Even digits: χ² = 0, score 0.
    assert dq.digit_preference_score([5] * 10) == 0.0
    # One digit only (N = 10): expected 1 each; χ² = 81 + 9×1 = 90;
    # 100·√(90 / (10·9)) = 100.
    assert dq.digit_preference_score([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]) == 100.0
    # 100 weighings (expected 10 per digit): 28 end in 0, 12 in 5, the rest 7 or 8:
    # χ² = (18² + 4·3² + 4·2² + 2²)/10 = (324 + 36 + 16 + 4)/10 = 38.0;
    # 100·√(38.0 / (100·9)) = 20.5 (just past SMART's "problematic" line of 20).
    counts = [28, 7, 8, 7, 8, 12, 7, 8, 7, 8]
    assert sum(counts) == 100
    assert dq.digit_preference_score(counts) == round(100 * math.sqrt(38.0 / 900), 1) == 20.5
    assert dq.digit_preference_score([0] * 10) is None
    assert dq.digit_shares([28, 7, 8, 7, 8, 12, 7, 8, 7, 8])[0] == 28.0


def test_whipple_index_by_hand():
    # 40 single years 23–62, 10 persons each: 8 ages ending 0/5 in 25–60 → 80;
    # 400 / 5 = 80 → W = 100 (no heaping).
    even = dict.fromkeys(range(23, 63), 10)
    assert dq.whipple_index(even) == 100.0
    # Every 0/5 age doubled: heaped = 160, base = 480 → 160 / 96 = 166.7.
    heaped = {a: (20 if a % 5 == 0 and 25 <= a <= 60 else 10) for a in range(23, 63)}
    assert dq.whipple_index(heaped) == 166.7
    # Ages outside 23–62 do not count; nobody in range: no index.
    assert dq.whipple_index({10: 50, 70: 50}) is None


def test_first_day_heaping_on_whipples_scale():
    # 12/365.25 expected on a 1st: 1,000 births with 33 on a 1st ≈ 100.4.
    assert dq.first_day_heaping(33, 1000) == round(100 * 0.033 / (12 / 365.25), 1) == 100.4
    # 10 % on a 1st: about three times too many.
    assert dq.first_day_heaping(100, 1000) == 304.4
    assert dq.first_day_heaping(0, 0) is None


def test_timeliness_median_and_late_share():
    # 0,0,1,2,3,10,30 days: median 2, late (> 7) = 2, on time 5/7 = 71.4 %.
    t = dq.timeliness({0: 2, 1: 1, 2: 1, 3: 1, 10: 1, 30: 1})
    assert (t.records, t.median_days, t.late, t.on_time_percent) == (7, 2.0, 2, 71.4)
    # Even count: the mean of the two middle lags; a negative lag counts as 0 days.
    t = dq.timeliness({-1: 1, 4: 1, 6: 1, 9: 1})
    assert (t.median_days, t.late, t.on_time_percent) == (5.0, 1, 75.0)
    assert dq.timeliness({}).median_days is None


def test_statuses_and_minimum_counts():
    assert dq.measure_status("sessions", 95.0) == dq.OK
    assert dq.measure_status("sessions", 80.0) == dq.WARN
    assert dq.measure_status("sessions", 74.9) == dq.PROBLEM
    assert dq.measure_status("implausible", 1.0, 100) == dq.OK  # "more than 1 %"
    assert dq.measure_status("implausible", 1.1, 100) == dq.WARN
    assert dq.measure_status("implausible", 3.0, 100) == dq.PROBLEM
    assert dq.measure_status("implausible", 50.0, 19) is None  # too few weighings
    assert dq.measure_status("duplicates", 0.0) == dq.OK
    assert dq.measure_status("duplicates", 1.0) == dq.WARN
    assert dq.measure_status("duplicates", 10.0) == dq.PROBLEM
    assert dq.measure_status("no_nik", None) is None


def test_severity_puts_measures_on_one_scale():
    # sessions: warn below 90, problem below 75 → span 15; 60 % is (90 − 60)/15 = 2.0
    assert dq.severity("sessions", 60.0) == 2.0
    # digits: warn above 12, problem above 20 → span 8; a score of 28 is 2.0
    assert dq.severity("digits_weight", 28.0) == 2.0
    assert dq.severity("no_nik", 7.5) == 0.5
