"""Speed of care in a KtP/A case: targets per step and the time elapsed since arrival.

A victim of violence who reaches the puskesmas is registered, then gets medical care
(including the examination a *visum* rests on), then psychosocial counselling, and is referred
on when there is a legal matter, or treated and followed up; to hospital when needed — the
example SOP of DOMAIN.md §5.2 [S33]. The SOP orders the steps but gives no times, and no
national standard in minutes was found [NC]. The targets here are issue 13's examples, kept
configurable (settings ``ILP_PROTECTION_TARGET_FIRST_CONTACT_MINUTES`` and
``ILP_PROTECTION_TARGET_EXAMINATION_HOURS``):

- **first medical contact** within the hour of arrival (60 minutes);
- **examination** "the same day". Read as *within 24 hours of arrival* by default, so a victim
  arriving at 22:00 is not overdue at midnight (a medico-legal examination is best done
  early, but the night's two hours are no fair target); a district that wants the calendar
  day sets the hours to 0: the examination is then due before midnight of the arrival's day,
  in the district's time zone (the time zone of the datetimes given).

The other steps (treatment, counselling, visum issued, referral, closing) have no target:
their elapsed time since arrival is shown, not judged. A step counts from its first
recording (a second examination does not move the first one's time).

Marks of a step against its target (``mark``):

- ``within``: recorded at or before the deadline; ``late``: recorded after it;
- ``waiting``: not recorded yet, the deadline still ahead; ``overdue``: not recorded and the
  deadline passed (only while the case is open: a closed case's missing step is ``missing``);
- ``""``: the step has no target.

Pure functions over aware datetimes; no Django import. Median and p90 are those of
``ilp.standards.referral`` (linear method, Hyndman & Fan type 7).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from ilp.standards.referral import median, p90, share

SOURCE = "DOMAIN.md §5.2 example SOP [S33]; targets: issue 13's examples [NC], configurable"

ARRIVAL = "arrival"
FIRST_CONTACT = "first_contact"
EXAMINATION = "examination"
# The steps with a target, in the order they are due.
TARGET_STEPS = (FIRST_CONTACT, EXAMINATION)

WITHIN = "within"
LATE = "late"
WAITING = "waiting"
OVERDUE = "overdue"
MISSING = "missing"
NO_TARGET = ""

DEFAULT_FIRST_CONTACT_MINUTES = 60
DEFAULT_EXAMINATION_HOURS = 24


@dataclass(frozen=True)
class Target:
    """When a step is due after arrival: within `minutes`, or (`same_day`) before midnight of
    the arrival's calendar day in the arrival's time zone."""

    minutes: int | None = None
    same_day: bool = False

    def __post_init__(self) -> None:
        if self.same_day == (self.minutes is not None):
            raise ValueError("a target is either a number of minutes or the same day")
        if self.minutes is not None and self.minutes <= 0:
            raise ValueError("a target's minutes must be positive")

    @property
    def limit(self) -> timedelta | None:
        """The time allowed after arrival (None for the same day)."""
        return timedelta(minutes=self.minutes) if self.minutes is not None else None

    def deadline(self, arrived_at: datetime) -> datetime:
        """The latest time the step is within target (inclusive)."""
        if self.minutes is not None:
            return arrived_at + timedelta(minutes=self.minutes)
        next_day = arrived_at.date() + timedelta(days=1)
        return datetime.combine(next_day, time(0), tzinfo=arrived_at.tzinfo) - timedelta(
            microseconds=1
        )

    def is_within(self, arrived_at: datetime, at: datetime) -> bool:
        """Whether a step at `at` met the target."""
        return at <= self.deadline(arrived_at)


def targets(
    first_contact_minutes: int = DEFAULT_FIRST_CONTACT_MINUTES,
    examination_hours: int = DEFAULT_EXAMINATION_HOURS,
) -> dict[str, Target]:
    """The targets per step from the two settings (examination hours 0: the same calendar
    day)."""
    exam = (
        Target(same_day=True) if examination_hours == 0 else Target(minutes=examination_hours * 60)
    )
    return {FIRST_CONTACT: Target(minutes=first_contact_minutes), EXAMINATION: exam}


@dataclass(frozen=True)
class StepTiming:
    """One step of a case against its target: `at` None for a targeted step not recorded
    yet, whose `elapsed` is then the time since arrival until `now`."""

    step: str
    at: datetime | None
    elapsed: timedelta
    target: Target | None
    deadline: datetime | None
    mark: str

    @property
    def pending(self) -> bool:
        return self.at is None


def step_timings(
    arrived_at: datetime,
    steps: Iterable[tuple[str, datetime]],
    *,
    now: datetime,
    step_targets: Mapping[str, Target],
    case_open: bool = True,
) -> list[StepTiming]:
    """Every recorded step (in time order, as given) with its time since arrival and, for the
    first recording of a targeted step, its mark; then a row per targeted step not recorded
    yet (``waiting``/``overdue`` while the case is open, ``missing`` once it is closed)."""
    rows: list[StepTiming] = []
    seen: set[str] = set()
    for step, at in sorted(steps, key=lambda s: s[1]):
        target = step_targets.get(step) if step not in seen else None
        seen.add(step)
        deadline = target.deadline(arrived_at) if target else None
        if deadline is None:
            mark = NO_TARGET
        else:
            mark = WITHIN if at <= deadline else LATE
        rows.append(
            StepTiming(step, at, max(at - arrived_at, timedelta(0)), target, deadline, mark)
        )
    for step in TARGET_STEPS:
        target = step_targets.get(step)
        if target is None or step in seen:
            continue
        deadline = target.deadline(arrived_at)
        if not case_open:
            mark = MISSING
        else:
            mark = WAITING if now <= deadline else OVERDUE
        rows.append(
            StepTiming(step, None, max(now - arrived_at, timedelta(0)), target, deadline, mark)
        )
    return rows


@dataclass(frozen=True)
class CaseTimes:
    """One case for the report: its arrival and the first time of each targeted step."""

    arrived_at: datetime
    firsts: Mapping[str, datetime | None]


@dataclass
class StepFigures:
    """One targeted step over a set of cases: how many recorded it (`n`), the median and p90
    of arrival → step, and the share within target over the cases whose step is recorded or
    whose deadline has passed (`due`: a case still waiting inside its target is not judged)."""

    n: int = 0
    due: int = 0
    within: int = 0
    median: timedelta | None = None
    p90: timedelta | None = None

    @property
    def within_share(self) -> float | None:
        return share(self.within, self.due)


@dataclass
class SpeedFigures:
    """A set of cases (a month of the district): their count and each targeted step's
    figures."""

    cases: int = 0
    steps: dict[str, StepFigures] = field(default_factory=dict)


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=round(value))


def speed_figures(
    cases: Iterable[CaseTimes], *, now: datetime, step_targets: Mapping[str, Target]
) -> SpeedFigures:
    """The count of `cases` and, per targeted step, the median and p90 time from arrival and
    the share within target (see ``StepFigures``)."""
    found = SpeedFigures()
    seconds: dict[str, list[float]] = {step: [] for step in TARGET_STEPS}
    figures = {step: StepFigures() for step in TARGET_STEPS}
    for case in cases:
        found.cases += 1
        for step in TARGET_STEPS:
            at = case.firsts.get(step)
            target = step_targets.get(step)
            tally = figures[step]
            if at is not None:
                tally.n += 1
                seconds[step].append(max((at - case.arrived_at).total_seconds(), 0.0))
            if target is None:
                continue
            deadline = target.deadline(case.arrived_at)
            if at is not None:
                tally.due += 1
                tally.within += at <= deadline
            elif now > deadline:
                tally.due += 1
    for step, tally in figures.items():
        tally.median = _seconds(median(seconds[step]))
        tally.p90 = _seconds(p90(seconds[step]))
    found.steps = figures
    return found
