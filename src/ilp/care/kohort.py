"""Kohort registers (kohort ibu, kohort bayi, kohort balita) as row data, replacing the paper
registers of the pustu and puskesmas.

Each register is a list of plain dicts (one per pregnancy or child) whose keys are listed, with
their Indonesian headers, by ``columns(<register>)``; the HTML views and the Excel export
(:mod:`ilp.care.exports`) both render from that. Rows are built from a handful of set queries
over the area (as the work lists do), never one query per person.

Scoped, audited entry points for views: :func:`kohort_for_user`. Internal (facility, no
user): :func:`kohort_ibu`, :func:`kohort_bayi`, :func:`kohort_balita`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import person_scope_q
from ilp.accounts.audit import audit_bulk_view
from ilp.care.models import (
    Encounter,
    ImmunizationRecord,
    Observation,
    Screening,
    ServicePackage,
    Supply,
    SupplyItem,
)
from ilp.care.worklists import facility_for_user, load_persons, rules
from ilp.care.worklists.engine import MONTHS_ID, area_filter
from ilp.people.models import Person, Pregnancy, PregnancyOutcome
from ilp.places.models import Facility
from ilp.standards.dates import years_before
from ilp.standards.lifestage import completed_months, completed_years

REGISTERS = ("ibu", "bayi", "balita")

_PERSON_COLS = [
    ("person_id", "Nomor ILP"),
    ("nik", "NIK"),
    ("name", "Nama"),
]


def _schedule_codes(*groups: str) -> list[str]:
    from ilp.standards.immunization import schedule_entries

    return [e["code"] for e in schedule_entries() if e["group"] in groups and e["code"] != "JE"]


def infant_dose_codes() -> list[str]:
    return _schedule_codes("infant")


def balita_dose_codes() -> list[str]:
    return _schedule_codes("baduta")


def columns(register: str) -> list[tuple[str, str]]:
    """(key, Indonesian header) of each column of a register, in order."""
    if register == "ibu":
        return [
            *_PERSON_COLS,
            ("age", "Umur (th)"),
            ("lmp", "HPHT"),
            ("edd", "HTP"),
            ("gpa", "G/P/A"),
            *[(f"k{n}", f"K{n}") for n in range(1, 7)],
            ("kspr", "KSPR"),
            ("kspr_score", "Skor KSPR"),
            ("hb", "Hb (g/dL)"),
            ("hb_date", "Tgl Hb"),
            ("td", "Status Td"),
            ("td_date", "Tgl Td"),
            ("delivery", "Tgl persalinan"),
            ("outcome", "Hasil"),
            *[(f"kf{n}", f"KF{n}") for n in range(1, 5)],
        ]
    if register == "bayi":
        return [
            *_PERSON_COLS,
            ("sex", "L/P"),
            ("birth_date", "Tgl lahir"),
            ("mother", "Nama ibu"),
            *[(f"kn{n}", f"KN{n}") for n in range(1, 4)],
            *[(f"imm:{c}", c) for c in infant_dose_codes()],
            *[(f"bb{m}", f"BB bln {m}") for m in range(12)],
        ]
    if register == "balita":
        return [
            *_PERSON_COLS,
            ("sex", "L/P"),
            ("birth_date", "Tgl lahir"),
            ("age_months", "Umur (bln)"),
            *[(f"bb_{m + 1:02d}", f"BB {MONTHS_ID[m][:3]}") for m in range(12)],
            ("vita_feb", "Vit A Feb"),
            ("vita_aug", "Vit A Agu"),
            *[(f"imm:{c}", c) for c in balita_dose_codes()],
        ]
    raise ValueError(f"unknown register {register!r}; use one of {REGISTERS}")


def _person_cells(p) -> dict:
    return {"person_id": p.local_id, "nik": p.nik or "", "name": p.name, "_pk": p.id}


def _ordinal_visits(rows: list[tuple[int | None, date]], n_max: int) -> dict[int, date]:
    """Visit number → date: the recorded visit number when present, else the order of dates."""
    out: dict[int, date] = {}
    numbered = [(n, d) for n, d in rows if n]
    for n, d in sorted(numbered, key=lambda x: x[1]):
        if 1 <= n <= n_max and n not in out:
            out[n] = d
    k = 1
    for n, d in sorted(rows, key=lambda x: x[1]):
        if n:
            continue
        while k in out:
            k += 1
        if k > n_max:
            break
        out[k] = d
    return out


# -- kohort ibu -------------------------------------------------------------------------------


def kohort_ibu(facility: Facility, *, year: int, person_q: Q | None = None) -> list[dict]:
    """Pregnancies of the area's women running during `year` (by LMP to delivery or EDD)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    on = min(end, timezone.localdate())
    persons = load_persons(facility, end, person_q)
    preg_rows = [
        r
        for r in Pregnancy.objects.active()
        .filter(area_filter(facility, "person__"), edd__gte=start)
        .filter(Q(lmp__lte=end) | Q(lmp__isnull=True, edd__lte=end + timedelta(days=280)))
        .filter(Q(outcome_date__isnull=True) | Q(outcome_date__gte=start))
        .values_list(
            "id", "person_id", "lmp", "edd", "gravida", "para", "abortus", "outcome", "outcome_date"
        )
        if r[1] in persons
    ]
    ids = [r[0] for r in preg_rows]
    visits: dict[tuple[int, str], list] = defaultdict(list)
    kspr: dict[int, tuple] = {}
    hb: dict[int, tuple] = {}
    td: dict[int, tuple] = {}
    if ids:
        for preg, package, n, d in (
            Encounter.objects.active()
            .filter(
                pregnancy_id__in=ids, package__in=(ServicePackage.ANC, ServicePackage.POSTPARTUM)
            )
            .values_list("pregnancy_id", "package", "visit_number", "date")
        ):
            visits[(preg, package)].append((n, d))
        for preg, d, code, score in (
            Screening.objects.active()
            .filter(encounter__pregnancy_id__in=ids, instrument=rules.INSTRUMENT_KSPR)
            .values_list("encounter__pregnancy_id", "date", "result_code", "score")
        ):
            if preg not in kspr or d >= kspr[preg][0]:
                kspr[preg] = (d, code, score)
        for preg, d, value in (
            Observation.objects.active()
            .filter(encounter__pregnancy_id__in=ids, code=rules.OBS_HB)
            .values_list("encounter__pregnancy_id", "date", "value")
        ):
            if preg not in hb or d >= hb[preg][0]:
                hb[preg] = (d, value)
        women = list({r[1] for r in preg_rows})
        for pid, d, code in (
            ImmunizationRecord.objects.active()
            .filter(person_id__in=women, dose_code__startswith="Td T", valid=True)
            .values_list("person_id", "date", "dose_code")
        ):
            if pid not in td or d >= td[pid][0]:
                td[pid] = (d, code)
    outcome_labels = dict(PregnancyOutcome.choices)
    rows = []
    for preg, pid, lmp, edd, g, para, ab, outcome, outcome_date in sorted(
        preg_rows, key=lambda r: (r[2] or r[3], persons[r[1]].name)
    ):
        p = persons[pid]
        anc = _ordinal_visits(visits.get((preg, ServicePackage.ANC), []), 6)
        kf = _ordinal_visits(visits.get((preg, ServicePackage.POSTPARTUM), []), 4)
        row = _person_cells(p)
        row.update(
            age=completed_years(p.birth_date, lmp or on),
            lmp=lmp,
            edd=edd,
            gpa=f"G{g}P{para}A{ab}",
            kspr=(kspr[preg][1] or "").upper() if preg in kspr else "",
            kspr_score=kspr[preg][2] if preg in kspr else None,
            hb=hb[preg][1] if preg in hb else None,
            hb_date=hb[preg][0] if preg in hb else None,
            td=td[pid][1].replace("Td ", "") if pid in td else "",
            td_date=td[pid][0] if pid in td else None,
            delivery=outcome_date if outcome != PregnancyOutcome.ONGOING else None,
            outcome=str(outcome_labels.get(outcome, outcome)),
            _pregnancy=preg,
        )
        row.update({f"k{n}": anc.get(n) for n in range(1, 7)})
        row.update({f"kf{n}": kf.get(n) for n in range(1, 5)})
        rows.append(row)
    return rows


# -- kohort bayi ------------------------------------------------------------------------------


def _doses(area: Q, born_after: date, on: date) -> dict[int, dict[str, date]]:
    out: dict[int, dict[str, date]] = defaultdict(dict)
    for pid, code, d in (
        ImmunizationRecord.objects.active()
        .filter(area, person__birth_date__gt=born_after, valid=True, date__lte=on)
        .values_list("person_id", "dose_code", "date")
    ):
        if code not in out[pid] or d < out[pid][code]:
            out[pid][code] = d
    return out


def kohort_bayi(
    facility: Facility, *, on: date, person_q: Q | None = None, mother_q: Q | None = None
) -> list[dict]:
    """Infants (0–11 months on `on`): KN1–KN3, infant doses, weight per month of age.

    The mother is named only when she passes `mother_q` (the reader's scope over
    ``mother__``): an infant's mother living outside the reader's area is shown as such,
    without her name."""
    area = area_filter(facility, "person__")
    born_after = years_before(on, 1)
    persons = {
        pid: p
        for pid, p in load_persons(facility, on, person_q).items()
        if p.birth_date > born_after
    }
    if not persons:
        return []
    with_mother = Person.objects.filter(pk__in=list(persons), mother__isnull=False)
    mothers = {
        pid: (mother_id, name)
        for pid, mother_id, name in with_mother.filter(mother_q or Q()).values_list(
            "pk", "mother_id", "mother__full_name"
        )
    }
    mothers_outside = set(with_mother.values_list("pk", flat=True)) - set(mothers)
    kn: dict[int, list] = defaultdict(list)
    for pid, n, d in (
        Encounter.objects.active()
        .filter(
            area, person__birth_date__gt=born_after, package=ServicePackage.NEWBORN, date__lte=on
        )
        .values_list("person_id", "visit_number", "date")
    ):
        kn[pid].append((n, d))
    doses = _doses(area, born_after, on)
    weights: dict[int, dict[int, float]] = defaultdict(dict)
    for pid, d, value in (
        Observation.objects.active()
        .filter(area, person__birth_date__gt=born_after, code=rules.OBS_WEIGHT, date__lte=on)
        .order_by("date")
        .values_list("person_id", "date", "value")
    ):
        p = persons.get(pid)
        if p is not None:
            weights[pid][completed_months(p.birth_date, d)] = value
    codes = infant_dose_codes()
    rows = []
    for pid, p in sorted(persons.items(), key=lambda x: (x[1].birth_date, x[1].name)):
        row = _person_cells(p)
        mother_id, mother = mothers.get(pid, (None, ""))
        if pid in mothers_outside:
            mother = str(_("di luar wilayah Anda"))
        row.update(sex="L" if p.sex == "M" else "P", birth_date=p.birth_date, mother=mother)
        if mother_id is not None:
            row["_mother_pk"] = mother_id
        visits = _ordinal_visits(kn.get(pid, []), 3)
        row.update({f"kn{n}": visits.get(n) for n in range(1, 4)})
        row.update({f"imm:{c}": doses.get(pid, {}).get(c) for c in codes})
        row.update({f"bb{m}": weights.get(pid, {}).get(m) for m in range(12)})
        rows.append(row)
    return rows


# -- kohort balita ----------------------------------------------------------------------------


def kohort_balita(facility: Facility, *, on: date, person_q: Q | None = None) -> list[dict]:
    """Children 12–59 months on `on`: weight per calendar month of `on`'s year, vitamin A in
    February and August of that year, baduta doses."""
    area = area_filter(facility, "person__")
    born_after, born_by = years_before(on, 5), years_before(on, 1)
    persons = {
        pid: p
        for pid, p in load_persons(facility, on, person_q).items()
        if born_after < p.birth_date <= born_by
    }
    if not persons:
        return []
    year_start = date(on.year, 1, 1)
    weights: dict[int, dict[int, float]] = defaultdict(dict)
    for pid, d, value in (
        Observation.objects.active()
        .filter(
            area,
            person__birth_date__gt=born_after,
            code=rules.OBS_WEIGHT,
            date__gte=year_start,
            date__lte=on,
        )
        .order_by("date")
        .values_list("person_id", "date", "value")
    ):
        weights[pid][d.month] = value
    vita: dict[int, dict[int, date]] = defaultdict(dict)
    for pid, d in (
        Supply.objects.active()
        .filter(
            area,
            person__birth_date__gt=born_after,
            item__in=(SupplyItem.VITAMIN_A_BLUE, SupplyItem.VITAMIN_A_RED),
            date__gte=year_start,
            date__lte=on,
        )
        .values_list("person_id", "date")
    ):
        if d.month in (2, 8):
            vita[pid].setdefault(d.month, d)
    doses = _doses(area, born_after, on)
    codes = balita_dose_codes()
    rows = []
    for pid, p in sorted(persons.items(), key=lambda x: (x[1].birth_date, x[1].name)):
        row = _person_cells(p)
        row.update(
            sex="L" if p.sex == "M" else "P",
            birth_date=p.birth_date,
            age_months=completed_months(p.birth_date, on),
        )
        row.update({f"bb_{m:02d}": weights.get(pid, {}).get(m) for m in range(1, 13)})
        row.update(vita_feb=vita.get(pid, {}).get(2), vita_aug=vita.get(pid, {}).get(8))
        row.update({f"imm:{c}": doses.get(pid, {}).get(c) for c in codes})
        rows.append(row)
    return rows


# -- scoped entry point -----------------------------------------------------------------------


def kohort_for_user(
    user, facility, register: str, *, on: date, ip: str | None = None
) -> list[dict]:
    """The register (``ibu`` for `on`'s year, ``bayi`` or ``balita`` on `on`) of a facility in
    the user's scope, audited. Raises PermissionDenied/NotFound as the work lists do."""
    facility = facility_for_user(user, facility)
    scope = person_scope_q(user)
    if register == "ibu":
        rows = kohort_ibu(facility, year=on.year, person_q=scope)
    elif register == "bayi":
        rows = kohort_bayi(
            facility, on=on, person_q=scope, mother_q=person_scope_q(user, "mother__")
        )
    elif register == "balita":
        rows = kohort_balita(facility, on=on, person_q=scope)
    else:
        raise ValueError(f"unknown register {register!r}; use one of {REGISTERS}")
    audit_bulk_view(
        user=user,
        object_type=f"kohort_{register}",
        # The mothers named in the infants' register were read too.
        person_ids=sorted(
            {r["_pk"] for r in rows} | {r["_mother_pk"] for r in rows if "_mother_pk" in r}
        ),
        ip=ip,
        detail={"facility": facility.code, "date": on.isoformat()},
    )
    return rows
