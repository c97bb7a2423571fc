"""Data quality per puskesmas and posyandu and month: the scorecard, the ranked problems and
the records behind each problem (scoped to the reader, audited).

A scorecard is read for a district or kecamatan (one row per puskesmas whose working area
lies in it) or for a puskesmas (one row per posyandu under it, through its pustu). Each row
has every measure of ``MEASURES`` with its value, the counts behind it and its status by the
rule of ``ilp.standards.data_quality``:

| measure            | value                                               | whose records        |
| ------------------ | --------------------------------------------------- | -------------------- |
| sessions           | % of active posyandu that held a session that month | posyandu of the row  |
| weighed            | D/S: children under five weighed / registered       | residents (counts)   |
| on_time            | % of encounters entered ≤ 7 days after the service  | facilities of the row|
| implausible        | % of child weighings with a WHO-implausible z-score | facilities of the row|
| confirmed_unusual  | % of child weighings confirmed as unusual (flagged) | facilities of the row|
| digits_weight/_height | SMART digit preference score of the 0.1 digit    | facilities of the row|
| whipple            | Whipple's index of residents aged 23–62             | residents            |
| first_day          | birth dates on a month's 1st, on Whipple's scale    | residents            |
| no_nik             | % of living residents without a NIK                 | residents            |
| duplicates         | pairs of residents that look like one person        | residents            |

"Facilities of the row": a posyandu's own encounters; a puskesmas' own, its pustu's and their
posyandu's. "Residents": the living, not voided persons of the posyandu's dusun/RW or the
puskesmas' desa (state on the day read; the month does not change them). D/S comes from the
kept indicator counts (indicator ``ds``); the resident measures from the per-desa counts kept
by ``ilp.monitoring.residents`` (recounted on the read after a person of the desa changed);
the other measures read the month's records.

Who reads: ``can_view_data_quality`` (dinkes administrator and TPCB for the district, a
puskesmas for its own working area). Cross-sector viewers (camat, kepala desa) get neither the
scorecard nor the records: the measures count persons and records of small places, which
suppression below 5 would mostly blank out, and the lists are personal data. The records
behind a problem are listed only within ``person_scope_q`` and every list is one audit event.

A duplicate candidate is the rule of the registration check (``ilp.people.duplicates``): two
active persons of one desa born on the same day whose names are similar (token-sort ratio ≥
``NAME_SIMILARITY``). There is no review state yet in ``people``: a pair stays a candidate
until one of the two is voided as a duplicate.
"""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear, TruncDate
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz

from ilp.accounts.access import can_view_data_quality, person_scope_q
from ilp.accounts.audit import audit_bulk_view
from ilp.accounts.models import Role, User
from ilp.care.models import Encounter, Observation, PosyanduSession
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.monitoring.models import IndicatorCount
from ilp.monitoring.residents import village_residents
from ilp.people.duplicates import NAME_SIMILARITY
from ilp.people.models import Person
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind
from ilp.standards import data_quality as dq
from ilp.standards.growth import engine as growth

MEASURES = (
    "sessions",
    "weighed",
    "on_time",
    "implausible",
    "confirmed_unusual",
    "digits_weight",
    "digits_height",
    "whipple",
    "first_day",
    "no_nik",
    "duplicates",
)
MEASURE_LABELS = {
    "sessions": gettext_lazy("Posyandu buka"),
    "weighed": gettext_lazy("Balita ditimbang (D/S)"),
    "on_time": gettext_lazy("Dicatat tepat waktu"),
    "implausible": gettext_lazy("Z-skor tidak masuk akal (WHO)"),
    "confirmed_unusual": gettext_lazy("Nilai tidak biasa dikonfirmasi"),
    "digits_weight": gettext_lazy("Preferensi angka BB"),
    "digits_height": gettext_lazy("Preferensi angka TB/PB"),
    "whipple": gettext_lazy("Penumpukan umur (Whipple)"),
    "first_day": gettext_lazy("Tanggal lahir tgl 1"),
    "no_nik": gettext_lazy("Penduduk tanpa NIK"),
    "duplicates": gettext_lazy("Calon data ganda"),
}
# What a status means for each measure, shown beside the scorecard (thresholds in words).
MEASURE_HELP = {
    "sessions": gettext_lazy("Posyandu aktif yang membuka sesi bulan ini; baik ≥ 90%."),
    "weighed": gettext_lazy("Balita terdaftar yang ditimbang bulan ini; baik ≥ 80%."),
    "on_time": gettext_lazy("Kunjungan yang dicatat paling lambat 7 hari; baik ≥ 90%."),
    "implausible": gettext_lazy(
        "Penimbangan balita dengan z-skor di luar batas WHO (BB/U < −6 atau > 5, TB/U < −6 "
        "atau > 6, BB/TB < −5 atau > 5); baik ≤ 1%."
    ),
    "confirmed_unusual": gettext_lazy(
        "Penimbangan yang dipertanyakan aplikasi lalu dikonfirmasi petugas; baik ≤ 5%."
    ),
    "digits_weight": gettext_lazy(
        "Skor preferensi angka (SMART) desimal berat badan; 0 = merata, > 20 bermasalah."
    ),
    "digits_height": gettext_lazy(
        "Skor preferensi angka (SMART) desimal tinggi/panjang badan; > 20 bermasalah."
    ),
    "whipple": gettext_lazy(
        "Indeks Whipple umur 23–62 tahun; 100 = tanpa penumpukan, > 125 kasar."
    ),
    "first_day": gettext_lazy(
        "Tanggal lahir pada tanggal 1 dibanding yang diharapkan; 100 = wajar, > 125 menumpuk."
    ),
    "no_nik": gettext_lazy("Penduduk hidup tanpa NIK; baik ≤ 5%."),
    "duplicates": gettext_lazy(
        "Pasangan penduduk satu desa, tanggal lahir sama, nama mirip; baik 0."
    ),
}
# The problem's sentence, rendered in the reader's language when shown (never stored).
PROBLEM_TEXTS = {
    "sessions": gettext_lazy("%(place)s: hanya %(value)s posyandu yang buka (%(n)s dari %(d)s)"),
    "sessions_missed": gettext_lazy("%(place)s: tidak ada sesi posyandu bulan ini"),
    "weighed": gettext_lazy("%(place)s: D/S %(value)s (%(n)s dari %(d)s balita)"),
    "on_time": gettext_lazy(
        "%(place)s: %(value)s kunjungan dicatat tepat waktu (%(n)s terlambat > 7 hari)"
    ),
    "implausible": gettext_lazy(
        "%(place)s: %(value)s penimbangan dengan z-skor tidak masuk akal (%(n)s)"
    ),
    "confirmed_unusual": gettext_lazy(
        "%(place)s: %(value)s penimbangan dengan nilai tidak biasa (%(n)s)"
    ),
    "digits_weight": gettext_lazy(
        "%(place)s: berat badan menumpuk pada angka tertentu (skor %(value)s)"
    ),
    "digits_height": gettext_lazy(
        "%(place)s: tinggi badan menumpuk pada angka tertentu (skor %(value)s)"
    ),
    "whipple": gettext_lazy("%(place)s: umur menumpuk pada angka 0 dan 5 (Whipple %(value)s)"),
    "first_day": gettext_lazy(
        "%(place)s: tanggal lahir menumpuk pada tanggal 1 (indeks %(value)s)"
    ),
    "no_nik": gettext_lazy("%(place)s: %(value)s penduduk tanpa NIK (%(n)s orang)"),
    "duplicates": gettext_lazy("%(place)s: %(n)s pasangan calon data ganda menunggu diperiksa"),
}
# The heading of the records behind a measure (what the list holds), where it differs.
RECORDS_TITLES = {
    "on_time": gettext_lazy("Kunjungan yang dicatat lebih dari 7 hari setelah layanan"),
    "implausible": gettext_lazy("Penimbangan balita dengan z-skor tidak masuk akal"),
    "confirmed_unusual": gettext_lazy("Penimbangan dengan nilai tidak biasa yang dikonfirmasi"),
    "first_day": gettext_lazy("Penduduk dengan tanggal lahir pada tanggal 1"),
    "duplicates": gettext_lazy("Pasangan calon data ganda"),
    "sessions": gettext_lazy("Sesi posyandu bulan ini"),
    "digits_weight": gettext_lazy("Angka desimal berat badan"),
    "digits_height": gettext_lazy("Angka desimal tinggi/panjang badan"),
    "whipple": gettext_lazy("Umur penduduk 23–62 tahun menurut angka terakhir"),
}
STATUS_LABELS = {
    dq.OK: gettext_lazy("Baik"),
    dq.WARN: gettext_lazy("Perhatian"),
    dq.PROBLEM: gettext_lazy("Masalah"),
}
PERCENT_MEASURES = frozenset(
    {"sessions", "weighed", "on_time", "implausible", "confirmed_unusual", "no_nik"}
)
# Measures whose records are persons (their pages list names); the rest show aggregates.
PERSON_RECORDS = frozenset(
    {"on_time", "implausible", "confirmed_unusual", "first_day", "no_nik", "duplicates"}
)
RECORD_LIMIT = 500
GROWTH_CODES = ("weight", "height", "measured")
Served = tuple[int, str, int, int | None]  # (area id, code, level, parent id)


def require_quality_reader(user: User) -> None:
    if not can_view_data_quality(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca mutu data."))


# ---------------------------------------------------------------- the rows' places


@dataclass
class Unit:
    """A scorecard row's place: whose records and which residents it counts."""

    code: str
    name: str
    kind: str  # "area" | "puskesmas" | "posyandu"
    facilities: set[int] = field(default_factory=set)  # encounters recorded here count
    posyandu: set[int] = field(default_factory=set)  # expected to meet monthly
    villages: set[int] = field(default_factory=set)  # residents of these desa …
    hamlets: set[int] = field(default_factory=set)  # … or of these dusun/RW (posyandu)
    area_codes: set[str] = field(default_factory=set)  # D/S counts within these codes

    def residents_q(self, prefix: str = "") -> Q:
        if self.kind == "posyandu":
            return Q(**{f"{prefix}hamlet_id__in": sorted(self.hamlets)})
        return Q(**{f"{prefix}village_id__in": sorted(self.villages)})

    def holds_resident(self, village: int | None, hamlet: int | None) -> bool:
        if self.kind == "posyandu":
            return hamlet in self.hamlets
        return village in self.villages

    def holds_code(self, code: str) -> bool:
        return any(code == c or code.startswith(f"{c}.") for c in self.area_codes)


def _district_code(user: User) -> str | None:
    return user.area.code if user.role in (Role.DINKES_ADMIN, Role.TPCB) and user.area else None


def default_place(user: User) -> str:
    """Where the scorecard opens: a puskesmas' own, the district for district roles."""
    if user.role == Role.PUSKESMAS and user.facility is not None:
        return user.facility.code
    return _district_code(user) or ""


def _facilities_under(prefix: str) -> tuple[dict[int, dict[str, Any]], dict[int, list[Served]]]:
    """Active puskesmas, pustu and posyandu located within the area `prefix`, and what each
    serves [(area id, code, level, parent id)]."""
    rows: dict[int, dict[str, Any]] = {
        r["id"]: dict(r)
        for r in Facility.objects.filter(
            Q(area__code=prefix) | Q(area__code__startswith=f"{prefix}."),
            kind__in=[FacilityKind.PUSKESMAS, FacilityKind.PUSTU, FacilityKind.POSYANDU],
            is_active=True,
        ).values("id", "code", "name", "kind", "parent_id")
    }
    served: dict[int, list[Served]] = defaultdict(list)
    for fid, aid, code, level, parent in Facility.service_areas.through.objects.filter(
        facility_id__in=list(rows)
    ).values_list("facility_id", "area_id", "area__code", "area__level", "area__parent_id"):
        served[fid].append((aid, code, level, parent))
    return rows, served


def _puskesmas_of(rows: dict[int, dict[str, Any]]) -> dict[int, int]:
    """Facility id → the puskesmas above it (itself for a puskesmas)."""
    out: dict[int, int] = {}
    for fid in rows:
        f: dict[str, Any] | None = rows[fid]
        for _step in range(3):
            if f is None:
                break
            if f["kind"] == FacilityKind.PUSKESMAS:
                out[fid] = f["id"]
                break
            f = rows.get(f["parent_id"])
    return out


def _puskesmas_unit(
    fid: int, rows: dict[int, dict[str, Any]], served: dict[int, list[Served]], up: dict[int, int]
) -> Unit:
    f = rows[fid]
    unit = Unit(f["code"], f["name"], "puskesmas")
    for other, top in up.items():
        if top == fid:
            unit.facilities.add(other)
            if rows[other]["kind"] == FacilityKind.POSYANDU:
                unit.posyandu.add(other)
    for aid, code, level, _parent in served[fid]:
        if level == AreaLevel.VILLAGE:
            unit.villages.add(aid)
            unit.area_codes.add(code)
    return unit


def _posyandu_unit(
    fid: int, rows: dict[int, dict[str, Any]], served: dict[int, list[Served]]
) -> Unit:
    f = rows[fid]
    unit = Unit(f["code"], f["name"], "posyandu", facilities={fid}, posyandu={fid})
    for aid, code, level, parent in served[fid]:
        if level == AreaLevel.HAMLET and parent is not None:  # a dusun always has its desa
            unit.hamlets.add(aid)
            unit.villages.add(parent)
            unit.area_codes.add(code)
    return unit


def _merge(code: str, name: str, kind: str, units: Iterable[Unit]) -> Unit:
    top = Unit(code, name, kind)
    for u in units:
        top.facilities |= u.facilities
        top.posyandu |= u.posyandu
        top.villages |= u.villages
        top.hamlets |= u.hamlets
        top.area_codes |= u.area_codes
    return top


def _not_found(code: str) -> NotFound:
    return NotFound(_("Wilayah %(code)s tidak ada atau di luar wilayah Anda.") % {"code": code})


def units_for(user: User, code: str) -> tuple[Unit, list[Unit]]:
    """The place `code` names (a district, a kecamatan or a puskesmas the user reads) and
    its rows: the puskesmas in an area, the posyandu of a puskesmas."""
    require_quality_reader(user)
    if user.role == Role.PUSKESMAS:
        own = user.facility
        if own is None or code != own.code:
            raise _not_found(code)
        # Its pustu and posyandu lie in its regency (codes: province.regency.…).
        prefix = ".".join(own.area.code.split(".")[:2])
    else:
        prefix = _district_code(user) or ""
    if not prefix:
        raise _not_found(code)
    rows, served = _facilities_under(prefix)
    up = _puskesmas_of(rows)
    puskesmas = next(
        (fid for fid, f in rows.items() if f["code"] == code and f["kind"] == "puskesmas"), None
    )
    if user.role == Role.PUSKESMAS and puskesmas != user.facility_id:
        raise _not_found(code)
    if puskesmas is not None:
        top = _puskesmas_unit(puskesmas, rows, served, up)
        children = [
            _posyandu_unit(fid, rows, served)
            for fid in sorted(top.posyandu, key=lambda i: rows[i]["code"])
        ]
        return top, children
    area = (
        Area.objects.filter(code=code, level__lte=AreaLevel.DISTRICT)
        .filter(Q(code=prefix) | Q(code__startswith=f"{prefix}."))
        .first()
    )
    if area is None:
        raise _not_found(code)
    units = []
    for fid in sorted(
        (i for i, f in rows.items() if f["kind"] == "puskesmas"), key=lambda i: rows[i]["code"]
    ):
        unit = _puskesmas_unit(fid, rows, served, up)
        if any(c == area.code or c.startswith(f"{area.code}.") for c in unit.area_codes):
            units.append(unit)
    top = _merge(area.code, area.name, "area", units)
    top.area_codes = {area.code}  # one prefix for the kept counts of the whole area
    return top, units


# ---------------------------------------------------------------- counting


@dataclass
class Tally:
    """The counts a unit's measures are read from."""

    posyandu: int = 0
    sessions_held: int = 0
    weighed: int = 0
    children: int = 0
    lags: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    weighings: int = 0
    implausible: int = 0
    confirmed: int = 0
    weight_digits: list[int] = field(default_factory=lambda: [0] * 10)
    height_digits: list[int] = field(default_factory=lambda: [0] * 10)
    ages: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    residents: int = 0
    first_day: int = 0
    no_nik: int = 0
    duplicates: int = 0


def month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class Weighing:
    encounter: int
    facility: int
    person: int
    day: date
    sex: str
    birth_date: date
    flagged: bool = False
    weight: float | None = None
    height: float | None = None
    measured: str = ""
    implausible: bool = False
    z: dict[str, float] = field(default_factory=dict)


def _weighings(
    facilities: set[int], first: date, last: date, *, with_z: bool = True
) -> list[Weighing]:
    """The month's child-package encounters at `facilities` with their weight, height and
    position, each judged against WHO's implausible z-score limits (`with_z`: keep the
    z-scores too, for a page that shows them)."""
    # The person's sex and birth date through the encounter: one lookup per encounter, not
    # per observation (the observations are two or three per weighing).
    obs = Observation.objects.active().filter(
        code__in=GROWTH_CODES,
        encounter__package="child",
        encounter__voided_at__isnull=True,
        encounter__date__range=(first, last),
        encounter__facility_id__in=sorted(facilities),
    )
    by_encounter: dict[int, Weighing] = {}
    for eid, fid, pid, day, sex, birth, code, value, text, flagged in obs.values_list(
        "encounter_id",
        "encounter__facility_id",
        "person_id",
        "encounter__date",
        "encounter__person__sex",
        "encounter__person__birth_date",
        "code",
        "value",
        "value_text",
        "flagged",
    ):
        w = by_encounter.get(eid)
        if w is None:
            w = by_encounter[eid] = Weighing(eid, fid, pid, day, sex, birth)
        w.flagged = w.flagged or flagged
        if code == "weight":
            w.weight = value
        elif code == "height":
            w.height = value
        else:
            w.measured = text
    weighings = [w for w in by_encounter.values() if w.weight is not None]
    if weighings:
        ages = np.array([(w.day - w.birth_date).days for w in weighings], dtype=float)
        scores = growth.score(
            np.array([w.sex for w in weighings]),
            ages,
            weight_kg=np.array([w.weight for w in weighings], dtype=float),
            length_cm=np.array(
                [np.nan if w.height is None else w.height for w in weighings], dtype=float
            ),
            measured=np.array([w.measured or None for w in weighings], dtype=object),
        )
        implausible = np.zeros(len(weighings), dtype=bool)
        for index, (low, high) in dq.IMPLAUSIBLE_Z.items():  # dq.implausible_z, per array
            z = np.asarray(scores.z[index], dtype=float)
            implausible |= (z < low) | (z > high)  # a missing z (NaN) compares False
        for i in np.flatnonzero(implausible).tolist():
            weighings[i].implausible = True
        if with_z:
            for index in dq.IMPLAUSIBLE_Z:
                for k, score in enumerate(scores.z[index].tolist()):
                    if not math.isnan(score):
                        weighings[k].z[index] = score
    return weighings


def _tally(units: list[Unit], top: Unit, year: int, month: int) -> dict[str, Tally]:
    """Counts per unit code (children and the top) for the month."""
    first, last = month_range(year, month)
    tallies = {u.code: Tally() for u in (top, *units)}
    everyone = (top, *units)
    by_facility: dict[int, list[Tally]] = defaultdict(list)
    for u in everyone:
        for fid in u.facilities:
            by_facility[fid].append(tallies[u.code])
    # sessions
    held = set(
        PosyanduSession.objects.filter(
            posyandu_id__in=sorted(top.posyandu), date__range=(first, last)
        )
        .values_list("posyandu_id", flat=True)
        .order_by()
        .distinct()
    )
    for u in everyone:
        tallies[u.code].posyandu = len(u.posyandu)
        tallies[u.code].sessions_held = len(u.posyandu & held)
    # D/S from the kept counts (indicator "ds": monthly)
    within = Q()
    for code in top.area_codes:
        within |= Q(area__code=code) | Q(area__code__startswith=f"{code}.")
    if top.area_codes:
        for row in (
            IndicatorCount.objects.filter(within, indicator="ds", year=year, month=month)
            .values("area__code")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
            .order_by()
        ):
            for u in everyone:
                if u.holds_code(row["area__code"]):
                    tallies[u.code].weighed += row["n"]
                    tallies[u.code].children += row["d"]
    # timeliness: days from the service date to the day it was entered
    for fid, day, entered, n in (
        Encounter.objects.active()
        .filter(facility_id__in=sorted(top.facilities), date__range=(first, last))
        .annotate(entered=TruncDate("created_at"))
        .values("facility_id", "date", "entered")
        .annotate(n=Count("id"))
        .values_list("facility_id", "date", "entered", "n")
        .order_by()
    ):
        lag = (entered - day).days
        for t in by_facility[fid]:
            t.lags[lag] += n
    # weighings: plausibility and digits
    # Summed per facility first (a few hundred), then into the rows holding each facility.
    per_facility: dict[int, Tally] = defaultdict(Tally)
    for w in _weighings(top.facilities, first, last, with_z=False):
        f = per_facility[w.facility]
        f.weighings += 1
        f.implausible += w.implausible
        f.confirmed += w.flagged
        if w.weight is not None:
            f.weight_digits[dq.terminal_digit(w.weight)] += 1
        if w.height is not None:
            f.height_digits[dq.terminal_digit(w.height)] += 1
    for fid, f in per_facility.items():
        for t in by_facility[fid]:
            t.weighings += f.weighings
            t.implausible += f.implausible
            t.confirmed += f.confirmed
            for digit in range(10):
                t.weight_digits[digit] += f.weight_digits[digit]
                t.height_digits[digit] += f.height_digits[digit]
    # residents: age heaping, NIK and duplicate candidates (state now; ages at the end of
    # the month read), from the kept per-desa counts (``ilp.monitoring.residents``). The
    # dusun/RW counts are read only when a row is a posyandu (ten times more rows).
    by_hamlet = any(u.kind == "posyandu" for u in everyone)
    in_village: dict[int, list[Tally]] = defaultdict(list)
    in_hamlet: dict[int, list[Tally]] = defaultdict(list)
    for u in everyone:
        for place in u.hamlets if u.kind == "posyandu" else u.villages:
            (in_hamlet if u.kind == "posyandu" else in_village)[place].append(tallies[u.code])
    for village, counts in village_residents(top.villages, by_hamlet=by_hamlet).items():
        holders = in_village.get(village, [])
        for born, n, day_one, no_nik in counts.by_year:
            # Age reached in the read year (the year's birthdays passed or not: Whipple
            # reads single years, and a one-year offset moves every age alike).
            for t in holders:
                t.ages[year - born] += n
                t.residents += n
                t.first_day += day_one
                t.no_nik += no_nik
        for hamlet, n in counts.pairs:
            for t in (*holders, *in_hamlet.get(hamlet, [])):
                t.duplicates += n
        for hamlet, born, n, day_one, no_nik in counts.by_hamlet if in_hamlet else []:
            for t in in_hamlet.get(hamlet, []):
                t.ages[year - born] += n
                t.residents += n
                t.first_day += day_one
                t.no_nik += no_nik
    return tallies


_SAME_DAY_SQL = """
SELECT p.id, p.name_key, p.birth_date, p.village_id, p.hamlet_id
FROM people_person p
JOIN (
    SELECT village_id, birth_date FROM people_person
    WHERE voided_at IS NULL AND village_id IN ({ids})
    GROUP BY village_id, birth_date HAVING COUNT(*) > 1
) g ON g.village_id = p.village_id AND g.birth_date = p.birth_date
WHERE p.voided_at IS NULL
"""


def duplicate_pairs(villages: Iterable[int]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs of active persons of these desa born on the same day in the same desa with
    similar names, the registration check's rule (``ilp.people.duplicates``); the first of
    a pair is the one registered first. The grouping reads the (village, birth_date) index
    alone; only persons sharing a day with someone are fetched (their id, name key, birth
    date, desa and dusun)."""
    ids = sorted(int(v) for v in villages)
    if not ids:
        return []
    # Integers only, joined into the statement: a parameter per desa would be the same.
    sql = _SAME_DAY_SQL.format(ids=", ".join(str(i) for i in ids))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        fetched = cursor.fetchall()
    # Grouped as plain tuples (id, name key, birth date, desa, dusun): a district has some
    # 10^5 persons sharing a birthday in their desa; dicts are made for the pairs only.
    groups: dict[tuple[int, Any], list[tuple[Any, ...]]] = defaultdict(list)
    for r in fetched:
        groups[(r[3], r[2])].append(r)
    columns = ("id", "name_key", "birth_date", "village_id", "hamlet_id")
    return [(_person_row(columns, a), _person_row(columns, b)) for a, b in pairs_in(groups)]


def pairs_in(
    groups: dict[tuple[int, Any], list[tuple[Any, ...]]],
) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """The duplicate candidates among persons grouped by (desa, birth date), each a tuple
    (id, name key, birth date, desa, dusun): the pairs of a group whose name keys have a
    token-sort ratio ≥ ``NAME_SIMILARITY``, by desa, day, then registration (id)."""
    pairs = []
    for key in sorted(k for k, members in groups.items() if len(members) > 1):
        members = sorted(groups[key])
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if fuzz.token_sort_ratio(a[1], b[1], score_cutoff=NAME_SIMILARITY):
                    pairs.append((a, b))
    return pairs


def _person_row(columns: tuple[str, ...], row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(columns, row, strict=True))
    if isinstance(out["birth_date"], str):  # SQLite gives dates back as text
        out["birth_date"] = date.fromisoformat(out["birth_date"])
    return out


# ---------------------------------------------------------------- reading the measures


@dataclass
class Measure:
    code: str
    value: float | None
    n: int | None = None  # the count the value is of (shown beside it)
    d: int | None = None
    status: str | None = None
    median_days: float | None = None  # on_time only
    url: str = ""  # the records behind it (rows of a puskesmas or posyandu)

    @property
    def label(self) -> str:
        return str(MEASURE_LABELS[self.code])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.status else ""

    @property
    def text(self) -> str:
        """The value as the page shows it (percent with one decimal, else the index)."""
        if self.value is None:
            return "–"
        if self.code == "duplicates":
            return number_format(self.value, 0, force_grouping=True)
        suffix = "%" if self.code in PERCENT_MEASURES else ""
        return f"{number_format(self.value, 1)}{suffix}"


def _percent(n: int, d: int) -> float | None:
    return round(100 * n / d, 1) if d else None


def measures_of(t: Tally) -> dict[str, Measure]:
    on_time = dq.timeliness(t.lags)
    values: dict[str, tuple[float | None, int | None, int | None, int]] = {
        # code: (value, n, d, observations that the value rests on)
        "sessions": (
            _percent(t.sessions_held, t.posyandu),
            t.sessions_held,
            t.posyandu,
            t.posyandu,
        ),
        "weighed": (_percent(t.weighed, t.children), t.weighed, t.children, t.children),
        "on_time": (on_time.on_time_percent, on_time.late, on_time.records, on_time.records),
        "implausible": (
            _percent(t.implausible, t.weighings),
            t.implausible,
            t.weighings,
            t.weighings,
        ),
        "confirmed_unusual": (
            _percent(t.confirmed, t.weighings),
            t.confirmed,
            t.weighings,
            t.weighings,
        ),
        "digits_weight": (
            dq.digit_preference_score(t.weight_digits),
            None,
            sum(t.weight_digits),
            sum(t.weight_digits),
        ),
        "digits_height": (
            dq.digit_preference_score(t.height_digits),
            None,
            sum(t.height_digits),
            sum(t.height_digits),
        ),
        "whipple": (
            dq.whipple_index(t.ages),
            None,
            sum(t.ages.get(a, 0) for a in range(23, 63)),
            sum(t.ages.get(a, 0) for a in range(23, 63)),
        ),
        "first_day": (
            dq.first_day_heaping(t.first_day, t.residents),
            t.first_day,
            t.residents,
            t.residents,
        ),
        "no_nik": (_percent(t.no_nik, t.residents), t.no_nik, t.residents, t.residents),
        "duplicates": (float(t.duplicates), t.duplicates, None, t.duplicates),
    }
    out = {}
    for code, (value, n, d, basis) in values.items():
        out[code] = Measure(
            code,
            value,
            n,
            d,
            dq.measure_status(code, value, basis),
            median_days=on_time.median_days if code == "on_time" else None,
        )
    return out


@dataclass
class ScoreRow:
    code: str
    name: str
    kind: str
    measures: dict[str, Measure]
    drill_url: str = ""

    @property
    def cells(self) -> list[Measure]:
        return [self.measures[c] for c in MEASURES]

    @property
    def problems(self) -> int:
        return sum(m.status == dq.PROBLEM for m in self.measures.values())


@dataclass
class Scorecard:
    top: ScoreRow
    rows: list[ScoreRow]
    year: int
    month: int

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def page_url(place: str, period: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse('quality:scorecard')}?{urlencode({'area': place, 'period': period})}"


def records_url(measure: str, place: str, period: str) -> str:
    from urllib.parse import urlencode

    query = urlencode({"place": place, "period": period})
    return f"{reverse('quality:records', args=[measure])}?{query}"


def scorecard(user: User, *, area_code: str, year: int, month: int) -> Scorecard:
    """One row per puskesmas in a district or kecamatan, or per posyandu of a puskesmas,
    every measure with value, counts and status; the place itself first."""
    top, units = units_for(user, area_code)
    tallies = _tally(units, top, year, month)
    period = f"{year:04d}-{month:02d}"
    rows = []
    for u in (top, *units):
        row = ScoreRow(u.code, u.name, u.kind, measures_of(tallies[u.code]))
        if u.kind == "puskesmas" and u is not top:
            row.drill_url = page_url(u.code, period)
        if u.kind != "area":
            for m in row.cells:
                m.url = measure_url(m.code, u.kind, u.code, period)
        rows.append(row)
    return Scorecard(rows[0], rows[1:], year, month)


def measure_url(code: str, kind: str, place: str, period: str) -> str:
    """Where a measure of a puskesmas or posyandu row leads: a posyandu's D/S to its work
    list of children not yet weighed; a puskesmas' D/S and sessions to its posyandu rows;
    everything else to the records behind the measure."""
    if code == "weighed" and kind == "posyandu":
        return f"{reverse('care:worklist', args=[place])}?kind=timbang"
    if code in ("weighed", "sessions") and kind == "puskesmas":
        return page_url(place, period)
    return records_url(code, place, period)


# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One problem of a row: a code and its parameters, rendered in the reader's language
    when shown (`label`)."""

    code: str
    params: dict[str, Any]
    status: str
    place_code: str
    place_name: str
    value: float
    severity: float
    url: str

    @property
    def label(self) -> str:
        params = dict(self.params)
        if self.code == "sessions" and params.get("d") == 1:  # one posyandu: it did not meet
            return str(PROBLEM_TEXTS["sessions_missed"]) % params
        if self.code in PERCENT_MEASURES:
            params["value"] = f"{number_format(self.value, 1)}%"
        elif self.code != "duplicates":
            params["value"] = number_format(self.value, 1)
        return str(PROBLEM_TEXTS[self.code]) % params

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def problems_of(card: Scorecard, limit: int = 10) -> list[Problem]:
    """The scorecard's rows' warnings and problems, worst first: problems before warnings,
    then by how far past the warning line (``data_quality.severity``), then by count."""
    found = []
    for row in card.rows:
        for m in row.cells:
            if m.status not in (dq.WARN, dq.PROBLEM) or m.value is None:
                continue
            url = m.url or measure_url(m.code, row.kind, row.code, card.period)
            found.append(
                Problem(
                    code=m.code,
                    params={"place": row.name, "n": m.n or 0, "d": m.d or 0},
                    status=m.status,
                    place_code=row.code,
                    place_name=row.name,
                    value=m.value,
                    severity=dq.severity(m.code, m.value),
                    url=url,
                )
            )
    found.sort(
        key=lambda p: (
            p.status != dq.PROBLEM,
            -p.severity,
            -(p.params["n"] or 0),
            p.place_code,
            p.code,
        )
    )
    return found[:limit]


def problems(
    user: User, *, area_code: str, year: int, month: int, limit: int = 10
) -> list[Problem]:
    """The ranked problems of the place's rows (see `problems_of`)."""
    return problems_of(scorecard(user, area_code=area_code, year=year, month=month), limit)


# ---------------------------------------------------------------- the records behind a problem


@dataclass
class Records:
    measure: str
    place: Unit
    period: str
    columns: list[str]
    rows: list[list[Any]]  # cells: text, or (text, url)
    total: int  # rows found in the reader's scope (only RECORD_LIMIT shown)
    hidden: int = 0  # rows outside the reader's scope, counted but not listed
    aggregate: bool = False  # no person on the page


def _place_unit(user: User, place: str) -> Unit:
    """A puskesmas or posyandu the reader's scorecards show (a puskesmas: itself and its
    posyandu; district roles: every puskesmas and posyandu of the district)."""
    require_quality_reader(user)
    if user.role == Role.PUSKESMAS:
        top, children = units_for(user, user.facility.code if user.facility else "")
        for unit in (top, *children):
            if unit.code == place:
                return unit
        raise _not_found(place)
    rows, served = _facilities_under(_district_code(user) or "")
    up = _puskesmas_of(rows)
    found = next((fid for fid, f in rows.items() if f["code"] == place), None)
    if found is None or found not in up:  # not in the district, or under no puskesmas
        raise _not_found(place)
    if rows[found]["kind"] == FacilityKind.PUSKESMAS:
        return _puskesmas_unit(found, rows, served, up)
    if rows[found]["kind"] == FacilityKind.POSYANDU:
        return _posyandu_unit(found, rows, served)
    raise _not_found(place)  # a pustu has no row of its own


def _person_cell(p: dict[str, Any]) -> tuple[str, str]:
    return (p["full_name"], reverse("people:person", args=[p["uuid"]]))


def _date(d: date) -> str:
    from django.utils.formats import date_format

    return date_format(d, "SHORT_DATE_FORMAT")


def quality_records(
    user: User, measure: str, *, place: str, year: int, month: int, ip: str | None = None
) -> Records:
    """The records behind one measure of one puskesmas or posyandu and month, in the
    reader's scope; a list of persons is one audit event (purpose: reporting)."""
    if measure not in MEASURES:
        raise NotFound(_("Ukuran mutu data %(code)s tidak dikenal.") % {"code": measure})
    unit = _place_unit(user, place)
    first, last = month_range(year, month)
    period = f"{year:04d}-{month:02d}"
    scope = person_scope_q(user)
    person_ids: list[int] = []
    out = Records(measure, unit, period, [], [], 0)
    if measure in ("implausible", "confirmed_unusual"):
        everyone = [
            w
            for w in _weighings(unit.facilities, first, last)
            if (w.implausible if measure == "implausible" else w.flagged)
        ]
        visible = set(
            Person.objects.filter(scope, pk__in=[w.person for w in everyone]).values_list(
                "pk", flat=True
            )
        )
        shown = [w for w in everyone if w.person in visible]
        persons = {
            p["id"]: p
            for p in Person.objects.filter(pk__in=[w.person for w in shown[:RECORD_LIMIT]]).values(
                "id", "uuid", "full_name"
            )
        }
        out.columns = [
            _("Nama"),
            _("Tanggal"),
            _("BB (kg)"),
            _("TB/PB (cm)"),
            "BB/U",
            "TB/U",
            "BB/TB",
            _("Dikonfirmasi"),
        ]
        for w in sorted(shown, key=lambda w: (w.day, w.encounter))[:RECORD_LIMIT]:
            out.rows.append(
                [
                    _person_cell(persons[w.person]),
                    _date(w.day),
                    "–" if w.weight is None else number_format(w.weight, 1),
                    "–" if w.height is None else number_format(w.height, 1),
                    *(
                        "–" if i not in w.z else number_format(w.z[i], 2)
                        for i in ("wfa", "lhfa", "wflh")
                    ),
                    _("ya") if w.flagged else _("tidak"),
                ]
            )
            person_ids.append(w.person)
        out.total, out.hidden = len(shown), len(everyone) - len(shown)
    elif measure == "on_time":
        month_encounters = (
            Encounter.objects.active()
            .filter(facility_id__in=sorted(unit.facilities), date__range=(first, last))
            .annotate(entered=TruncDate("created_at"))
        )
        late_after = timedelta(days=dq.LATE_AFTER_DAYS)
        total = sum(
            1
            for day, entered in month_encounters.values_list("date", "entered")
            if entered - day > late_after
        )
        rows = [
            r
            for r in month_encounters.filter(person_scope_q(user, "person__"))
            .values(
                "date",
                "entered",
                "package",
                "facility__name",
                "person_id",
                "person__uuid",
                "person__full_name",
            )
            .order_by("date", "id")
            if r["entered"] - r["date"] > late_after
        ]
        out.columns = [
            _("Nama"),
            _("Tanggal layanan"),
            _("Tanggal dicatat"),
            _("Terlambat (hari)"),
            _("Layanan"),
            _("Fasilitas"),
        ]
        packages = dict(Encounter._meta.get_field("package").choices or [])
        for r in rows[:RECORD_LIMIT]:
            out.rows.append(
                [
                    (r["person__full_name"], reverse("people:person", args=[r["person__uuid"]])),
                    _date(r["date"]),
                    _date(r["entered"]),
                    str((r["entered"] - r["date"]).days),
                    str(packages.get(r["package"], r["package"])),
                    r["facility__name"],
                ]
            )
            person_ids.append(r["person_id"])
        out.total, out.hidden = len(rows), total - len(rows)
    elif measure in ("no_nik", "first_day"):
        base = Person.objects.active().filter(unit.residents_q(), deceased_on__isnull=True)
        base = (
            base.filter(nik__isnull=True) if measure == "no_nik" else base.filter(birth_date__day=1)
        )
        total = base.count()
        rows = list(
            base.filter(scope)
            .values("id", "uuid", "full_name", "birth_date", "hamlet__name", "village__name")
            .order_by("village__name", "hamlet__name", "full_name", "id")
        )
        out.columns = [_("Nama"), _("Tanggal lahir"), _("Dusun/RW"), _("Desa/kelurahan")]
        for r in rows[:RECORD_LIMIT]:
            out.rows.append(
                [
                    _person_cell(r),
                    _date(r["birth_date"]),
                    r["hamlet__name"] or "–",
                    r["village__name"],
                ]
            )
            person_ids.append(r["id"])
        out.total, out.hidden = len(rows), total - len(rows)
    elif measure == "duplicates":
        candidates = duplicate_pairs(unit.villages)
        if unit.kind == "posyandu":
            candidates = [(a, b) for a, b in candidates if a["hamlet_id"] in unit.hamlets]
        found = {
            p["id"]: p
            for p in Person.objects.filter(
                scope, pk__in=[p["id"] for pair in candidates for p in pair]
            ).values("id", "uuid", "full_name")
        }
        shown_pairs = [(a, b) for a, b in candidates if a["id"] in found and b["id"] in found]
        out.columns = [_("Nama"), _("Nama (mirip)"), _("Tanggal lahir"), _("Kemiripan nama")]
        for a, b in shown_pairs[:RECORD_LIMIT]:
            out.rows.append(
                [
                    _person_cell(found[a["id"]]),
                    _person_cell(found[b["id"]]),
                    _date(a["birth_date"]),
                    f"{number_format(fuzz.token_sort_ratio(a['name_key'], b['name_key']), 0)}%",
                ]
            )
            person_ids += [a["id"], b["id"]]
        out.total, out.hidden = len(shown_pairs), len(candidates) - len(shown_pairs)
    else:
        out.aggregate = True
        _aggregate_records(out, unit, year, month)
    if person_ids:
        audit_bulk_view(
            user=user,
            object_type="data_quality",
            person_ids=person_ids,
            ip=ip,
            detail={"measure": measure, "place": unit.code, "period": period},
            purpose="reporting",
        )
    return out


def _aggregate_records(out: Records, unit: Unit, year: int, month: int) -> None:
    """The counts behind a measure whose records are not persons: the posyandu without a
    session, the digits of weights and heights, ages by their last digit."""
    first, last = month_range(year, month)
    if out.measure == "sessions":
        held = set(
            PosyanduSession.objects.filter(
                posyandu_id__in=sorted(unit.posyandu), date__range=(first, last)
            ).values_list("posyandu_id", flat=True)
        )
        out.columns = [_("Posyandu"), _("Kode"), _("Sesi bulan ini")]
        for f in Facility.objects.filter(pk__in=sorted(unit.posyandu)).order_by("code"):
            out.rows.append([f.name, f.code, _("ada") if f.pk in held else _("tidak ada")])
        out.total = len(out.rows)
        return
    if out.measure == "weighed":
        tally = _tally([], unit, year, month)[unit.code]
        out.columns = [_("Balita terdaftar"), _("Ditimbang")]
        out.rows = [
            [
                number_format(tally.children, force_grouping=True),
                number_format(tally.weighed, force_grouping=True),
            ]
        ]
        out.total = 1
        return
    if out.measure in ("digits_weight", "digits_height"):
        counts = [0] * 10
        for w in _weighings(unit.facilities, first, last):
            value = w.weight if out.measure == "digits_weight" else w.height
            if value is not None:
                counts[dq.terminal_digit(value)] += 1
        shares = dq.digit_shares(counts)
        out.columns = [_("Angka desimal"), _("Jumlah"), _("Persen (harapan 10%)")]
        for digit in range(10):
            share = shares[digit]
            out.rows.append(
                [
                    f"x,{digit}",
                    number_format(counts[digit], force_grouping=True),
                    "–" if share is None else f"{number_format(share, 1)}%",
                ]
            )
        out.total = sum(counts)
        return
    # whipple: residents 23-62 by the last digit of their age
    ages: dict[int, int] = defaultdict(int)
    for born, n in (
        Person.objects.active()
        .filter(unit.residents_q(), deceased_on__isnull=True)
        .annotate(born=ExtractYear("birth_date"))
        .values("born")
        .annotate(n=Count("id"))
        .values_list("born", "n")
        .order_by()
    ):
        ages[year - born] += n
    by_digit = [sum(ages.get(a, 0) for a in range(23, 63) if a % 10 == d) for d in range(10)]
    out.columns = [_("Angka terakhir umur"), _("Penduduk 23–62 tahun")]
    out.rows = [[str(d), number_format(by_digit[d], force_grouping=True)] for d in range(10)]
    out.total = sum(by_digit)
