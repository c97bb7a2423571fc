"""Counts kept current by the services: a service recorded through the care services moves
the value of its desa and month at once (no rebuild), its voiding moves it back, and after a
series of writes on a generated demo district the kept counts equal a full rebuild.

The services count as of the real date (the kept years are this year and the last), so
these tests date their records from ``timezone.localdate()``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.care.models import Encounter, ImmunizationRecord, Observation
from ilp.care.services import encounter_record
from ilp.care.services.corrections import dose_correct, dose_void, encounter_correct, encounter_void
from ilp.core.corrections import Reason
from ilp.demo.generate import generate_district
from ilp.demo.history import generate_service_history
from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.models import IndicatorCount, IndicatorFact
from ilp.monitoring.selectors import indicator_values
from ilp.monitoring.services import indicators_rebuild
from ilp.people.corrections import person_correct, person_void
from ilp.people.models import Person
from ilp.people.services import pregnancy_close, pregnancy_register
from tests.care import resident
from tests.monitoring import refresh_pending

pytestmark = pytest.mark.django_db

WRONG = Reason("wrong_person")


def counts() -> dict[tuple, tuple[int, int]]:
    """Every non-empty count cell (after the pending refresh the services' writes ask for)."""
    refresh_pending()
    return {
        (c.indicator, c.year, c.month, c.area_id, c.sex, c.age_band, c.disability): (
            c.numerator,
            c.denominator,
        )
        for c in IndicatorCount.objects.all()
        if (c.numerator, c.denominator) != (0, 0)
    }


def facts() -> list[tuple]:
    return sorted(
        IndicatorFact.objects.values_list(
            "person_id", "indicator", "year", "month", "area_id", "sex", "age_band", "side"
        )
    )


def assert_equals_rebuild() -> None:
    kept, kept_facts = counts(), facts()
    indicators_rebuild()
    assert counts() == kept
    assert facts() == kept_facts


def desa_value(district, code, on):
    refresh_pending()
    rows = indicator_values(
        district.dinkes,
        load_catalogue()[code],
        area_code=district.ampel.code,
        year=on.year,
        month=on.month,
    )
    ampel = rows[0]
    assert ampel.place.code == district.ampel.code
    return ampel.numerator, ampel.denominator


def test_a_recorded_weighing_moves_ds_of_its_desa_at_once(district):
    """Desa Ampel this month: rina and anak are balita (S = 2). The kader's weighing of anak
    makes D 1 at once; correcting the weighing away (the child was not weighed) and voiding
    a second one bring it back; the kept counts then equal a rebuild."""
    today = timezone.localdate()
    child = resident(district, "Anak", "F", today - timedelta(days=400))
    indicators_rebuild()
    assert desa_value(district, "ds", today) == (0, 2)

    kader = district.kader_ampel_timur
    weighing = encounter_record(
        actor=kader,
        person=child,
        on=today,
        package="child",
        place_kind="posyandu",
        facility=district.pos_ampel_timur_f,
        values={"weight": 9.5, "height": 76.0, "measured": "lying"},
        confirm_unusual=True,
    ).encounter
    assert desa_value(district, "ds", today) == (1, 2)
    encounter_void(actor=kader, encounter=weighing, version=weighing.version, reason=WRONG)
    assert desa_value(district, "ds", today) == (0, 2)
    assert_equals_rebuild()


def test_pregnancy_registration_and_closing_move_the_anc_targets(district):
    """Siti's pregnancy, registered and closed today (so it ends this year whatever the
    date), is a target of this year at once: K1 denominator 0 → 1 for desa Ampel."""
    today = timezone.localdate()
    indicators_rebuild()
    assert desa_value(district, "k1", today) == (0, 0)
    pregnancy = pregnancy_register(
        actor=district.bidan_ampel, person=district.siti, lmp=today - timedelta(days=200)
    )
    pregnancy_close(
        actor=district.bidan_ampel, pregnancy=pregnancy, outcome="live_birth", outcome_date=today
    )
    assert desa_value(district, "k1", today) == (0, 1)
    assert_equals_rebuild()


def last_weight(person: Person) -> float:
    """The child's last recorded weight (a plausible next one is close to it)."""
    last = (
        Observation.objects.active()
        .filter(person=person, code="weight")
        .order_by("-date")
        .values_list("value", flat=True)
        .first()
    )
    return last or 10.0


def test_kept_counts_equal_a_rebuild_after_writes_on_the_demo_district():
    """A generated district with a year of services; counts rebuilt; then writes through the
    services (weighings recorded, one corrected, one voided; a dose voided, another's lot corrected;
    an ANC contact voided; an adult screening with blood pressure, BMI and glucose recorded
    and corrected; a person voided): the kept counts equal a full recomputation. The demo
    gives the obesity and control indicators values of their own."""
    today = timezone.localdate()
    generate_district(population=400, seed=7, today=today)
    generate_service_history(start=today - timedelta(days=365), end=today, seed=7)
    indicators_rebuild()
    for code in ("ds", "obesitas", "hipertensi_terkendali", "diabetes_terkendali"):
        assert IndicatorCount.objects.filter(indicator=code, numerator__gt=0).exists(), code
    rebuilt = counts()

    staff = User.objects.filter(role=Role.PUSKESMAS, facility__isnull=False).order_by("pk")[0]
    in_area = Person.objects.active().filter(village__served_by=staff.facility)
    children = list(in_area.filter(birth_date__gt=today - timedelta(days=3 * 365))[:3])
    assert len(children) == 3
    recorded = [
        encounter_record(
            actor=staff,
            person=child,
            on=today,
            package="child",
            place_kind="puskesmas",
            facility=staff.facility,
            values={"weight": last_weight(child) + 0.2},
            confirm_unusual=True,
        ).encounter
        for child in children
    ]
    first = recorded[0]
    encounter_correct(
        actor=staff,
        encounter=first,
        changes={"weight": first.values["weight"] + 0.1},
        version=first.version,
        reason=Reason("typo"),
        confirm_unusual=True,
    )
    second = Encounter.objects.get(pk=recorded[1].pk)
    encounter_void(actor=staff, encounter=second, version=second.version, reason=WRONG)

    doses = ImmunizationRecord.objects.active().filter(person__in=in_area).order_by("pk")
    dose = doses.filter(dose_code="MR1").first() or doses.first()
    dose_void(actor=staff, dose=dose, version=dose.version, reason=WRONG)
    other = doses.exclude(pk=dose.pk).first()
    dose_correct(
        actor=staff,
        dose=other,
        dose_code=other.dose_code,
        given_on=other.date,
        lot_number="LOT-FIXED",
        expiry_date=other.expiry_date or other.date + timedelta(days=365),
        version=other.version,
        reason=Reason("typo"),
    )
    anc = Encounter.objects.active().filter(package="anc", person__in=in_area).first()
    if anc is not None:
        encounter_void(actor=staff, encounter=anc, version=anc.version, reason=WRONG)
    # An adult screening (blood pressure, weight and height, fasting glucose), corrected.
    adult = in_area.filter(birth_date__lt=today - timedelta(days=30 * 365)).order_by("pk")[0]
    screening = encounter_record(
        actor=staff,
        person=adult,
        on=today,
        package="adult",
        place_kind="puskesmas",
        facility=staff.facility,
        values={"sbp": 150, "dbp": 95, "weight": 85.0, "height": 165.0, "glucose_fasting": 210},
        confirm_unusual=True,
    ).encounter
    encounter_correct(
        actor=staff,
        encounter=screening,
        changes={"weight": 62.0, "sbp": 128, "dbp": 82, "glucose_fasting": 110},
        version=screening.version,
        reason=Reason("typo"),
        confirm_unusual=True,
    )
    assert counts() != rebuilt  # the writes moved counts
    assert_equals_rebuild()


def test_the_rebuild_command(district):
    out_before = counts()
    assert out_before == {}
    from io import StringIO

    out = StringIO()
    call_command("indicators", "rebuild", stdout=out)
    # The fixture's adults (budi, siti, ahmad, wayan, dewi) are this year's PTM targets,
    # rina a balita every month: facts written for them.
    assert out.getvalue().startswith(f"{IndicatorFact.objects.count()} indicator facts")
    year = timezone.localdate().year
    ptm = IndicatorCount.objects.filter(indicator="ptm_15", year=year)
    assert sum(c.denominator for c in ptm) == 5


def test_person_corrections_move_their_cells(district):
    """Wayan (Batu, 15+) is a PTM target of this year. Recorded with a physical disability,
    he moves from the 'no disability' group to 'physical' at once; moved to Cemara, Batu's
    targets fall by one and Cemara's rise; voided, he leaves every count."""
    from tests.people.test_corrections import _data

    today = timezone.localdate()
    indicators_rebuild()
    ptm = load_catalogue()["ptm_15"]

    def targets(area, by=None):
        refresh_pending()
        rows = indicator_values(
            district.dinkes, ptm, area_code=area.code, year=today.year, month=today.month, by=by
        )
        return {(r.place.code, r.group): r.denominator for r in rows}

    wayan = district.wayan
    assert targets(district.batu, "disability")[(district.batu.code, "physical")] == 0
    person_correct(
        actor=district.dinkes,
        person=wayan,
        new=_data(wayan, disability="physical"),
        version=wayan.version,
        reason=Reason("new_information"),
    )
    by_disability = targets(district.batu, "disability")
    assert by_disability[(district.batu.code, "physical")] == 1
    assert by_disability[(district.batu.code, "")] == 0
    wayan.refresh_from_db()
    person_correct(
        actor=district.dinkes,
        person=wayan,
        new=_data(wayan, area=district.rt_cemara),
        version=wayan.version,
        reason=Reason("new_information"),
    )
    assert targets(district.batu)[(district.batu.code, None)] == 0
    assert targets(district.cemara)[(district.cemara.code, None)] == 2  # dewi and wayan
    wayan.refresh_from_db()
    person_void(actor=district.dinkes, person=wayan, version=wayan.version, reason=WRONG)
    assert targets(district.cemara)[(district.cemara.code, None)] == 1
    assert not IndicatorFact.objects.filter(person=wayan).exists()
    assert_equals_rebuild()


def test_a_write_after_new_year_leaves_the_dropped_year_as_rebuilt(district):
    """Counts rebuilt on 30 June 2025 keep 2024 and 2025. A write for budi on 10 January
    2026 recomputes his 2025 and 2026 facts; his 2024 facts and counts stay as rebuilt
    (2024 is no longer kept: its figures are those of the last rebuild)."""
    from datetime import date

    from ilp.monitoring.services import facts_refresh

    indicators_rebuild(today=date(2025, 6, 30))
    kept_2024 = {k: v for k, v in counts().items() if k[1] == 2024}
    budi_2024 = IndicatorFact.objects.filter(person=district.budi, year=2024).count()
    assert budi_2024 == 2  # PTM 15+ and SRQ-20 screening target of 2024
    facts_refresh([district.budi.pk], today=date(2026, 1, 10))
    assert {k: v for k, v in counts().items() if k[1] == 2024} == kept_2024
    assert IndicatorFact.objects.filter(person=district.budi, year=2024).count() == 2
    assert IndicatorFact.objects.filter(person=district.budi, year=2026).count() == 2
