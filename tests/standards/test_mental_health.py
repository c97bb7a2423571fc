"""SRQ-20: CLINICAL.md §4.5 and §6.6."""

from __future__ import annotations

import pytest

from ilp.standards.mental_health import score_srq20
from ilp.standards.result import OutOfRange


def answers(*yes_items: int) -> list[bool]:
    return [i + 1 in yes_items for i in range(20)]


def test_five_yes_is_negative_six_is_positive():
    r5 = score_srq20(answers(1, 2, 3, 4, 5))  # §6.6
    assert (r5.code, r5.value, r5.details["refer"]) == ("negative", 5, False)
    r6 = score_srq20(answers(1, 2, 3, 4, 5, 6))  # §6.6
    assert (r6.code, r6.value, r6.details["refer"]) == ("positive", 6, True)
    assert r6.details["yes_items"] == [1, 2, 3, 4, 5, 6]


def test_cutoff_8():
    assert score_srq20(answers(1, 2, 3, 4, 5, 6, 7), cutoff=8).code == "negative"
    assert score_srq20(answers(1, 2, 3, 4, 5, 6, 7, 8), cutoff=8).code == "positive"


def test_item_17_refers_regardless_of_total():
    r = score_srq20(answers(17))
    assert r.code == "suicidal_ideation"
    assert r.value == 1
    assert r.details["refer"] is True
    assert "praktik umum" in r.reason
    off = score_srq20(answers(17), refer_on_item_17=False)
    assert (off.code, off.details["refer"]) == ("negative", False)
    high = score_srq20(answers(1, 2, 3, 4, 5, 17))
    assert high.code == "positive"
    assert "butir 17" in high.reason


def test_groups():
    r = score_srq20(answers(3, 4, 5, 8))
    assert r.details["groups"] == {
        "depression": 0,
        "anxiety": 3,
        "somatic": 0,
        "cognitive": 1,
        "low_energy": 1,
    }


def test_wrong_length_and_types():
    with pytest.raises(OutOfRange) as e:
        score_srq20([True] * 19)
    assert e.value.field == "answers (number of items)"
    with pytest.raises(ValueError):
        score_srq20([1] * 20)
