"""Calendar arithmetic shared by the rules and their callers: whole months and years with the
clamping people use (31 January + 1 month = end of February; a 29 February birthday falls on
28 February in common years, as ``lifestage.completed_years`` counts)."""

from __future__ import annotations

from datetime import date

# Indonesian month names, for dates written as Indonesian text ("5 Maret 2025").
MONTHS_ID: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months (negative to go back); month ends clamp."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    day = start.day
    if day > 28:
        nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        day = min(day, (nxt - date(year, month, 1)).days)
    return date(year, month, day)


def birthday(birth: date, years: int) -> date:
    """The day a person born on ``birth`` completes ``years`` years."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year
        return date(birth.year + years, 2, 28)


def years_before(on: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February → 28 February): persons born
    after it are younger than ``years`` on ``on``."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)
