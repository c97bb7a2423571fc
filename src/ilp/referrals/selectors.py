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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
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
    can_use_referrals,
    may_refer_from,
    recording_facilities_q,
    referral_report_facilities_q,
    referral_scope_q,
    referral_sources_q,
)
from ilp.accounts.models import Role, User
from ilp.care.models import Encounter
from ilp.care.presenters import present_alerts
from ilp.core.exceptions import BadParameter, NotFound
from ilp.core.paging import Span, span
from ilp.people.models import Person
from ilp.places.models import Facility, FacilityKind
from ilp.referrals.models import (
    URGENCY_RANK,
    URGENT_KINDS,
    Referral,
    ReferralKind,
    ReferralState,
    step_label,
)
from ilp.standards import referral as rules
from ilp.standards import referral_findings as findings

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


def readable_uuids(user: User, uuids: Iterable[str]) -> set[str]:
    """Which of these referral UUIDs (text) the user may open: one query, none when there are
    none (a work list links its rujuk balik lines to the referral only for those)."""
    wanted = {u for u in uuids if u}
    if not wanted or not can_use_referrals(user):
        return set()
    found = Referral.objects.filter(referral_scope_q(user), uuid__in=wanted)
    return {str(u) for u in found.values_list("uuid", flat=True)}


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
    """The active facilities the user sends referrals from (their own first in the form); a
    hospital's staff their hospital."""
    if not can_send_referrals(user):
        return Facility.objects.none()
    return Facility.objects.filter(
        referral_sources_q(user), kind__in=REFERRING_FACILITY_KINDS, is_active=True
    ).order_by("kind", "name")


def back_referral_initial(referral: Referral) -> dict[str, Any]:
    """The new-referral form's values for the back referral (rujuk balik) of `referral`: from
    the facility that received it, back to the one that sent it (a posyandu's referral goes
    back to its pustu: a posyandu receives none), the answer's diagnosis and plan."""
    target = referral.from_facility
    if target.kind not in RECEIVING_KINDS and target.parent is not None:
        target = target.parent
    return {
        "kind": ReferralKind.BACK,
        "from_facility": referral.to_facility_id,
        "to_facility": target.pk,
        "diagnosis_code": referral.answer_diagnosis_code or referral.diagnosis_code,
        "reason": referral.back_referral_plan or referral.answer_advice,
    }


def receiving_facilities() -> QuerySet[Facility]:
    """Facilities a referral may be sent to (inactive ones too: the service names them)."""
    return Facility.objects.filter(kind__in=RECEIVING_KINDS).order_by("-is_active", "kind", "name")


def onward_of(referral: Referral) -> Referral | None:
    """The leg a redirect of `referral` opened, if any."""
    return Referral.objects.filter(previous=referral).select_related(*_WITH).first()


def history(referral: Referral) -> QuerySet[Any]:
    """The referral's events in the order they happened, with who recorded them."""
    return referral.events.select_related("by").order_by("occurred_at", "pk")


# Rows per page of the open and incoming lists (the busiest hospital has hundreds waiting).
LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class ReferralPage:
    """One page of a referral list and the counts of the whole list: how many wait, how many
    are urgent (emergency, maternal, neonatal), how many wait for their answer past the
    allowance (``is_overdue``)."""

    rows: list[Referral]
    total: int
    urgent: int
    overdue: int
    at: Span


def _overdue_q(now: datetime) -> Q:
    """``is_overdue`` as a filter: waiting for the receiver past the answer allowance."""
    urgent = sorted(URGENT_KINDS)
    late = Q(kind__in=urgent, decided_at__lt=now - answer_allowance(urgent[0])) | (
        ~Q(kind__in=urgent)
        & Q(decided_at__lt=now - timedelta(days=settings.ILP_REFERRAL_ANSWER_DAYS))
    )
    return late & Q(state__in=sorted(rules.AWAITING_RECEIVER))


def _page(
    found: QuerySet[Referral], order: tuple[Any, ...], page: int, per_page: int, now: datetime
) -> ReferralPage:
    """One page of `found` in `order` and the counts over all of it: two queries."""
    counts = found.order_by().aggregate(
        total=Count("pk"),
        urgent=Count("pk", filter=Q(kind__in=sorted(URGENT_KINDS))),
        overdue=Count("pk", filter=_overdue_q(now)),
    )
    at = span(counts["total"], page, per_page)
    rows = list(found.select_related(*_WITH).order_by(*order)[at.start : at.stop])
    return ReferralPage(rows, counts["total"], counts["urgent"], counts["overdue"], at)


def _outgoing_open(user: User) -> QuerySet[Referral]:
    found = Referral.objects.filter(referral_scope_q(user), state__in=OPEN_STATES)
    if user.role != Role.DINKES_ADMIN:
        if not can_send_referrals(user):
            return found.none()
        found = found.filter(from_facility__in=Facility.objects.filter(referral_sources_q(user)))
    return found


def outgoing_open(user: User, *, page: int = 1, now: datetime | None = None) -> ReferralPage:
    """One page of the open referrals the user's side sent (from the facilities they record
    at), oldest decision first; for the dinkes administrator every open referral of the
    district. Two queries (the counts, the page)."""
    order = ("decided_at", "pk")
    return _page(_outgoing_open(user), order, page, LIST_PAGE_SIZE, now or timezone.now())


def outgoing_open_count(user: User) -> int:
    """How many referrals `outgoing_open` lists."""
    return _outgoing_open(user).count()


def incoming(
    user: User, *, page: int = 1, per_page: int = LIST_PAGE_SIZE, now: datetime | None = None
) -> ReferralPage:
    """One page of the referrals sent to the user's facility that wait for it (created,
    departed, received, handled): urgent kinds first, then planned, then back referrals, each
    oldest decision first. Two queries (the counts, the page)."""
    found = Referral.objects.filter(
        to_facility_id=user.facility_id, state__in=sorted(rules.AWAITING_RECEIVER)
    )
    if not can_receive_referrals(user):
        found = found.none()
    rank = Case(
        *[When(kind=kind, then=Value(value)) for kind, value in URGENCY_RANK.items()],
        default=Value(9),
        output_field=IntegerField(),
    )
    order = ("urgency", "decided_at", "pk")
    return _page(found.annotate(urgency=rank), order, page, per_page, now or timezone.now())


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


# ---------------------------------------------------------------- one-click proposals
#
# A referral opened from an alert (service form, posyandu row), a work list or a person page
# comes with everything known filled in; the user still confirms it. What to propose from a
# finding is ``ilp.standards.referral_findings``; the facility tree decides the target.


@dataclass(frozen=True)
class Proposal:
    """What the new-referral form shows filled in: the findings (stored alerts, the chosen one
    first), the form's initial values, and the finding code a work list named (kept for the
    POST, which stores it as the referral's trigger)."""

    findings: list[dict[str, Any]]
    initial: dict[str, Any]
    finding_code: str = ""


def referral_alerts(alerts: Any) -> list[dict[str, Any]]:
    """The stored alerts (an encounter's ``alerts``) that call for a referral."""
    return [
        a
        for a in alerts or []
        if isinstance(a, dict)
        and a.get("code")
        and findings.calls_for_referral(str(a["code"]), str(a.get("action_code") or ""))
    ]


def finding_alert(code: str) -> dict[str, Any]:
    """A work list's finding in the shape of a stored alert (no parameters, no action)."""
    level = "danger" if findings.is_danger(code) else "warning"
    return {"level": level, "code": code, "params": {}, "action_code": "", "action_params": {}}


def district_hospital(facility: Facility) -> Facility | None:
    """The active hospital of `facility`'s kabupaten/kota (the first two parts of the area
    code): a RSUD before the others, then by code."""
    district = ".".join(facility.area.code.split(".")[:2])
    rsud_first = Case(When(name__istartswith="RSUD", then=Value(0)), default=Value(1))
    return (
        Facility.objects.filter(
            kind=FacilityKind.HOSPITAL,
            is_active=True,
            area__code__startswith=district,
        )
        .exclude(pk=facility.pk)
        .order_by(rsud_first, "code")
        .first()
    )


def proposed_target(
    facility: Facility, *, hospital: bool = False, puskesmas: bool = False
) -> Facility | None:
    """Where a referral from `facility` goes by the facility tree: from a posyandu its
    supervising pustu (or puskesmas), the first active one up; from a pustu the same, or the
    district hospital when the finding asks for a hospital; from a puskesmas the district
    hospital. With `puskesmas` (the alert says "Rujuk ke puskesmas"), a posyandu or pustu
    proposes the first active puskesmas up, skipping the pustu."""
    if facility.kind == FacilityKind.PUSKESMAS or (
        hospital and facility.kind == FacilityKind.PUSTU
    ):
        return district_hospital(facility)
    if facility.parent_id is None:
        return None
    above = Facility.objects.select_related("parent__parent").filter(pk=facility.parent_id).first()
    for _step in range(3):
        if above is None:
            return None
        wanted = (
            above.kind == FacilityKind.PUSKESMAS if puskesmas else above.kind in RECEIVING_KINDS
        )
        if above.is_active and wanted:
            return above
        above = above.parent
    return None


def _age_days(person: Person, on: date) -> int | None:
    return (on - person.birth_date).days if person.birth_date else None


def _reason_text(alerts: list[dict[str, Any]]) -> str:
    """The findings as a sentence in the reader's language (rendered now, from the codes)."""
    return "; ".join(
        f"{a['label']} ({a['action']})" if a["action"] else a["label"]
        for a in present_alerts(alerts)
    )


def _from_facility(user: User, facility: Facility | None) -> Facility | None:
    """Where the referral starts: the encounter's facility when the user may refer from it,
    else the user's own facility when they may."""
    for candidate in (facility, user.facility if user.facility_id else None):
        if candidate is not None and may_refer_from(user, candidate):
            return candidate
    return None


def propose(
    user: User,
    person: Person,
    *,
    encounter: Encounter | None = None,
    alert_code: str = "",
    finding_code: str = "",
    facilities: bool = True,
) -> Proposal:
    """The prefilled referral of `person`: from `encounter`'s alerts that call for referral
    (`alert_code` first and the one that decides, when it is one of them), or from a work
    list's `finding_code` (``ilp.standards.referral_findings``), or from nothing (the person
    page: only the facilities). BadParameter for a finding code that calls for no referral.
    `facilities=False` leaves out the facilities (for a POST: the form is bound, only the
    findings are needed)."""
    today = timezone.localdate()
    if encounter is not None:
        found = referral_alerts(encounter.alerts)
        chosen = [a for a in found if a["code"] == alert_code]
        found = chosen + [a for a in found if a["code"] != alert_code]
        deciding = chosen or found
        origin: Facility | None = encounter.facility
        detected_at = encounter.created_at
        age_on = encounter.date
    elif finding_code:
        if not findings.is_known(finding_code):
            raise BadParameter(
                _("Temuan %(code)s tidak memerlukan rujukan; buka formulir dari daftar kerja.")
                % {"code": finding_code}
            )
        found = deciding = [finding_alert(finding_code)]
        origin, detected_at, age_on = None, None, today
    else:
        found = deciding = []
        origin, detected_at, age_on = None, None, today
    source = _from_facility(user, origin) if facilities else None
    initial: dict[str, Any] = {}
    if source is not None:
        initial["from_facility"] = source.pk
        hospital = any(findings.wants_hospital(str(a.get("action_code") or "")) for a in deciding)
        puskesmas = any(findings.wants_puskesmas(str(a.get("action_code") or "")) for a in deciding)
        target = proposed_target(source, hospital=hospital, puskesmas=puskesmas)
        if target is not None:
            initial["to_facility"] = target.pk
    if found:
        codes = [str(a["code"]) for a in deciding]
        initial["kind"] = findings.proposed_kind(
            codes,
            danger=any(a.get("level") == "danger" for a in deciding),
            age_days=_age_days(person, age_on),
        )
        initial["reason"] = _reason_text(found)
        initial["diagnosis_code"] = next((c for c in map(findings.icd10_code, codes) if c), "")
    elif (age := _age_days(person, today)) is not None and 0 <= age < findings.NEONATAL_DAYS:
        initial["kind"] = ReferralKind.NEONATAL
    if detected_at is not None:
        initial["detected_at"] = timezone.localtime(detected_at).replace(second=0, microsecond=0)
    return Proposal(findings=found, initial=initial, finding_code=finding_code)


def referral_for_letter(user: User, referral_uuid: Any) -> Referral:
    """One referral the user reads, with what its letter prints (the person's address, the
    referring worker); NotFound otherwise."""
    found = referral_get(user, referral_uuid)
    person = (
        Person.objects.select_related("village__parent", "hamlet", "rt")
        .filter(pk=found.person_id)
        .first()
    )
    if person is not None:
        found.person = person
    return found


def person_referrals(user: User, person_uuid: Any) -> list[Referral]:
    """The referrals of one person the user reads (scoped like every referral read), the
    latest decision first."""
    try:
        return list(
            referrals_for(user).filter(person__uuid=person_uuid).order_by("-decided_at", "-pk")
        )
    except (ValueError, ValidationError):
        return []


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
    """One facility's report for one month (`month`: its first day), or for the whole period
    (`month` None)."""

    facility_id: int
    facility_name: str
    facility_kind: str
    month: date | None
    report: rules.DelayReport

    @property
    def month_label(self) -> str:
        """The month in the reader's locale ("Maret 2026"); "" for the whole period."""
        return date_format(self.month, "YEAR_MONTH_FORMAT") if self.month else ""


@dataclass
class MonthTotal:
    """The report of every facility of the period's report for one month (its first day)."""

    month: date
    report: rules.DelayReport

    @property
    def month_label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT")


@dataclass
class DelayReportPage:
    """The delay report of a period: a row per facility and month (by facility name, then
    month), or per facility over the whole period with the total of each month (`months`),
    and the total over them."""

    side: str
    start: date
    end: date  # the first day of the last month
    rows: list[ReportRow] = dataclasses.field(default_factory=list)
    total: rules.DelayReport = dataclasses.field(default_factory=rules.DelayReport)
    months: list[MonthTotal] = dataclasses.field(default_factory=list)


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
    user: User,
    *,
    start: date,
    end: date,
    side: str = SENT,
    network: bool = False,
    per_month: bool = True,
) -> DelayReportPage:
    """The delay report of the referrals decided from the month of `start` to that of `end`
    (in the district's time zone), per sending (`side` ``sent``) or receiving facility
    (``received``) the user reads (`referral_report_facilities_q`); with `network`, per
    puskesmas with its pustu and posyandu (the monitoring pages' rows). A row per facility
    and month; without `per_month`, a row per facility over the whole period and the total
    of each month (`months`: a year of 300 facilities is 300 rows, not 3,600). One query: the
    step times, kind and facility of each referral; the figures are
    ``ilp.standards.referral``'s."""
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
    groups: dict[tuple[int, date | None], list[rules.ReportLine]] = {}
    by_month: dict[date, list[rules.ReportLine]] = {}
    names: dict[int, tuple[str, str]] = {}
    for values in found:
        facility_id, name, facility_kind = _network_head(values[:width]) if network else values[:3]
        kind = values[width]
        allowance, limit = limits[kind]
        line = rules.ReportLine(values[width + 1 :], allowance, limit)
        month = months[bisect_right(bounds, values[width + decided_at]) - 1]
        if per_month:
            groups.setdefault((facility_id, month), []).append(line)
        else:
            groups.setdefault((facility_id, None), []).append(line)
            by_month.setdefault(month, []).append(line)
        names[facility_id] = (name, facility_kind)
    reports, page.total = rules.delay_reports(groups)
    if not per_month:
        totals, _all = rules.delay_reports(by_month)
        page.months = [MonthTotal(month, totals[month]) for month in sorted(totals)]
    for (facility_id, month), report in reports.items():
        name, facility_kind = names[facility_id]
        page.rows.append(ReportRow(facility_id, name, facility_kind, month, report))
    page.rows.sort(key=lambda r: (r.facility_name, r.facility_id, r.month or first))
    return page


def overdue_sent_count(user: User, now: datetime) -> int:
    """How many referrals the user's side sent still wait for their answer past the allowance
    (``is_overdue``, counted in the database)."""
    if not can_send_referrals(user):
        return 0
    return (
        Referral.objects.filter(
            _overdue_q(now),
            from_facility__in=Facility.objects.filter(recording_facilities_q(user)).values("pk"),
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
        month = f"{row.month:%Y-%m}" if row.month else f"{page.start:%Y-%m}–{page.end:%Y-%m}"
        table.append([row.facility_name, month, *cells(row.report)])
    table.append([_("Jumlah"), "", *cells(page.total)])
    return table
