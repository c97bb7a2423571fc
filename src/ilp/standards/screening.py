"""Annual adult (PTM) and elderly (lansia) screening: is it due or overdue on a date?

Sources: Petunjuk Teknis ILP 2023 (KMK HK.01.07/MENKES/2015/2023), Klaster 3, as summarised
in DOMAIN.md §1.2: hypertension screening for everyone ≥ 15 years at least once a year, DM
screening yearly (≥ 40 years, and 15–< 40 with risk factors), elderly screening (SKILAS,
ICOPE step 1) at least yearly from 60 years (CLINICAL.md §4.7); SPM Bidang Kesehatan
(Permenkes 4/2019, DOMAIN.md §3.1): SPM 6, productive age 15–59 screened ≥ 1×/year; SPM 7,
elderly ≥ 60 screened.

Rule (ILP choices where the sources give no number are marked):
- Kinds and age bands (completed years, as ``lifestage.completed_years`` counts): ``PTM`` for 15–59
  years (SPM 6 band), ``lansia`` from 60 years (SPM 7). Outside its band a kind does not apply
  (``None``); on the 60th birthday a resident leaves ``PTM`` and enters ``lansia``.
- Interval: 12 calendar months ("at least yearly"). Screened on ``last``: due again from
  ``last`` + 12 months (month ends clamp: 29 Feb + 12 months = 28 Feb); before that nothing
  is due (``None``). A screening taken before the band was entered does not move the due date
  before the band entry (the 15th / 60th birthday).
- Never screened: due from the band entry (the 15th / 60th birthday) or from 1 January of the
  current year, whichever is later. [ILP choice] SPM 6/7 count a resident once per calendar
  year, so a never-screened adult is "due this year", not "overdue since the day they turned
  15" (which would put a whole district overdue since decades and sort nobody usefully).
- Overdue: ``overdue_months`` (default 3) calendar months after the date it became due.
  [ILP choice] three months = one quarter, the PWS/lokmin reporting rhythm (DOMAIN.md §4.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ilp.standards import dates as _dates
from ilp.standards.result import Catalogue, Message, OutOfRange

SOURCE = (
    "Juknis ILP 2023 (KMK HK.01.07/MENKES/2015/2023) Klaster 3: skrining HT ≥15 th minimal "
    "setahun sekali, DM tahunan, SKILAS lansia; SPM 6 dan 7 (Permenkes 4/2019); DOMAIN.md §1.2, "
    "§3.1"
)

KINDS: tuple[str, ...] = ("PTM", "lansia")
# Age band per kind, completed years: [from, before) (None = no upper limit).
AGE_BANDS: dict[str, tuple[int, int | None]] = {"PTM": (15, 60), "lansia": (60, None)}
LABELS_ID: dict[str, str] = {"PTM": "PTM (usia produktif 15–59 tahun)", "lansia": "lansia"}
INTERVAL_MONTHS = 12
OVERDUE_MONTHS = 3


_KIND = {"kind": "term:kind"}
_REPEAT = {"kind": "term:kind", "last": "date", "interval_months": "integer"}
CODES: dict[str, Catalogue] = {
    "screening_interval": Catalogue(
        rule="screening_interval",
        classes={"due": Message("Jatuh tempo"), "overdue": Message("Terlambat")},
        reasons={
            "never_screened_due": Message(
                "Belum pernah skrining {kind}; jatuh tempo sejak {due}",
                {**_KIND, "due": "date"},
            ),
            "never_screened_overdue": Message(
                "Belum pernah skrining {kind}; terlambat sejak {overdue_since}",
                {**_KIND, "overdue_since": "date"},
            ),
            "repeat_due": Message(
                "Skrining {kind} terakhir {last}; ulang tiap {interval_months} bulan; jatuh "
                "tempo sejak {due}",
                {**_REPEAT, "due": "date"},
            ),
            "repeat_overdue": Message(
                "Skrining {kind} terakhir {last}; ulang tiap {interval_months} bulan; terlambat "
                "sejak {overdue_since}",
                {**_REPEAT, "overdue_since": "date"},
            ),
        },
        terms={"kind": LABELS_ID},
    )
}


@dataclass(frozen=True, slots=True)
class ScreeningState:
    """A screening that is due or overdue on a date.

    kind           ``PTM`` or ``lansia``
    state          ``due`` or ``overdue`` (the class of ``CODES["screening_interval"]``)
    due            first day the screening is due
    overdue_since  first day it counts (or will count) as overdue
    last           date of the last screening counted, None if never screened
    reason_code    ``never_screened_due``, ``never_screened_overdue``, ``repeat_due`` or
                   ``repeat_overdue``; ``params`` its values, ``reason`` it in Indonesian
    """

    kind: str
    state: str
    due: date
    overdue_since: date
    last: date | None
    source: str = SOURCE

    @property
    def since(self) -> date:
        """The date it has been in its state since: ``due`` or ``overdue_since``."""
        return self.overdue_since if self.state == "overdue" else self.due

    @property
    def item(self) -> str:
        """Work-list item code, ``skrining:PTM`` or ``skrining:lansia``."""
        return f"skrining:{self.kind}"

    @property
    def reason_code(self) -> str:
        """Why it is due or overdue (``CODES["screening_interval"]``)."""
        return f"{'never_screened' if self.last is None else 'repeat'}_{self.state}"

    @property
    def params(self) -> dict[str, str | int | date | None]:
        """The reason's parameters."""
        params: dict[str, str | int | date | None] = {"kind": self.kind}
        if self.last is not None:
            params["last"] = self.last
            params["interval_months"] = INTERVAL_MONTHS
        if self.state == "overdue":
            params["overdue_since"] = self.overdue_since
        else:
            params["due"] = self.due
        return params

    @property
    def reason(self) -> str:
        """Why, in Indonesian."""
        return CODES["screening_interval"].reason_text(self.reason_code, self.params)


# Re-exported: callers and tests use them from here too.
add_months = _dates.add_months
birthday = _dates.birthday


def screening_state(
    *,
    kind: str,
    birth_date: date,
    last: date | None,
    on: date,
    overdue_months: int = OVERDUE_MONTHS,
) -> ScreeningState | None:
    """The annual ``PTM`` (15–59 y) or ``lansia`` (≥ 60 y) screening due or overdue on ``on``.

    Source: juknis ILP 2023 Klaster 3 and SPM 6/7, DOMAIN.md §1.2 and §3.1 (rule and choices in
    the module docstring). ``last`` is the date of the last screening of that kind, None if
    never. Returns None when the kind does not apply on ``on`` (outside its age band) or the
    screening is not yet due (screened less than 12 months ago). Unknown ``kind`` raises
    ValueError; ``on`` before birth, or ``last`` before birth or after ``on``, raise OutOfRange.
    """
    band = AGE_BANDS.get(kind)
    if band is None:
        raise ValueError(f"unknown screening kind {kind!r}; use one of {KINDS}")
    if overdue_months < 0:
        raise OutOfRange("overdue_months", overdue_months, 0, "—")
    if on < birth_date:
        raise OutOfRange("on", on, birth_date, "—")
    if last is not None and not birth_date <= last <= on:
        raise OutOfRange("last", last, birth_date, on)
    low, high = band
    # In the band when the low birthday is reached and the high one not yet (the same as
    # ``lifestage.completed_years`` within [low, high), without counting months).
    entry = birthday(birth_date, low)
    if on < entry or (high is not None and on >= birthday(birth_date, high)):
        return None
    if last is None:
        due = max(entry, date(on.year, 1, 1))
    else:
        due = max(add_months(last, INTERVAL_MONTHS), entry)
        if on < due:
            return None
    overdue_since = add_months(due, overdue_months)
    state = "due" if on < overdue_since else "overdue"
    return ScreeningState(kind, state, due, overdue_since, last)


# -- many persons at once ------------------------------------------------------------------------


def _add_months_np(days: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """``add_months`` over a ``datetime64[D]`` array (month ends clamp)."""
    month = days.astype("datetime64[M]")
    day = (days - month.astype("datetime64[D]")).astype(np.int64)  # 0-based day of month
    target = month + months
    start = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - start).astype(np.int64)
    return np.asarray(start + np.minimum(day, length - 1))


_EPOCH = date(1970, 1, 1).toordinal()
_NO_DAY = _EPOCH  # placeholder day for "never screened" (masked by ``has_last``)


def _days(ordinals: np.ndarray) -> np.ndarray:
    return (ordinals - _EPOCH).astype("datetime64[D]")


@dataclass(frozen=True, slots=True)
class ScreeningStates:
    """``screening_state`` for many persons of one kind (arrays, one element per person).

    applies        True where a screening is due or overdue (``screening_state`` not None)
    overdue        True where it is overdue (meaningful where ``applies``)
    due            ``due`` (``datetime64[D]``)
    overdue_since  ``overdue_since`` (``datetime64[D]``)
    """

    applies: np.ndarray
    overdue: np.ndarray
    due: np.ndarray
    overdue_since: np.ndarray


def screening_states(
    *,
    kind: str,
    birth_dates: Sequence[date],
    lasts: Sequence[date | None],
    on: date,
    overdue_months: int = OVERDUE_MONTHS,
) -> ScreeningStates:
    """``screening_state`` for many persons at once (same rule, numpy over the dates).

    ``birth_dates[i]`` and ``lasts[i]`` are person i's birth date and last screening of
    ``kind`` (None if never). Element i of the result is what ``screening_state`` answers for
    person i; the same errors are raised for the first invalid person.
    """
    band = AGE_BANDS.get(kind)
    if band is None:
        raise ValueError(f"unknown screening kind {kind!r}; use one of {KINDS}")
    if overdue_months < 0:
        raise OutOfRange("overdue_months", overdue_months, 0, "—")
    # Day numbers via toordinal: far cheaper than numpy parsing date objects one by one.
    n = len(birth_dates)
    births = _days(np.fromiter(map(date.toordinal, birth_dates), np.int64, n))
    last_ordinals = np.fromiter((0 if d is None else d.toordinal() for d in lasts), np.int64, n)
    has_last = last_ordinals != 0  # ordinal 0 is no date: day 1 is 1 January of year 1
    last = _days(np.where(has_last, last_ordinals, _NO_DAY))
    today = np.datetime64(on, "D")
    bad = (births > today) | (has_last & ((last < births) | (last > today)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        screening_state(kind=kind, birth_date=birth_dates[i], last=lasts[i], on=on)
    low, high = band
    entry = _add_months_np(births, 12 * low)
    applies = entry <= today
    if high is not None:
        applies &= today < _add_months_np(births, 12 * high)
    never_due = np.maximum(entry, np.datetime64(date(on.year, 1, 1), "D"))
    again = _add_months_np(np.where(has_last, last, births), INTERVAL_MONTHS)
    due = np.where(has_last, np.maximum(again, entry), never_due)
    applies &= ~has_last | (due <= today)
    overdue_since = _add_months_np(due, overdue_months)
    return ScreeningStates(applies, overdue_since <= today, due, overdue_since)
