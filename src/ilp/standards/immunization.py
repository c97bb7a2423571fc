"""National immunisation programme schedule: per antigen-dose state, IDL/IBL/baduta status.

Source: CLINICAL.md §2 — Permenkes 12/2017 Penyelenggaraan Imunisasi; Kemenkes (Ditjen P2P)
schedule with the 2022–2024 introductions: rotavirus KMK HK.01.07/MENKES/1139/2022 and letter
IM.02.02/C/3052/2023; IPV2 letter of 31 May 2023; PCV KMK HK.01.07/MENKES/6780/2021 amended by
779/2022; HPV letter IM.02.02/C/3055/2023 and KMK HK.01.07/MENKES/1930/2022. Indicators:
DOMAIN.md §3.4.

The schedule is data (``data/immunization_schedule.json``): per antigen-dose its stable code
(``"HB0"``, ``"BCG"``, ``"DPT-HB-Hib 2"``, ``"PCV3"``, ``"MR1"``, ``"Td T3"`` …; work-list item
text is ``imunisasi:<code>``), recommended age, minimum age, previous dose and minimum
interval, maximum age (``max_age`` inclusive, ``before_age`` exclusive) and catch-up fields.

Decisions (where CLINICAL.md gives no number or marks [NC]):
- Minimum ages not in CLINICAL.md are WHO minimums: 6 weeks for DPT-HB-Hib 1, PCV1, RV1, IPV1
  and OPV2+; MR1 and JE 9 months; DPT-HB-Hib 4 12 months (plus ≥ 12 months after dose 3,
  [NC]); MR2 15 months (plus ≥ 6 months after MR1, [NC]); HPV1 9 years. The programme ages
  stay the *recommended* ages; a dose between minimum and recommended age is valid.
- Minimum ages and intervals are strict (no 4-day grace); ``tolerance_days`` relaxes them.
- "Due" runs from the due date (recommended age, or the minimum interval after the previous
  dose when that is later) for a grace window; "overdue" after it. The grace window is data
  per dose: 1 month for infant/baduta doses (common practice: a dose is late one month after
  its recommended age), 1 day for HB0 (< 24 h), 12 months (the school year) for BIAS/HPV.
  ``grace_months`` overrides it for every dose.
- School doses (BIAS) are modelled by age: grade g ↔ age g + 6 years (grade 5 ↔ 11, grade 6 ↔
  12, matching the HPV rule for out-of-school girls aged 11 and 12); minimum age one year
  earlier; offered until the 18th birthday (end of school age, ``lifestage``). HPV1 before 15
  years (WHO 2-dose schedule), HPV2 ≥ 6 months (target 12) after HPV1.
- Td for women of reproductive age (15–49): T1–T5 by interval; ``td_status`` passes the
  status found at screening (earlier childhood/BIAS doses), those doses count as given.
- PCV catch-up: PCV1 at ≥ 24 months completes the series (1 dose); PCV2 given at ≥ 12 months
  needs ≥ 8 weeks after PCV1 and completes the series (PCV3 ``not_needed``); PCV2 and PCV3
  before 24 months.
- A recorded dose whose previous dose has no record is not invalidated (records from other
  facilities are often missing); the interval is checked only against a valid previous dose.
- A dose given after its maximum age is ``given_invalid``. Entries that do not apply are left
  out: other sex, JE outside endemic districts, RV for children born before 16 May 2023.
- IDL (classic set), IBL and baduta sets are data; IBL = every dose the schedule gives before
  12 months (CLINICAL.md §2 [NC]); baduta = DPT-HB-Hib 4 + MR2 before 24 months.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ilp.standards.result import OutOfRange, RuleResult

SOURCE = (
    "Permenkes 12/2017; jadwal imunisasi program Kemenkes (KMK 1139/2022 RV, surat IPV2 "
    "31 Mei 2023, KMK 6780/2021 jo. 779/2022 PCV, surat IM.02.02/C/3055/2023 HPV); "
    "CLINICAL.md §2"
)
SCHEDULE_PATH = Path(__file__).parent / "data" / "immunization_schedule.json"

STATES: tuple[str, ...] = (
    "given",
    "given_invalid",
    "due",
    "overdue",
    "too_early",
    "not_allowed",
    "not_needed",
)
STATE_LABELS_ID: dict[str, str] = {
    "given": "Sudah diberikan",
    "given_invalid": "Diberikan, tidak valid (perlu diulang)",
    "due": "Jatuh tempo",
    "overdue": "Terlambat",
    "too_early": "Belum waktunya",
    "not_allowed": "Melewati batas umur",
    "not_needed": "Tidak diperlukan (seri lengkap)",
}
GROUPS: tuple[str, ...] = ("infant", "baduta", "school", "wus")


@dataclass(frozen=True, slots=True)
class GivenDose:
    """One recorded dose: the antigen-dose code (e.g. ``"DPT-HB-Hib 2"``) and its date."""

    code: str
    given_on: date


@dataclass(frozen=True, slots=True)
class DoseState:
    """State of one antigen-dose on a date.

    state          one of STATES
    due_date       first day the dose is due (for given_invalid: the repeat); None if n/a
    overdue_since  first day it counts as overdue; None if n/a
    last_allowed   last day it may be given (maximum age), None if no maximum
    given_on       date of the counted dose (given) or of the invalid one (given_invalid)
    reason         why, in Indonesian
    """

    code: str
    series: str
    dose: int
    state: str
    due_date: date | None = None
    overdue_since: date | None = None
    last_allowed: date | None = None
    given_on: date | None = None
    reason: str = ""

    @property
    def item(self) -> str:
        """Work-list item text, e.g. ``imunisasi:DPT-HB-Hib 2``."""
        return f"imunisasi:{self.code}"


@cache
def load_schedule() -> dict[str, Any]:
    """The schedule data file, parsed once."""
    with SCHEDULE_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def schedule_entries() -> list[dict[str, Any]]:
    """Antigen-dose rows of the schedule, in schedule order."""
    return load_schedule()["doses"]


def dose_codes() -> list[str]:
    """Every stable antigen-dose code, in schedule order."""
    return [e["code"] for e in schedule_entries()]


def dose_code(series: str, dose: int) -> str:
    """The code of dose ``dose`` of ``series`` (``("DPT-HB-Hib", 2)`` → ``"DPT-HB-Hib 2"``)."""
    for e in schedule_entries():
        if e["series"] == series and e["dose"] == dose:
            return e["code"]
    raise ValueError(f"no dose {dose} of series {series!r} in the schedule")


def add_period(start: date, period: dict[str, int] | None) -> date:
    """``start`` plus a calendar period {years, months, days}; month ends clamp (31 Jan + 1
    month = 28/29 Feb), as a calendar does."""
    if not period:
        return start
    return _add(start, _period(period))


# -- the schedule compiled once -------------------------------------------------------------
# Periods become (months, days) pairs and date strings dates, once per process, so that
# ``immunization_status`` (called for every child of a work list) does no parsing.

_Period = tuple[int, int]
_ZERO: _Period = (0, 0)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _period(period: dict[str, int] | None) -> _Period:
    if not period:
        return _ZERO
    return (period.get("years", 0) * 12 + period.get("months", 0), period.get("days", 0))


def _add(start: date, period: _Period) -> date:
    months, days = period
    if months:
        y, m = divmod(start.month - 1 + months, 12)
        year, month, day = start.year + y, m + 1, start.day
        if day > 28:
            last = _MONTH_DAYS[month - 1]
            if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
                last = 29
            day = min(day, last)
        start = date(year, month, day)
    if days:
        start = start + timedelta(days=days)
    return start


@dataclass(frozen=True, slots=True)
class _Exception:
    born_from: date
    given_from: date
    given_to: date
    age_from: _Period
    before_age: _Period
    interval: _Period
    interval_raw: dict[str, int]


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    series: str
    dose: int
    group: str
    sex: str | None
    je_only: bool
    born_from: date | None
    previous: str | None
    min_age: _Period
    min_age_raw: dict[str, int]
    recommended_age: _Period
    max_age: _Period | None  # last allowed age, inclusive
    before_age: _Period | None  # first age no longer allowed
    min_interval: _Period
    min_interval_raw: dict[str, int]
    rec_interval: _Period
    by_age: tuple[_Period, _Period, dict[str, int]] | None  # (age, interval, interval raw)
    exceptions: tuple[_Exception, ...]
    completes_from_age: _Period | None
    grace: _Period
    is_td_wus: bool


@cache
def _compiled() -> tuple[tuple[_Entry, ...], dict[str, _Entry]]:
    schedule = load_schedule()
    default_grace = schedule["default_grace"]
    entries = []
    for e in schedule["doses"]:
        by_age = e.get("min_interval_from_age")
        entries.append(
            _Entry(
                code=e["code"],
                series=e["series"],
                dose=e["dose"],
                group=e["group"],
                sex=e.get("sex") or None,
                je_only=e.get("condition") == "je_endemic",
                born_from=date.fromisoformat(e["born_from"]) if e.get("born_from") else None,
                previous=e.get("previous") or None,
                min_age=_period(e.get("min_age")),
                min_age_raw=e.get("min_age", {}),
                recommended_age=_period(e["recommended_age"]),
                max_age=_period(e["max_age"]) if "max_age" in e else None,
                before_age=_period(e["before_age"])
                if "max_age" not in e and "before_age" in e
                else None,
                min_interval=_period(e.get("min_interval")),
                min_interval_raw=e.get("min_interval") or {},
                rec_interval=_period(e.get("recommended_interval") or e.get("min_interval")),
                by_age=(
                    (_period(by_age["age"]), _period(by_age["interval"]), by_age["interval"])
                    if by_age
                    else None
                ),
                exceptions=tuple(
                    _Exception(
                        born_from=date.fromisoformat(ex["born_from"]),
                        given_from=date.fromisoformat(ex["given_from"]),
                        given_to=date.fromisoformat(ex["given_to"]),
                        age_from=_period(ex["age_from"]),
                        before_age=_period(ex["before_age"]),
                        interval=_period(ex["interval"]),
                        interval_raw=ex["interval"],
                    )
                    for ex in e.get("min_interval_exceptions", ())
                ),
                completes_from_age=(
                    _period(e["completes_series_from_age"])
                    if "completes_series_from_age" in e
                    else None
                ),
                grace=_period(e.get("grace") or default_grace),
                is_td_wus=e["series"] == "Td WUS",
            )
        )
    return tuple(entries), {e.code: e for e in entries}


@cache
def _entries_for(groups: tuple[str, ...]) -> tuple[_Entry, ...]:
    return tuple(e for e in _compiled()[0] if e.group in groups)


@cache
def _catch_up_chain(code: str) -> bool:
    """Whether an earlier dose of the series can complete it by a catch-up rule."""
    by_code = _compiled()[1]
    prev = by_code[code].previous
    while prev:
        if by_code[prev].completes_from_age is not None:
            return True
        prev = by_code[prev].previous
    return False


@cache
def _waiting_reason(code: str) -> str:
    return f"menunggu {_compiled()[1][code].previous}"


@lru_cache(maxsize=4096)  # ~ five years of birth dates × two sexes
def _birth_plan(
    birth: date, sex: str, je_endemic: bool, groups: tuple[str, ...]
) -> tuple[tuple[_Entry, date | None, date, date, bool, DoseState, DoseState | None], ...]:
    """The entries that apply to a child, each with what follows from the birth date alone:
    last allowed day, minimum-age date, recommended date, whether a catch-up rule can complete
    its series, and the (immutable, shared) states "waiting for the previous dose" and "past
    the age limit". Computed once per birth date, not once per child and dose."""
    plan = []
    for e in _entries_for(groups):
        if not _applies(e, sex, birth, je_endemic):
            continue
        last = _last_allowed(e, birth)
        waiting = DoseState(
            e.code, e.series, e.dose, "too_early", None, None, last, None, _waiting_reason(e.code)
        )
        too_late = None
        if last is not None:
            too_late = DoseState(
                e.code,
                e.series,
                e.dose,
                "not_allowed",
                None,
                None,
                last,
                None,
                f"tidak dapat diberikan sebelum batas umur ({last.isoformat()})",
            )
        plan.append(
            (
                e,
                last,
                _add(birth, e.min_age),
                _add(birth, e.recommended_age),
                _catch_up_chain(e.code),
                waiting,
                too_late,
            )
        )
    return tuple(plan)


def _period_text(period: dict[str, int]) -> str:
    parts = []
    for key, word in (("years", "tahun"), ("months", "bulan"), ("days", "hari")):
        if period.get(key):
            parts.append(f"{period[key]} {word}")
    return " ".join(parts) or "0 hari"


def _last_allowed(entry: _Entry, birth: date) -> date | None:
    if entry.max_age is not None:
        return _add(birth, entry.max_age)
    if entry.before_age is not None:
        return _add(birth, entry.before_age) - timedelta(days=1)
    return None


def _applies(entry: _Entry, sex: str, birth: date, je_endemic: bool) -> bool:
    if entry.sex and entry.sex != sex:
        return False
    if entry.je_only and not je_endemic:
        return False
    return not (entry.born_from is not None and birth < entry.born_from)


def _min_interval(
    entry: _Entry, birth: date, given_on: date | None
) -> tuple[_Period, dict[str, int]]:
    """Minimum interval from the previous dose for a dose given (or planned) on ``given_on``,
    as a period and as written in the schedule (for messages)."""
    interval, raw = entry.min_interval, entry.min_interval_raw
    if given_on is None:
        return interval, raw
    by_age = entry.by_age
    if by_age and given_on >= _add(birth, by_age[0]):
        interval, raw = by_age[1], by_age[2]
    for ex in entry.exceptions:
        # IPV2 2023 transition: 9–11-month-olds born from 13 June 2022, ≥ 4 weeks after IPV1.
        if (
            birth >= ex.born_from
            and ex.given_from <= given_on <= ex.given_to
            and _add(birth, ex.age_from) <= given_on < _add(birth, ex.before_age)
        ):
            interval, raw = ex.interval, ex.interval_raw
    return interval, raw


def _check_given(
    entry: _Entry,
    birth: date,
    given_on: date,
    prev_valid: date | None,
    tol: timedelta,
    min_date: date,
    last: date | None,
) -> str:
    """Empty string when the dose is valid, otherwise the reason it is not."""
    if given_on + tol < min_date:
        return (
            f"terlalu dini: diberikan {given_on.isoformat()}, umur minimal "
            f"{_period_text(entry.min_age_raw)} ({min_date.isoformat()})"
        )
    if last is not None and given_on > last:
        return f"melewati batas umur: diberikan {given_on.isoformat()}, batas {last.isoformat()}"
    if prev_valid is not None:
        if entry.by_age is None and not entry.exceptions:
            interval, raw = entry.min_interval, entry.min_interval_raw
        else:
            interval, raw = _min_interval(entry, birth, given_on)
        earliest = _add(prev_valid, interval)
        if given_on + tol < earliest:
            return (
                f"terlalu dekat: {(given_on - prev_valid).days} hari setelah "
                f"{entry.previous}, minimal {_period_text(raw)} ({earliest.isoformat()})"
            )
    return ""


def _completed_by(entry: _Entry, by_code, states, birth) -> str | None:
    """Code of an earlier valid dose that completed this series by a catch-up rule."""
    prev = entry.previous
    while prev:
        prev_entry = by_code[prev]
        st = states.get(prev)
        if (
            st is not None
            and st.state == "given"
            and prev_entry.completes_from_age is not None
            and st.given_on >= _add(birth, prev_entry.completes_from_age)
        ):
            return prev
        prev = prev_entry.previous
    return None


def immunization_status(
    *,
    sex: str,
    birth: date,
    doses: Iterable[GivenDose],
    on: date,
    je_endemic: bool = False,
    groups: Sequence[str] = GROUPS,
    grace_months: int | None = None,
    tolerance_days: int = 0,
    td_status: int = 0,
) -> list[DoseState]:
    """State of every applicable antigen-dose of the national schedule on ``on``.

    Source: national programme schedule and catch-up rules, CLINICAL.md §2 (decisions in the
    module docstring). ``doses`` are recorded doses (codes from ``dose_codes()``); unknown
    codes raise ValueError, dates before birth or after ``on`` raise OutOfRange. ``groups``
    selects infant/baduta/school/wus rows; ``td_status`` (0–5) is the Td status found at
    screening of a woman of reproductive age.
    """
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if on < birth:
        raise OutOfRange("on", on, birth, "—")
    if not 0 <= td_status <= 5:
        raise OutOfRange("td_status", td_status, 0, 5)
    groups = tuple(groups)
    unknown_groups = set(groups) - set(GROUPS)
    if unknown_groups:
        raise ValueError(f"unknown groups {sorted(unknown_groups)}; use {GROUPS}")
    by_code = _compiled()[1]
    given: dict[str, list[date]] = {}
    for d in doses:
        if d.code not in by_code:
            raise ValueError(f"unknown antigen-dose code {d.code!r}")
        if not birth <= d.given_on <= on:
            raise OutOfRange(f"{d.code}.given_on", d.given_on, birth, on)
        given.setdefault(d.code, []).append(d.given_on)
    grace_override = (grace_months, 0) if grace_months is not None else None
    tol = timedelta(days=tolerance_days)

    states: dict[str, DoseState] = {}
    valid_on: dict[str, date] = {}  # code -> date of the counted valid dose
    out: list[DoseState] = []
    plan = _birth_plan(birth, sex, je_endemic, groups)
    for entry, last, min_date, recommended, catch_up, waiting, too_late in plan:
        code = entry.code
        prev_code = entry.previous
        prev_valid = valid_on.get(prev_code) if prev_code else None
        series, dose = entry.series, entry.dose

        if entry.is_td_wus and dose <= td_status:
            st = DoseState(
                code,
                series,
                dose,
                "given",
                None,
                None,
                last,
                None,
                f"status T{td_status} dari skrining",
            )
            states[code] = st
            out.append(st)
            continue

        invalid_reason, invalid_date = "", None
        dates = given.get(code)
        if dates:
            for when in sorted(dates):
                why = _check_given(entry, birth, when, prev_valid, tol, min_date, last)
                if not why:
                    valid_on[code] = when
                    break
                invalid_reason, invalid_date = why, when
            if code in valid_on:
                st = DoseState(
                    code, series, dose, "given", None, None, last, valid_on[code], "valid"
                )
                states[code] = st
                out.append(st)
                continue

        completed_by = _completed_by(entry, by_code, states, birth) if catch_up else None
        if completed_by:
            st = DoseState(
                code,
                series,
                dose,
                "not_needed",
                None,
                None,
                last,
                invalid_date,
                f"seri lengkap: {completed_by} diberikan pada umur kejar (catch-up)",
            )
            states[code] = st
            out.append(st)
            continue

        # A dose waits for the previous dose of its series (when that dose applies at all).
        blocked = bool(prev_code) and prev_code in states and prev_valid is None
        cannot_fit = False
        due_date: date | None = None
        if not blocked:
            earliest = min_date
            if prev_valid is not None:
                earliest = max(earliest, _add(prev_valid, entry.min_interval))
                # Age-dependent interval (PCV2 at ≥ 12 months: 8 weeks after PCV1).
                earliest = max(earliest, _add(prev_valid, _min_interval(entry, birth, earliest)[0]))
            if prev_valid is not None:
                recommended = max(recommended, _add(prev_valid, entry.rec_interval))
            due_date = max(earliest, recommended)
            if invalid_date is not None:
                # Repeat an invalid dose no sooner than the series interval (28 days at
                # least) after it, so that the repeat is not itself too close.
                due_date = max(
                    due_date,
                    _add(invalid_date, entry.min_interval),
                    invalid_date + timedelta(days=28),
                )
            if last is not None and due_date > last:
                # Late catch-up: the recommended date is past the limit but the minimum
                # still fits, so offer the minimum; otherwise the dose can no longer be given.
                if earliest <= last and invalid_date is None:
                    due_date = earliest
                else:
                    due_date, cannot_fit = None, True

        grace = grace_override or entry.grace
        if invalid_date is not None:
            overdue = _add(due_date, grace) if due_date else None
            repeat = "" if due_date else "; tidak dapat diulang (batas umur)"
            st = DoseState(
                code,
                series,
                dose,
                "given_invalid",
                due_date,
                overdue,
                last,
                invalid_date,
                invalid_reason + repeat,
            )
        elif (last is not None and on > last) or cannot_fit:
            st = too_late  # cannot_fit happens only under an age limit
        elif blocked or due_date is None:
            st = waiting
        else:
            overdue = _add(due_date, grace)
            if on < due_date:
                state, why = "too_early", f"jatuh tempo {due_date.isoformat()}"
            elif on < overdue:
                state, why = "due", f"jatuh tempo sejak {due_date.isoformat()}"
            else:
                state, why = "overdue", f"terlambat sejak {overdue.isoformat()}"
            if last is not None and state != "too_early":
                why += f"; paling lambat {last.isoformat()}"
            st = DoseState(code, series, dose, state, due_date, overdue, last, None, why)
        states[code] = st
        out.append(st)
    return out


def indicator_status(
    indicator: str,
    *,
    sex: str,
    birth: date,
    doses: Iterable[GivenDose],
    on: date,
) -> RuleResult:
    """IDL / IBL / baduta completeness on ``on``.

    Source: CLINICAL.md §2 IDL/IBL [P/NC] and DOMAIN.md §3.4; antigen sets in the schedule
    data (``indicators``). Complete = every dose of the set validly given before the age limit
    (12 months; 24 for baduta). Doses of antigens the child's cohort is not eligible for (RV
    before 16 May 2023) are not required. Codes ``complete``, ``in_progress`` (age limit not
    reached), ``incomplete`` (age limit passed); ``details["missing"]`` lists codes.
    """
    spec = load_schedule()["indicators"].get(indicator)
    if spec is None:
        raise ValueError(
            f"unknown indicator {indicator!r}; use one of {sorted(load_schedule()['indicators'])}"
        )
    deadline = add_period(birth, spec["before_age"])
    # Only doses given before the age limit count towards the indicator.
    states = {
        s.code: s
        for s in immunization_status(
            sex=sex,
            birth=birth,
            doses=[d for d in doses if d.given_on < deadline],
            on=min(on, deadline - timedelta(days=1)),
            groups=("infant", "baduta"),
        )
    }
    required = [c for c in spec["doses"] if c in states]
    missing = [c for c in required if states[c].state != "given"]
    details: dict[str, object] = {
        "missing": missing,
        "required": required,
        "deadline": deadline,
    }
    if not missing:
        code, label = "complete", f"{spec['label']}: lengkap"
        reason = f"Semua {len(required)} dosis diberikan sebelum {deadline.isoformat()}"
    elif on < deadline:
        code, label = "in_progress", f"{spec['label']}: belum lengkap (masih berjalan)"
        reason = "Belum: " + ", ".join(missing)
    else:
        code, label = "incomplete", f"{spec['label']}: tidak lengkap"
        reason = "Tidak diberikan sebelum batas umur: " + ", ".join(missing)
    return RuleResult(code, label, reason, f"{spec['source']}; {SOURCE}", details=details)
