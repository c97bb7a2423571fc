"""Life-stage boundaries (DOMAIN.md §1.3)."""

from datetime import date

import pytest

from ilp.standards.lifestage import completed_months, life_stages, main_life_stage

BIRTH = date(2020, 3, 15)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2020, 3, 15), ["newborn", "infant", "toddler"]),
        (date(2020, 4, 12), ["newborn", "infant", "toddler"]),  # day 28
        (date(2020, 4, 13), ["infant", "toddler"]),  # day 29
        (date(2021, 3, 14), ["infant", "toddler"]),  # 11 months 30 days
        (date(2021, 3, 15), ["toddler"]),  # 12 months
        (date(2025, 3, 14), ["toddler"]),  # 59 months
        (date(2025, 3, 15), ["preschool"]),  # 60 months
        (date(2026, 3, 15), ["preschool", "school_age"]),  # 72 months = 6 years
        (date(2026, 4, 15), ["school_age"]),  # 73 months
    ],
)
def test_child_stages(on, expected):
    assert life_stages(BIRTH, on) == expected


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2010, 6, 1), date(2020, 5, 31), ["school_age"]),  # 9 y
        (date(2010, 6, 1), date(2020, 6, 1), ["school_age", "adolescent"]),  # 10 y
        (date(2000, 6, 1), date(2018, 5, 31), ["school_age", "adolescent"]),  # 17 y
        (date(2000, 6, 1), date(2018, 6, 1), ["adult"]),  # 18 y
        (date(1960, 6, 1), date(2020, 5, 31), ["adult"]),  # 59 y
        (date(1960, 6, 1), date(2020, 6, 1), ["elderly"]),  # 60 y
    ],
)
def test_older_stages(birth, on, expected):
    assert life_stages(birth, on) == expected


def test_before_birth_is_no_stage():
    assert life_stages(BIRTH, date(2020, 3, 14)) == []
    assert main_life_stage(BIRTH, date(2020, 3, 14)) is None


def test_main_stage_prefers_adolescent():
    assert main_life_stage(date(2010, 1, 1), date(2022, 1, 1)) == "adolescent"
    assert main_life_stage(BIRTH, date(2020, 3, 20)) == "newborn"


def test_completed_months_clamps_month_end():
    assert completed_months(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert completed_months(date(2024, 1, 31), date(2024, 2, 28)) == 0
    assert completed_months(date(2024, 1, 15), date(2024, 2, 14)) == 0
