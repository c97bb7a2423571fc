"""Speed of care in KtP/A cases (issue 13, "Speed"): a case's steps against the targets, and
the district's monthly report for the Dinkes.

The rules (targets, marks, median and p90) are ``ilp.standards.ktpa_speed``'s; the targets
come from the settings ``ILP_PROTECTION_TARGET_FIRST_CONTACT_MINUTES`` and
``ILP_PROTECTION_TARGET_EXAMINATION_HOURS``.

**The case page** reads the steps the case view already holds (no query of its own).

**The report** (`speed_report`) holds no case data: per month of arrival (district time zone)
the district's number of cases and, for first medical contact and examination, the median and
p90 of the time from arrival and the share within target. No row per facility: a puskesmas
has a handful of cases a month, and its row would point at them. Counts of 1 to 4 cases are
suppressed (``ilp.core.suppression``) with their complements so that the period's total does
not give a hidden month back by subtraction; a hidden month shows no figure at all. A median,
p90 or share over fewer than 5 cases (recorded or due) is not shown either: the median of two
cases is nearly their own times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.core.suppression import THRESHOLD, Relation, suppress
from ilp.places.models import Facility
from ilp.protection.models import Case, Step
from ilp.standards import ktpa_speed as rules

TOTAL = "total"


def step_targets() -> dict[str, rules.Target]:
    """The targets per step, from the settings."""
    return rules.targets(
        settings.ILP_PROTECTION_TARGET_FIRST_CONTACT_MINUTES,
        settings.ILP_PROTECTION_TARGET_EXAMINATION_HOURS,
    )


@dataclass(frozen=True)
class SpeedRow:
    """One line of a case's speed section: the step's label, its timing and target."""

    label: str
    timing: rules.StepTiming


def case_speed(view: Any, now: datetime | None = None) -> list[SpeedRow]:
    """The speed section of a case page, from the steps of `view` (``selectors.CaseView``):
    each step's time since arrival and mark, then the targeted steps still waiting."""
    case = view.case
    tz = timezone.get_current_timezone()
    arrived = timezone.localtime(case.arrived_at, tz)
    timings = rules.step_timings(
        arrived,
        [(s.step, s.at) for s in view.steps],
        now=now or timezone.now(),
        step_targets=step_targets(),
        case_open=case.state != "closed",
    )
    labels = dict(Step.choices)
    return [SpeedRow(str(labels.get(t.step, t.step)), t) for t in timings]


# ---------------------------------------------------------------- the Dinkes report


@dataclass
class MonthSpeed:
    """A month of the report (or the period's total: `month` None) and what of it is hidden."""

    month: date | None
    figures: rules.SpeedFigures
    hidden: bool = False

    @property
    def month_label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT") if self.month else ""

    def step(self, step: str) -> StepCells:
        """What the report shows of `step`: nothing for a hidden month, and no median, p90 or
        share over fewer than 5 cases."""
        tally = self.figures.steps[step]
        if self.hidden:
            return StepCells(None, None, None)
        timed = tally.n >= THRESHOLD
        return StepCells(
            tally.median if timed else None,
            tally.p90 if timed else None,
            tally.within_share if tally.due >= THRESHOLD else None,
        )

    @property
    def first_contact(self) -> StepCells:
        return self.step(rules.FIRST_CONTACT)

    @property
    def examination(self) -> StepCells:
        return self.step(rules.EXAMINATION)

    @property
    def step_rows(self) -> list[tuple[str, StepCells]]:
        """The targeted steps' labels and cells, in order (for the page)."""
        labels = dict(Step.choices)
        return [(str(labels[step]), self.step(step)) for step in rules.TARGET_STEPS]

    @property
    def cases(self) -> int | None:
        return None if self.hidden else self.figures.cases


@dataclass(frozen=True)
class StepCells:
    median: timedelta | None
    p90: timedelta | None
    within_share: float | None


@dataclass
class SpeedReport:
    start: date
    end: date
    months: list[MonthSpeed] = field(default_factory=list)
    total: MonthSpeed | None = None


def district_facilities(user: Any) -> Any:
    """The facilities of the user's district (its area and everything under it)."""
    code = user.area.code
    return Facility.objects.filter(Q(area__code=code) | Q(area__code__startswith=f"{code}."))


def _month_start(day: date) -> datetime:
    return datetime(day.year, day.month, 1, tzinfo=timezone.get_current_timezone())


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_range(start: date, end: date) -> list[date]:
    """The first days of the months from `start`'s to `end`'s."""
    months = [start.replace(day=1)]
    while months[-1] < end.replace(day=1):
        months.append(_next_month(months[-1]))
    return months


def case_times(user: Any, start: date, end: date) -> Iterable[tuple[datetime, Any, Any]]:
    """(arrival, first contact, first examination) of the district's cases arrived from the
    month of `start` to that of `end`: one query, the firsts by aggregate over active steps."""
    active = Q(steps__voided_at__isnull=True)
    return (
        Case.objects.filter(
            facility__in=district_facilities(user).values("pk"),
            arrived_at__gte=_month_start(start),
            arrived_at__lt=_month_start(_next_month(end)),
        )
        .annotate(
            fc=Min("steps__at", filter=active & Q(steps__step=Step.FIRST_CONTACT)),
            ex=Min("steps__at", filter=active & Q(steps__step=Step.EXAMINATION)),
        )
        .values_list("arrived_at", "fc", "ex")
        .order_by()
    )


def speed_report(user: Any, *, start: date, end: date, now: datetime | None = None) -> SpeedReport:
    """The district's speed report per month of arrival from `start`'s month to `end`'s, and
    the period's total, suppressed (see the module docstring)."""
    now = now or timezone.now()
    months = month_range(start, end)
    targets = step_targets()
    tz = timezone.get_current_timezone()
    by_month: dict[date, list[rules.CaseTimes]] = {m: [] for m in months}
    every: list[rules.CaseTimes] = []
    for arrived_at, fc, ex in case_times(user, start, end):
        arrived = timezone.localtime(arrived_at, tz)
        times = rules.CaseTimes(arrived, {rules.FIRST_CONTACT: fc, rules.EXAMINATION: ex})
        by_month[arrived.date().replace(day=1)].append(times)
        every.append(times)
    report = SpeedReport(start=months[0], end=months[-1])
    for month in months:
        figures = rules.speed_figures(by_month[month], now=now, step_targets=targets)
        report.months.append(MonthSpeed(month, figures))
    report.total = MonthSpeed(None, rules.speed_figures(every, now=now, step_targets=targets))
    counts: dict[Any, int] = {m.month: m.figures.cases for m in report.months}
    counts[TOTAL] = report.total.figures.cases
    hidden = suppress(counts, [Relation(TOTAL, tuple(months))] if len(months) > 1 else [])
    for row in report.months:
        row.hidden = row.month in hidden
    report.total.hidden = TOTAL in hidden
    return report


def _minutes(value: timedelta | None) -> int | str:
    return int(value.total_seconds() // 60) if value is not None else ""


def report_table(report: SpeedReport) -> list[list[object]]:
    """The report as spreadsheet rows: a header, then a row per month and the total; times in
    whole minutes, shares in percent; a hidden or too-small cell is empty, and the last column
    says when a month is hidden."""
    header: list[object] = [_("Bulan"), _("Kasus")]
    for label in (_("Kontak medis pertama"), _("Pemeriksaan")):
        header += [
            _("%(step)s, median (menit)") % {"step": label},
            _("%(step)s, p90 (menit)") % {"step": label},
            _("%(step)s, sesuai target (%%)") % {"step": label},
        ]
    header.append(_("Keterangan"))
    rows: list[list[object]] = [header]
    lines = [*report.months, *([report.total] if report.total else [])]
    for line in lines:
        label = f"{line.month:%Y-%m}" if line.month else f"{report.start:%Y-%m}–{report.end:%Y-%m}"
        cells: list[object] = [label, "" if line.cases is None else line.cases]
        for step in (line.first_contact, line.examination):
            cells += [
                _minutes(step.median),
                _minutes(step.p90),
                "" if step.within_share is None else step.within_share,
            ]
        cells.append(_("disembunyikan: jumlah kecil") if line.hidden else "")
        rows.append(cells)
    return rows
