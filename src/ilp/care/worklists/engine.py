"""Work lists: who is due or overdue for what, in one facility's area, on one date.

How it stays fast (a puskesmas of 90,000 residents lists ~75,000 items): the residents of
the area in the age bands the list's item kinds need are read in one query (a covering index
on PostgreSQL), with their ``CareSummary`` (last weighing, last annual screenings, whether
dose windows exist) in another; immunisation reads the children's ``DoseWindow`` rows.
Those are kept current by the care services (``ilp.care.services.summary``); a resident
whose summary does not hold on the list's date (a record after it, a changed birth date or
sex, no summary yet) is read from the records instead: doses, weighings and screenings,
then the same rules. ANC/KF/KN contacts and open tasks are read per list in set queries
filtered by the area; no query per person. Clinical rules come from ``ilp.standards``
through :mod:`ilp.care.worklists.rules` (the screening interval vectorised). Rows are
tuples (``PersonRow`` is a named tuple); item texts repeat and are made once.

Item codes: ``imunisasi:<dose code>``, ``anc:K<n>``, ``kf:KF<n>``, ``kn:KN<n>``, ``timbang``,
``skrining:PTM``, ``skrining:lansia``, ``tindak-lanjut``, ``kunjungan-rumah``,
``rujuk-balik`` (the follow-up of a referral answered with a rujuk balik plan: an open task of
kind ``back_referral``, its ``detail`` naming the task and the referral).

``since`` is the date the item became due (state ``due``) or overdue (state ``overdue``).
Sorting: danger first (high-risk pregnancy, referral), then overdue before due, then the
longest-standing first, then by name (then person and item, so that a list prints the same
way every time).
"""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from typing import NamedTuple

from django.db import connection
from django.db.models import CharField, Max, Q
from django.db.models.functions import Cast
from django.utils import timezone

from ilp.care.evaluation import ages
from ilp.care.models import (
    CareSummary,
    DoseWindow,
    Encounter,
    ImmunizationRecord,
    Observation,
    Screening,
    ServicePackage,
    Task,
    TaskKind,
    TaskStatus,
)
from ilp.care.worklists import (
    reasons,  # noqa: F401  (registers the codes of `why`)
    rules,
)
from ilp.core.exceptions import ValidationFailed
from ilp.core.texts import Month, Text
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
    "rujuk-balik",
)
# Which item kinds belong to which puskesmas cluster (tasks belong to every cluster).
CLUSTER_KINDS = {
    "k2": {
        "imunisasi",
        "anc",
        "kf",
        "kn",
        "timbang",
        "tindak-lanjut",
        "kunjungan-rumah",
        "rujuk-balik",
    },
    "k3": {"skrining", "tindak-lanjut", "kunjungan-rumah", "rujuk-balik"},
}
URGENCY_DANGER, URGENCY_OVERDUE, URGENCY_DUE = 2, 1, 0

IMMUNIZATION_MAX_MONTHS = 60  # children followed for routine and catch-up doses
# Bands of the packages (ilp.care.evaluation.ages: the menu and the evaluators read them too).
BALITA_MONTHS = ages.BALITA.high or 60
PTM_FROM_YEARS = ages.PRODUCTIVE.low // ages.YEAR
LANSIA_FROM_YEARS = ages.ELDERLY.low // ages.YEAR
POSTPARTUM_DAYS = 42
NEWBORN_DAYS = ages.NEWBORN_DAYS

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


class PersonRow(NamedTuple):
    """The columns of a person a work list shows (no ORM object). A named tuple: a puskesmas
    list makes ~50,000 of them, and a tuple is built several times faster than a frozen
    dataclass."""

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
    why: Text  # rendered in the reader's language where shown (codes: worklists.reasons)
    urgency: int  # 2 danger, 1 overdue, 0 due
    danger: bool = False
    detail: dict = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (
            -self.urgency,
            0 if self.state == "overdue" else 1,
            self.since,
            self.person.name,
            self.person.id,
            self.item,
        )


# -- area -----------------------------------------------------------------------------------


def area_filter(facility: Facility, prefix: str = "") -> Q:
    """Q over Person (or over rows pointing to a person, with ``prefix="person__"``) that keeps
    the residents of the facility's working area."""
    return _area_q(_served(facility), prefix)


def _served(facility: Facility) -> tuple[str, list[int]]:
    """The Person column that places a resident in the facility's area (``hamlet_id`` for a
    posyandu, ``village_id`` for a pustu or puskesmas) and the area ids it serves (one query:
    a work list asks once and builds every filter from the answer)."""
    served = list(facility.service_areas.values_list("id", "level"))
    if facility.kind == FacilityKind.POSYANDU:
        return "hamlet_id", [pk for pk, level in served if level == AreaLevel.HAMLET]
    if facility.kind in (FacilityKind.PUSTU, FacilityKind.PUSKESMAS):
        return "village_id", [pk for pk, level in served if level == AreaLevel.VILLAGE]
    raise ValidationFailed("Daftar kerja hanya untuk posyandu, pustu atau puskesmas.")


def _area_q(served: tuple[str, list[int]], prefix: str = "") -> Q:
    column, ids = served
    return Q(**{f"{prefix}{column}__in": ids})


def load_persons(facility: Facility, on: date, person_q: Q | None = None) -> dict[int, PersonRow]:
    """Living residents of the area born by `on`, keyed by id."""
    return _load_persons(area_filter(facility), on, person_q)


def _load_persons(
    area: Q, on: date, person_q: Q | None = None, narrow: Q | None = None
) -> dict[int, PersonRow]:
    qs = (
        Person.objects.active()
        .filter(area, birth_date__lte=on)
        .filter(Q(deceased_on__isnull=True) | Q(deceased_on__gt=on))
    )
    if person_q is not None:
        qs = qs.filter(person_q)
    if narrow is not None:
        qs = qs.filter(narrow)
    # The UUID as text: a UUID object per resident cost more than the rest of the row, and
    # every consumer (URLs, CSV, JSON) wants the text anyway.
    qs = qs.annotate(uuid_text=Cast("uuid", output_field=CharField()))
    rows = qs.values_list(*["uuid_text" if f == "uuid" else f for f in PERSON_FIELDS])
    new = tuple.__new__  # PersonRow from the row tuple as it is: no per-field copying
    if connection.vendor == "postgresql":
        return {r[0]: new(PersonRow, r) for r in rows}
    # SQLite stores UUIDs as 32 hex digits; PostgreSQL casts them with dashes.
    return {r[0]: new(PersonRow, (r[0], _dashed(r[1]), *r[2:])) for r in rows}


def _dashed(text: str) -> str:
    if len(text) != 32:
        return text
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


# A person's CareSummary as far as it may be trusted on the list's date: a tuple of
# (last weighed, last PTM screening, last lansia screening, has dose windows).
_Summary = tuple[date | None, date | None, date | None, bool]
_LAST_WEIGHED, _LAST_PTM, _LAST_LANSIA, _HAS_WINDOWS = range(4)


def _summaries(
    area: Q, rows: dict[int, PersonRow], on: date, band: Q | None
) -> dict[int, _Summary]:
    """The CareSummary of each listed person that holds on `on`: no record it summarises is
    dated after `on`, and the birth date and sex it was made from are the person's. Read by
    the area copied onto the summary: one indexed table, no join (joining it to the persons
    cost twice as much). A summary whose copy of the area is out of date (the person moved)
    is not found or not listed, and that person's records are read instead."""
    out = {}
    get = rows.get
    qs = CareSummary.objects.filter(area)  # the summary's copy of the area columns
    if band is not None:
        qs = qs.filter(band)  # the summary's copy of the birth date: mismatches are dropped
    for summary in qs.filter(Q(basis__isnull=True) | Q(basis__lte=on)).values_list(
        "person_id",
        "birth_date",
        "sex",
        "last_weighed",
        "last_ptm",
        "last_lansia",
        "has_windows",
    ):
        p = get(summary[0])
        if p is not None and summary[1] == p.birth_date and summary[2] == p.sex:
            out[summary[0]] = summary[3:]
    return out


@dataclass(slots=True)
class _People:
    """The persons of a work list, sorted once into the groups the sections read: children
    under five, adults from 15 (with birth dates), women, newborns; and the summaries that
    hold on the list's date (persons without one are read from records). Only the age bands
    the list's item kinds need are read up front; a section that meets someone else (a task
    or a pregnancy of a school child or of an adult in a children's list) asks
    ``include`` for them."""

    persons: dict[int, PersonRow]
    summaries: dict[int, _Summary]
    load: Callable[[list[int]], dict[int, PersonRow]] | None = None
    children: list[int] = field(default_factory=list)
    adults: list[tuple[int, date]] = field(default_factory=list)
    women: set[int] = field(default_factory=set)
    newborns: list[int] = field(default_factory=list)

    def row(self, pid: int) -> PersonRow:
        return self.persons[pid]

    def include(self, ids: Iterable[int]) -> None:
        """Read the persons of `ids` not read yet (those outside the area, the user's scope
        or alive on the list's date stay out)."""
        if self.load is None:
            return
        missing = sorted({pid for pid in ids if pid not in self.persons})
        if not missing:
            return
        for pid, p in self.load(missing).items():
            self.persons[pid] = p
            if p.sex == "F":
                self.women.add(pid)


def _people(
    persons: dict[int, PersonRow],
    summaries: dict[int, _Summary],
    on: date,
    load: Callable[[list[int]], dict[int, PersonRow]] | None = None,
) -> _People:
    people = _People(persons, summaries, load)
    child_from = years_before(on, 5)
    # A little slack for 29 February birthdays: the screening rule says who is in its band.
    adult_by = years_before(on, PTM_FROM_YEARS) + timedelta(days=1)
    newborn_from = on - timedelta(days=NEWBORN_DAYS)
    children, adults = people.children.append, people.adults.append
    women, newborns = people.women.add, people.newborns.append
    for pid, p in persons.items():  # one pass: 90,000 residents in a large puskesmas
        birth = p.birth_date
        if birth > child_from:
            children(pid)
            if birth >= newborn_from:
                newborns(pid)
        elif birth <= adult_by:
            adults((pid, birth))
        if p.sex == "F":
            women(pid)
    return people


def _unsummarised(area: Q, ids: list[int]) -> Q:
    """Rows of the persons in `ids` (who have no usable summary): by id when they are few,
    by the area otherwise (callers keep only the rows of `ids`)."""
    return Q(person_id__in=ids) if len(ids) <= 1000 else area


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
    served = _served(facility)
    residents = _area_q(served)
    if persons is None:
        band = _age_band(wanted, on)
        persons = _load_persons(residents, on, person_q, band)
        summaries = _summaries(residents, persons, on, band)

        def load(ids: list[int]) -> dict[int, PersonRow]:
            return _load_persons(residents, on, person_q, Q(pk__in=ids))

        people = _people(persons, summaries, on, load)
    else:
        people = _people(persons, {}, on)
    area = _area_q(served, "person__")
    items: list[WorkItem] = []
    children = people.children

    sections = []
    if {"anc", "kf", "kn"} & wanted:
        sections.append((_maternal, (items, people, area, on, wanted)))
    if "imunisasi" in wanted and children:
        sections.append((_immunisation, (items, people, children, area, on)))
    if "timbang" in wanted and children:
        sections.append((_weighing, (items, people, children, area, on)))
    if "skrining" in wanted:
        sections.append((_screening, (items, people, area, on)))
    if {"tindak-lanjut", "kunjungan-rumah", "rujuk-balik"} & wanted:
        sections.append((_tasks, (items, people, area, on, wanted, cluster)))
    for fn, args in sections:
        try:
            fn(*args)
        except rules.RuleMissing as exc:  # a standards module not yet installed
            logger.warning("work list: %s skipped (%s)", fn.__name__, exc)
    return _in_order(items)


_BY_PERSON_THEN_ITEM = attrgetter("person.name", "person.id", "item")


def _in_order(items: list[WorkItem]) -> list[WorkItem]:
    """``items`` in ``WorkItem.sort_key`` order. Grouped first by (urgency, state, since),
    a few hundred groups, then each group by name, person and item: a puskesmas list has
    groups of 20,000 items that differ only by name, and comparing whole key tuples for
    them cost ~40 % more."""
    groups: dict[tuple, list[WorkItem]] = {}
    for it in items:
        key = (-it.urgency, it.state != "overdue", it.since)
        group = groups.get(key)
        if group is None:
            groups[key] = [it]
        else:
            group.append(it)
    out: list[WorkItem] = []
    for key in sorted(groups):
        group = groups[key]
        group.sort(key=_BY_PERSON_THEN_ITEM)
        out.extend(group)
    return out


def _age_band(wanted: set[str], on: date) -> Q:
    """The residents whose rows a list of these item kinds reads up front: children under
    five (doses, weighing, KN) and adults from 15 (annual screening). Pregnant women and
    persons with tasks are read as the sections meet them (``_People.include``)."""
    children = Q(birth_date__gt=years_before(on, 5))
    # A little slack for 29 February birthdays: the screening rule says who is in its band.
    adults = Q(birth_date__lte=years_before(on, PTM_FROM_YEARS) + timedelta(days=1))
    need_children = bool({"imunisasi", "timbang", "kn"} & wanted)
    need_adults = "skrining" in wanted
    if need_children and need_adults:
        return children | adults
    if need_children:
        return children
    if need_adults:
        return adults
    return Q(pk__in=[])


def _item(person: PersonRow, code: str, d: rules.Due, why: Text, danger: bool = False, **detail):
    urgency = URGENCY_DANGER if danger else URGENCY_OVERDUE if d.state == "overdue" else URGENCY_DUE
    return WorkItem(person, code, d.state, d.since, why, urgency, danger, detail)


def _immunisation(items, people, children, area, on) -> None:
    persons, summaries = people.persons, people.summaries
    child_born_after = years_before(on, 5)
    windows: dict[int, list[rules.DoseWindow]] = defaultdict(list)
    summarised = {pid for pid in children if (s := summaries.get(pid)) and s[_HAS_WINDOWS]}
    if summarised:
        for pid, code, due_from, overdue_from, until in (
            DoseWindow.objects.filter(area, person__birth_date__gt=child_born_after)
            .filter(due_from__lte=on)
            .filter(Q(until__isnull=True) | Q(until__gte=on))
            .values_list("person_id", "code", "due_from", "overdue_from", "until")
        ):
            if pid in summarised:
                windows[pid].append(rules.DoseWindow(code, due_from, overdue_from, until))
    rest = [pid for pid in children if pid not in summarised]
    if rest:
        given: dict[int, list[tuple[str, date]]] = defaultdict(list)
        wanted = set(rest)
        rows = (
            ImmunizationRecord.objects.active()
            .filter(
                _unsummarised(area, rest),
                person__birth_date__gt=child_born_after,
                valid=True,
                date__lte=on,
            )
            .values_list("person_id", "dose_code", "date")
        )
        for pid, code, d in rows:
            if pid in wanted:
                given[pid].append((code, d))
        for pid in rest:
            windows[pid] = rules.immunization_windows(
                sex=persons[pid].sex, birth_date=persons[pid].birth_date, given=given.get(pid, ())
            )
    # (code, state, since) → item code and text: a puskesmas list repeats a few hundred of
    # them over ~25,000 items.
    texts: dict[tuple[str, str, date], tuple[str, Text]] = {}
    row, append = people.row, items.append
    for pid, child_windows in windows.items():
        for w in child_windows:
            d = w.at(on)
            if d is None:
                continue
            key = (d.code, d.state, d.since)
            text = texts.get(key)
            if text is None:
                text = texts[key] = (
                    f"imunisasi:{d.code}",
                    Text(f"care.why.dose_{d.state}", {"dose": d.code, "since": d.since}),
                )
            urgency = URGENCY_OVERDUE if d.state == "overdue" else URGENCY_DUE
            append(WorkItem(row(pid), text[0], d.state, d.since, text[1], urgency, False, {}))


_WEIGH_THIS_MONTH = Text("care.why.weigh_this_month")
_WEIGH_NEVER = Text("care.why.weigh_never")


def _weighing(items, people, children, area, on) -> None:
    month_start = on.replace(day=1)
    summaries = people.summaries
    last = {pid: s[_LAST_WEIGHED] for pid in children if (s := summaries.get(pid)) is not None}
    rest = [pid for pid in children if pid not in last]
    if rest:
        wanted = set(rest)
        for pid, d in (
            Observation.objects.active()
            .filter(
                _unsummarised(area, rest),
                person__birth_date__gt=years_before(on, 5),
                code=rules.OBS_WEIGHT,
                date__lte=on,
            )
            .values("person_id")
            .annotate(last=Max("date"))
            .values_list("person_id", "last")
        ):
            if pid in wanted:
                last[pid] = d
    persons = people.persons
    for pid in children:
        birth = persons[pid].birth_date
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
            why = _WEIGH_THIS_MONTH
        else:
            state = "overdue"
            since = start
            if lw is None:
                why = _WEIGH_NEVER
            else:
                why = Text("care.why.weigh_since", {"month": Month(start.year, start.month)})
        items.append(
            _item(
                people.row(pid), "timbang", rules.Due("timbang", state, since), why, last_weighed=lw
            )
        )


def _screening(items, people, area, on) -> None:
    adult_born_by = years_before(on, PTM_FROM_YEARS)
    # A little slack for 29 February birthdays: the rule itself says who is in its band.
    adult_slack = adult_born_by + timedelta(days=1)
    adults = people.adults
    if not adults:
        return
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
    summary = people.summaries.get
    rest: dict[int, tuple[list[date | None], int]] = {}  # no summary: where its last goes
    for pid, birth in adults:
        s = summary(pid)
        if birth <= lansia_born_by or (
            birth == edge and completed_years(birth, on) >= LANSIA_FROM_YEARS
        ):
            if s is None:
                rest[pid] = (lansia_lasts, len(lansia_lasts))
            lansia_ids.append(pid)
            lansia_births.append(birth)
            lansia_lasts.append(s and s[_LAST_LANSIA])
        else:
            if s is None:
                rest[pid] = (ptm_lasts, len(ptm_lasts))
            ptm_ids.append(pid)
            ptm_births.append(birth)
            ptm_lasts.append(s and s[_LAST_PTM])
    if rest:
        rows = (
            Encounter.objects.active()
            .filter(
                _unsummarised(area, list(rest)),
                person__birth_date__lte=adult_slack,
                package__in=(ServicePackage.ADULT, ServicePackage.ELDERLY),
                date__lte=on,
            )
            .values("person_id", "package")
            .annotate(last=Max("date"))
            .values_list("person_id", "package", "last")
        )
        for pid, package, d in rows:
            slot = rest.get(pid)
            if slot is None:
                continue
            lasts, i = slot
            # PTM counts both packages; lansia only the elderly one.
            if (lasts is ptm_lasts or package == ServicePackage.ELDERLY) and d > (
                lasts[i] or date.min
            ):
                lasts[i] = d
    states = rules.screening_due_many
    row = people.row
    append = items.append
    for kind, (pids, births, lasts) in groups.items():
        if not pids:
            continue
        formatted: dict[date, Text] = {}
        code = f"skrining:{kind}"
        never = Text("care.why.screen_never", {"kind": kind})
        for i, state, since in states(kind=kind, birth_dates=births, lasts=lasts, on=on):
            last = lasts[i]
            if last is None:
                why = never
            else:
                text = formatted.get(last)
                if text is None:
                    text = formatted[last] = Text(
                        "care.why.screen_last", {"kind": kind, "last": last}
                    )
                why = text
            urgency = URGENCY_OVERDUE if state == "overdue" else URGENCY_DUE
            append(
                WorkItem(
                    row(pids[i]), code, state, since, why, urgency, False, {"last_screened": last}
                )
            )


def _visit_why(kind: str, d: rules.Due, risk: str = "") -> Text:
    """'Kontak ANC K3 terlambat sejak …', with the missed windows and the KSPR class."""
    why = Text(f"care.why.{kind}_{d.state}", {"visit": d.code, "since": d.since})
    if d.missed:
        why = Text("care.why.missed", {"reason": why, "missed": ", ".join(d.missed)})
    if risk:
        why = Text("care.why.risk", {"reason": why, "risk": risk})
    return why


def _maternal(items, people, area, on, wanted) -> set[int]:
    """ANC for ongoing pregnancies, KF for recent deliveries, KN for newborns."""
    rows = list(
        Pregnancy.objects.active()
        .filter(area)
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
    )
    people.include(r[1] for r in rows)
    women = people.women
    pregnancies = [row for row in rows if row[1] in women]
    preg_ids = [r[0] for r in pregnancies]
    contacts: dict[tuple[int, str], list[date]] = defaultdict(list)
    kspr: dict[int, tuple[date, str]] = {}
    if preg_ids:
        enc = (
            Encounter.objects.active()
            .filter(
                pregnancy_id__in=preg_ids,
                package__in=(ServicePackage.ANC, ServicePackage.POSTPARTUM),
                date__lte=on,
            )
            .values_list("pregnancy_id", "package", "date")
        )
        for preg, package, d in enc:
            contacts[(preg, package)].append(d)
        for preg, d, code in (
            Screening.objects.active()
            .filter(
                encounter__pregnancy_id__in=preg_ids,
                instrument=rules.INSTRUMENT_KSPR,
                date__lte=on,
            )
            .values_list("encounter__pregnancy_id", "date", "result_code")
        ):
            if preg not in kspr or d >= kspr[preg][0]:
                kspr[preg] = (d, code)
    danger = {p for p, (_, code) in kspr.items() if code in rules.KSPR_HIGH_RISK}
    for preg, pid, lmp, edd, outcome, outcome_date in pregnancies:
        p = people.row(pid)
        is_danger = preg in danger
        risk = kspr[preg][1].upper() if is_danger else ""
        if outcome == PregnancyOutcome.ONGOING and "anc" in wanted:
            d = rules.anc_due(
                lmp=lmp, edd=edd, contacts=contacts.get((preg, ServicePackage.ANC), ()), on=on
            )
            if d is not None:
                why = _visit_why("anc", d, risk)
                items.append(_item(p, f"anc:{d.code}", d, why, is_danger, pregnancy_id=preg))
        elif outcome != PregnancyOutcome.ONGOING and outcome_date and "kf" in wanted:
            for d in rules.kf_due(
                delivery=outcome_date,
                visits=contacts.get((preg, ServicePackage.POSTPARTUM), ()),
                on=on,
            ):
                why = _visit_why("kf", d, risk)
                items.append(_item(p, f"kf:{d.code}", d, why, is_danger, pregnancy_id=preg))
    if "kn" in wanted:
        newborn_from = on - timedelta(days=NEWBORN_DAYS)
        babies = people.newborns
        if babies:
            visits: dict[int, list[date]] = defaultdict(list)
            for pid, d in (
                Encounter.objects.active()
                .filter(
                    area,
                    person__birth_date__gte=newborn_from,
                    package=ServicePackage.NEWBORN,
                    date__lte=on,
                )
                .values_list("person_id", "date")
            ):
                visits[pid].append(d)
            for pid in babies:
                p = people.row(pid)
                for d in rules.kn_due(birth=p.birth_date, visits=visits.get(pid, ()), on=on):
                    why = _visit_why("kn", d)
                    items.append(_item(p, f"kn:{d.code}", d, why))
    return danger


_TASK_HOME_VISIT = Text("care.why.task_home_visit")
_TASK_FOLLOW_UP = Text("care.why.task_follow_up")


def _day_after(on: date) -> datetime:
    """The start of the day after `on` in the current time zone (rows created before it were
    created by the end of `on`)."""
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))


def _tasks(items, people, area, on, wanted, cluster) -> None:
    kinds = []
    if "tindak-lanjut" in wanted:
        kinds += [TaskKind.FOLLOW_UP, TaskKind.REFER]
    if "kunjungan-rumah" in wanted:
        kinds.append(TaskKind.HOME_VISIT)
    if "rujuk-balik" in wanted:
        kinds.append(TaskKind.BACK_REFERRAL)
    # A rujuk balik follow-up is listed from the day it was opened (the answer), not only from
    # its due date: the kader may visit as soon as the person is home.
    listed = Q(due_date__lte=on)
    if TaskKind.BACK_REFERRAL in kinds:
        listed |= Q(kind=TaskKind.BACK_REFERRAL, created_at__lt=_day_after(on))
    qs = Task.objects.filter(area, listed, status=TaskStatus.OPEN, kind__in=kinds)
    if cluster:
        qs = qs.filter(
            Q(source_encounter__isnull=True) | Q(source_encounter__cluster__in=[cluster, "lintas"])
        )
    qs = qs.annotate(
        uuid_text=Cast("uuid", output_field=CharField()),
        referral_text=Cast("source_referral", output_field=CharField()),
    )
    rows = list(
        qs.values_list(
            "person_id",
            "kind",
            "reason_code",
            "reason_params",
            "due_date",
            "uuid_text",
            "referral_text",
        )
    )
    people.include(r[0] for r in rows)
    persons, row, append = people.persons, people.row, items.append
    for pid, kind, reason_code, reason_params, due, uuid, referral in rows:
        if pid not in persons:
            continue
        if kind == TaskKind.BACK_REFERRAL:
            # Due from the answer until its due date, overdue from the day after (like a task).
            why = Text.from_json({"code": reason_code, "params": reason_params or {}})
            if due < on:
                state, since, urgency = "overdue", due, URGENCY_OVERDUE
            else:
                answered = why.params.get("date")
                since = answered if isinstance(answered, date) else due
                state, urgency = "due", URGENCY_DUE
            detail = {"task": _dashed(uuid), "referral": _dashed(referral) if referral else ""}
            append(WorkItem(row(pid), "rujuk-balik", state, since, why, urgency, False, detail))
            continue
        state = "overdue" if due < on else "due"
        code = "kunjungan-rumah" if kind == TaskKind.HOME_VISIT else "tindak-lanjut"
        if reason_code:
            why = Text.from_json({"code": reason_code, "params": reason_params or {}})
        else:
            why = _TASK_HOME_VISIT if code == "kunjungan-rumah" else _TASK_FOLLOW_UP
        if kind == TaskKind.REFER:
            why = Text("care.why.refer", {"reason": why})
            urgency = URGENCY_DANGER
        else:
            urgency = URGENCY_OVERDUE if state == "overdue" else URGENCY_DUE
        append(
            WorkItem(
                row(pid),
                code,
                state,
                due,
                why,
                urgency,
                kind == TaskKind.REFER,
                {"task": _dashed(uuid)},
            )
        )
