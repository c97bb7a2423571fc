"""Working-day arithmetic around Indonesian holidays and cuti bersama, worked by hand from the
2026 calendar (SKB 3 Menteri 2026: Nyepi 19 March, Idul Fitri 21–22 March with cuti bersama
18, 20, 23 and 24 March; Independence Day 17 August; Christmas 25 December with cuti bersama
24 December)."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.standards import working_days as wd


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 17), True),  # Tuesday before Nyepi
        (date(2026, 3, 18), False),  # cuti bersama Nyepi
        (date(2026, 3, 19), False),  # Hari Suci Nyepi
        (date(2026, 3, 21), False),  # Saturday, Idul Fitri
        (date(2026, 3, 25), True),  # Wednesday after the Idul Fitri leave
        (date(2026, 8, 17), False),  # Monday, Hari Kemerdekaan
        (date(2026, 12, 5), False),  # an ordinary Saturday
        (date(2026, 12, 4), True),  # an ordinary Friday
    ],
)
def test_is_working_day(day, working):
    assert wd.is_working_day(day) is working


def test_idul_fitri_2026_with_and_without_cuti_bersama():
    # Tue 17 March + 3: 18 cuti, 19 Nyepi, 20 cuti, 21–22 weekend/Idul Fitri, 23–24 cuti,
    # then Wed 25 (1), Thu 26 (2), Fri 27 (3).
    assert wd.add_working_days(date(2026, 3, 17), 3) == date(2026, 3, 27)
    # National holidays only: Wed 18 (1), Fri 20 (2), Mon 23 (3).
    assert wd.add_working_days(date(2026, 3, 17), 3, cuti_bersama=False) == date(2026, 3, 23)


def test_friday_referral_is_due_on_wednesday():
    assert wd.add_working_days(date(2026, 12, 4), 3) == date(2026, 12, 9)


def test_christmas_2026():
    # Wed 23 Dec + 3: 24 cuti bersama, 25 Natal, 26–27 weekend, Mon 28, Tue 29, Wed 30.
    assert wd.add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)


def test_across_the_new_year():
    # Wed 30 Dec 2026 + 2: Thu 31 (1), Fri 1 Jan 2027 is Tahun Baru, Mon 4 Jan (2).
    assert wd.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)


def test_independence_day_monday():
    assert wd.add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)


def test_zero_days_is_the_next_working_day():
    assert wd.add_working_days(date(2026, 12, 4), 0) == date(2026, 12, 4)
    assert wd.add_working_days(date(2026, 12, 6), 0) == date(2026, 12, 7)  # Sunday → Monday


def test_negative_days_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        wd.add_working_days(date(2026, 12, 4), -1)


def test_working_days_between():
    # Due Fri 27 March (3 working days after Tue 17); on Tue 31 March it is 6 working days on.
    assert wd.working_days_between(date(2026, 3, 17), date(2026, 3, 27)) == 3
    assert wd.working_days_between(date(2026, 3, 17), date(2026, 3, 31)) == 5
    assert wd.working_days_between(date(2026, 3, 17), date(2026, 3, 17)) == 0
    assert wd.working_days_between(date(2026, 3, 31), date(2026, 3, 17)) == 0


def test_add_and_between_agree():
    start = date(2026, 1, 1)
    for days in range(1, 40):
        due = wd.add_working_days(start, days)
        assert wd.working_days_between(start, due) == days


def test_holiday_names_in_the_readers_language():
    assert wd.holiday_name(date(2026, 8, 17), "id") == "Hari Kemerdekaan Republik Indonesia"
    assert wd.holiday_name(date(2026, 8, 17), "en") == "Independence Day"
    assert wd.holiday_name(date(2026, 12, 24), "id") == "Cuti Bersama Hari Raya Natal"
    assert wd.holiday_name(date(2026, 12, 24), "id", cuti_bersama=False) is None
    assert wd.holiday_name(date(2026, 12, 4)) is None
