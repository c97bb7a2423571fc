"""Work lists: who is due or overdue for what, in one facility's area, on one date.

How it stays fast: the persons of the area and the few columns of their records that matter
(immunisation doses, ANC/KF/KN contacts, the last weighing, the last screening, open tasks)
are read in a handful of set queries filtered by the area (one indexed column on Person:
``hamlet`` for a posyandu, ``village`` for a pustu or puskesmas); no query per person. The
rules run in Python over those rows, through :mod:`ilp.care.worklists.rules`, which calls
``ilp.standards``. Rows stay tuples (values_list); a ``PersonRow`` is
built only for a person who gets an item; each section reads only its age band (children
< 5 y for immunisation and weighing, ≥ 15 y for screening) and the latest record where the
rule needs no more (MAX per person). ``ilp.standards.immunization`` keeps its schedule
compiled and per-birth-date plans cached, so one child costs tens of microseconds.

Item codes: ``imunisasi:<dose code>``, ``anc:K<n>``, ``kf:KF<n>``, ``kn:KN<n>``, ``timbang``,
``skrining:PTM``, ``skrining:lansia``, ``tindak-lanjut``, ``kunjungan-rumah``.

``since`` is the date the item became due (state ``due``) or overdue (state ``overdue``).
Sorting: danger first (high-risk pregnancy, referral), then overdue before due, then the
longest-standing first, then by name.
"""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import CharField, Max, Q
from django.db.models.functions import Cast

from ilp.care.models import (
    Encounter,
    ImmunizationRecord,
    Observation,
    Screening,
    ServicePackage,
    Task,
    TaskKind,
    TaskStatus,
)
from ilp.care.worklists import rules
from ilp.core.exceptions import ValidationFailed
from ilp.people.models import Person, Pregnancy, PregnancyOutcome
from ilp.places.models import AreaLevel, Facility, FacilityKind
from ilp.standards.dates import add_months, years_before
from ilp.standards.lifestage import completed_months, completed_years

logger = logging.getLogger(__name__)

ITEM_KINDS = (
    "imunisasi",
    "anc",
    "kf",
    "kn",
    "timbang",
    "skrining",
    "tindak-lanjut",
    "kunjungan-rumah",
)
# Which item kinds belong to which puskesmas cluster (tasks belong to every cluster).
CLUSTER_KINDS = {
    "k2": {"imunisasi", "anc", "kf", "kn", "timbang", "tindak-lanjut", "kunjungan-rumah"},
    "k3": {"skrining", "tindak-lanjut", "kunjungan-rumah"},
}
URGENCY_DANGER, URGENCY_OVERDUE, URGENCY_DUE = 2, 1, 0

IMMUNIZATION_MAX_MONTHS = 60  # children followed for routine and catch-up doses
BALITA_MONTHS = 60
PTM_FROM_YEARS, LANSIA_FROM_YEARS = 15, 60
POSTPARTUM_DAYS = 42
NEWBORN_DAYS = 28

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def fmt_date(d: date) -> str:
    """``5 Maret 2025``."""
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


@dataclass(frozen=True, slots=True)
class PersonRow:
    """The columns of a person a work list shows (no ORM object)."""

    id: int
    # The public UUID as text: parsing ~70,000 UUID objects for a puskesmas list cost 0.4 s,
    # and every consumer (URLs, CSV, JSON) wants the text anyway.
    uuid: str
    local_id: str
    nik: str | None
    name: str
    sex: str
    birth_date: date
    hamlet_id: int | None
    village_id: int


PERSON_FIELDS = (
    "id",
    "uuid",
    "local_id",
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "hamlet_id",
    "village_id",
)


@dataclass(slots=True)
class WorkItem:
    """One line of a work list."""

    person: PersonRow
    item: str
    state: str  # 'due' | 'overdue'
    since: date
    why: str
    urgency: int  # 2 danger, 1 overdue, 0 due
    danger: bool = False
    detail: dict = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (
            -self.urgency,
            0 if self.state == "overdue" else 1,
            self.since,
            self.person.name,
            self.item,
        )


# -- area -----------------------------------------------------------------------------------


def area_filter(facility: Facility, prefix: str = "") -> Q:
    """Q over Person (or over rows pointing to a person, with ``prefix="person__"``) that keeps
    the residents of the facility's working area."""
    served = list(facility.service_areas.values_list("id", "level"))
    if facility.kind == FacilityKind.POSYANDU:
        ids = [pk for pk, level in served if level == AreaLevel.HAMLET]
        return Q(**{f"{prefix}hamlet_id__in": ids})
    if facility.kind in (FacilityKind.PUSTU, FacilityKind.PUSKESMAS):
        ids = [pk for pk, level in served if level == AreaLevel.VILLAGE]
        return Q(**{f"{prefix}village_id__in": ids})
    raise ValidationFailed("Daftar kerja hanya untuk posyandu, pustu atau puskesmas.")


def _person_rows(facility: Facility, on: date, person_q: Q | None = None) -> dict[int, tuple]:
    """Rows of PERSON_FIELDS by id, with the UUID as text (a UUID object per resident costs
    more than the rest of the row; ``_person_row`` makes one only for persons listed)."""
    qs = Person.objects.filter(area_filter(facility), birth_date__lte=on).filter(
        Q(deceased_on__isnull=True) | Q(deceased_on__gt=on)
    )
    if person_q is not None:
        qs = qs.filter(person_q)
    qs = qs.annotate(uuid_text=Cast("uuid", output_field=CharField()))
    fields = ["uuid_text" if f == "uuid" else f for f in PERSON_FIELDS]
    return {row[0]: row for row in qs.values_list(*fields)}


def _person_row(row: tuple) -> PersonRow:
    text = row[1]
    if len(text) == 32:  # SQLite stores UUIDs as 32 hex digits; PostgreSQL casts with dashes
        text = f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return PersonRow(row[0], text, *row[2:])


def load_persons(facility: Facility, on: date, person_q: Q | None = None) -> dict[int, PersonRow]:
    """Living residents of the area born by `on`, keyed by id."""
    return {pid: _person_row(row) for pid, row in _person_rows(facility, on, person_q).items()}


@dataclass(frozen=True, slots=True)
class _People:
    """The persons of a work list: birth date and sex by id, and the PersonRow of an id."""

    row: Callable[[int], PersonRow]
    births: dict[int, date]
    sexes: dict[int, str]


# -- the engine -----------------------------------------------------------------------------


def compute_worklist(
    facility: Facility,
    *,
    on: date,
    cluster: str | None = None,
    kinds: Iterable[str] | None = None,
    person_q: Q | None = None,
    persons: dict[int, PersonRow] | None = None,
) -> list[WorkItem]:
    """The work list of `facility` (posyandu, pustu or puskesmas) on `on`, sorted by urgency.

    Internal (not scoped to a user): the CLI, the bench and the scoped selectors call it.
    `cluster` (``k2``/``k3``) narrows a puskesmas list to one cluster's items; `kinds` to some
    item kinds (see ``ITEM_KINDS``); `person_q` to some persons (the user's scope).
    """
    # The list allocates ~100,000 small objects (rows, items) and no reference cycles: with the
    # cyclic garbage collector on, its full passes over the growing heap took ~10 % of a
    # puskesmas list. Reference counting still frees everything; the collector is restored.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _compute_worklist(facility, on, cluster, kinds, person_q, persons)
    finally:
        if was_enabled:
            gc.enable()


def _compute_worklist(facility, on, cluster, kinds, person_q, persons) -> list[WorkItem]:
    wanted = set(kinds) if kinds is not None else set(ITEM_KINDS)
    if cluster:
        if cluster not in CLUSTER_KINDS:
            raise ValidationFailed(f"Klaster tidak dikenal: {cluster}")
        wanted &= CLUSTER_KINDS[cluster]
    if persons is None:
        # Rows as tuples; a PersonRow is built only for persons that get an item.
        rows = _person_rows(facility, on, person_q)
        built: dict[int, PersonRow] = {}

        def person(pid: int) -> PersonRow:
            p = built.get(pid)
            if p is None:
                p = built[pid] = _person_row(rows[pid])
            return p

        births = {pid: r[6] for pid, r in rows.items()}
        sexes = {pid: r[5] for pid, r in rows.items()}
    else:
        person = persons.__getitem__
        births = {pid: p.birth_date for pid, p in persons.items()}
        sexes = {pid: p.sex for pid, p in persons.items()}
    people = _People(person, births, sexes)
    area = area_filter(facility, "person__")
    items: list[WorkItem] = []
    if not births:
        return items

    child_from = years_before(on, 5)
    children = [pid for pid, b in births.items() if b > child_from]

    sections = []
    if {"anc", "kf", "kn"} & wanted:
        sections.append((_maternal, (items, people, area, on, wanted)))
    if "imunisasi" in wanted and children:
        sections.append((_immunisation, (items, people, children, area, on)))
    if "timbang" in wanted and children:
        sections.append((_weighing, (items, people, children, area, on)))
    if "skrining" in wanted:
        sections.append((_screening, (items, people, area, on)))
    if {"tindak-lanjut", "kunjungan-rumah"} & wanted:
        sections.append((_tasks, (items, people, area, on, wanted, cluster)))
    for fn, args in sections:
        try:
            fn(*args)
        except rules.RuleMissing as exc:  # a standards module not yet installed
            logger.warning("work list: %s skipped (%s)", fn.__name__, exc)
    items.sort(key=WorkItem.sort_key)
    return items


def _item(person: PersonRow, code: str, d: rules.Due, why: str, danger: bool = False, **detail):
    urgency = URGENCY_DANGER if danger else URGENCY_OVERDUE if d.state == "overdue" else URGENCY_DUE
    return WorkItem(person, code, d.state, d.since, why, urgency, danger, detail)


def _immunisation(items, people, children, area, on) -> None:
    given: dict[int, list[tuple[str, date]]] = defaultdict(list)
    rows = ImmunizationRecord.objects.filter(
        area, person__birth_date__gt=years_before(on, 5), valid=True, date__lte=on
    ).values_list("person_id", "dose_code", "date")
    for pid, code, d in rows:
        given[pid].append((code, d))
    births, sexes, due = people.births, people.sexes, rules.immunization_due
    for pid in children:
        for d in due(sex=sexes[pid], birth_date=births[pid], given=given.get(pid, ()), on=on):
            if d.state == "overdue":
                why = f"Imunisasi {d.code} terlambat sejak {fmt_date(d.since)}"
            else:
                why = f"Imunisasi {d.code} jatuh tempo sejak {fmt_date(d.since)}"
            items.append(_item(people.row(pid), f"imunisasi:{d.code}", d, why))


def _weighing(items, people, children, area, on) -> None:
    month_start = on.replace(day=1)
    last = dict(
        Observation.objects.filter(
            area,
            person__birth_date__gt=years_before(on, 5),
            code=rules.OBS_WEIGHT,
            date__lte=on,
        )
        .values("person_id")
        .annotate(last=Max("date"))
        .values_list("person_id", "last")
    )
    births = people.births
    for pid in children:
        birth = births[pid]
        if completed_months(birth, on) >= BALITA_MONTHS:
            continue
        lw = last.get(pid)
        if lw is not None and lw >= month_start:
            continue
        start = birth.replace(day=1)
        if lw is not None:
            start = max(start, add_months(lw, 1).replace(day=1))
        if start >= month_start:
            state = "due"
            since = max(month_start, birth)
            why = "Belum ditimbang bulan ini"
        else:
            state = "overdue"
            since = start
            why = f"Tidak ditimbang sejak {MONTHS_ID[start.month - 1]} {start.year}"
            if lw is None:
                why = "Belum pernah ditimbang"
        items.append(
            _item(
                people.row(pid), "timbang", rules.Due("timbang", state, since), why, last_weighed=lw
            )
        )


def _screening(items, people, area, on) -> None:
    adult_born_by = years_before(on, PTM_FROM_YEARS)
    # A little slack for 29 February birthdays: the rule itself says who is in its band.
    adult_slack = adult_born_by + timedelta(days=1)
    adults = [(pid, b) for pid, b in people.births.items() if b <= adult_slack]
    if not adults:
        return
    last_ptm: dict[int, date] = {}
    last_lansia: dict[int, date] = {}
    rows = (
        Encounter.objects.filter(
            area,
            person__birth_date__lte=adult_slack,
            package__in=(ServicePackage.ADULT, ServicePackage.ELDERLY),
            date__lte=on,
        )
        .values("person_id", "package")
        .annotate(last=Max("date"))
        .values_list("person_id", "package", "last")
    )
    for pid, package, d in rows:
        if d > last_ptm.get(pid, date.min):
            last_ptm[pid] = d
        if package == ServicePackage.ELDERLY and d > last_lansia.get(pid, date.min):
            last_lansia[pid] = d
    # Born by this date: 60 or older on `on` (the day after: only a 29 February birthday can
    # be, so those few are counted exactly).
    lansia_born_by = years_before(on, LANSIA_FROM_YEARS)
    edge = lansia_born_by + timedelta(days=1)
    groups: dict[str, tuple[list[int], list[date], list[date | None]]] = {
        "PTM": ([], [], []),
        "lansia": ([], [], []),
    }
    ptm_ids, ptm_births, ptm_lasts = groups["PTM"]
    lansia_ids, lansia_births, lansia_lasts = groups["lansia"]
    get_ptm, get_lansia = last_ptm.get, last_lansia.get
    for pid, birth in adults:
        if birth <= lansia_born_by or (
            birth == edge and completed_years(birth, on) >= LANSIA_FROM_YEARS
        ):
            lansia_ids.append(pid)
            lansia_births.append(birth)
            lansia_lasts.append(get_lansia(pid))
        else:
            ptm_ids.append(pid)
            ptm_births.append(birth)
            ptm_lasts.append(get_ptm(pid))
    states = rules.screening_due_many
    row = people.row
    append = items.append
    for kind, (pids, births, lasts) in groups.items():
        if not pids:
            continue
        formatted: dict[date, str] = {}
        code = f"skrining:{kind}"
        never = f"Belum pernah skrining {kind}"
        for i, state, since in states(kind=kind, birth_dates=births, lasts=lasts, on=on):
            last = lasts[i]
            if last is None:
                why = never
            else:
                text = formatted.get(last)
                if text is None:
                    text = formatted[last] = f"Skrining {kind} tahunan: terakhir {fmt_date(last)}"
                why = text
            urgency = URGENCY_OVERDUE if state == "overdue" else URGENCY_DUE
            append(
                WorkItem(
                    row(pids[i]), code, state, since, why, urgency, False, {"last_screened": last}
                )
            )


def _maternal(items, people, area, on, wanted) -> set[int]:
    """ANC for ongoing pregnancies, KF for recent deliveries, KN for newborns."""
    women = {pid for pid, sex in people.sexes.items() if sex == "F"}
    pregnancies = [
        row
        for row in Pregnancy.objects.filter(area)
        .filter(
            Q(outcome=PregnancyOutcome.ONGOING)
            | Q(
                outcome=PregnancyOutcome.LIVE_BIRTH,
                outcome_date__gte=on - timedelta(days=POSTPARTUM_DAYS),
                outcome_date__lte=on,
            )
            | Q(
                outcome=PregnancyOutcome.STILLBIRTH,
                outcome_date__gte=on - timedelta(days=POSTPARTUM_DAYS),
                outcome_date__lte=on,
            )
        )
        .values_list("id", "person_id", "lmp", "edd", "outcome", "outcome_date")
        if row[1] in women
    ]
    preg_ids = [r[0] for r in pregnancies]
    contacts: dict[tuple[int, str], list[date]] = defaultdict(list)
    kspr: dict[int, tuple[date, str]] = {}
    if preg_ids:
        enc = Encounter.objects.filter(
            pregnancy_id__in=preg_ids,
            package__in=(ServicePackage.ANC, ServicePackage.POSTPARTUM),
            date__lte=on,
        ).values_list("pregnancy_id", "package", "date")
        for preg, package, d in enc:
            contacts[(preg, package)].append(d)
        for preg, d, code in Screening.objects.filter(
            encounter__pregnancy_id__in=preg_ids,
            instrument=rules.INSTRUMENT_KSPR,
            date__lte=on,
        ).values_list("encounter__pregnancy_id", "date", "result_code"):
            if preg not in kspr or d >= kspr[preg][0]:
                kspr[preg] = (d, code)
    danger = {p for p, (_, code) in kspr.items() if code in rules.KSPR_HIGH_RISK}
    for preg, pid, lmp, edd, outcome, outcome_date in pregnancies:
        p = people.row(pid)
        is_danger = preg in danger
        risk = f" — {kspr[preg][1].upper()}" if is_danger else ""
        if outcome == PregnancyOutcome.ONGOING and "anc" in wanted:
            d = rules.anc_due(
                lmp=lmp, edd=edd, contacts=contacts.get((preg, ServicePackage.ANC), ()), on=on
            )
            if d is not None:
                word = "terlambat sejak" if d.state == "overdue" else "jatuh tempo sejak"
                why = f"Kontak ANC {d.code} {word} {fmt_date(d.since)}{risk}"
                items.append(_item(p, f"anc:{d.code}", d, why, is_danger, pregnancy_id=preg))
        elif outcome != PregnancyOutcome.ONGOING and outcome_date and "kf" in wanted:
            for d in rules.kf_due(
                delivery=outcome_date,
                visits=contacts.get((preg, ServicePackage.POSTPARTUM), ()),
                on=on,
            ):
                word = "terlambat sejak" if d.state == "overdue" else "jatuh tempo sejak"
                extra = f" ({d.why})" if d.why else ""
                why = f"Kunjungan nifas {d.code} {word} {fmt_date(d.since)}{extra}{risk}"
                items.append(_item(p, f"kf:{d.code}", d, why, is_danger, pregnancy_id=preg))
    if "kn" in wanted:
        newborn_from = on - timedelta(days=NEWBORN_DAYS)
        babies = [pid for pid, b in people.births.items() if b >= newborn_from]
        if babies:
            visits: dict[int, list[date]] = defaultdict(list)
            for pid, d in Encounter.objects.filter(
                area,
                person__birth_date__gte=newborn_from,
                package=ServicePackage.NEWBORN,
                date__lte=on,
            ).values_list("person_id", "date"):
                visits[pid].append(d)
            for pid in babies:
                p = people.row(pid)
                for d in rules.kn_due(birth=p.birth_date, visits=visits.get(pid, ()), on=on):
                    word = "terlambat sejak" if d.state == "overdue" else "jatuh tempo sejak"
                    extra = f" ({d.why})" if d.why else ""
                    why = f"Kunjungan neonatal {d.code} {word} {fmt_date(d.since)}{extra}"
                    items.append(_item(p, f"kn:{d.code}", d, why))
    return danger


def _tasks(items, people, area, on, wanted, cluster) -> None:
    kinds = []
    if "tindak-lanjut" in wanted:
        kinds += [TaskKind.FOLLOW_UP, TaskKind.REFER]
    if "kunjungan-rumah" in wanted:
        kinds.append(TaskKind.HOME_VISIT)
    qs = Task.objects.filter(area, status=TaskStatus.OPEN, kind__in=kinds, due_date__lte=on)
    if cluster:
        qs = qs.filter(
            Q(source_encounter__isnull=True) | Q(source_encounter__cluster__in=[cluster, "lintas"])
        )
    for pid, kind, reason, due, uuid in qs.values_list(
        "person_id", "kind", "reason", "due_date", "uuid"
    ):
        if pid not in people.births:
            continue
        p = people.row(pid)
        state = "overdue" if due < on else "due"
        code = "kunjungan-rumah" if kind == TaskKind.HOME_VISIT else "tindak-lanjut"
        danger = kind == TaskKind.REFER
        why = reason or ("Kunjungan rumah" if code == "kunjungan-rumah" else "Tindak lanjut")
        if kind == TaskKind.REFER:
            why = f"Rujuk ke puskesmas: {why}"
        items.append(_item(p, code, rules.Due(code, state, due), why, danger, task=str(uuid)))
