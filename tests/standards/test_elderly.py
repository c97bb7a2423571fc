"""SKILAS and Barthel: CLINICAL.md §4.7 and §6.6."""

from __future__ import annotations

import pytest

from ilp.standards.elderly import BARTHEL_ITEMS, score_barthel, screen_skilas
from ilp.standards.result import OutOfRange

CLEAR = {
    "recall_failed": False,
    "orientation_failed": False,
    "chair_rise_failed": False,
    "weight_loss": False,
    "appetite_loss": False,
    "eye_problem": False,
    "whisper_not_heard": False,
    "sad_or_hopeless": False,
    "little_interest": False,
}


def test_skilas_negative():
    r = screen_skilas(**CLEAR, muac_cm=21.0)
    assert (r.code, r.value, r.details["positive_domains"]) == ("no_refer", 0, [])


def test_skilas_domains():
    r = screen_skilas(**{**CLEAR, "orientation_failed": True, "little_interest": True})
    assert r.code == "refer"
    assert r.details["positive_domains"] == ["cognition", "depression"]
    assert screen_skilas(**CLEAR, muac_cm=20.9).details["positive_domains"] == ["nutrition"]
    assert screen_skilas(**CLEAR, finger_count_failed=True).details["positive_domains"] == [
        "vision"
    ]
    assert screen_skilas(**CLEAR, whisper_untestable=True).details["positive_domains"] == [
        "hearing"
    ]


def test_skilas_muac_range():
    with pytest.raises(OutOfRange) as e:
        screen_skilas(**CLEAR, muac_cm=2)
    assert e.value.field == "muac_cm"


def barthel_with_total(total: int) -> dict[str, int]:
    items = dict.fromkeys(BARTHEL_ITEMS, 0)
    for key, (_, maximum) in BARTHEL_ITEMS.items():
        take = min(maximum, total)
        items[key] = take
        total -= take
    assert total == 0
    return items


@pytest.mark.parametrize(
    ("total", "code", "home_care"),
    [
        (20, "independent", False),  # §6.6
        (19, "mild", False),  # §6.6
        (12, "mild", False),
        (11, "moderate", True),  # §6.6
        (9, "moderate", True),
        (8, "severe", True),  # §6.6
        (5, "severe", True),
        (4, "total", True),  # §6.6
        (0, "total", True),
    ],
)
def test_barthel_bands(total, code, home_care):
    r = score_barthel(barthel_with_total(total))
    assert (r.value, r.code, r.details["home_care"]) == (total, code, home_care)


def test_barthel_item_values_validated():
    items = barthel_with_total(20)
    with pytest.raises(OutOfRange) as e:
        score_barthel({**items, "grooming": 2})
    assert (e.value.field, e.value.high) == ("barthel.grooming", 1)
    with pytest.raises(OutOfRange) as e:
        score_barthel({**items, "transfer": -1})
    assert e.value.field == "barthel.transfer"
    with pytest.raises(ValueError, match="missing"):
        score_barthel({k: v for k, v in items.items() if k != "stairs"})
    with pytest.raises(ValueError, match="unknown"):
        score_barthel({**items, "bab": 2})
