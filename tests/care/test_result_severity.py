"""The colour of a result bar: a z-score that the national tables do not classify (LiLA/U,
head circumference) is coloured by the WHO SD lines, never green by default."""

from __future__ import annotations

import pytest

from ilp.care.views.results import decorate, severity


def _acfa(z):
    return {"code": "acfa", "value": z, "class_code": None, "abnormal": False}


@pytest.mark.parametrize(
    ("z", "expected"),
    [(-3.91, "severe"), (-2.5, "moderate"), (2.4, "abnormal"), (3.2, "abnormal"), (-1.2, "none")],
)
def test_an_unclassified_z_score_is_coloured_by_the_who_sd_lines(z, expected):
    assert severity(_acfa(z)) == expected


def test_lila_for_age_at_minus_3_91_is_not_shown_on_a_green_bar():
    (item,) = decorate([_acfa(-3.91)])
    assert item["severity"] == "severe"
    assert item["z_text"] == "−3,91"


def test_classified_results_keep_their_category_colour():
    assert severity({"code": "wflh", "value": -3.5, "class_code": "gizi_buruk"}) == "severe"
    assert severity({"code": "wfa", "value": 0.1, "class_code": "bb_normal"}) == "normal"
    assert severity({"code": "sbp", "value": 150, "abnormal": True}) == "abnormal"
    assert severity({"code": "sbp", "value": 110, "abnormal": False}) == "normal"
