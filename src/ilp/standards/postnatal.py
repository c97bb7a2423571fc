"""Postpartum (KF1–KF4) and neonatal (KN1–KN3) visit windows and their state on a date.

Source: Petunjuk Teknis ILP (KMK HK.01.07/MENKES/2015/2023), pelayanan nifas and neonatal,
DOMAIN.md §3.3 [S1; S13]: KF1 6 h–2 d, KF2 3–7 d, KF3 8–28 d, KF4 29–42 d; KN1 6–48 h,
KN2 3–7 d, KN3 8–28 d after delivery.

Reading of the windows: "day n" after delivery is the n-th 24 hours (day 1 = 0–24 h), so the
windows are contiguous half-open intervals in hours from the delivery time:
KF1/KN1 [6 h, 48 h), KF2/KN2 [48 h, 168 h), KF3/KN3 [168 h, 672 h), KF4 [672 h, 1008 h).

A visit counts for the window it falls in; a second visit in the same window does not count
for the next one ("lengkap" = every visit of the series in its own window: the open item
of DOMAIN.md §3.3 decided strictly, matching the per-visit KF/KN report columns). A visit
before 6 h counts for none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ilp.standards.result import OutOfRange

SOURCE = "Petunjuk Teknis ILP 2023 (KMK HK.01.07/MENKES/2015/2023), nifas/neonatal; DOMAIN.md §3.3"

# code -> (window start hours, window end hours, exclusive)
WINDOWS: dict[str, dict[str, tuple[int, int]]] = {
    "KF": {"KF1": (6, 48), "KF2": (48, 168), "KF3": (168, 672), "KF4": (672, 1008)},
    "KN": {"KN1": (6, 48), "KN2": (48, 168), "KN3": (168, 672)},
}
STATE_LABELS_ID = {
    "done": "Sudah dikunjungi",
    "due": "Jatuh tempo",
    "missed": "Terlewat",
    "upcoming": "Belum waktunya",
}


@dataclass(frozen=True, slots=True)
class VisitState:
    """One KF/KN visit: its window [window_start, window_end) and state on the date."""

    code: str
    state: str  # done | due | missed | upcoming
    window_start: datetime
    window_end: datetime
    visited_at: datetime | None = None

    @property
    def item(self) -> str:
        """Work-list item text, e.g. ``nifas:KF2`` or ``neonatal:KN1``."""
        return ("nifas:" if self.code.startswith("KF") else "neonatal:") + self.code


def postnatal_visits(
    series: str,
    *,
    delivered_at: datetime,
    visits: Iterable[datetime],
    on: date | datetime,
) -> list[VisitState]:
    """State of each KF (mother) or KN (newborn) visit on ``on``.

    Source: Juknis ILP 2023, DOMAIN.md §3.3 (window reading in the module docstring).
    ``series`` is "KF" or "KN". ``on`` as a datetime is an instant; as a date it is the whole
    day in the delivery's time zone (a window open at any moment of that day is due). States:
    ``done``, ``due`` (window open, not done), ``missed`` (window closed, not done),
    ``upcoming``. Visits before delivery or after ``on`` raise OutOfRange.
    """
    if series not in WINDOWS:
        raise ValueError(f"series must be 'KF' or 'KN', got {series!r}")
    if isinstance(on, datetime):
        start, end = on, on
        if on < delivered_at:
            raise OutOfRange("on", on, delivered_at, "—")
    else:
        start = datetime.combine(on, time.min, tzinfo=delivered_at.tzinfo)
        end = start + timedelta(days=1) - timedelta(microseconds=1)
        if end < delivered_at:
            raise OutOfRange("on", on, delivered_at.date(), "—")
    visit_list = sorted(visits)
    for v in visit_list:
        if not delivered_at <= v <= end:
            raise OutOfRange("visit", v, delivered_at, end)
    out = []
    for code, (h0, h1) in WINDOWS[series].items():
        w0 = delivered_at + timedelta(hours=h0)
        w1 = delivered_at + timedelta(hours=h1)
        hit = next((v for v in visit_list if w0 <= v < w1), None)
        if hit is not None:
            state = "done"
        elif end < w0:
            state = "upcoming"
        elif start >= w1:
            state = "missed"
        else:
            state = "due"
        out.append(VisitState(code, state, w0, w1, hit))
    return out


def next_postnatal_visit(
    series: str, *, delivered_at: datetime, visits: Iterable[datetime], on: date | datetime
) -> VisitState | None:
    """The visit a work list should show: the due one, else the next upcoming; None when the
    series is over (Juknis ILP 2023, DOMAIN.md §3.3)."""
    states = postnatal_visits(series, delivered_at=delivered_at, visits=visits, on=on)
    for wanted in ("due", "upcoming"):
        for s in states:
            if s.state == wanted:
                return s
    return None


def postnatal_complete(visit_states: Iterable[VisitState]) -> bool:
    """KF/KN "lengkap": every visit of the series done in its own window (DOMAIN.md §3.3)."""
    return all(s.state == "done" for s in visit_states)
