"""WHO weight velocity (ilp.standards.growth.velocity): the published figures, the table
chosen by age and interval, and the vectorised form agreeing with the scalar one."""

from __future__ import annotations

import numpy as np
import pytest

from ilp.standards.growth.velocity import (
    GainLimit,
    increment_at,
    increment_z,
    upper_gain_g,
    weight_gain_limit,
)


@pytest.mark.parametrize(
    ("sex", "months", "row", "z", "published_g"),
    [
        # WHO weight velocity, 1-month increments, boys (z-score table, grams)
        ("M", 1, 0, 0.0, 1023),  # 0–4 weeks, median
        ("M", 1, 0, -2.0, 321),  # 0–4 weeks, −2 SD
        ("M", 1, 1, 3.0, 2189),  # 4 weeks–2 months, +3 SD
        ("M", 1, 2, 3.0, 1597),  # 2–3 months, +3 SD
        ("M", 1, 3, 3.0, 1313),  # 3–4 months, +3 SD
        ("M", 1, 3, 0.0, 617),  # 3–4 months, median
    ],
)
def test_the_tables_reproduce_whos_published_increments(sex, months, row, z, published_g):
    assert round(increment_at(sex, months, row, z)) == published_g


def test_z_and_increment_are_inverse():
    for row in range(12):
        for z in (-2.0, 0.0, 1.5, 3.0):
            assert increment_z("F", 1, row, increment_at("F", 1, row, z)) == pytest.approx(z)


def test_the_table_follows_age_and_interval():
    # a month apart under 12 months: the 1-month table, by the age at the first weighing
    assert weight_gain_limit("M", 10, 30) == GainLimit(1, "0–4 wk", pytest.approx(1876, abs=1))
    assert weight_gain_limit("M", 40, 30).interval == "4 wk–2 mo"
    assert weight_gain_limit("M", 70, 30).interval == "2–3 mo"
    assert weight_gain_limit("F", 350, 30).interval == "11–12 mo"
    # two months apart, or after 12 months: the 2-month table
    assert weight_gain_limit("M", 70, 60).interval == "2–4 mo"
    assert weight_gain_limit("M", 548, 30).interval == "18–20 mo"
    assert weight_gain_limit("F", 700, 30).interval == "22–24 mo"
    # no WHO velocity standard
    assert weight_gain_limit("M", 731, 30) is None  # 24 months and older
    assert weight_gain_limit("M", 100, 90) is None  # three months apart
    assert weight_gain_limit("M", 100, 0) is None
    assert weight_gain_limit("X", 100, 30) is None


def test_the_vectorised_limits_equal_the_scalar_ones():
    rng = np.random.default_rng(1)
    female = rng.random(2000) < 0.5
    age = rng.integers(-5, 800, 2000).astype(float)
    days = rng.integers(-3, 90, 2000).astype(float)
    age[::97] = np.nan
    got = upper_gain_g(female, age, days)
    for i in range(2000):
        limit = (
            None
            if np.isnan(age[i])
            else weight_gain_limit("F" if female[i] else "M", int(age[i]), int(days[i]))
        )
        if limit is None:
            assert np.isnan(got[i]), i
        else:
            assert got[i] == pytest.approx(limit.upper_g), i
