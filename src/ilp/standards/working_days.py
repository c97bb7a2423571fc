"""Working days (hari kerja) in Indonesia: the arithmetic of "within N working days".

Protection partners follow a referred case up within a number of *working* days (UPTD PPA: a
local rule of at most 3 working days, DOMAIN.md §5.3 [S31]; issue 13 makes it configurable,
default 3, "skipping weekends and national holidays"). A working day here is Monday to Friday
that is neither a national holiday (*hari libur nasional*) nor, by default, a collective leave
day (*cuti bersama*), on which government offices such as the UPTD PPA are closed too.

The calendar is not kept by hand: it comes from the ``holidays`` package (python-holidays,
Indonesia: the yearly joint decree of three ministers, *SKB 3 Menteri*, on national holidays
and cuti bersama; categories ``public`` and ``government``), pinned in pyproject.toml, so a
new year's decree arrives with a package update rather than a code change. Islamic holidays
of years the package has no decree for are its astronomical estimates.

Pure functions over dates; no Django import. Holiday names are looked up in the reader's
language at display time (:func:`holiday_name`), never stored.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from holidays.countries.indonesia import Indonesia

SOURCE = "python-holidays (Indonesia; SKB 3 Menteri: libur nasional dan cuti bersama)"

# Saturday and Sunday (date.weekday(): Monday is 0).
WEEKEND = frozenset({5, 6})
# The package's languages for Indonesia; Django's "en" reads the package's "en_US".
_LANGUAGES = {"id": "id", "en": "en_US"}


@lru_cache(maxsize=64)
def _closed_days(year: int, cuti_bersama: bool) -> frozenset[date]:
    """The year's non-weekend days off: national holidays, and cuti bersama when asked."""
    categories = ("public", "government") if cuti_bersama else ("public",)
    return frozenset(Indonesia(years=year, categories=categories))


def is_working_day(day: date, *, cuti_bersama: bool = True) -> bool:
    """Whether `day` is a working day: Monday to Friday, not a national holiday, and (unless
    `cuti_bersama` is False) not a collective leave day."""
    return day.weekday() not in WEEKEND and day not in _closed_days(day.year, cuti_bersama)


def add_working_days(start: date, days: int, *, cuti_bersama: bool = True) -> date:
    """The date `days` working days after `start` (the start day itself is not counted, as a
    follow-up "within 3 working days" of a Friday referral is due on the Wednesday).

    ``days == 0`` gives `start` when it is a working day, else the next working day (a
    referral made on a Sunday is due the first working day after it). Negative `days` are
    refused: a due date lies after its start.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day, cuti_bersama=cuti_bersama):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, cuti_bersama=cuti_bersama):
            counted += 1
    return day


def working_days_between(start: date, end: date, *, cuti_bersama: bool = True) -> int:
    """The number of working days after `start` up to and including `end` (0 when `end` is not
    after `start`): how many working days a follow-up has been waiting, or is overdue by."""
    if end <= start:
        return 0
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset), cuti_bersama=cuti_bersama)
    )


def holiday_name(day: date, language: str = "id", *, cuti_bersama: bool = True) -> str | None:
    """The name of the holiday (or cuti bersama) on `day` in `language` ("id" or "en"), or
    None on an ordinary day; for display only."""
    categories = ("public", "government") if cuti_bersama else ("public",)
    calendar = Indonesia(
        years=day.year, categories=categories, language=_LANGUAGES.get(language, "id")
    )
    name = calendar.get(day)
    return str(name) if name is not None else None
