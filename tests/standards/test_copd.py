"""PUMA score: CLINICAL.md §4.6 and §6.6."""

from __future__ import annotations

import pytest

from ilp.standards.copd import pack_years, score_puma
from ilp.standards.result import OutOfRange

NO = {"breathless": False, "phlegm": False, "cough": False, "spirometry_offered": False}


def test_15_cigarettes_20_years_is_15_pack_years_0_points():
    assert pack_years(15, 20) == 15.0  # §6.6
    r = score_puma(sex="F", age_years=45, cigarettes_per_day=15, smoking_years=20, **NO)
    assert r.details["items"]["pack_years"] == 0
    assert r.value == 0


@pytest.mark.parametrize(
    ("cig", "years", "points"), [(20, 19, 0), (20, 20, 1), (20, 30, 1), (31, 20, 2), (0, 0, 0)]
)
def test_pack_year_boundaries(cig, years, points):
    r = score_puma(sex="F", age_years=45, cigarettes_per_day=cig, smoking_years=years, **NO)
    assert r.details["items"]["pack_years"] == points


@pytest.mark.parametrize(("age", "points"), [(40, 0), (49, 0), (50, 1), (59, 1), (60, 2)])
def test_age_points(age, points):
    assert score_puma(sex="F", age_years=age, **NO).details["items"]["age"] == points


def test_maximum_9_and_cutoff():
    r = score_puma(
        sex="M",
        age_years=65,
        cigarettes_per_day=40,
        smoking_years=40,
        breathless=True,
        phlegm=True,
        cough=True,
        spirometry_offered=True,
    )
    assert (r.value, r.code) == (9, "high_risk")
    five = score_puma(
        sex="M",
        age_years=60,
        cigarettes_per_day=20,
        smoking_years=20,
        breathless=True,
        phlegm=False,
        cough=False,
        spirometry_offered=False,
    )
    assert (five.value, five.code) == (5, "low_risk")
    assert (
        score_puma(
            sex="M",
            age_years=60,
            cigarettes_per_day=20,
            smoking_years=20,
            breathless=True,
            phlegm=False,
            cough=False,
            spirometry_offered=False,
            cutoff=5,
        ).code
        == "high_risk"
    )
    six = score_puma(
        sex="M",
        age_years=60,
        cigarettes_per_day=20,
        smoking_years=20,
        breathless=True,
        phlegm=True,
        cough=False,
        spirometry_offered=False,
    )
    assert (six.value, six.code) == (6, "high_risk")


def test_out_of_range():
    with pytest.raises(OutOfRange) as e:
        score_puma(sex="M", age_years=39, **NO)
    assert e.value.field == "age_years"
    with pytest.raises(OutOfRange) as e:
        pack_years(200, 1)
    assert e.value.field == "cigarettes_per_day"
