"""Referral (rujukan): its states, which action moves it from which state, the delays between
its steps, and the median and 90th percentile of a list of delays.

Sources:
- Keputusan Direktur Jenderal Pelayanan Kesehatan **HK.02.02/D/1131/2023** (28 February 2023),
  Petunjuk Teknis Sistem Informasi Rujukan Terintegrasi (SISRUTE) [DOMAIN.md §6, S47]: a
  referral is made by the referring facility, answered (accepted, refused, redirected) by the
  receiving one, its arrival and handling recorded and a reply (diagnosis, care, advice) sent
  back; the response time of each side is recorded; an ICD-10 diagnosis goes with it.
- The "three delays" of maternal care (Thaddeus & Maine 1994, as DOMAIN.md §6 gives [S50]):
  delay in deciding to seek care, in reaching care, in receiving care once there. ILP measures
  them as the intervals between its timestamps: detection → decision (delay 1), decision →
  departure and departure → reception (delay 2, split so the waiting for transport shows
  apart from the journey), reception → handling (delay 3), and handling → answer (the
  referral delay: how long the sender waits for the reply).
- Program Rujuk Balik (BPJS; Kepmenkes HK.02.02/MENKES/524/2015 as DOMAIN.md §6 cites):
  a stable patient goes back to primary care with a back-referral plan — here the answer's
  *rujuk balik* plan and the kind ``back``.

States (codes stored; labels belong to the app): ``created`` → ``departed`` → ``received`` →
``handled`` → ``answered`` → ``closed``, or it ends ``refused``, ``redirected`` (onward to
another facility), ``cancelled`` or ``not_arrived``. The path is strict: each step follows
the one before it, so every delay of a closed referral is known; the only skip is a
reception recorded while no departure was (the person came on their own, or the sender did
not record it): then decision → departure and departure → reception stay unknown rather
than invented.

Percentiles: ``percentile`` is the *linear* method, Hyndman & Fan (1996) definition 7, the
default of numpy.percentile and of R's quantile(): for n sorted values x₁…xₙ and a fraction
p, h = (n − 1)·p, and the result is x_{⌊h⌋+1} + (h − ⌊h⌋)(x_{⌊h⌋+2} − x_{⌊h⌋+1}). It is
continuous in p and equals the median at p = 0.5. (Hyndman, R. J. & Fan, Y. (1996) Sample
quantiles in statistical packages. The American Statistician 50(4): 361–365.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

SOURCE = "Kepdirjen Yankes HK.02.02/D/1131/2023 (Juknis SISRUTE); three delays (Thaddeus & Maine)"

CREATED = "created"
DEPARTED = "departed"
RECEIVED = "received"
HANDLED = "handled"
ANSWERED = "answered"
CLOSED = "closed"
REFUSED = "refused"
REDIRECTED = "redirected"
CANCELLED = "cancelled"
NOT_ARRIVED = "not_arrived"

# The main path, in order, then the ends off it.
STATES: tuple[str, ...] = (
    CREATED,
    DEPARTED,
    RECEIVED,
    HANDLED,
    ANSWERED,
    CLOSED,
    REFUSED,
    REDIRECTED,
    CANCELLED,
    NOT_ARRIVED,
)
# A referral in one of these no longer moves.
TERMINAL: frozenset[str] = frozenset({CLOSED, REFUSED, REDIRECTED, CANCELLED, NOT_ARRIVED})
# Still waiting for something from the receiving facility (its incoming list).
AWAITING_RECEIVER: frozenset[str] = frozenset({CREATED, DEPARTED, RECEIVED, HANDLED})
# A back referral (rujuk balik, Program Rujuk Balik) follows a referral the receiver has
# handled: once handled, answered or closed, the person may be sent back to primary care.
BACK_REFERRAL_AFTER: frozenset[str] = frozenset({HANDLED, ANSWERED, CLOSED})

SENDER = "sender"
RECEIVER = "receiver"

# action → (states it may start from, state it ends in, the side that takes it).
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    # the sender records that the person left for the receiving facility
    "depart": (frozenset({CREATED}), DEPARTED, SENDER),
    # the receiver records the arrival (also from created: see the module docstring)
    "receive": (frozenset({CREATED, DEPARTED}), RECEIVED, RECEIVER),
    "handle": (frozenset({RECEIVED}), HANDLED, RECEIVER),
    # the reply: diagnosis, care, advice, rujuk balik plan
    "answer": (frozenset({HANDLED}), ANSWERED, RECEIVER),
    # the sender has read the answer (and taken over the back referral)
    "close": (frozenset({ANSWERED}), CLOSED, SENDER),
    # SISRUTE: the receiving facility may refuse or redirect a request (no bed, no ICU, …)
    "refuse": (frozenset({CREATED, DEPARTED}), REFUSED, RECEIVER),
    "redirect": (frozenset({CREATED, DEPARTED, RECEIVED}), REDIRECTED, RECEIVER),
    "cancel": (frozenset({CREATED, DEPARTED}), CANCELLED, SENDER),
    "not_arrive": (frozenset({CREATED, DEPARTED}), NOT_ARRIVED, RECEIVER),
}
ACTIONS: tuple[str, ...] = tuple(TRANSITIONS)

# The timestamp each action fills (the ends off the main path share `ended_at`).
STEP_FIELD: dict[str, str] = {
    "depart": "departed_at",
    "receive": "received_at",
    "handle": "handled_at",
    "answer": "answered_at",
    "close": "closed_at",
    "refuse": "ended_at",
    "redirect": "ended_at",
    "cancel": "ended_at",
    "not_arrive": "ended_at",
}
# The steps in time order: a step's time may not be earlier than any step before it.
STEP_ORDER: tuple[str, ...] = (
    "detected_at",
    "decided_at",
    "departed_at",
    "received_at",
    "handled_at",
    "answered_at",
    "closed_at",
)

# The delays, each (name, from step, to step).
DELAYS: tuple[tuple[str, str, str], ...] = (
    ("detection_decision", "detected_at", "decided_at"),
    ("decision_departure", "decided_at", "departed_at"),
    ("departure_reception", "departed_at", "received_at"),
    ("reception_handling", "received_at", "handled_at"),
    ("handling_answer", "handled_at", "answered_at"),
)


def next_state(state: str, action: str) -> str | None:
    """The state `action` moves a referral in `state` to; None when it may not."""
    rule = TRANSITIONS.get(action)
    if rule is None or state not in rule[0]:
        return None
    return rule[1]


def allowed_actions(state: str, side: str | None = None) -> list[str]:
    """The actions a referral in `state` accepts (of one side only, when given), in the
    order of ``TRANSITIONS``."""
    return [
        action
        for action, (sources, _target, who) in TRANSITIONS.items()
        if state in sources and (side is None or who == side)
    ]


def side_of(action: str) -> str:
    """Who takes `action`: ``SENDER`` or ``RECEIVER``."""
    return TRANSITIONS[action][2]


def earlier_step(stamps: Mapping[str, datetime | None], field: str) -> tuple[str, datetime] | None:
    """The latest recorded step before `field` in ``STEP_ORDER`` (its name and time), against
    which a new time for `field` is checked; None when none is recorded."""
    if field == "ended_at":  # an end follows whatever was last recorded
        before = STEP_ORDER
    else:
        before = STEP_ORDER[: STEP_ORDER.index(field)]
    latest: tuple[str, datetime] | None = None
    for name in before:
        at = stamps.get(name)
        if at is not None and (latest is None or at > latest[1]):
            latest = (name, at)
    return latest


def delays(stamps: Mapping[str, datetime | None]) -> dict[str, timedelta | None]:
    """Each delay of ``DELAYS`` between two recorded steps; None when either is missing."""
    found: dict[str, timedelta | None] = {}
    for name, start, end in DELAYS:
        a, b = stamps.get(start), stamps.get(end)
        found[name] = b - a if a is not None and b is not None else None
    return found


def percentile(values: Iterable[float], fraction: float) -> float | None:
    """The `fraction` (0–1) quantile of `values` by the linear method (Hyndman & Fan 7,
    numpy's default); None for no values."""
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must lie between 0 and 1")
    ordered = sorted(values)
    if not ordered:
        return None
    h = (len(ordered) - 1) * fraction
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def median(values: Iterable[float]) -> float | None:
    """The median of `values` (the mean of the two middle ones for an even count)."""
    return percentile(values, 0.5)


def p90(values: Iterable[float]) -> float | None:
    """The 90th percentile of `values` (linear method)."""
    return percentile(values, 0.9)


def duration_summary(durations: Iterable[timedelta]) -> dict[str, timedelta | None]:
    """Median and p90 of a list of delays (in whole seconds, as timedeltas)."""
    seconds = [d.total_seconds() for d in durations]
    mid, high = median(seconds), p90(seconds)
    return {
        "median": timedelta(seconds=round(mid)) if mid is not None else None,
        "p90": timedelta(seconds=round(high)) if high is not None else None,
    }


# -- rujuk balik follow-up ---------------------------------------------------------------------
#
# Program Rujuk Balik (Kepmenkes HK.02.02/MENKES/524/2015, as DOMAIN.md §6 cites) returns a
# stabilised patient to primary care with the hospital's plan; no national rule says within
# how many days primary care must see them again. ILP's default is a week (a district sets its
# own: the ``ILP_BACK_REFERRAL_FOLLOW_UP_DAYS`` setting), counted from the answer (or from the
# day the hospital sent the person back).
FOLLOW_UP_DAYS = 7


def follow_up_due(answered_on: date, days: int = FOLLOW_UP_DAYS) -> date:
    """The day by which a person answered (or sent back) on `answered_on` should be seen again
    in primary care: overdue from the day after."""
    return answered_on + timedelta(days=max(0, days))
