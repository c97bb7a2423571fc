"""The PKP scoring rule (``ilp.standards.performance``) on hand-worked figures."""

from __future__ import annotations

import pytest

from ilp.standards import performance as pkp


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (45.0, 50.0, "up", 90.0),  # 45 / 50 × 100
        (60.0, 50.0, "up", 100.0),  # above target: capped at 100
        (0.0, 80.0, "up", 0.0),
        (20.0, 14.0, "down", 70.0),  # stunting 20 % against a 14 % ceiling: 14 / 20 × 100
        (10.0, 14.0, "down", 100.0),  # under the ceiling: capped
        (0.0, 14.0, "down", 100.0),  # nothing above the ceiling
        (None, 50.0, "up", None),  # no value: not scored
        (5.0, 0.0, "down", None),  # a ceiling of 0 is no ratio: not scored
        (5.0, 0.0, "up", None),
    ],
)
def test_indicator_score(value, target, direction, expected):
    assert pkp.indicator_score(value, target, direction) == expected


def test_weighted_score_leaves_out_unscored_items_and_their_weights():
    # (90 × 2 + 100 × 1 + 70 × 1) / (2 + 1 + 1) = 350 / 4 = 87.5; the unscored item's
    # weight 5 and the zero-weight item do not count.
    items = [
        pkp.Scored(90.0, 2),
        pkp.Scored(100.0, 1),
        pkp.Scored(70.0, 1),
        pkp.Scored(None, 5),
        pkp.Scored(10.0, 0),
    ]
    assert pkp.weighted_score(items) == 87.5
    assert pkp.weighted_score([pkp.Scored(None, 1)]) is None
    assert pkp.weighted_score([]) is None


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100.0, "baik"),
        (91.0, "baik"),
        (90.99, "cukup"),
        (87.5, "cukup"),
        (81.0, "cukup"),
        (80.99, "kurang"),
        (0.0, "kurang"),
        (None, None),
    ],
)
def test_category_with_the_permenkes_defaults(score, expected):
    assert pkp.category(score, pkp.DEFAULT_BAIK_MIN, pkp.DEFAULT_CUKUP_MIN) == expected


def test_category_with_a_district_s_own_thresholds():
    assert pkp.category(92.5, 95.0, 75.0) == "cukup"
    assert pkp.category(95.0, 95.0, 75.0) == "baik"
    assert pkp.category(74.9, 95.0, 75.0) == "kurang"


def test_thresholds_valid():
    assert pkp.thresholds_valid(91, 81)
    assert pkp.thresholds_valid(100, 0.5)
    assert not pkp.thresholds_valid(81, 91)  # cukup above baik
    assert not pkp.thresholds_valid(91, 91)
    assert not pkp.thresholds_valid(101, 81)
    assert not pkp.thresholds_valid(91, 0)
