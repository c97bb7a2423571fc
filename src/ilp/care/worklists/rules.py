"""The one place where work lists meet ``ilp.standards``.

Work lists never decide a clinical rule themselves: which immunisation dose is due, which ANC
contact, which KF/KN visit and how often a screening repeats all come from the standards
modules. This adapter turns their answers into the work list's vocabulary
(``state`` ``'due'``/``'overdue'`` and the date it has been so since); everything else
(``given``, ``too_early``, ``not_allowed``, nothing due) is dropped.

Record codes that the care services write and the work lists read are named here too, so a
change of code is one edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import numpy as np

# Observation and screening codes written by the care services (ilp.care.services).
OBS_WEIGHT = "weight"
OBS_HEIGHT = "height"
OBS_HB = "hb"
INSTRUMENT_KSPR = "kspr"
KSPR_HIGH_RISK = ("krt", "krst")
INSTRUMENT_BP = "bp"
INSTRUMENT_DM = "dm"


class RuleMissing(ImportError):
    """The ``ilp.standards`` module a work-list section needs is not installed."""


_MODULES: dict[str, object] = {}


def _standard(name: str):
    module = _MODULES.get(name)  # found once, then a dict look-up (called per person)
    if module is not None:
        return module
    import importlib

    try:
        module = importlib.import_module(f"ilp.standards.{name}")
    except ModuleNotFoundError as exc:
        raise RuleMissing(f"ilp.standards.{name} not available") from exc
    _MODULES[name] = module
    return module


@dataclass(frozen=True, slots=True)
class Due:
    """One due or overdue thing: ``code`` (dose code, ``K3``, ``KF2``), ``state`` and since."""

    code: str
    state: str  # 'due' | 'overdue'
    since: date
    due: date | None = None
    overdue_since: date | None = None
    why: str = ""
    missed: tuple[str, ...] = ()  # earlier windows that closed without a visit (KF1, KN2)


def _attr(obj: object, *names: str, default: object = None) -> object:
    for name in names:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _as_due(code: str, row: object) -> Due | None:
    state = str(_attr(row, "state", "status", default=""))
    due = _attr(row, "due", "due_date", "due_on")
    overdue_since = _attr(row, "overdue_since", "overdue_from", "overdue_on")
    why = str(_attr(row, "reason", "why", default="") or "")
    if state == "due":
        return Due(code, "due", due or overdue_since, due, overdue_since, why)
    if state == "overdue":
        return Due(code, "overdue", overdue_since or due, due, overdue_since, why)
    return None


# -- immunisation ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DoseWindow:
    """When one dose is on a child's work list, given the doses recorded so far: due from
    ``due_from``, overdue from ``overdue_from``, until ``until`` (its last allowed day; None:
    no age limit). With the recorded doses fixed, a dose's state on any later date depends on
    that date only through these three (``immunization_status``: too early before the due
    date, due within the grace window, overdue after it, not allowed after the limit), so the
    windows computed once answer for every date from the last recorded dose on."""

    code: str
    due_from: date
    overdue_from: date
    until: date | None

    def at(self, on: date) -> Due | None:
        """The dose as a work-list item on `on`, or None when it is not due then."""
        if on < self.due_from or (self.until is not None and on > self.until):
            return None
        if on >= self.overdue_from:
            return Due(self.code, "overdue", self.overdue_from, self.due_from, self.overdue_from)
        return Due(self.code, "due", self.due_from, self.due_from, self.overdue_from)


def immunization_windows(
    *, sex: str, birth_date: date, given: Iterable[tuple[str, date]]
) -> list[DoseWindow]:
    """The infant and baduta doses that are or will become due for a child whose recorded
    doses are `given` (``ilp.standards.immunization.immunization_status`` evaluated on the
    date of the last dose; codes it does not know and dates before birth are ignored). Doses
    given, not needed, given invalid (repeat decided by a health worker), past their age limit
    or waiting for an earlier dose of the series get no window."""
    immunization = _standard("immunization")

    known = _dose_codes()
    dose = immunization.GivenDose
    doses = [dose(code, d) for code, d in given if code in known and birth_date <= d]
    basis = max((d.given_on for d in doses), default=birth_date)
    states = immunization.immunization_status(
        sex=sex, birth=birth_date, doses=doses, on=basis, groups=CHILD_GROUPS
    )
    return [
        DoseWindow(row.code, row.due_date, row.overdue_since or row.due_date, row.last_allowed)
        for row in states
        if row.state in _WINDOW_STATES and row.due_date is not None
    ]


_WINDOW_STATES = frozenset(("too_early", "due", "overdue"))


def immunization_due(
    *, sex: str, birth_date: date, given: Iterable[tuple[str, date]], on: date
) -> list[Due]:
    """Infant and baduta doses due or overdue on `on` for a child, from
    ``ilp.standards.immunization.immunization_status`` (codes it does not know are ignored):
    the child's ``immunization_windows`` from the doses given by `on`, read on `on`."""
    windows = immunization_windows(
        sex=sex, birth_date=birth_date, given=[(c, d) for c, d in given if d <= on]
    )
    return [d for d in (w.at(on) for w in windows) if d is not None]


CHILD_GROUPS = ("infant", "baduta")


@cache
def _dose_codes() -> frozenset[str]:
    immunization = _standard("immunization")

    return frozenset(immunization.dose_codes())


# -- pregnancy ------------------------------------------------------------------------------


@cache
def _trimester_starts() -> dict[int, int]:
    """First gestational day of each trimester, as ``pregnancy.trimester_of`` draws them."""
    pregnancy = _standard("pregnancy")
    starts: dict[int, int] = {}
    for days in range(pregnancy.MAX_GA_DAYS + 1):
        starts.setdefault(pregnancy.trimester_of(days), days)
    return starts


def anc_due(*, lmp: date | None, edd: date, contacts: Iterable[date], on: date) -> Due | None:
    """The next ANC contact due or overdue on `on`, or None when nothing is.

    ``ilp.standards.pregnancy.anc_status`` says which of the six scheduled slots are due
    (their trimester runs) or overdue (it has passed). The item is named after the contact
    the woman makes next, ``K<contacts made + 1>`` — the number the midwife enters and the
    Kohort Ibu counts — not after the slot: a first contact made late (in the second
    trimester) is her K1, and a slot of a trimester that ended before her latest contact can
    no longer be made up, so it does not keep her overdue (a missed slot is the Kohort's
    and the reports' business, not a task). Without an LMP the pregnancy is dated from its
    EDD. None too when the dates put the pregnancy outside 0–44 weeks (a record to correct,
    not a contact to make)."""
    pregnancy = _standard("pregnancy")
    from ilp.standards.result import OutOfRange

    if lmp is None:
        lmp = edd - timedelta(days=pregnancy.PREGNANCY_DAYS)
    made = sorted(d for d in contacts if lmp <= d <= on)
    try:
        slots = pregnancy.anc_status(on, [pregnancy.AncContact(d) for d in made], lmp=lmp)
    except OutOfRange:
        return None
    starts = _trimester_starts()
    last = made[-1] if made else None
    code = f"K{len(made) + 1}"
    due: Due | None = None
    for slot in slots:
        if slot.state == "overdue":
            since = lmp + timedelta(days=starts[slot.trimester + 1])
            if last is None or last < since:
                return Due(code, "overdue", since, None, since)
        elif slot.state == "due" and due is None:
            since = lmp + timedelta(days=starts[slot.trimester])
            due = Due(code, "due", since, since)
    return due


# -- postnatal -------------------------------------------------------------------------------

# Dates only are recorded: a delivery counts from the start of its day, a visit at midday.
_VISIT_TIME = time(12, 0)


def _postnatal(series: str, born: date, visits: Iterable[date], on: date) -> list[Due]:
    postnatal = _standard("postnatal")
    visits = [d for d in visits if born <= d <= on]
    delivered_at = datetime.combine(born, time.min)
    states = postnatal.postnatal_visits(
        series,
        delivered_at=delivered_at,
        visits=[datetime.combine(d, _VISIT_TIME) for d in visits],
        on=on,
    )
    # A missed window makes the open one overdue until the mother or baby is visited: a
    # visit after the missed window closed is the catch-up, and a window that can no longer
    # be made up does not keep them overdue for ever.
    last = max(visits, default=None)
    missed = [
        s for s in states if s.state == "missed" and (last is None or last < s.window_end.date())
    ]
    out = []
    for s in states:
        if s.state != "due":
            continue
        # The open window is overdue when an earlier window closed without a visit.
        earlier = [m for m in missed if m.window_end <= s.window_start]
        if earlier:
            since = earlier[0].window_end.date()
            names = tuple(m.code for m in earlier)
            out.append(Due(s.code, "overdue", since, s.window_start.date(), since, missed=names))
        else:
            since = s.window_start.date()
            out.append(Due(s.code, "due", since, since))
    return out


def kf_due(*, delivery: date, visits: Iterable[date], on: date) -> list[Due]:
    """The KF visit whose window is open on `on` (``ilp.standards.postnatal``), overdue when
    an earlier KF window closed without a visit."""
    return _postnatal("KF", delivery, visits, on)


def kn_due(*, birth: date, visits: Iterable[date], on: date) -> list[Due]:
    """The KN visit whose window is open on `on` (``ilp.standards.postnatal``), overdue when
    an earlier KN window closed without a visit."""
    return _postnatal("KN", birth, visits, on)


# -- screening intervals ---------------------------------------------------------------------


def screening_due(*, kind: str, birth_date: date, last: date | None, on: date) -> Due | None:
    """Annual adult (``PTM``, 15–59 y) or elderly (``lansia``, ≥60 y) screening due/overdue."""
    screening = _standard("screening")

    row = screening.screening_state(kind=kind, birth_date=birth_date, last=last, on=on)
    if row is None:
        return None
    if type(row) is screening.ScreeningState:  # the known shape: no attribute probing
        since = row.overdue_since if row.state == "overdue" else row.due
        return Due(kind, row.state, since, row.due, row.overdue_since, row.reason)
    return _as_due(kind, row)


def screening_due_many(
    *, kind: str, birth_dates: list[date], lasts: list[date | None], on: date
) -> list[tuple[int, str, date]]:
    """``screening_due`` for many persons of one kind at once
    (``ilp.standards.screening.screening_states``): ``(index, state, since)`` for each person
    whose screening is due or overdue, in input order."""
    screening = _standard("screening")

    got = screening.screening_states(kind=kind, birth_dates=birth_dates, lasts=lasts, on=on)
    index = got.applies.nonzero()[0]
    overdue = got.overdue[index]
    since = np.where(overdue, got.overdue_since[index], got.due[index]).tolist()
    return list(
        zip(
            index.tolist(),
            ["overdue" if o else "due" for o in overdue.tolist()],
            since,
            strict=True,
        )
    )
