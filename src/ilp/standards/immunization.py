"""National immunisation programme schedule: per antigen-dose state, the check of a dose about
to be given, IDL/IBL/baduta status.

Source: CLINICAL.md §2 — Permenkes 12/2017 Penyelenggaraan Imunisasi; Kemenkes (Ditjen P2P)
schedule with the 2022–2024 introductions: rotavirus KMK HK.01.07/MENKES/1139/2022 and letter
IM.02.02/C/3052/2023; IPV2 letter of 31 May 2023; PCV KMK HK.01.07/MENKES/6780/2021 amended by
779/2022; HPV letter IM.02.02/C/3055/2023 and KMK HK.01.07/MENKES/1930/2022, superseded from
2025 by a single dose (Kemenkes Director of Immunisation, 17 Nov 2025). Catch-up ages: Buku KIA
(Kemenkes, 2023/2024 edition) immunisation table and the BIAN 2022 guidance (below).
Indicators: DOMAIN.md §3.4.

The schedule is data (``data/immunization_schedule.json``): per antigen-dose its stable code
(``"HB0"``, ``"BCG"``, ``"DPT-HB-Hib 2"``, ``"PCV3"``, ``"MR1"``, ``"Td T3"`` …; work-list item
text is ``imunisasi:<code>``), recommended age, minimum age, previous dose and minimum
interval, the age window (``allowed_from``; ``max_age`` inclusive or ``before_age``
exclusive), ``schedule_until`` and catch-up fields; ``limit_source`` cites each age limit.

Catch-up age limits ("imunisasi kejar"):
- The Buku KIA (Kemenkes, 2023/2024 edition) immunisation table colours each dose by age:
  recommended, still allowed, catch-up ("imunisasi kejar") and not allowed; its catch-up band
  runs to **59 months** for OPV1–4, DPT-HB-Hib 1–3 and the DPT-HB-Hib and MR boosters, IPV1–2,
  MR1, PCV1–2 and JE; BCG is not allowed from 12 months, RV from 7 months [P: the table as
  transcribed in a public app, the PDF was not obtained]. The BIAN 2022 guidance (Kemenkes,
  "Buku saku BIAN" and district slides) gives the same band: "imunisasi kejar … anak usia
  12–59 bulan" for OPV, IPV and DPT-HB-Hib [P]. So these doses are allowed before the 60-month
  birthday (``before_age`` 60 months): a child of 7 years is **not** due for DPT-HB-Hib 1; the
  school doses (BIAS: DT and MR in grade 1, Td in grades 2 and 5) take over. The IPV limit is
  the IPV2 letter's [C]; RV's 6 months 29 days is the RV letter's [C].
- Not taken from that transcription: its PCV3 catch-up to 59 months (the PCV guidance in
  CLINICAL.md §2 allows the booster until 24 months [P]); its HB0 limit of 1 month (CLINICAL.md
  keeps "up to 7 days" [NC]). Both stay data (``limit_source``) until confirmed.

The age window, and what is "not allowed" versus "too early" (for the form check):
- Outside a dose's window it is **not allowed for this person**: other sex (HPV, Td WUS for a
  boy), not the child's cohort (RV before 16 May 2023), not the district (JE), below the
  window's start (``allowed_from``: HPV 9 years, the WHO minimum; school doses 5 years, the
  earliest primary-school age [ILP choice]; Td WUS 15 years, the WUS band), past its last
  allowed day, no longer in the schedule (HPV2 from 2025), already given, or a series already
  complete. Infant doses have no lower bound other than birth.
- Inside the window but before the **minimum age** or the **minimum interval** after the
  previous dose it is **too early**: counted invalid (``given_invalid``, to be repeated); a
  form stores it only after an explicit confirmation.

HPV single dose (effective date): from 1 January 2025 ("mulai 2025") one dose completes HPV;
girls are vaccinated in grade 5 (≈ 11 years) with catch-up in grade 6 and for 15-year-olds
(grade 9 / out of school) not yet vaccinated — HPV1 is allowed until the 16th birthday. HPV2
belongs to the schedule only until 31 December 2024 (``schedule_until``): a second dose given
in 2023–2024 is still read by the two-dose rule (valid ≥ 6 months after HPV1, target 12), and
on a date in 2024 a girl with one dose is still waiting for HPV2; on a date from 2025 HPV2 is
``not_needed``. The 2025 upper age (< 16 years) is applied to every HPV1 record: before 2025
ILP had used WHO's two-dose cut-off (< 15 years), which no Kemenkes text gave.

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
  earlier; offered until the 18th birthday (end of school age, ``lifestage``).
- Td for women of reproductive age (15–49): T1–T5 by interval; ``td_status`` passes the
  status found at screening (earlier childhood/BIAS doses), those doses count as given.
- PCV catch-up: PCV1 at ≥ 24 months completes the series (1 dose); PCV2 given at ≥ 12 months
  needs ≥ 8 weeks after PCV1 and completes the series (PCV3 ``not_needed``); PCV2 and PCV3
  before 24 months.
- A recorded dose whose previous dose has no record is not invalidated (records from other
  facilities are often missing); the interval is checked only against a valid previous dose.
- A dose given after its last allowed day is ``given_invalid``. Entries that do not apply are
  left out of ``immunization_status``: other sex, JE outside endemic districts, RV for
  children born before 16 May 2023 (``check_dose`` says why such a dose is not allowed).
- IDL (classic set), IBL and baduta sets are data; IBL = every dose the schedule gives before
  12 months (CLINICAL.md §2 [NC]); baduta = DPT-HB-Hib 4 + MR2 before 24 months.

Codes (``ilp.standards.result``): ``CODES["immunization_dose"]`` (a dose's state and why, on
:class:`DoseState`), ``CODES["immunization_check"]`` (``check_dose``'s verdict) and
``CODES["immunization_indicator"]`` (``indicator_status``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, cast

from ilp.standards.result import (
    Catalogue,
    Message,
    Note,
    OutOfRange,
    ParamValue,
    RuleResult,
    period_iso,
)

SOURCE = (
    "Permenkes 12/2017; jadwal imunisasi program Kemenkes (KMK 1139/2022 RV, surat IPV2 "
    "31 Mei 2023, KMK 6780/2021 jo. 779/2022 PCV, surat IM.02.02/C/3055/2023 HPV, HPV dosis "
    "tunggal sejak 2025); imunisasi kejar: Buku KIA 2023/2024, BIAN 2022; CLINICAL.md §2"
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
VERDICTS: tuple[str, ...] = ("valid", "too_early", "not_allowed")
GROUPS: tuple[str, ...] = ("infant", "baduta", "school", "wus")


@cache
def load_schedule() -> dict[str, Any]:
    """The schedule data file, parsed once."""
    with SCHEDULE_PATH.open(encoding="utf-8") as fh:
        return cast(dict[str, Any], json.load(fh))


def schedule_entries() -> list[dict[str, Any]]:
    """Antigen-dose rows of the schedule, in schedule order."""
    return cast(list[dict[str, Any]], load_schedule()["doses"])


def dose_codes() -> list[str]:
    """Every stable antigen-dose code, in schedule order."""
    return [e["code"] for e in schedule_entries()]


def dose_code(series: str, dose: int) -> str:
    """The code of dose ``dose`` of ``series`` (``("DPT-HB-Hib", 2)`` → ``"DPT-HB-Hib 2"``)."""
    for e in schedule_entries():
        if e["series"] == series and e["dose"] == dose:
            return str(e["code"])
    raise ValueError(f"no dose {dose} of series {series!r} in the schedule")


# -- the codes ---------------------------------------------------------------------------------

_GIVEN = {"given_on": "date"}
_DOSE = {"dose": "text"}
_INTERVAL = {"previous": "text", "days": "integer", "interval": "period", "earliest": "date"}
CODES: dict[str, Catalogue] = {
    # A dose's state in the schedule on a date (``DoseState``): the state is the class.
    "immunization_dose": Catalogue(
        rule="immunization_dose",
        classes={state: Message(label) for state, label in STATE_LABELS_ID.items()},
        reasons={
            "valid": Message("diberikan {given_on}", _GIVEN),
            "td_status_screening": Message(
                "status T{td_status} dari skrining", {"td_status": "integer"}
            ),
            "given_below_min_age": Message(
                "terlalu dini: diberikan {given_on}, umur minimal {min_age} ({min_date})",
                {**_GIVEN, "min_age": "period", "min_date": "date"},
            ),
            "given_interval_too_short": Message(
                "terlalu dekat: {days} hari setelah {previous}, minimal {interval} ({earliest})",
                {**_GIVEN, **_INTERVAL},
            ),
            "given_past_age_limit": Message(
                "melewati batas umur: diberikan {given_on}, batas {last_allowed}",
                {**_GIVEN, "last_allowed": "date"},
            ),
            "series_completed_by_catch_up": Message(
                "seri lengkap: {completed_by} diberikan pada umur kejar (catch-up)",
                {"completed_by": "text"},
            ),
            "single_dose_schedule": Message(
                "tidak diperlukan: satu dosis sejak {since}", {"since": "date"}
            ),
            "waiting_for_previous": Message("menunggu {previous}", {"previous": "text"}),
            "not_yet_due": Message("jatuh tempo {due_date}", {"due_date": "date"}),
            "due_since": Message("jatuh tempo sejak {due_date}", {"due_date": "date"}),
            "overdue_since": Message("terlambat sejak {overdue_since}", {"overdue_since": "date"}),
            "past_age_limit": Message(
                "melewati batas umur ({last_allowed})", {"last_allowed": "date"}
            ),
        },
        notes={
            "last_allowed": Message("paling lambat {last_allowed}", {"last_allowed": "date"}),
            "no_repeat": Message("tidak dapat diulang (batas umur)"),
        },
    ),
    # ``check_dose``: may this dose be given to this person on this date?
    "immunization_check": Catalogue(
        rule="immunization_check",
        classes={
            "valid": Message("Sah"),
            "too_early": Message("Terlalu dini (perlu konfirmasi)"),
            "not_allowed": Message("Tidak boleh diberikan"),
        },
        reasons={
            "valid": Message("{dose} sesuai jadwal", _DOSE),
            "below_min_age": Message(
                "{dose} terlalu dini: umur minimal {min_age} ({min_date})",
                {**_DOSE, "min_age": "period", "min_date": "date"},
            ),
            "interval_too_short": Message(
                "{dose} terlalu dekat: {days} hari setelah {previous}, minimal {interval} "
                "({earliest})",
                {**_DOSE, **_INTERVAL},
            ),
            "past_age_limit": Message(
                "{dose} melewati batas umur {age_limit} ({last_allowed})",
                {**_DOSE, "age_limit": "period", "last_allowed": "date"},
            ),
            "below_age_window": Message(
                "{dose} tidak untuk umur di bawah {allowed_from} (mulai {from_date})",
                {**_DOSE, "allowed_from": "period", "from_date": "date"},
            ),
            "wrong_sex": Message("{dose} hanya untuk {sex}", {**_DOSE, "sex": "term:sex"}),
            "not_in_cohort": Message(
                "{dose} hanya untuk anak yang lahir mulai {born_from}",
                {**_DOSE, "born_from": "date"},
            ),
            "not_endemic": Message("{dose} hanya di kabupaten/kota endemis JE", _DOSE),
            "not_in_schedule_since": Message(
                "{dose} tidak lagi dalam jadwal sejak {since}", {**_DOSE, "since": "date"}
            ),
            "already_given": Message("{dose} sudah diberikan {given_on}", {**_DOSE, **_GIVEN}),
            "covered_by_td_status": Message(
                "{dose} sudah tercakup status T{td_status}", {**_DOSE, "td_status": "integer"}
            ),
            "series_complete": Message(
                "{dose} tidak diperlukan: seri lengkap ({completed_by})",
                {**_DOSE, "completed_by": "text"},
            ),
        },
        terms={"sex": {"M": "laki-laki", "F": "perempuan"}},
    ),
    # ``indicator_status``: IDL / IBL / baduta completeness.
    "immunization_indicator": Catalogue(
        rule="immunization_indicator",
        classes={
            "complete": Message("{indicator}: lengkap", {"indicator": "term:indicator"}),
            "in_progress": Message(
                "{indicator}: belum lengkap (masih berjalan)", {"indicator": "term:indicator"}
            ),
            "incomplete": Message("{indicator}: tidak lengkap", {"indicator": "term:indicator"}),
        },
        reasons={
            "all_given_before": Message(
                "Semua {count} dosis diberikan sebelum {deadline}",
                {"count": "integer", "deadline": "date"},
            ),
            "pending": Message("Belum: {missing}", {"missing": "texts"}),
            "missing_at_deadline": Message(
                "Tidak diberikan sebelum batas umur: {missing}", {"missing": "texts"}
            ),
        },
        terms={
            "indicator": {
                name: spec["label"] for name, spec in load_schedule()["indicators"].items()
            }
        },
    ),
}
_DOSE_CODES = CODES["immunization_dose"]
_CHECK_CODES = CODES["immunization_check"]


@dataclass(frozen=True, slots=True)
class GivenDose:
    """One recorded dose: the antigen-dose code (e.g. ``"DPT-HB-Hib 2"``) and its date."""

    code: str
    given_on: date


@dataclass(frozen=True, slots=True)
class DoseState:
    """State of one antigen-dose on a date.

    state          one of STATES (the class of ``CODES["immunization_dose"]``)
    due_date       first day the dose is due (for given_invalid: the repeat); None if n/a
    overdue_since  first day it counts as overdue; None if n/a
    last_allowed   last day it may be given (age limit), None if no limit
    given_on       date of the counted dose (given) or of the invalid one (given_invalid)
    reason_code    why (``CODES["immunization_dose"]``), with ``params`` and ``notes``;
                   ``reason`` is the same in Indonesian
    """

    code: str
    series: str
    dose: int
    state: str
    due_date: date | None = None
    overdue_since: date | None = None
    last_allowed: date | None = None
    given_on: date | None = None
    reason_code: str = ""
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()

    @property
    def item(self) -> str:
        """Work-list item text, e.g. ``imunisasi:DPT-HB-Hib 2``."""
        return f"imunisasi:{self.code}"

    @property
    def reason(self) -> str:
        """Why, in Indonesian (rendered on demand: work lists read thousands of states and
        only show a few)."""
        return _DOSE_CODES.reason_text(self.reason_code, self.params, self.notes)


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


def _iso(period: dict[str, int] | None) -> str:
    """A schedule period as an ISO 8601 duration, as written (``{"months": 60}`` → ``P60M``)."""
    period = period or {}
    return period_iso(period.get("years", 0), period.get("months", 0), period.get("days", 0))


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
    interval_iso: str


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
    allowed_from: _Period
    allowed_from_iso: str
    min_age: _Period
    min_age_iso: str
    recommended_age: _Period
    max_age: _Period | None  # last allowed age, inclusive
    before_age: _Period | None  # first age no longer allowed
    age_limit_iso: str | None
    min_interval: _Period
    min_interval_iso: str
    rec_interval: _Period
    by_age: tuple[_Period, _Period, str] | None  # (age, interval, interval ISO)
    exceptions: tuple[_Exception, ...]
    completes_from_age: _Period | None
    schedule_until: date | None
    grace: _Period
    is_td_wus: bool


@cache
def _compiled() -> tuple[tuple[_Entry, ...], dict[str, _Entry]]:
    schedule = load_schedule()
    default_grace = schedule["default_grace"]
    entries = []
    for e in schedule["doses"]:
        by_age = e.get("min_interval_from_age")
        limit = e.get("max_age") or e.get("before_age")
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
                allowed_from=_period(e.get("allowed_from")),
                allowed_from_iso=_iso(e.get("allowed_from")),
                min_age=_period(e.get("min_age")),
                min_age_iso=_iso(e.get("min_age")),
                recommended_age=_period(e["recommended_age"]),
                max_age=_period(e["max_age"]) if "max_age" in e else None,
                before_age=_period(e["before_age"])
                if "max_age" not in e and "before_age" in e
                else None,
                age_limit_iso=_iso(limit) if limit else None,
                min_interval=_period(e.get("min_interval")),
                min_interval_iso=_iso(e.get("min_interval")),
                rec_interval=_period(e.get("recommended_interval") or e.get("min_interval")),
                by_age=(
                    (_period(by_age["age"]), _period(by_age["interval"]), _iso(by_age["interval"]))
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
                        interval_iso=_iso(ex["interval"]),
                    )
                    for ex in e.get("min_interval_exceptions", ())
                ),
                completes_from_age=(
                    _period(e["completes_series_from_age"])
                    if "completes_series_from_age" in e
                    else None
                ),
                schedule_until=(
                    date.fromisoformat(e["schedule_until"]) if e.get("schedule_until") else None
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


@dataclass(frozen=True, slots=True)
class _Plan:
    """What follows for one entry from the birth date alone (shared, immutable)."""

    entry: _Entry
    last: date | None  # last allowed day
    min_date: date
    recommended: date
    catch_up: bool
    waiting: DoseState  # "waiting for the previous dose"
    too_late: DoseState | None  # "past the age limit"
    last_notes: tuple[Note, ...]  # "at the latest on ..." for due / overdue states


@lru_cache(maxsize=4096)  # ~ five years of birth dates × two sexes
def _birth_plan(
    birth: date, sex: str, je_endemic: bool, groups: tuple[str, ...]
) -> tuple[_Plan, ...]:
    """The entries that apply to a child, each with what follows from the birth date alone.
    Computed once per birth date, not once per child and dose."""
    plan = []
    for e in _entries_for(groups):
        if _not_for(e, sex, birth, je_endemic):
            continue
        last = _last_allowed(e, birth)
        waiting = DoseState(
            e.code,
            e.series,
            e.dose,
            "too_early",
            last_allowed=last,
            reason_code="waiting_for_previous",
            params={"previous": e.previous},
        )
        too_late = None
        last_notes: tuple[Note, ...] = ()
        if last is not None:
            too_late = DoseState(
                e.code,
                e.series,
                e.dose,
                "not_allowed",
                last_allowed=last,
                reason_code="past_age_limit",
                params={"last_allowed": last},
            )
            last_notes = (Note("last_allowed", {"last_allowed": last}),)
        plan.append(
            _Plan(
                e,
                last,
                _add(birth, e.min_age),
                _add(birth, e.recommended_age),
                _catch_up_chain(e.code),
                waiting,
                too_late,
                last_notes,
            )
        )
    return tuple(plan)


def _last_allowed(entry: _Entry, birth: date) -> date | None:
    if entry.max_age is not None:
        return _add(birth, entry.max_age)
    if entry.before_age is not None:
        return _add(birth, entry.before_age) - timedelta(days=1)
    return None


def _not_for(entry: _Entry, sex: str, birth: date, je_endemic: bool) -> str | None:
    """Why the entry does not apply to this person at all (a reason code), or None."""
    if entry.sex and entry.sex != sex:
        return "wrong_sex"
    if entry.je_only and not je_endemic:
        return "not_endemic"
    if entry.born_from is not None and birth < entry.born_from:
        return "not_in_cohort"
    return None


def _min_interval(entry: _Entry, birth: date, given_on: date | None) -> tuple[_Period, str]:
    """Minimum interval from the previous dose for a dose given (or planned) on ``given_on``,
    as a period and as an ISO 8601 duration (for messages)."""
    interval, iso = entry.min_interval, entry.min_interval_iso
    if given_on is None:
        return interval, iso
    by_age = entry.by_age
    if by_age and given_on >= _add(birth, by_age[0]):
        interval, iso = by_age[1], by_age[2]
    for ex in entry.exceptions:
        # IPV2 2023 transition: 9–11-month-olds born from 13 June 2022, ≥ 4 weeks after IPV1.
        if (
            birth >= ex.born_from
            and ex.given_from <= given_on <= ex.given_to
            and _add(birth, ex.age_from) <= given_on < _add(birth, ex.before_age)
        ):
            interval, iso = ex.interval, ex.interval_iso
    return interval, iso


def _check_given(
    entry: _Entry,
    birth: date,
    given_on: date,
    prev_valid: date | None,
    tol: timedelta,
    min_date: date,
    last: date | None,
) -> tuple[str, dict[str, ParamValue]] | None:
    """None when the dose is valid, otherwise why not: (reason code, parameters)."""
    if given_on + tol < min_date:
        return "given_below_min_age", {
            "given_on": given_on,
            "min_age": entry.min_age_iso,
            "min_date": min_date,
        }
    if last is not None and given_on > last:
        return "given_past_age_limit", {"given_on": given_on, "last_allowed": last}
    if prev_valid is not None:
        if entry.by_age is None and not entry.exceptions:
            interval, iso = entry.min_interval, entry.min_interval_iso
        else:
            interval, iso = _min_interval(entry, birth, given_on)
        earliest = _add(prev_valid, interval)
        if given_on + tol < earliest:
            return "given_interval_too_short", {
                "given_on": given_on,
                "previous": entry.previous,
                "days": (given_on - prev_valid).days,
                "interval": iso,
                "earliest": earliest,
            }
    return None


def _completed_by(
    entry: _Entry, by_code: Mapping[str, _Entry], states: Mapping[str, DoseState], birth: date
) -> str | None:
    """Code of an earlier valid dose that completed this series by a catch-up rule."""
    prev = entry.previous
    while prev:
        prev_entry = by_code[prev]
        st = states.get(prev)
        if (
            st is not None
            and st.state == "given"
            and st.given_on is not None
            and prev_entry.completes_from_age is not None
            and st.given_on >= _add(birth, prev_entry.completes_from_age)
        ):
            return prev
        prev = prev_entry.previous
    return None


def _validated(
    sex: str, birth: date, doses: Iterable[GivenDose], on: date, td_status: int
) -> dict[str, list[date]]:
    """The recorded dates per code; raises for bad input (see ``immunization_status``)."""
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if on < birth:
        raise OutOfRange("on", on, birth, "—")
    if not 0 <= td_status <= 5:
        raise OutOfRange("td_status", td_status, 0, 5)
    by_code = _compiled()[1]
    given: dict[str, list[date]] = {}
    for d in doses:
        if d.code not in by_code:
            raise ValueError(f"unknown antigen-dose code {d.code!r}")
        if not birth <= d.given_on <= on:
            raise OutOfRange(f"{d.code}.given_on", d.given_on, birth, on)
        given.setdefault(d.code, []).append(d.given_on)
    return given


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
    screening of a woman of reproductive age. Each state carries its reason as codes
    (``CODES["immunization_dose"]``).
    """
    groups = tuple(groups)
    unknown_groups = set(groups) - set(GROUPS)
    if unknown_groups:
        raise ValueError(f"unknown groups {sorted(unknown_groups)}; use {GROUPS}")
    given = _validated(sex, birth, doses, on, td_status)
    by_code = _compiled()[1]
    grace_override = (grace_months, 0) if grace_months is not None else None
    tol = timedelta(days=tolerance_days)

    states: dict[str, DoseState] = {}
    valid_on: dict[str, date] = {}  # code -> date of the counted valid dose
    out: list[DoseState] = []
    for p in _birth_plan(birth, sex, je_endemic, groups):
        entry, last, min_date = p.entry, p.last, p.min_date
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
                last_allowed=last,
                reason_code="td_status_screening",
                params={"td_status": td_status},
            )
            states[code] = st
            out.append(st)
            continue

        dates = given.get(code)
        retired = entry.schedule_until is not None and on > entry.schedule_until
        if retired and dates:
            # A dose no longer in the schedule (HPV2 from 2025): records from when it was are
            # read by the rule of their day; later ones are extra doses, not schedule doses.
            until = cast(date, entry.schedule_until)
            dates = [d for d in dates if d <= until]
        invalid: tuple[str, dict[str, ParamValue]] | None = None
        invalid_date = None
        if dates:
            for when in sorted(dates):
                why = _check_given(entry, birth, when, prev_valid, tol, min_date, last)
                if why is None:
                    valid_on[code] = when
                    break
                invalid, invalid_date = why, when
            if code in valid_on:
                when = valid_on[code]
                st = DoseState(
                    code,
                    series,
                    dose,
                    "given",
                    last_allowed=last,
                    given_on=when,
                    reason_code="valid",
                    params={"given_on": when},
                )
                states[code] = st
                out.append(st)
                continue

        # Not needed: no longer in the schedule (HPV2 from 2025), or the series was completed
        # by a catch-up rule (PCV1 from 24 months).
        not_needed: tuple[str, dict[str, ParamValue]] | None = None
        if retired:
            since = cast(date, entry.schedule_until) + timedelta(days=1)
            not_needed = ("single_dose_schedule", {"since": since})
        elif p.catch_up:
            completed_by = _completed_by(entry, by_code, states, birth)
            if completed_by:
                not_needed = ("series_completed_by_catch_up", {"completed_by": completed_by})
        if not_needed is not None:
            st = DoseState(
                code,
                series,
                dose,
                "not_needed",
                last_allowed=last,
                given_on=invalid_date,
                reason_code=not_needed[0],
                params=not_needed[1],
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
            recommended = p.recommended
            if prev_valid is not None:
                earliest = max(earliest, _add(prev_valid, entry.min_interval))
                # Age-dependent interval (PCV2 at ≥ 12 months: 8 weeks after PCV1).
                earliest = max(earliest, _add(prev_valid, _min_interval(entry, birth, earliest)[0]))
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
        if invalid is not None:
            overdue = _add(due_date, grace) if due_date else None
            st = DoseState(
                code,
                series,
                dose,
                "given_invalid",
                due_date,
                overdue,
                last,
                invalid_date,
                invalid[0],
                invalid[1],
                () if due_date else (Note("no_repeat"),),
            )
        elif (last is not None and on > last) or cannot_fit:
            st = cast(DoseState, p.too_late)  # cannot_fit happens only under an age limit
        elif blocked or due_date is None:
            st = p.waiting
        else:
            overdue = _add(due_date, grace)
            if on < due_date:
                st = DoseState(
                    code,
                    series,
                    dose,
                    "too_early",
                    due_date,
                    overdue,
                    last,
                    reason_code="not_yet_due",
                    params={"due_date": due_date},
                )
            elif on < overdue:
                st = DoseState(
                    code,
                    series,
                    dose,
                    "due",
                    due_date,
                    overdue,
                    last,
                    reason_code="due_since",
                    params={"due_date": due_date},
                    notes=p.last_notes,
                )
            else:
                st = DoseState(
                    code,
                    series,
                    dose,
                    "overdue",
                    due_date,
                    overdue,
                    last,
                    reason_code="overdue_since",
                    params={"overdue_since": overdue},
                    notes=p.last_notes,
                )
        states[code] = st
        out.append(st)
    return out


def check_dose(
    code: str,
    *,
    sex: str,
    birth: date,
    doses: Iterable[GivenDose],
    on: date,
    je_endemic: bool = False,
    tolerance_days: int = 0,
    td_status: int = 0,
) -> RuleResult:
    """May dose ``code`` be given to this person on ``on``, the doses ``doses`` recorded?

    Source: the schedule and its age windows, CLINICAL.md §2 (module docstring). Classes
    (``CODES["immunization_check"]``):

    - ``valid``: the dose counts (reason ``valid``);
    - ``too_early``: inside the dose's age window but before its minimum age
      (``below_min_age``: ``min_age``, ``min_date``) or its minimum interval after the
      previous dose (``interval_too_short``: ``previous``, ``days``, ``interval``,
      ``earliest``) — it would be recorded invalid, to be repeated; a form stores it only
      after an explicit confirmation;
    - ``not_allowed``: not for this person — ``wrong_sex`` (``sex``), ``not_in_cohort``
      (``born_from``), ``not_endemic``, ``below_age_window`` (``allowed_from``,
      ``from_date``), ``past_age_limit`` (``age_limit``, ``last_allowed``),
      ``not_in_schedule_since`` (``since``), ``already_given`` (``given_on``),
      ``covered_by_td_status`` (``td_status``), ``series_complete`` (``completed_by``).

    Every reason has the ``dose`` code among its parameters. ``details["state"]`` is the
    dose's :class:`DoseState` with the dose counted (None when not for this person).
    Arguments and errors as ``immunization_status``; an unknown ``code`` raises ValueError.
    """
    by_code = _compiled()[1]
    entry = by_code.get(code)
    if entry is None:
        raise ValueError(f"unknown antigen-dose code {code!r}")
    _validated(sex, birth, doses, on, td_status)

    def verdict(
        verdict: str, reason: str, state: DoseState | None = None, **params: ParamValue
    ) -> RuleResult:
        return _CHECK_CODES.result(
            verdict, reason, {"dose": code, **params}, source=SOURCE, details={"state": state}
        )

    not_for = _not_for(entry, sex, birth, je_endemic)
    if not_for == "wrong_sex":
        return verdict("not_allowed", not_for, sex=entry.sex)
    if not_for == "not_in_cohort":
        return verdict("not_allowed", not_for, born_from=entry.born_from)
    if not_for is not None:
        return verdict("not_allowed", not_for)
    from_date = _add(birth, entry.allowed_from)
    if on < from_date:
        return verdict(
            "not_allowed",
            "below_age_window",
            allowed_from=entry.allowed_from_iso,
            from_date=from_date,
        )
    if entry.schedule_until is not None and on > entry.schedule_until:
        since = entry.schedule_until + timedelta(days=1)
        return verdict("not_allowed", "not_in_schedule_since", since=since)
    states = immunization_status(
        sex=sex,
        birth=birth,
        doses=[*doses, GivenDose(code, on)],
        on=on,
        je_endemic=je_endemic,
        tolerance_days=tolerance_days,
        td_status=td_status,
    )
    st = next(s for s in states if s.code == code)
    if st.state == "given" and st.reason_code == "td_status_screening":
        return verdict("not_allowed", "covered_by_td_status", st, td_status=td_status)
    if st.state == "given":
        if st.given_on == on:
            return verdict("valid", "valid", st)
        return verdict("not_allowed", "already_given", st, given_on=st.given_on)
    if st.state == "not_needed":
        return verdict("not_allowed", "series_complete", st, completed_by=st.params["completed_by"])
    if st.state == "given_invalid" and st.reason_code == "given_past_age_limit":
        return verdict(
            "not_allowed",
            "past_age_limit",
            st,
            age_limit=entry.age_limit_iso,
            last_allowed=st.params["last_allowed"],
        )
    if st.state == "given_invalid" and st.reason_code == "given_below_min_age":
        return verdict(
            "too_early",
            "below_min_age",
            st,
            min_age=st.params["min_age"],
            min_date=st.params["min_date"],
        )
    if st.state == "given_invalid" and st.reason_code == "given_interval_too_short":
        params = {k: st.params[k] for k in ("previous", "days", "interval", "earliest")}
        return verdict("too_early", "interval_too_short", st, **params)
    # Counting the dose on ``on`` gives one of the states above; nothing else can follow.
    raise AssertionError(f"{code} on {on}: unexpected state {st.state}/{st.reason_code}")


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
    before 16 May 2023) are not required. Classes (``CODES["immunization_indicator"]``)
    ``complete``, ``in_progress`` (age limit not reached), ``incomplete`` (age limit passed);
    reasons ``all_given_before``, ``pending``, ``missing_at_deadline``;
    ``details["missing"]`` lists codes.
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
    params: dict[str, ParamValue] = {"indicator": indicator}
    if not missing:
        code, reason = "complete", "all_given_before"
        params.update(count=len(required), deadline=deadline)
    elif on < deadline:
        code, reason = "in_progress", "pending"
        params["missing"] = tuple(missing)
    else:
        code, reason = "incomplete", "missing_at_deadline"
        params["missing"] = tuple(missing)
    return CODES["immunization_indicator"].result(
        code, reason, params, source=f"{spec['source']}; {SOURCE}", details=details
    )
