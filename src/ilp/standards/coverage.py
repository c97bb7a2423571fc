"""Coverage rules of the programme indicators: who is a target (denominator) of a year or a
month, and in which month they are served (numerator). Pure functions over plain records.

The indicator catalogue (``ilp/monitoring/catalogue.toml``) names these rules; the monitoring
app loads a person's records, calls them and keeps the counts. Each rule reads one person:

- a **denominator rule** ``(records, year) -> list[Unit]`` lists the person's target units in
  the year: one per month for a monthly indicator (month 1–12), or one for the year (month 0)
  for a cumulative or annual one; a pregnancy indicator has one unit per pregnancy (``ref``);
- a **numerator rule** ``(records, year, unit) -> int | None`` is the month (1–12) in which
  that unit is served, or None. For a cumulative indicator a unit served before the year
  began (a K1 in November of a pregnancy due in March) counts from January. For a monthly
  one the month is the unit's own month.

Definitions and sources are in each function's docstring and, for the programme manager, in
the catalogue. Clinical pieces come from the rules they belong to: trimesters
(``ilp.standards.pregnancy``), KN windows (``ilp.standards.postnatal``), the IDL antigen set
(``ilp.standards.immunization``), completed months and years (``ilp.standards.lifestage``),
hypertensive blood pressure classes (``ilp.standards.blood_pressure``), adult BMI classes
(``ilp.standards.anthropometry_adult``), glucose control targets (``ilp.standards.diabetes``).
Results computed when
a service was recorded are read as stored: SRQ-20, blood pressure and glucose classes and
the Permenkes 2/2020 growth classes (``care.Screening``); the KMS weight trend (N/T) is
computed by the caller with the care app's rule (``ilp.care.services.trend``) and passed in.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import cast

from ilp.standards import immunization, postnatal
from ilp.standards.anthropometry_adult import BMI_RANGE, classify_adult_bmi
from ilp.standards.blood_pressure import HYPERTENSIVE_CLASSES
from ilp.standards.dates import birthday
from ilp.standards.diabetes import GLUCOSE_RANGE, glucose_in_control
from ilp.standards.lifestage import completed_months, completed_years
from ilp.standards.pregnancy import MAX_GA_DAYS, PREGNANCY_DAYS, trimester_of

YEAR = 0  # the month of a unit that stands for the whole year

# Screening instruments (``care.Screening.instrument``) and the result classes read here. A
# result from a PTM screening encounter (adult or elderly package) carries the instrument
# with ``PTM_SUFFIX`` (the finding that makes a person a hypertension or diabetes target).
SRQ20, BP, DM = "srq20", "bp", "dm"
PTM_SUFFIX = "@ptm"
BP_PTM, DM_PTM = BP + PTM_SUFFIX, DM + PTM_SUFFIX
# Growth indices as stored (``care.Screening.instrument``) with their Permenkes 2/2020 class
# (``ilp.standards.growth.categories``): BB/U, PB/U or TB/U, BB/PB or BB/TB.
WFA, LHFA, WFLH = "wfa", "lhfa", "wflh"
GROWTH_LOW: dict[str, frozenset[str]] = {
    "underweight": frozenset({"bb_kurang", "bb_sangat_kurang"}),  # BB/U < −2
    "stunting": frozenset({"pendek", "sangat_pendek"}),  # PB/U or TB/U < −2
    "wasting": frozenset({"gizi_kurang", "gizi_buruk"}),  # BB/PB or BB/TB < −2
    "severe_wasting": frozenset({"gizi_buruk"}),  # BB/PB or BB/TB < −3
}
SRQ20_POSITIVE = frozenset({"positive", "suicidal_ideation"})  # mental_health.score_srq20
DIABETES_CLASSES = frozenset({"diabetes"})  # diabetes.classify_glucose_screening
# Blood pressure classes below 140/90 mmHg, of either scheme (``blood_pressure``): the
# classes under grade 1 / stage 1, whose lower edge is 140 systolic or 90 diastolic
# (PNPK hipertensi, KMK HK.01.07/MENKES/4634/2021, and JNC 7; CLINICAL.md §4.1).
BP_BELOW_140_90 = frozenset({"optimal", "normal", "high_normal", "prehypertension"})
# Measured values read as numbers (``care.Observation.code``): the adult BMI the care app
# stores with a weight and a height (kg/m², rounded to 2 decimals), and glucose in mg/dL.
BMI, GLUCOSE_FASTING, GLUCOSE_RANDOM = "bmi", "glucose_fasting", "glucose_random"
MEASURES = (BMI, GLUCOSE_FASTING, GLUCOSE_RANDOM)
# The adult BMI classes apply from 18 years (``anthropometry_adult``, the national surveys'
# adult classes; CLINICAL.md §4.3); younger persons' BMI is read as BMI-for-age z-scores.
ADULT_BMI_YEARS = 18


@dataclass(frozen=True, slots=True)
class PregnancyRecord:
    """One pregnancy: its dating, its end and outcome (``people.PregnancyOutcome`` codes),
    the dates of its active ANC contacts, and its delivery encounters as (date, place,
    attendant) with the delivery form's codes (place ``facility``/``home``, attendant
    ``health_worker``/``other``)."""

    lmp: date | None
    edd: date
    outcome_date: date | None
    anc: tuple[date, ...] = ()
    outcome: str = "ongoing"
    deliveries: tuple[tuple[date, str, str], ...] = ()
    postpartum: tuple[date, ...] = ()  # active KF (package postpartum) encounters


@dataclass(slots=True)
class PersonRecords:
    """What the coverage rules read of one person (voided records left out by the caller)."""

    birth: date
    sex: str
    deceased_on: date | None = None
    pregnancies: list[PregnancyRecord] = field(default_factory=list)
    newborn_visits: list[date] = field(default_factory=list)
    doses: list[tuple[str, date]] = field(default_factory=list)  # valid doses only
    weighed: list[date] = field(default_factory=list)  # a balita's (older ones may be left out)
    screened: list[date] = field(default_factory=list)  # adult/elderly screening encounters
    elderly_screened: list[date] = field(default_factory=list)  # elderly screening only
    school_screened: list[date] = field(default_factory=list)  # school package encounters
    school_iron: list[date] = field(default_factory=list)  # TTD given in the school package
    # Stored screening results (``care.Screening``): (date, instrument, result class code)
    # for SRQ-20 (``srq20``), blood pressure (``bp``) and glucose (``dm``).
    screenings: list[tuple[date, str, str]] = field(default_factory=list)
    # The KMS trend (N, T, B, O; None under one month) of the month's last weighing, as
    # ``ilp.care.services.trend.weight_trend`` reads it (computed by the caller).
    weight_trends: list[tuple[date, str | None]] = field(default_factory=list)
    # Measured values (``MEASURES``): (date, observation code, value), BMI and glucose.
    measures: list[tuple[date, str, float]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Unit:
    """One target of a period: ``month`` 1–12 (monthly) or ``YEAR``; ``ref`` tells apart
    several units of one person (a pregnancy's index)."""

    month: int
    ref: int = 0


DenominatorRule = Callable[[PersonRecords, int], list[Unit]]
NumeratorRule = Callable[[PersonRecords, int, Unit], int | None]


def month_in_year(on: date | None, year: int) -> int | None:
    """The month in which something done on ``on`` counts in ``year``'s cumulative figure:
    its own month in that year, January when done before the year, None when after it."""
    if on is None or on.year > year:
        return None
    return on.month if on.year == year else 1


def _alive_at(records: PersonRecords, on: date) -> bool:
    return records.deceased_on is None or records.deceased_on >= on


def last_day_of_month(year: int, month: int) -> date:
    """The last day of the month (of the year for ``month`` = ``YEAR``)."""
    if month == YEAR:
        return date(year, 12, 31)
    return date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------- denominators (sasaran riil)


def pregnancies_ending_in_year(records: PersonRecords, year: int) -> list[Unit]:
    """Ibu hamil of the year: each pregnancy that ends in the year (its outcome date, or its
    EDD while ongoing). SPM 1 counts the pregnant women of one year (DOMAIN.md §3.1); taking
    the year of the pregnancy's end gives each pregnancy exactly one year."""
    return [
        Unit(YEAR, i)
        for i, p in enumerate(records.pregnancies)
        if (p.outcome_date or p.edd).year == year
    ]


_BIRTHS = ("live_birth", "stillbirth")


def deliveries_in_year(records: PersonRecords, year: int) -> list[Unit]:
    """Ibu bersalin of the year (SPM 2, DOMAIN.md §3.1 "all deliveries, 1 year"): each
    pregnancy that ended in a birth (live or still) in the year, or is ongoing with its EDD
    in the year (a delivery expected in it); miscarriages and ectopic pregnancies are not
    deliveries."""
    return [
        Unit(YEAR, i)
        for i, p in enumerate(records.pregnancies)
        if (p.outcome in _BIRTHS and p.outcome_date and p.outcome_date.year == year)
        or (p.outcome == "ongoing" and p.edd.year == year)
    ]


def infants_turning_one(records: PersonRecords, year: int) -> list[Unit]:
    """The IDL cohort of the year: children whose first birthday falls in it (the age limit
    of *imunisasi dasar lengkap*, DOMAIN.md §3.4), alive at the start of the year."""
    first = birthday(records.birth, 1)
    if first.year != year or not _alive_at(records, date(year, 1, 1)):
        return []
    return [Unit(YEAR)]


def born_in_year(records: PersonRecords, year: int) -> list[Unit]:
    """Bayi baru lahir of the year: live births registered with a birth date in the year
    (SPM 3's denominator, DOMAIN.md §3.1)."""
    return [Unit(YEAR)] if records.birth.year == year else []


def balita_each_month(records: PersonRecords, year: int) -> list[Unit]:
    """S of SKDN for each month: children 0–59 completed months old on the month's last day,
    born by then and alive at the month's start (DOMAIN.md §1.3 balita, §2.3 SKDN)."""
    # Most residents are adults: 60 months or more at the end of January (age only grows)
    # or born after the year means no month (every balita indicator asks, for everyone).
    if records.birth.year > year or completed_months(records.birth, date(year, 1, 31)) >= 60:
        return []
    units = []
    for month in range(1, 13):
        end = last_day_of_month(year, month)
        if records.birth > end or not _alive_at(records, date(year, month, 1)):
            continue
        if completed_months(records.birth, end) < 60:
            units.append(Unit(month))
    return units


def children_turning_two(records: PersonRecords, year: int) -> list[Unit]:
    """The baduta cohort of the year: children whose second birthday falls in it (the age
    limit of *imunisasi baduta lengkap*, DOMAIN.md §3.4), alive at the start of the year."""
    second = birthday(records.birth, 2)
    if second.year != year or not _alive_at(records, date(year, 1, 1)):
        return []
    return [Unit(YEAR)]


def residents_60_plus(records: PersonRecords, year: int) -> list[Unit]:
    """Lansia of the year: residents aged 60 or more by its end, alive at its start (SPM 7,
    DOMAIN.md §1.3 and §3.1)."""
    if not _alive_at(records, date(year, 1, 1)):
        return []
    return [Unit(YEAR)] if completed_years(records.birth, date(year, 12, 31)) >= 60 else []


def residents_15_plus(records: PersonRecords, year: int) -> list[Unit]:
    """Residents aged 15 or more by the end of the year, alive at its start: the target of
    yearly hypertension screening "everyone ≥ 15 y" (DOMAIN.md §1.2; SPM 6 counts 15–59)."""
    if not _alive_at(records, date(year, 1, 1)):
        return []
    return [Unit(YEAR)] if completed_years(records.birth, date(year, 12, 31)) >= 15 else []


def _aged_at_year_end(records: PersonRecords, year: int, low: int, high: int | None) -> bool:
    if not _alive_at(records, date(year, 1, 1)):
        return False
    age = completed_years(records.birth, date(year, 12, 31))
    return age >= low and (high is None or age <= high)


# Usia pendidikan dasar: the nine years of compulsory basic education, SD and SMP, for
# children aged 7 to 15 (PP 47/2008 tentang Wajib Belajar, Pasal 1 and 9: "usia 7 (tujuh)
# sampai dengan 15 (lima belas) tahun"); SPM 5's denominator (DOMAIN.md §3.1).
BASIC_EDUCATION_YEARS = (7, 15)
# Remaja putri for TTD: girls 12–18 years (TTD remaja from 12 years, ``care.evaluation.ages.
# TEEN_IRON``; the school/adolescent package ends at 18).
TEEN_GIRL_YEARS = (12, 18)


def basic_education_age(records: PersonRecords, year: int) -> list[Unit]:
    """Anak usia pendidikan dasar of the year: aged 7–15 on 31 December, alive at its start
    (SPM 5, DOMAIN.md §3.1; PP 47/2008 wajib belajar 7–15 years)."""
    low, high = BASIC_EDUCATION_YEARS
    return [Unit(YEAR)] if _aged_at_year_end(records, year, low, high) else []


def girls_12_18(records: PersonRecords, year: int) -> list[Unit]:
    """Remaja putri of the year: girls aged 12–18 on 31 December, alive at its start (the
    target of weekly iron tablets, DOMAIN.md §2.6 Klaster 2 'girls taking TTD')."""
    low, high = TEEN_GIRL_YEARS
    if records.sex != "F":
        return []
    return [Unit(YEAR)] if _aged_at_year_end(records, year, low, high) else []


def srq20_screened_of_year(records: PersonRecords, year: int) -> list[Unit]:
    """Residents screened with SRQ-20 in the year (one unit, whatever the number of
    screenings): the denominator of the share found positive."""
    screened = _first_in_year(_screened(records, SRQ20, None), year)
    return [Unit(YEAR)] if screened else []


def _adult_bmis_in_year(records: PersonRecords, year: int) -> list[tuple[date, float]]:
    return sorted(
        (on, value)
        for on, code, value in records.measures
        if code == BMI and on.year == year and completed_years(records.birth, on) >= ADULT_BMI_YEARS
    )


def adults_bmi_measured_of_year(records: PersonRecords, year: int) -> list[Unit]:
    """Adults whose BMI was measured in the year: a BMI (weight and height, ``care.
    Observation`` code ``bmi``) recorded at 18 years or more (the adult classes' age,
    ``ADULT_BMI_YEARS``), one unit whatever the number of measurements: the denominator of
    the share found obese, as the national surveys report it among those measured."""
    return [Unit(YEAR)] if _adult_bmis_in_year(records, year) else []


def _first_finding(records: PersonRecords, instrument: str, classes: frozenset[str]) -> date | None:
    found = [on for on, i, code in records.screenings if i == instrument and code in classes]
    return min(found) if found else None


def _found_each_month(records: PersonRecords, year: int, found: date | None) -> list[Unit]:
    if found is None:
        return []
    units = []
    for month in range(1, 13):
        end = last_day_of_month(year, month)
        if found > end or not _alive_at(records, date(year, month, 1)):
            continue
        if completed_years(records.birth, end) >= 15:
            units.append(Unit(month))
    return units


def hypertension_found_each_month(records: PersonRecords, year: int) -> list[Unit]:
    """Penderita hipertensi (sasaran riil) for each month: residents 15 or older on the
    month's last day with a hypertensive blood pressure finding (a stored ``bp`` result of
    class grade 1–3 / stage 1–2, ``blood_pressure.HYPERTENSIVE_CLASSES``) on or before it,
    from a PTM screening (adult or elderly package; a pregnancy's raised BP is not counted),
    alive at the month's start. SPM 8's official denominator is the *estimated* number of
    patients (DOMAIN.md §3.1, §3.5); this is the diagnosed (found) count."""
    return _found_each_month(records, year, _first_finding(records, BP_PTM, HYPERTENSIVE_CLASSES))


def diabetes_found_each_month(records: PersonRecords, year: int) -> list[Unit]:
    """Penderita diabetes (sasaran riil) for each month: residents 15 or older on the
    month's last day with a glucose screening of class ``diabetes`` (``diabetes.
    classify_glucose_screening``) on or before it, from a PTM screening (adult or elderly
    package), alive at the month's start. SPM 9's official denominator is the *estimated*
    number of patients (DOMAIN.md §3.1, §3.5); this is the found count."""
    return _found_each_month(records, year, _first_finding(records, DM_PTM, DIABETES_CLASSES))


def _balita_months(records: PersonRecords, year: int) -> set[int]:
    return {u.month for u in balita_each_month(records, year)}


def _months_with(dates: Sequence[date], year: int) -> set[int]:
    return {d.month for d in dates if d.year == year}


def weighed_balita_each_month(records: PersonRecords, year: int) -> list[Unit]:
    """D of SKDN for each month: a balita of the month (``balita_each_month``) weighed in it;
    the denominator of N/D and T/D (DOMAIN.md §2.3)."""
    months = _months_with(records.weighed, year)
    months &= _balita_months(records, year) if months else months
    return [Unit(m) for m in sorted(months)]


def _classified(records: PersonRecords, index: str) -> list[tuple[date, str]]:
    return sorted((on, code) for on, i, code in records.screenings if i == index)


def _measured_each_month(records: PersonRecords, year: int, index: str) -> list[Unit]:
    months = _months_with([on for on, _ in _classified(records, index)], year)
    months &= _balita_months(records, year) if months else months
    return [Unit(m) for m in sorted(months)]


def balita_wfa_each_month(records: PersonRecords, year: int) -> list[Unit]:
    """Balita of the month with a weight-for-age (BB/U) class recorded in it."""
    return _measured_each_month(records, year, WFA)


def balita_lhfa_each_month(records: PersonRecords, year: int) -> list[Unit]:
    """Balita of the month with a length/height-for-age (PB/U or TB/U) class recorded in it."""
    return _measured_each_month(records, year, LHFA)


def balita_wflh_each_month(records: PersonRecords, year: int) -> list[Unit]:
    """Balita of the month with a weight-for-length/height (BB/PB or BB/TB) class recorded in
    it."""
    return _measured_each_month(records, year, WFLH)


# ---------------------------------------------------------------- numerators


def _nth_contact(records: PersonRecords, year: int, unit: Unit, n: int) -> int | None:
    contacts = sorted(records.pregnancies[unit.ref].anc)
    if len(contacts) < n:
        return None
    return month_in_year(contacts[n - 1], year)


def anc_k1(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """K1: the pregnancy's first ANC contact with a health worker (DOMAIN.md §3.2), in the
    month of that contact."""
    return _nth_contact(records, year, unit, 1)


def anc_k1_first_trimester(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """K1 murni: the first ANC contact made in the first trimester (gestational age ≤ 12
    weeks 0 days from the pregnancy's EDD, ``pregnancy.trimester_of``; DOMAIN.md §3.2)."""
    pregnancy = records.pregnancies[unit.ref]
    if not pregnancy.anc:
        return None
    first = min(pregnancy.anc)
    ga_days = PREGNANCY_DAYS - (pregnancy.edd - first).days
    if not 0 <= ga_days <= MAX_GA_DAYS or trimester_of(ga_days) != 1:
        return None
    return month_in_year(first, year)


def anc_k4(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """K4: at least four ANC contacts, counted in the month of the fourth (DOMAIN.md §3.2)."""
    return _nth_contact(records, year, unit, 4)


def anc_k6(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """K6: at least six ANC contacts, counted in the month of the sixth (DOMAIN.md §3.2;
    the two doctor contacts K1 and K5 are not told apart in the records yet)."""
    return _nth_contact(records, year, unit, 6)


def delivered_at_facility(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Persalinan di fasyankes: a delivery encounter of the pregnancy recording a health
    facility as the place and a health worker as the attendant (SPM 2 "by health worker at
    facility", DOMAIN.md §3.1; the delivery form's codes), counted in its month."""
    pregnancy = records.pregnancies[unit.ref]
    done = [on for on, place, by in pregnancy.deliveries if (place, by) == _AT_FACILITY]
    return month_in_year(min(done), year) if done else None


_AT_FACILITY = ("facility", "health_worker")


# A visit recorded by date only is taken at noon, the birth at the start of its day: the
# convention of the KN work list (``ilp.care.worklists.rules``), so both agree on KN1.
_VISIT_TIME = time(12, 0)


def _kn_states(records: PersonRecords) -> list[postnatal.VisitState] | None:
    """The KN windows of a newborn with their visits (None: never visited)."""
    visits = sorted(d for d in records.newborn_visits if d >= records.birth)
    if not visits:
        return None
    return postnatal.postnatal_visits(
        "KN",
        delivered_at=datetime.combine(records.birth, time.min),
        visits=[datetime.combine(d, _VISIT_TIME) for d in visits],
        on=visits[-1],
    )


def kn1_in_window(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """KN1: a neonatal visit 6–48 hours after birth (``postnatal.postnatal_visits``; Permenkes
    21/2021, DOMAIN.md §3.3), counted in the month of the visit."""
    states = _kn_states(records)
    if states is None:
        return None
    kn1 = next(s for s in states if s.code == "KN1")
    if kn1.visited_at is None:
        return None
    return month_in_year(kn1.visited_at.date(), year)


def kn_complete(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """KN lengkap: KN1, KN2 and KN3 each made in its own window (6–48 h, 3–7 d, 8–28 d;
    ``postnatal.postnatal_complete``, DOMAIN.md §3.3 reading each visit in its window),
    counted in the month of the visit that completed the series."""
    states = _kn_states(records)
    if states is None:
        return None
    if not postnatal.postnatal_complete(states):
        return None
    done = max(s.visited_at for s in states if s.visited_at is not None)
    return month_in_year(done.date(), year)


def _immunisation_set_complete(
    indicator: str, records: PersonRecords, year: int, age_limit_years: int
) -> int | None:
    doses = [immunization.GivenDose(code, on) for code, on in records.doses]
    status = immunization.indicator_status(
        indicator,
        sex=records.sex,
        birth=records.birth,
        doses=doses,
        on=birthday(records.birth, age_limit_years),
    )
    if status.code != "complete":
        return None
    required = set(cast(list[str], status.details["required"]))
    completed = max((d.given_on for d in doses if d.code in required), default=None)
    return month_in_year(completed, year)


def baduta_complete(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Imunisasi baduta lengkap: DPT-HB-Hib 4 and MR2 given validly before the second
    birthday (``immunization.indicator_status("baduta")``; CLINICAL.md §2, DOMAIN.md §3.4
    [NC]), counted in the month the set was completed."""
    return _immunisation_set_complete("baduta", records, year, 2)


def elderly_screened_in_year(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Lansia screened: an elderly screening encounter (SKILAS and the elderly package) in
    the year, counted in the month of the first (SPM 7 "screened", DOMAIN.md §3.1)."""
    dates = [d for d in records.elderly_screened if d.year == year]
    return min(dates).month if dates else None


def idl_complete(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Imunisasi dasar lengkap: every dose of the IDL set given validly before the first
    birthday (``immunization.indicator_status("idl")``; set HB0, BCG, DPT-HB-Hib 1–3, OPV1–4,
    IPV, MR1 in the schedule data; CLINICAL.md §2, DOMAIN.md §3.4), counted in the month the
    set was completed (its last required dose)."""
    return _immunisation_set_complete("idl", records, year, 1)


def weighed_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """D of SKDN: weighed (a weight recorded) in the unit's month (DOMAIN.md §2.3)."""
    for on in records.weighed:
        if on.year == year and on.month == unit.month:
            return unit.month
    return None


def ptm_screened_in_year(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Screened for PTM in the year: an adult (usia produktif) or elderly screening encounter
    in it, the same reading as the work list's yearly screening (``CareSummary.last_ptm``),
    counted in the month of the first one."""
    dates: Sequence[date] = [d for d in records.screened if d.year == year]
    return min(dates).month if dates else None


def kf_complete(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """KF lengkap: KF1 (6 h–2 d), KF2 (3–7 d), KF3 (8–28 d) and KF4 (29–42 d) each made in
    its own window after the birth (``postnatal.postnatal_complete``, DOMAIN.md §3.3, the
    strict reading as for KN lengkap), counted in the month of the visit that completed the
    series. The delivery is taken at the start of the outcome day, a visit at noon (as KN)."""
    pregnancy = records.pregnancies[unit.ref]
    if pregnancy.outcome not in _BIRTHS or pregnancy.outcome_date is None:
        return None
    visits = sorted(d for d in pregnancy.postpartum if d >= pregnancy.outcome_date)
    if not visits:
        return None
    states = postnatal.postnatal_visits(
        "KF",
        delivered_at=datetime.combine(pregnancy.outcome_date, time.min),
        visits=[datetime.combine(d, _VISIT_TIME) for d in visits],
        on=visits[-1],
    )
    if not postnatal.postnatal_complete(states):
        return None
    done = max(s.visited_at for s in states if s.visited_at is not None)
    return month_in_year(done.date(), year)


def _first_in_year(dates: Sequence[date], year: int) -> int | None:
    months = [d.month for d in dates if d.year == year]
    return min(months) if months else None


def school_screened_in_year(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Screened at basic-education age: a school/adolescent package encounter (growth,
    anaemia, blood pressure, SRQ-20 from 15, smoking) in the year, counted in the month of
    the first (SPM 5 "screened", DOMAIN.md §3.1)."""
    return _first_in_year(records.school_screened, year)


def school_iron_in_year(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Remaja putri given TTD: iron tablets recorded (``iron_tablets`` > 0, kept as a ``ttd``
    supply) at a school/adolescent package encounter in the year, counted in the month of
    the first."""
    return _first_in_year(records.school_iron, year)


def _screened(
    records: PersonRecords, instrument: str, classes: frozenset[str] | None
) -> list[date]:
    return [
        on
        for on, i, code in records.screenings
        if i in (instrument, f"{instrument}{PTM_SUFFIX}") and (classes is None or code in classes)
    ]


def srq20_screened_in_year(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Screened with SRQ-20 (20 items answered and scored, any package) in the year, counted
    in the month of the first (CLINICAL.md §4.5; SRQ-20 from 15 years)."""
    return _first_in_year(_screened(records, SRQ20, None), year)


def srq20_positive_in_year(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """SRQ-20 positive: a screening in the year classed ``positive`` (≥ 6 'yes') or
    ``suicidal_ideation`` (item 17 'yes'), counted in the month of the first
    (``mental_health.score_srq20``, CLINICAL.md §4.5)."""
    return _first_in_year(_screened(records, SRQ20, SRQ20_POSITIVE), year)


def bp_checked_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """A blood pressure measured and classified (a stored ``bp`` result, any package) in the
    unit's month: the monthly check of standard hypertension care (DOMAIN.md §3.1)."""
    checked = _screened(records, BP, None)
    return unit.month if any((d.year, d.month) == (year, unit.month) for d in checked) else None


def glucose_checked_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """A blood glucose measured and classified (a stored ``dm`` result, any package) in the
    unit's month: the monthly check read as standard diabetes care here (DOMAIN.md §3.1)."""
    checked = _screened(records, DM, None)
    return unit.month if any((d.year, d.month) == (year, unit.month) for d in checked) else None


def obese_last_in_year(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Obesitas: the last adult BMI measured in the year (the higher of two on one day) is
    ≥ 27.0 kg/m² (class ``obese`` of ``anthropometry_adult.classify_adult_bmi``, the
    half-open classes of Riskesdas 2018 / SKI 2023; CLINICAL.md §4.3), counted in the month
    of that measurement. A later measurement below 27.0 takes the person out again."""
    bmis = _adult_bmis_in_year(records, year)
    if not bmis:
        return None
    on, bmi = bmis[-1]
    if not BMI_RANGE[0] <= bmi <= BMI_RANGE[1]:
        return None  # not a value the care app accepts: not read as obese
    return on.month if classify_adult_bmi(bmi).code == "obese" else None


def _last_day_of(readings: list[tuple[date, str, float | str]]) -> list[tuple[str, float | str]]:
    """The readings of the latest day among these (several on one day all count)."""
    last = max(on for on, _, _ in readings)
    return [(code, value) for on, code, value in readings if on == last]


def bp_controlled_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Hypertension under control (*terkendali*): the last blood pressure measured in the
    unit's month (a stored ``bp`` result, any package) is below 140/90 mmHg, i.e. of a class
    under grade 1 / stage 1 (``BP_BELOW_140_90``; the PNPK hipertensi's hypertension line,
    KMK HK.01.07/MENKES/4634/2021, CLINICAL.md §4.1). With several readings on that day,
    all must be below. A month without a reading is not under control (not known to be)."""
    readings: list[tuple[date, str, float | str]] = [
        (on, code, "")
        for on, instrument, code in records.screenings
        if instrument in (BP, BP_PTM) and (on.year, on.month) == (year, unit.month)
    ]
    if not readings:
        return None
    last = _last_day_of(readings)
    return unit.month if all(code in BP_BELOW_140_90 for code, _ in last) else None


def _glucose_ok(code: str, value: float) -> bool:
    if not GLUCOSE_RANGE[0] <= value <= GLUCOSE_RANGE[1]:
        return False  # not a value the care app accepts: not read as controlled
    if code == GLUCOSE_FASTING:
        return glucose_in_control(fasting_glucose=value)
    return glucose_in_control(random_glucose=value)


def glucose_controlled_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Diabetes under control (*terkendali*): the last glucose measured in the unit's month
    (``care.Observation`` code ``glucose_fasting`` or ``glucose_random``, any package) meets
    the PERKENI control target (``diabetes.glucose_in_control``: fasting 80 to < 130 mg/dL,
    random < 180 mg/dL; [confirm], not in the project's sources, CLINICAL.md §4.2). With
    several readings on that day, all must meet it. HbA1c, PERKENI's main control measure,
    is not recorded."""
    readings: list[tuple[date, str, float | str]] = [
        (on, code, value)
        for on, code, value in records.measures
        if code in (GLUCOSE_FASTING, GLUCOSE_RANDOM) and (on.year, on.month) == (year, unit.month)
    ]
    if not readings:
        return None
    last = _last_day_of(readings)
    return unit.month if all(_glucose_ok(code, float(v)) for code, v in last) else None


def _trend_of_month(records: PersonRecords, year: int, month: int) -> str | None:
    trends = [
        (on, code) for on, code in records.weight_trends if (on.year, on.month) == (year, month)
    ]
    return max(trends)[1] if trends else None


def weight_gain_adequate(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """N of SKDN: the month's (last) weighing gained at least the KBM for the child's age
    since the last weighing of the previous month (trend ``N``, ``ilp.care.services.trend``:
    Permenkes 155/2010 KMS, DOMAIN.md §2.3). B (first weighing), O (not weighed last month)
    and under one month are in D but never N."""
    return unit.month if _trend_of_month(records, year, unit.month) == "N" else None


def weight_not_gaining(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """T of SKDN: the month's (last) weighing gained less than the KBM, nothing, or lost
    weight since the previous month's (trend ``T``, 2T included; DOMAIN.md §2.3)."""
    return unit.month if _trend_of_month(records, year, unit.month) == "T" else None


def _last_class_low(
    records: PersonRecords, year: int, unit: Unit, index: str, low: str
) -> int | None:
    month = [
        code
        for on, code in _classified(records, index)
        if (on.year, on.month) == (year, unit.month)
    ]
    return unit.month if month and month[-1] in GROWTH_LOW[low] else None


def underweight_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Underweight: the month's last BB/U class is berat badan kurang or sangat kurang
    (z < −2; Permenkes 2/2020, ``growth.categories``)."""
    return _last_class_low(records, year, unit, WFA, "underweight")


def stunted_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Stunting: the month's last PB/U or TB/U class is pendek or sangat pendek (z < −2;
    Permenkes 2/2020)."""
    return _last_class_low(records, year, unit, LHFA, "stunting")


def wasted_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Wasting (gizi kurang or gizi buruk): the month's last BB/PB or BB/TB class is gizi
    kurang or gizi buruk (z < −2; Permenkes 2/2020)."""
    return _last_class_low(records, year, unit, WFLH, "wasting")


def severely_wasted_in_month(records: PersonRecords, year: int, unit: Unit) -> int | None:
    """Gizi buruk: the month's last BB/PB or BB/TB class is gizi buruk (z < −3; Permenkes
    2/2020). Oedema, which also makes gizi buruk clinically, is not read."""
    return _last_class_low(records, year, unit, WFLH, "severe_wasting")


DENOMINATORS: dict[str, tuple[DenominatorRule, bool]] = {
    # name: (rule, whether its units are months)
    "pregnancies_ending_in_year": (pregnancies_ending_in_year, False),
    "deliveries_in_year": (deliveries_in_year, False),
    "infants_turning_one": (infants_turning_one, False),
    "born_in_year": (born_in_year, False),
    "balita_each_month": (balita_each_month, True),
    "residents_15_plus": (residents_15_plus, False),
    "children_turning_two": (children_turning_two, False),
    "residents_60_plus": (residents_60_plus, False),
    "basic_education_age": (basic_education_age, False),
    "girls_12_18": (girls_12_18, False),
    "srq20_screened_of_year": (srq20_screened_of_year, False),
    "hypertension_found_each_month": (hypertension_found_each_month, True),
    "diabetes_found_each_month": (diabetes_found_each_month, True),
    "weighed_balita_each_month": (weighed_balita_each_month, True),
    "adults_bmi_measured_of_year": (adults_bmi_measured_of_year, False),
    "balita_wfa_each_month": (balita_wfa_each_month, True),
    "balita_lhfa_each_month": (balita_lhfa_each_month, True),
    "balita_wflh_each_month": (balita_wflh_each_month, True),
}

NUMERATORS: dict[str, NumeratorRule] = {
    "anc_k1": anc_k1,
    "anc_k1_first_trimester": anc_k1_first_trimester,
    "anc_k4": anc_k4,
    "anc_k6": anc_k6,
    "delivered_at_facility": delivered_at_facility,
    "kn1_in_window": kn1_in_window,
    "idl_complete": idl_complete,
    "weighed_in_month": weighed_in_month,
    "ptm_screened_in_year": ptm_screened_in_year,
    "kn_complete": kn_complete,
    "baduta_complete": baduta_complete,
    "elderly_screened_in_year": elderly_screened_in_year,
    "kf_complete": kf_complete,
    "school_screened_in_year": school_screened_in_year,
    "school_iron_in_year": school_iron_in_year,
    "srq20_screened_in_year": srq20_screened_in_year,
    "srq20_positive_in_year": srq20_positive_in_year,
    "bp_checked_in_month": bp_checked_in_month,
    "glucose_checked_in_month": glucose_checked_in_month,
    "obese_last_in_year": obese_last_in_year,
    "bp_controlled_in_month": bp_controlled_in_month,
    "glucose_controlled_in_month": glucose_controlled_in_month,
    "weight_gain_adequate": weight_gain_adequate,
    "weight_not_gaining": weight_not_gaining,
    "underweight_in_month": underweight_in_month,
    "stunted_in_month": stunted_in_month,
    "wasted_in_month": wasted_in_month,
    "severely_wasted_in_month": severely_wasted_in_month,
}
