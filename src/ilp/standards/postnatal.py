"""Postpartum (KF1–KF4) and neonatal (KN1–KN3) visit windows and their state on a date.

Sources:
- Permenkes 21/2021 (pelayanan kesehatan masa sesudah melahirkan) and the Kemenkes guidance
  that repeats its wording (Pedoman pelayanan antenatal, persalinan, nifas dan bayi baru lahir
  di era adaptasi kebiasaan baru, 2020; Buku KIA): "KF 1: pada periode 6 jam sampai dengan 2
  hari pasca persalinan; KF 2: pada periode 3 hari sampai dengan 7 hari; KF 3: 8 hari sampai
  dengan 28 hari; KF 4: 29 hari sampai dengan 42 hari pasca persalinan"; neonatal visits KN1
  "6–48 jam", KN2 "3–7 hari", KN3 "8–28 hari" setelah lahir.
- Petunjuk Teknis ILP (KMK HK.01.07/MENKES/2015/2023), pelayanan nifas and neonatal,
  DOMAIN.md §3.3 [S1; S13]: the same windows (KF1 6 h–2 d, KF2 3–7 d, KF3 8–28 d, KF4
  29–42 d; KN1 6–48 h, KN2 3–7 d, KN3 8–28 d).

Reading of the windows: "day n" after delivery is the n-th 24 hours (day 1 = up to 24 h), and
"sampai dengan" (up to and including) closes a window at the end of its last day: KF1 and KN1
run from 6 h to 48 h **inclusive** (a visit at exactly 48 hours is KF1/KN1), KF2/KN2 from
after 48 h to 168 h inclusive (day 3 to day 7), KF3/KN3 to 672 h (day 28), KF4 to 1008 h
(day 42). In hours from the delivery time: KF1/KN1 [6, 48], KF2/KN2 (48, 168], KF3/KN3
(168, 672], KF4 (672, 1008]. (Until 2026 ILP used half-open windows [6, 48), [48, 168), …,
which put a visit at exactly 48 h in KF2.)

A visit counts for the window it falls in; a second visit in the same window does not count
for the next one ("lengkap" = every visit of the series in its own window: the open item
of DOMAIN.md §3.3 decided strictly, matching the per-visit KF/KN report columns). A visit
before 6 h counts for none.

Codes: ``CODES["postnatal_visit"]`` (``ilp.standards.result``): the state is the class,
``VisitState.reason_code`` and ``params`` say why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ilp.standards.result import Catalogue, Message, OutOfRange

SOURCE = (
    "Permenkes 21/2021 (KF1 6 jam sampai dengan 2 hari, KF2 3 sampai dengan 7 hari, …; KN1 "
    "6–48 jam); Petunjuk Teknis ILP 2023 (KMK HK.01.07/MENKES/2015/2023), nifas/neonatal; "
    "DOMAIN.md §3.3"
)

# code -> (window start hours, window end hours): the first window of a series includes its
# start (6 h), every window includes its end, later windows start after the previous end.
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
CODES: dict[str, Catalogue] = {
    "postnatal_visit": Catalogue(
        rule="postnatal_visit",
        classes={state: Message(label) for state, label in STATE_LABELS_ID.items()},
        reasons={
            "visited": Message(
                "{visit} dikunjungi {visited_at}", {"visit": "text", "visited_at": "datetime"}
            ),
            "window_open": Message(
                "{visit}: jendela {window_start} sampai {window_end}",
                {"visit": "text", "window_start": "datetime", "window_end": "datetime"},
            ),
            "window_closed": Message(
                "{visit} terlewat: jendela berakhir {window_end}",
                {"visit": "text", "window_end": "datetime"},
            ),
            "window_not_open": Message(
                "{visit}: jendela mulai {window_start}",
                {"visit": "text", "window_start": "datetime"},
            ),
        },
    )
}
_REASONS = {
    "done": "visited",
    "due": "window_open",
    "missed": "window_closed",
    "upcoming": "window_not_open",
}


@dataclass(frozen=True, slots=True)
class VisitState:
    """One KF/KN visit: its window and state on the date.

    The window runs from ``window_start`` to ``window_end`` inclusive; it excludes
    ``window_start`` itself for every visit but the first of its series (see the module
    docstring).
    """

    code: str
    state: str  # done | due | missed | upcoming
    window_start: datetime
    window_end: datetime
    visited_at: datetime | None = None

    @property
    def item(self) -> str:
        """Work-list item text, e.g. ``nifas:KF2`` or ``neonatal:KN1``."""
        return ("nifas:" if self.code.startswith("KF") else "neonatal:") + self.code

    @property
    def reason_code(self) -> str:
        """``visited``, ``window_open``, ``window_closed`` or ``window_not_open``."""
        return _REASONS[self.state]

    @property
    def params(self) -> dict[str, str | datetime | None]:
        """The reason's parameters (``CODES["postnatal_visit"]``)."""
        if self.state == "done":
            return {"visit": self.code, "visited_at": self.visited_at}
        if self.state == "due":
            return {
                "visit": self.code,
                "window_start": self.window_start,
                "window_end": self.window_end,
            }
        if self.state == "missed":
            return {"visit": self.code, "window_end": self.window_end}
        return {"visit": self.code, "window_start": self.window_start}

    @property
    def reason(self) -> str:
        """The reason in Indonesian."""
        return CODES["postnatal_visit"].reason_text(self.reason_code, self.params)


def postnatal_visits(
    series: str,
    *,
    delivered_at: datetime,
    visits: Iterable[datetime],
    on: date | datetime,
) -> list[VisitState]:
    """State of each KF (mother) or KN (newborn) visit on ``on``.

    Source: Permenkes 21/2021 and Juknis ILP 2023, DOMAIN.md §3.3 (window reading in the module
    docstring).
    ``series`` is "KF" or "KN". ``on`` as a datetime is an instant; as a date it is the whole
    day in the delivery's time zone (a window open at any moment of that day is due). States:
    ``done``, ``due`` (window open, not done), ``missed`` (window closed, not done),
    ``upcoming``. Windows include their end (exactly 48 h is KF1/KN1). Visits before delivery
    or after ``on`` raise OutOfRange.
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
    for i, (code, (h0, h1)) in enumerate(WINDOWS[series].items()):
        w0 = delivered_at + timedelta(hours=h0)
        w1 = delivered_at + timedelta(hours=h1)
        first = i == 0  # only the first window includes its start

        def inside(
            moment: datetime, w0: datetime = w0, w1: datetime = w1, first: bool = first
        ) -> bool:
            return (w0 <= moment if first else w0 < moment) and moment <= w1

        hit = next((v for v in visit_list if inside(v)), None)
        if hit is not None:
            state = "done"
        elif end < w0 or (end == w0 and not first):
            state = "upcoming"
        elif start > w1:
            state = "missed"
        else:
            state = "due"
        out.append(VisitState(code, state, w0, w1, hit))
    return out


def next_postnatal_visit(
    series: str, *, delivered_at: datetime, visits: Iterable[datetime], on: date | datetime
) -> VisitState | None:
    """The visit a work list should show: the due one, else the next upcoming; None when the
    series is over (Permenkes 21/2021, Juknis ILP 2023, DOMAIN.md §3.3)."""
    states = postnatal_visits(series, delivered_at=delivered_at, visits=visits, on=on)
    for wanted in ("due", "upcoming"):
        for s in states:
            if s.state == wanted:
                return s
    return None


def postnatal_complete(visit_states: Iterable[VisitState]) -> bool:
    """KF/KN "lengkap": every visit of the series done in its own window (DOMAIN.md §3.3)."""
    return all(s.state == "done" for s in visit_states)
