"""Reads of referrals, scoped to the user (``ilp.accounts.access.referral_scope_q``): the
sending side's open list with the overdue ones marked, the receiving facility's incoming list
by urgency, one referral with its history, the referrals the API lists, and the delay report
per facility and month (aggregates: ``can_view_referral_report``, no person in it).

Overdue: an answer is awaited within ``ILP_REFERRAL_ANSWER_HOURS`` hours of the decision to
refer for the urgent kinds (emergency, maternal, neonatal) and ``ILP_REFERRAL_ANSWER_DAYS``
days for the others (planned, back referral); a referral still unanswered past that is
overdue. Neither SISRUTE nor the programme sets an official figure (DOMAIN.md §6, open item
7), so both are settings.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.accounts.access import (
    REFERRING_FACILITY_KINDS,
    can_receive_referrals,
    can_send_referrals,
    recording_facilities_q,
    referral_report_facilities_q,
    referral_scope_q,
)
from ilp.accounts.models import Role, User
from ilp.core.exceptions import NotFound
from ilp.places.models import Facility, FacilityKind
from ilp.referrals.models import (
    URGENCY_RANK,
    URGENT_KINDS,
    Referral,
    ReferralState,
    step_label,
)
from ilp.standards import referral as rules

# Facilities a referral may go to (a posyandu is not a place to be referred to).
RECEIVING_KINDS = frozenset({FacilityKind.PUSTU, FacilityKind.PUSKESMAS, FacilityKind.HOSPITAL})
# States in which the sender still follows the referral (the answer not read yet).
OPEN_STATES = (
    ReferralState.CREATED,
    ReferralState.DEPARTED,
    ReferralState.RECEIVED,
    ReferralState.HANDLED,
    ReferralState.ANSWERED,
)
_WITH = ("person", "from_facility", "to_facility")


def answer_allowance(kind: str) -> timedelta:
    """How long an answer may take after the decision to refer, by kind (see the module
    docstring)."""
    if kind in URGENT_KINDS:
        return timedelta(hours=settings.ILP_REFERRAL_ANSWER_HOURS)
    return timedelta(days=settings.ILP_REFERRAL_ANSWER_DAYS)


def is_overdue(referral: Referral, now: datetime) -> bool:
    """Whether `referral` waits for its answer past its allowance."""
    if referral.state not in rules.AWAITING_RECEIVER:
        return False
    return now > referral.decided_at + answer_allowance(referral.kind)


def referrals_for(user: User) -> QuerySet[Referral]:
    """Every referral the user reads, with person and facilities joined."""
    return Referral.objects.filter(referral_scope_q(user)).select_related(*_WITH)


def referral_get(user: User, referral_uuid: Any) -> Referral:
    """One referral the user reads; NotFound otherwise (outside scope looks the same)."""
    try:
        found = (
            referrals_for(user)
            .select_related("previous", "created_by")
            .filter(uuid=referral_uuid)
            .first()
        )
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise NotFound(_("Rujukan tidak ditemukan."))
    return found


def referring_facilities(user: User) -> QuerySet[Facility]:
    """The active facilities the user sends referrals from (their own first in the form)."""
    if not can_send_referrals(user):
        return Facility.objects.none()
    return Facility.objects.filter(
        recording_facilities_q(user), kind__in=REFERRING_FACILITY_KINDS, is_active=True
    ).order_by("kind", "name")


def receiving_facilities() -> QuerySet[Facility]:
    """Facilities a referral may be sent to (inactive ones too: the service names them)."""
    return Facility.objects.filter(kind__in=RECEIVING_KINDS).order_by("-is_active", "kind", "name")


def onward_of(referral: Referral) -> Referral | None:
    """The leg a redirect of `referral` opened, if any."""
    return Referral.objects.filter(previous=referral).select_related(*_WITH).first()


def history(referral: Referral) -> QuerySet[Any]:
    """The referral's events in the order they happened, with who recorded them."""
    return referral.events.select_related("by").order_by("occurred_at", "pk")


def outgoing_open(user: User) -> list[Referral]:
    """The open referrals the user's side sent (from the facilities they record at), oldest
    decision first; for the dinkes administrator every open referral of the district."""
    found = referrals_for(user).filter(state__in=OPEN_STATES)
    if user.role != Role.DINKES_ADMIN:
        if not can_send_referrals(user):
            return []
        found = found.filter(
            from_facility__in=Facility.objects.filter(recording_facilities_q(user))
        )
    return list(found.order_by("decided_at", "pk"))


def incoming(user: User) -> list[Referral]:
    """The referrals sent to the user's facility that wait for it (created, departed,
    received, handled): urgent kinds first, then planned, then back referrals, each oldest
    decision first."""
    if not can_receive_referrals(user):
        return []
    rank = Case(
        *[When(kind=kind, then=Value(value)) for kind, value in URGENCY_RANK.items()],
        default=Value(9),
        output_field=IntegerField(),
    )
    return list(
        Referral.objects.filter(
            to_facility_id=user.facility_id, state__in=sorted(rules.AWAITING_RECEIVER)
        )
        .select_related(*_WITH)
        .annotate(urgency=rank)
        .order_by("urgency", "decided_at", "pk")
    )


@dataclass(frozen=True)
class Step:
    """One step of the timeline: its label, when it happened (None: not yet), and the delay
    since the step before it (None when either end is unknown)."""

    field: str
    label: str
    at: datetime | None
    delay_name: str
    delay: timedelta | None


def timeline(referral: Referral) -> list[Step]:
    """The main-path steps with their times and the delay that ends at each."""
    stamps = referral.stamps()
    delays = rules.delays(stamps)  # type: ignore[arg-type]
    ending = {end: name for name, _start, end in rules.DELAYS}
    steps = []
    for field in rules.STEP_ORDER:
        delay_name = ending.get(field, "")
        steps.append(
            Step(
                field=field,
                label=step_label(field),
                at=stamps[field],  # type: ignore[arg-type]
                delay_name=delay_name,
                delay=delays.get(delay_name) if delay_name else None,
            )
        )
    return steps


# ---------------------------------------------------------------- the delay report

SENT = "sent"
RECEIVED = "received"
REPORT_SIDES = (SENT, RECEIVED)


class _Epoch(Func):
    """A timestamp as seconds since 1970 (a float, milliseconds kept): a year of referrals
    reads far faster as numbers than as timestamps."""

    output_field = FloatField()

    def get_db_converters(self, connection: Any) -> list[Any]:
        # Both databases already answer a float (or NULL): no per-value conversion in Python.
        return []

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "ROUND((julianday(%(expressions)s) - 2440587.5) * 86400.0, 3)"
        return self.as_sql(compiler, connection, template=template, **extra)


# The delays of ilp.standards.referral.DELAYS as the report names them.
DELAY_LABELS = {
    "detection_decision": gettext_lazy("Temuan → keputusan merujuk"),
    "decision_departure": gettext_lazy("Keputusan → berangkat"),
    "departure_reception": gettext_lazy("Berangkat → diterima"),
    "reception_handling": gettext_lazy("Diterima → ditangani"),
    "handling_answer": gettext_lazy("Ditangani → dijawab"),
}


def delay_labels() -> list[tuple[str, str]]:
    """The five delays in order, each (name, label in the reader's language)."""
    return [(name, str(DELAY_LABELS[name])) for name, _a, _b in rules.DELAYS]


def arrival_limit(kind: str) -> timedelta:
    """How long after the decision to refer a person may be received before the report counts
    the arrival as too late, by kind (``ilp.standards.referral``; settings)."""
    if kind in URGENT_KINDS:
        return timedelta(hours=settings.ILP_REFERRAL_ARRIVAL_HOURS)
    return timedelta(days=settings.ILP_REFERRAL_ARRIVAL_DAYS)


@dataclass
class ReportRow:
    """One facility's report for one month (`month`: its first day)."""

    facility_id: int
    facility_name: str
    facility_kind: str
    month: date
    report: rules.DelayReport

    @property
    def month_label(self) -> str:
        """The month in the reader's locale ("Maret 2026")."""
        return date_format(self.month, "YEAR_MONTH_FORMAT")


@dataclass
class DelayReportPage:
    """The delay report of a period: a row per facility and month (by facility name, then
    month) and the total over them."""

    side: str
    start: date
    end: date  # the first day of the last month
    rows: list[ReportRow] = dataclasses.field(default_factory=list)
    total: rules.DelayReport = dataclasses.field(default_factory=rules.DelayReport)


def _month_start(day: date) -> datetime:
    return datetime(day.year, day.month, 1, tzinfo=timezone.get_current_timezone())


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _network_head(columns: tuple[Any, ...]) -> tuple[int, str, str]:
    """The puskesmas a facility belongs to (itself, its parent or grandparent, the first that
    is a puskesmas), from (id, name, kind) of the facility, its parent and grandparent; the
    facility itself when none is (a hospital, the dinkes)."""
    for at in range(0, 9, 3):
        pk, name, kind = columns[at : at + 3]
        if kind == FacilityKind.PUSKESMAS:
            return pk, name, kind
    return columns[0], columns[1], columns[2]


def delay_report(
    user: User, *, start: date, end: date, side: str = SENT, network: bool = False
) -> DelayReportPage:
    """The delay report of the referrals decided from the month of `start` to that of `end`
    (in the district's time zone), per sending (`side` ``sent``) or receiving facility
    (``received``) the user reads (`referral_report_facilities_q`); with `network`, per
    puskesmas with its pustu and posyandu (the monitoring pages' rows). One query: the step
    times, kind and facility of each referral; the figures are ``ilp.standards.referral``'s."""
    if side not in REPORT_SIDES:
        raise ValueError(f"unknown side {side!r}")
    first, last = start.replace(day=1), end.replace(day=1)
    page = DelayReportPage(side=side, start=first, end=last)
    column = "from_facility" if side == SENT else "to_facility"
    levels = (column, f"{column}__parent", f"{column}__parent__parent")
    place = [f"{level}{suffix}" for level in levels for suffix in ("_id", "__name", "__kind")]
    if not network:
        place = place[:3]
    # The month starts of the period (and the one after) in seconds, to bucket each decision.
    months = [first]
    while months[-1] <= last:
        months.append(_next_month(months[-1]))
    bounds = [_month_start(month).timestamp() for month in months]
    facilities = Facility.objects.filter(referral_report_facilities_q(user)).values("pk")
    seconds = {f"s_{name}": _Epoch(F(name)) for name in rules.REPORT_STEPS}
    found = (
        Referral.objects.filter(
            Q(**{f"{column}__in": facilities}),
            decided_at__gte=_month_start(first),
            decided_at__lt=_month_start(months[-1]),
        )
        .annotate(**seconds)
        .values_list(*place, "kind", *seconds)
        .order_by()  # grouped in Python: the model's ordering would only add a sort
    )
    width = len(place)
    limits = {
        kind: (answer_allowance(kind).total_seconds(), arrival_limit(kind).total_seconds())
        for kind in URGENCY_RANK
    }
    decided_at = 1 + rules.REPORT_STEPS.index("decided_at")
    groups: dict[tuple[int, date], list[rules.ReportLine]] = {}
    names: dict[int, tuple[str, str]] = {}
    for values in found:
        facility_id, name, facility_kind = _network_head(values[:width]) if network else values[:3]
        kind = values[width]
        allowance, limit = limits[kind]
        line = rules.ReportLine(values[width + 1 :], allowance, limit)
        month = months[bisect_right(bounds, values[width + decided_at]) - 1]
        groups.setdefault((facility_id, month), []).append(line)
        names[facility_id] = (name, facility_kind)
    reports, page.total = rules.delay_reports(groups)
    for (facility_id, month), report in reports.items():
        name, facility_kind = names[facility_id]
        page.rows.append(ReportRow(facility_id, name, facility_kind, month, report))
    page.rows.sort(key=lambda r: (r.facility_name, r.facility_id, r.month))
    return page


def overdue_sent_count(user: User, now: datetime) -> int:
    """How many referrals the user's side sent still wait for their answer past the allowance
    (``is_overdue``, counted in the database)."""
    if not can_send_referrals(user):
        return 0
    urgent = sorted(URGENT_KINDS)
    late = Q(kind__in=urgent, decided_at__lt=now - answer_allowance(urgent[0])) | (
        ~Q(kind__in=urgent)
        & Q(decided_at__lt=now - timedelta(days=settings.ILP_REFERRAL_ANSWER_DAYS))
    )
    return (
        Referral.objects.filter(
            late,
            from_facility__in=Facility.objects.filter(recording_facilities_q(user)).values("pk"),
            state__in=sorted(rules.AWAITING_RECEIVER),
        )
        .order_by()
        .count()
    )


def _minutes(value: object) -> int | str:
    return int(value.total_seconds() // 60) if isinstance(value, timedelta) else ""


def _share(value: float | None) -> float | str:
    return "" if value is None else value


def report_table(page: DelayReportPage) -> list[list[object]]:
    """The report as rows for a spreadsheet: a header, then one row per facility and month and
    the total; shares in percent, delays in whole minutes (empty when unknown)."""
    header: list[object] = [
        _("Fasilitas"),
        _("Bulan"),
        _("Rujukan"),
        _("Dijawab (%)"),
        _("Dijawab tepat waktu (%)"),
        _("Diterima"),
        _("Terlambat tiba (%)"),
    ]
    for _name, label in delay_labels():
        header += [
            _("%(delay)s, median (menit)") % {"delay": label},
            _("%(delay)s, p90 (menit)") % {"delay": label},
        ]

    def cells(report: rules.DelayReport) -> list[object]:
        found: list[object] = [
            report.referrals,
            _share(report.answered_share),
            _share(report.answered_in_time_share),
            report.received,
            _share(report.too_late_share),
        ]
        for name, _label in delay_labels():
            found += [_minutes(report.delays[name]["median"]), _minutes(report.delays[name]["p90"])]
        return found

    table: list[list[object]] = [header]
    for row in page.rows:
        table.append([row.facility_name, f"{row.month:%Y-%m}", *cells(row.report)])
    table.append([_("Jumlah"), "", *cells(page.total)])
    return table
