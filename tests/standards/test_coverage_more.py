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
