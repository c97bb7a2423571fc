"""Which pregnancy dates can be true: the mother's age, the LMP (HPHT) and the EDD (HPL).

Sources and choices:
- Age band 10–54 completed years [ILP choice]: wider than the 15–49 years Kemenkes counts as
  women of reproductive age (WUS, CLINICAL.md §2, Td WUS), because pregnancies of girls from
  10 and women up to 54 do occur and must be followed; outside it the record is a typing
  error (a child's or a grandmother's record chosen by mistake). A band, not a verdict: the
  age is the mother's on the LMP (or on the EDD − 280 days when only the EDD is known).
- EDD = LMP + 280 days (Naegele, ``ilp.standards.pregnancy``). An EDD given with the LMP may
  come from an ultrasound and differ by some weeks; more than 35 days apart [ILP choice:
  five weeks, beyond the 2–3 weeks an early scan usually moves the EDD] one of the dates is
  wrong.
- An ongoing pregnancy has its LMP at most 44 weeks ago (``MAX_GA_DAYS``), so its EDD lies
  from 30 days ago (44 − 40 weeks, rounded) to 280 days ahead (an LMP of today).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ilp.standards.lifestage import completed_years
from ilp.standards.pregnancy import PREGNANCY_DAYS

SOURCE = "ILP: usia 10–54 tahun; HPL = HPHT + 280 hari (Naegele); CLINICAL.md §2, §3.1"
REPRODUCTIVE_AGE_YEARS = (10, 54)
EDD_LMP_TOLERANCE_DAYS = 35
# An EDD more than 30 days ago means an LMP more than 310 days ago: beyond 44 weeks
# (MAX_GA_DAYS, 308) and the 310 days the registration allows the LMP itself.
EDD_PAST_DAYS = 30


def may_be_pregnant(birth: date, on: date) -> bool:
    """Whether a woman born on `birth` is in the reproductive age band on `on`."""
    low, high = REPRODUCTIVE_AGE_YEARS
    return low <= completed_years(birth, on) <= high


@dataclass(frozen=True, slots=True)
class DateProblem:
    """One refusal: the field it is about, its code and the dates to phrase it with."""

    field: str
    code: str  # age | edd_range | edd_before_lmp | edd_mismatch
    low: date | None = None
    high: date | None = None


def edd_range(today: date) -> tuple[date, date]:
    """The EDDs an ongoing pregnancy can have on `today`."""
    return today - timedelta(days=EDD_PAST_DAYS), today + timedelta(days=PREGNANCY_DAYS)


def pregnancy_date_problems(
    *, birth: date, lmp: date | None, edd: date | None, today: date, ongoing: bool
) -> list[DateProblem]:
    """What is impossible in these dates (the LMP's own checks — future, > 44 weeks ago,
    before birth — stay with the caller, which words them already)."""
    problems: list[DateProblem] = []
    if edd is not None and lmp is not None:
        # With the LMP checked by the caller, an EDD that fits it is in range too.
        if edd <= lmp:
            problems.append(DateProblem("edd", "edd_before_lmp"))
        elif abs((edd - lmp).days - PREGNANCY_DAYS) > EDD_LMP_TOLERANCE_DAYS:
            expected = lmp + timedelta(days=PREGNANCY_DAYS)
            problems.append(DateProblem("edd", "edd_mismatch", expected))
    elif edd is not None:
        low, high = edd_range(today)
        if (ongoing and not low <= edd <= high) or edd > high:
            problems.append(DateProblem("edd", "edd_range", low, high))
    if problems:
        return problems  # the age would follow from a wrong date: fix the date first
    start = lmp if lmp is not None else (edd - timedelta(days=PREGNANCY_DAYS) if edd else None)
    if start is not None and start > birth and not may_be_pregnant(birth, start):
        problems.append(DateProblem("person", "age"))
    return problems
