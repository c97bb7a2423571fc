"""Pure checks of the coverage rules added after the foundation (no database): the KF
windows, the balita fast path, the month's last weighing or class, and who is a
hypertension target."""

from __future__ import annotations

from datetime import date, timedelta

from ilp.standards import coverage
from ilp.standards.coverage import PersonRecords, PregnancyRecord, Unit
from ilp.standards.lifestage import completed_months


def _delivered(on: date, *days: int, outcome: str = "live_birth") -> PersonRecords:
    visits = tuple(on + timedelta(days=d) for d in days)
    pregnancy = PregnancyRecord(None, on, on, outcome=outcome, postpartum=visits)
    return PersonRecords(birth=date(1995, 1, 1), sex="F", pregnancies=[pregnancy])


def test_kf_complete_needs_each_visit_in_its_window():
    """Birth 2026-03-02 (taken at 00:00), visits at noon. Days 0, 4, 10, 30 fill KF1 (12 h),
    KF2 (108 h), KF3 (252 h), KF4 (732 h) → April (day 30 = 2026-04-01). KF4 on day 42
    (1020 h) is past the 1008 h end; a stillbirth is a delivery too; a miscarriage never
    counts."""
    born, unit = date(2026, 3, 2), Unit(coverage.YEAR, 0)
    assert coverage.kf_complete(_delivered(born, 0, 4, 10, 30), 2026, unit) == 4
    assert coverage.kf_complete(_delivered(born, 0, 4, 10, 42), 2026, unit) is None
    assert coverage.kf_complete(_delivered(born, 0, 4, 10), 2026, unit) is None
    still = _delivered(born, 0, 4, 10, 30, outcome="stillbirth")
    assert coverage.kf_complete(still, 2026, unit) == 4
    lost = _delivered(born, 0, 4, 10, 30, outcome="abortion")
    assert coverage.kf_complete(lost, 2026, unit) is None
    # Completed in January 2026 for a December birth: counted in 2026's January, not 2025.
    assert coverage.kf_complete(_delivered(date(2025, 12, 20), 0, 4, 10, 30), 2025, unit) is None


def test_balita_each_month_fast_path_gives_the_months_of_the_full_reading():
    """For births from 2020-06 to 2027-01 the months equal those of the plain reading (0–59
    completed months on the month's last day, born by then)."""
    birth = date(2020, 6, 1)
    while birth < date(2027, 1, 1):
        records = PersonRecords(birth=birth, sex="F")
        expected = [
            m
            for m in range(1, 13)
            if birth <= coverage.last_day_of_month(2026, m)
            and completed_months(birth, coverage.last_day_of_month(2026, m)) < 60
        ]
        assert [u.month for u in coverage.balita_each_month(records, 2026)] == expected, birth
        birth += timedelta(days=17)


def test_the_months_last_weighing_and_class_decide():
    """Two weighings in June: the later (T) decides; two BB/TB classes in May: the later
    (gizi baik) decides. D counts a balita weighed in the month once."""
    records = PersonRecords(
        birth=date(2025, 1, 10),
        sex="M",
        weighed=[date(2026, 6, 2), date(2026, 6, 20)],
        weight_trends=[(date(2026, 6, 2), "N"), (date(2026, 6, 20), "T")],
        screenings=[
            (date(2026, 5, 5), "wflh", "gizi_kurang"),
            (date(2026, 5, 25), "wflh", "gizi_baik"),
        ],
    )
    assert coverage.weighed_balita_each_month(records, 2026) == [Unit(6)]
    assert coverage.weight_gain_adequate(records, 2026, Unit(6)) is None
    assert coverage.weight_not_gaining(records, 2026, Unit(6)) == 6
    assert coverage.balita_wflh_each_month(records, 2026) == [Unit(5)]
    assert coverage.wasted_in_month(records, 2026, Unit(5)) is None


def test_hypertension_targets_are_ptm_findings_of_residents_15_and_over():
    """A grade 1 reading at a PTM screening (instrument bp@ptm) on 2026-10-03 makes a target
    from October; at an ANC contact (plain bp) it does not; a 14-year-old (15 in 2027) with
    a PTM finding is not a target in 2026."""
    found = [(date(2026, 10, 3), coverage.BP_PTM, "grade_1")]
    adult = PersonRecords(birth=date(1980, 1, 1), sex="M", screenings=found)
    assert coverage.hypertension_found_each_month(adult, 2026) == [Unit(10), Unit(11), Unit(12)]
    anc = PersonRecords(
        birth=date(1995, 1, 1), sex="F", screenings=[(date(2026, 10, 3), "bp", "grade_1")]
    )
    assert coverage.hypertension_found_each_month(anc, 2026) == []
    young = PersonRecords(birth=date(2012, 3, 1), sex="M", screenings=found)
    assert coverage.hypertension_found_each_month(young, 2026) == []
    # The finding visit is itself a check.
    assert coverage.bp_checked_in_month(adult, 2026, Unit(10)) == 10
    assert coverage.bp_checked_in_month(adult, 2026, Unit(11)) is None


def test_obesity_reads_the_last_adult_bmi_of_the_year():
    """Born 1990-06-15. BMIs: 2025-11-02 31.0 (last year), 2026-02-10 27.0 (exactly the
    obese edge: SKI 2023 half-open classes), 2026-07-01 26.99 → the last is not obese.
    Before July the last is February's 27.0: obese, counted in February. A 17-year-old's
    BMI (born 2009-03-01, measured 2026-02-01 at 16) is not an adult BMI: no unit."""
    measures = [
        (date(2025, 11, 2), coverage.BMI, 31.0),
        (date(2026, 2, 10), coverage.BMI, 27.0),
        (date(2026, 7, 1), coverage.BMI, 26.99),
        (date(2026, 8, 1), coverage.GLUCOSE_RANDOM, 300.0),  # not a BMI
    ]
    adult = PersonRecords(birth=date(1990, 6, 15), sex="F", measures=measures)
    assert coverage.adults_bmi_measured_of_year(adult, 2026) == [Unit(coverage.YEAR)]
    assert coverage.obese_last_in_year(adult, 2026, Unit(coverage.YEAR)) is None
    assert coverage.obese_last_in_year(adult, 2025, Unit(coverage.YEAR)) == 11
    adult.measures = measures[:2]
    assert coverage.obese_last_in_year(adult, 2026, Unit(coverage.YEAR)) == 2
    adult.measures = [(date(2026, 2, 10), coverage.BMI, 26.99)]
    assert coverage.obese_last_in_year(adult, 2026, Unit(coverage.YEAR)) is None
    young = PersonRecords(
        birth=date(2009, 3, 1), sex="M", measures=[(date(2026, 2, 1), coverage.BMI, 30.0)]
    )
    assert coverage.adults_bmi_measured_of_year(young, 2026) == []
    assert coverage.adults_bmi_measured_of_year(adult, 2024) == []


def test_bp_control_reads_the_months_last_reading():
    """March 2026: grade 1 on the 2nd, high normal on the 20th → the last (< 140/90) is
    controlled; April: normal on the 3rd, grade 2 on the 28th → not; May: two readings on
    the 9th, normal and stage 1 (JNC 7) → not (all of the last day must be below); June:
    prehypertension (JNC 7, < 140/90) → controlled; July: nothing measured → not."""
    screenings = [
        (date(2026, 3, 2), coverage.BP_PTM, "grade_1"),
        (date(2026, 3, 20), coverage.BP, "high_normal"),
        (date(2026, 4, 3), coverage.BP, "normal"),
        (date(2026, 4, 28), coverage.BP_PTM, "grade_2"),
        (date(2026, 5, 9), coverage.BP, "normal"),
        (date(2026, 5, 9), coverage.BP, "stage_1"),
        (date(2026, 6, 1), coverage.BP, "prehypertension"),
        (date(2026, 7, 1), coverage.DM, "normal"),
    ]
    r = PersonRecords(birth=date(1970, 1, 1), sex="M", screenings=screenings)
    got = {m: coverage.bp_controlled_in_month(r, 2026, Unit(m)) for m in range(3, 8)}
    assert got == {3: 3, 4: None, 5: None, 6: 6, 7: None}


def test_glucose_control_reads_the_months_last_reading_against_perkeni_targets():
    """Targets (PERKENI, [confirm]): fasting 80 to < 130, random < 180 mg/dL.
    March: random 250 on the 1st, random 179 on the 25th → controlled; April: fasting 130
    (the upper edge, excluded) → not; May: fasting 80 (lower edge, included) → controlled;
    June: fasting 79 → not (below the target too); July: random 180 → not; August: on the
    last day fasting 100 and random 200 → not (both must meet); September: a BMI only → not."""
    measures = [
        (date(2026, 3, 1), coverage.GLUCOSE_RANDOM, 250.0),
        (date(2026, 3, 25), coverage.GLUCOSE_RANDOM, 179.0),
        (date(2026, 4, 2), coverage.GLUCOSE_FASTING, 130.0),
        (date(2026, 5, 2), coverage.GLUCOSE_FASTING, 80.0),
        (date(2026, 6, 2), coverage.GLUCOSE_FASTING, 79.0),
        (date(2026, 7, 2), coverage.GLUCOSE_RANDOM, 180.0),
        (date(2026, 8, 2), coverage.GLUCOSE_FASTING, 100.0),
        (date(2026, 8, 2), coverage.GLUCOSE_RANDOM, 200.0),
        (date(2026, 9, 2), coverage.BMI, 22.0),
    ]
    r = PersonRecords(birth=date(1970, 1, 1), sex="F", measures=measures)
    got = {m: coverage.glucose_controlled_in_month(r, 2026, Unit(m)) for m in range(3, 10)}
    assert got == {3: 3, 4: None, 5: 5, 6: None, 7: None, 8: None, 9: None}
