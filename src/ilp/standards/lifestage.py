"""ILP life stages of a person on a date.

Source: Petunjuk Teknis ILP (KMK HK.01.07/MENKES/2015/2023) life-stage bands as transcribed in
DOMAIN.md §1.3. The bands overlap (a 15-year-old is both school age and adolescent), so a
person belongs to every stage whose band contains their age, in the order below. "18 y" as
the upper end of school age is read as "until the 18th birthday", where adulthood begins.

| stage       | band                          |
| ----------- | ----------------------------- |
| newborn     | 0–28 days                     |
| infant      | 0–11 months (under 12 months) |
| toddler     | 0–59 months (balita)          |
| preschool   | 60–72 months (5–6 years)      |
| school_age  | 6 to under 18 years (≥6–18 y) |
| adolescent  | 10 to under 18 years          |
| adult       | 18–59 years                   |
| elderly     | 60 years and over             |
"""

from __future__ import annotations

from datetime import date

STAGES: tuple[str, ...] = (
    "newborn",
    "infant",
    "toddler",
    "preschool",
    "school_age",
    "adolescent",
    "adult",
    "elderly",
)

LABELS_ID: dict[str, str] = {
    "newborn": "Bayi baru lahir",
    "infant": "Bayi",
    "toddler": "Balita",
    "preschool": "Anak prasekolah",
    "school_age": "Anak usia sekolah",
    "adolescent": "Remaja",
    "adult": "Dewasa",
    "elderly": "Lansia",
}


def completed_months(birth: date, on: date) -> int:
    """Whole calendar months from `birth` to `on` (a child born 31 Jan is 1 month on 28 Feb
    only when the day has been reached; month ends clamp, as a calendar does)."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if on.day < birth.day:
        # Clamp for month ends: born on the 31st, one month old on the last day of a short month.
        last_day = _days_in_month(on.year, on.month)
        if not (on.day == last_day and birth.day > last_day):
            months -= 1
    return months


def completed_years(birth: date, on: date) -> int:
    """Age in completed years (birthday reached counts)."""
    return completed_months(birth, on) // 12


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def life_stages(birth: date, on: date) -> list[str]:
    """Every ILP life stage a person born on `birth` is in on `on` (empty before birth)."""
    if on < birth:
        return []
    days = (on - birth).days
    months = completed_months(birth, on)
    years = months // 12
    stages = []
    if days <= 28:
        stages.append("newborn")
    if months < 12:
        stages.append("infant")
    if months < 60:
        stages.append("toddler")
    if 60 <= months <= 72:
        stages.append("preschool")
    if 6 <= years < 18:
        stages.append("school_age")
    if 10 <= years < 18:
        stages.append("adolescent")
    if 18 <= years < 60:
        stages.append("adult")
    if years >= 60:
        stages.append("elderly")
    return stages


def main_life_stage(birth: date, on: date) -> str | None:
    """The most specific stage for display: the first of `life_stages`, preferring
    adolescent over school age (a 12-year-old is shown as 'Remaja')."""
    stages = life_stages(birth, on)
    if not stages:
        return None
    if "adolescent" in stages:
        return "adolescent"
    return stages[0]
