"""Immunisation schedule states: CLINICAL.md §2 rules and §6.6 cases."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.standards.immunization import (
    GivenDose as G,
)
from ilp.standards.immunization import (
    add_period,
    check_dose,
    dose_code,
    dose_codes,
    immunization_status,
    indicator_status,
)
from ilp.standards.result import OutOfRange

BIRTH = date(2024, 1, 15)


def status(doses, on, *, birth=BIRTH, sex="M", **kw):
    return {s.code: s for s in immunization_status(sex=sex, birth=birth, doses=doses, on=on, **kw)}


def test_codes_are_stable():
    codes = dose_codes()
    for code in (
        "HB0",
        "BCG",
        "OPV4",
        "DPT-HB-Hib 2",
        "DPT-HB-Hib 4",
        "PCV3",
        "RV3",
        "IPV2",
        "MR1",
        "MR2",
        "JE",
        "HPV2",
        "Td T5",
        "DT kelas 1",
        "Td kelas 5",
    ):
        assert code in codes
    assert dose_code("DPT-HB-Hib", 2) == "DPT-HB-Hib 2"
    assert dose_code("HB", 0) == "HB0"


def test_add_period_clamps_month_end():
    assert add_period(date(2024, 1, 31), {"months": 1}) == date(2024, 2, 29)
    assert add_period(date(2024, 1, 15), {"months": 6, "days": 29}) == date(2024, 8, 13)


def test_newborn_on_birth_day():
    s = status([], BIRTH)
    assert (s["HB0"].state, s["HB0"].due_date, s["HB0"].overdue_since) == (
        "due",
        BIRTH,
        date(2024, 1, 16),
    )
    assert s["HB0"].item == "imunisasi:HB0"
    assert (s["BCG"].state, s["BCG"].due_date) == ("too_early", date(2024, 2, 15))
    assert s["DPT-HB-Hib 2"].state == "too_early"
    assert s["DPT-HB-Hib 2"].reason == "menunggu DPT-HB-Hib 1"
    assert "HPV1" not in s  # boys only get the rows for their sex
    assert "JE" not in s  # not endemic


def test_hb0_after_7_days_not_allowed():
    s = status([], date(2024, 1, 23))
    assert s["HB0"].state == "not_allowed"
    assert s["HB0"].last_allowed == date(2024, 1, 22)


def test_due_then_overdue_after_one_month_grace():
    doses = [G("HB0", BIRTH)]
    assert status(doses, date(2024, 2, 15))["BCG"].state == "due"
    assert status(doses, date(2024, 3, 14))["BCG"].state == "due"
    s = status(doses, date(2024, 3, 15))["BCG"]
    assert (s.state, s.overdue_since) == ("overdue", date(2024, 3, 15))
    assert status(doses, date(2024, 3, 15), grace_months=2)["BCG"].state == "due"


def test_early_dose_is_invalid():
    # DPT-HB-Hib 1 at 4 weeks: under the 6-week minimum.
    s = status([G("DPT-HB-Hib 1", date(2024, 2, 12))], date(2024, 3, 1))["DPT-HB-Hib 1"]
    assert s.state == "given_invalid"
    assert s.reason.startswith("terlalu dini")
    assert s.due_date == date(2024, 3, 15)  # recommended age 2 months for the repeat
    assert (
        status([G("DPT-HB-Hib 1", date(2024, 2, 12))], date(2024, 3, 1), tolerance_days=3)[
            "DPT-HB-Hib 1"
        ].state
        == "given_invalid"
    )


def test_too_close_dose_is_invalid_and_repeat_dated():
    doses = [G("RV1", date(2024, 3, 15)), G("RV2", date(2024, 4, 10))]  # 26 days: §6.6
    s = status(doses, date(2024, 4, 20))
    assert s["RV1"].state == "given"
    rv2 = s["RV2"]
    assert rv2.state == "given_invalid"
    assert rv2.reason.startswith("terlalu dekat: 26 hari setelah RV1, minimal 28 hari")
    assert rv2.due_date == date(2024, 5, 8)  # 28 days after the invalid dose
    assert s["RV3"].state == "too_early"
    ok = status([G("RV1", date(2024, 3, 15)), G("RV2", date(2024, 4, 12))], date(2024, 4, 20))
    assert ok["RV2"].state == "given"


def test_rv_last_dose_max_6_months_29_days():
    doses = [G("RV1", date(2024, 3, 15)), G("RV2", date(2024, 4, 15))]
    assert status(doses, date(2024, 8, 13))["RV3"].state == "overdue"
    s = status(doses, date(2024, 8, 14))["RV3"]
    assert (s.state, s.last_allowed) == ("not_allowed", date(2024, 8, 13))
    late = status(doses + [G("RV3", date(2024, 8, 14))], date(2024, 9, 1))["RV3"]
    assert late.state == "given_invalid"
    assert late.reason.startswith("melewati batas umur")
    assert late.due_date is None


def test_rv_first_dose_too_late_to_fit_series():
    # RV1 at 6 months 10 days: RV2 cannot come 28 days later before 6 m 29 d.
    s = status([G("RV1", date(2024, 7, 25))], date(2024, 7, 30))
    assert s["RV2"].state == "not_allowed"


def test_rv_not_for_cohort_born_before_16_may_2023():
    assert "RV1" not in status([], date(2023, 7, 1), birth=date(2023, 5, 15))
    assert "RV1" in status([], date(2023, 7, 1), birth=date(2023, 5, 16))


def test_ipv2_needs_4_months_after_ipv1():
    ipv1 = G("IPV1", date(2024, 7, 15))  # 6 months (late)
    s = status([ipv1], date(2024, 10, 15))["IPV2"]  # 9 months
    assert (s.state, s.due_date) == ("too_early", date(2024, 11, 15))
    bad = status([ipv1, G("IPV2", date(2024, 10, 15))], date(2024, 10, 20))["IPV2"]
    assert bad.state == "given_invalid"
    assert "minimal 4 bulan" in bad.reason
    assert status([ipv1, G("IPV2", date(2024, 11, 15))], date(2024, 12, 1))["IPV2"].state == (
        "given"
    )


def test_ipv2_catch_up_to_59_months_and_2023_transition():
    assert status([G("IPV1", date(2024, 5, 15))], date(2028, 12, 1))["IPV2"].state == "overdue"
    assert status([G("IPV1", date(2024, 5, 15))], date(2029, 1, 15))["IPV2"].state == (
        "not_allowed"
    )
    birth = date(2022, 7, 1)
    doses = [G("IPV1", date(2023, 3, 1)), G("IPV2", date(2023, 4, 5))]  # 9 m, 35 days later
    assert status(doses, date(2023, 5, 1), birth=birth)["IPV2"].state == "given"


def test_pcv3_needs_8_weeks_after_pcv2():
    doses = [G("PCV1", date(2024, 3, 15)), G("PCV2", date(2023 + 1, 12, 1))]  # PCV2 late, 10.5 m
    s = status(doses, date(2025, 1, 15))["PCV3"]
    assert (s.state, s.due_date) == ("too_early", date(2025, 1, 26))  # PCV2 + 56 days
    bad = status(doses + [G("PCV3", date(2025, 1, 20))], date(2025, 2, 1))["PCV3"]
    assert bad.state == "given_invalid"
    assert "minimal 56 hari" in bad.reason
    assert status(doses, date(2026, 1, 15))["PCV3"].state == "not_allowed"  # 24 months


def test_pcv_first_dose_at_12_to_23_months_two_doses_8_weeks():
    doses = [G("PCV1", date(2025, 3, 1))]  # 13.5 months
    s = status(doses, date(2025, 3, 10))
    assert s["PCV2"].due_date == date(2025, 4, 26)  # 8 weeks, not 4
    doses.append(G("PCV2", date(2025, 4, 26)))
    s = status(doses, date(2025, 5, 1))
    assert s["PCV2"].state == "given"
    assert s["PCV3"].state == "not_needed"


def test_pcv_single_dose_from_24_months():
    s = status([G("PCV1", date(2026, 2, 1))], date(2026, 3, 1))
    assert [s[c].state for c in ("PCV1", "PCV2", "PCV3")] == ["given", "not_needed", "not_needed"]
    assert status([], date(2026, 3, 1))["PCV1"].state == "overdue"
    assert status([], date(2029, 1, 15))["PCV1"].state == "not_allowed"


def test_dpt4_needs_12_months_after_dose_3():
    doses = [
        G("DPT-HB-Hib 1", date(2024, 3, 15)),
        G("DPT-HB-Hib 2", date(2024, 4, 15)),
        G("DPT-HB-Hib 3", date(2024, 12, 1)),
    ]
    s = status(doses, date(2025, 7, 15))["DPT-HB-Hib 4"]  # 18 months
    assert (s.state, s.due_date) == ("too_early", date(2025, 12, 1))


def test_mr2_six_months_after_mr1():
    s = status([G("MR1", date(2024, 10, 15))], date(2025, 7, 15))["MR2"]
    assert (s.state, s.due_date) == ("due", date(2025, 7, 15))
    bad = status([G("MR1", date(2025, 5, 1)), G("MR2", date(2025, 7, 15))], date(2025, 8, 1))
    assert bad["MR2"].state == "given_invalid"


def test_je_only_when_endemic():
    s = status([], date(2024, 11, 15), je_endemic=True)["JE"]
    assert (s.state, s.due_date) == ("due", date(2024, 11, 15))


def test_hpv2_two_dose_rule_reads_2023_2024_records():
    # 2023–2024 (letter IM.02.02/C/3055/2023): HPV2 ≥ 6 months (target 12) after HPV1.
    girl = date(2012, 3, 1)
    hpv1 = G("HPV1", date(2023, 8, 8))  # grade 5, age 11
    s = status([hpv1], date(2024, 2, 1), birth=girl, sex="F")["HPV2"]
    assert (s.state, s.due_date) == ("too_early", date(2024, 8, 8))  # target 12 months
    assert (
        status([hpv1, G("HPV2", date(2024, 2, 8))], date(2024, 3, 1), birth=girl, sex="F")[
            "HPV2"
        ].state
        == "given"
    )  # exactly 6 months
    bad = status([hpv1, G("HPV2", date(2024, 2, 7))], date(2024, 3, 1), birth=girl, sex="F")
    assert bad["HPV2"].state == "given_invalid"
    # Read again after the switch to one dose, the 2024 dose is still the valid second dose.
    later = status([hpv1, G("HPV2", date(2024, 8, 8))], date(2025, 9, 1), birth=girl, sex="F")
    assert (later["HPV2"].state, later["HPV2"].given_on) == ("given", date(2024, 8, 8))


def test_hpv_is_one_dose_from_2025():
    girl = date(2014, 3, 1)
    hpv1 = G("HPV1", date(2025, 8, 11))  # grade 5, age 11
    s = status([hpv1], date(2026, 9, 1), birth=girl, sex="F")
    assert s["HPV1"].state == "given"
    assert (s["HPV2"].state, s["HPV2"].reason_code, dict(s["HPV2"].params)) == (
        "not_needed",
        "single_dose_schedule",
        {"since": date(2025, 1, 1)},
    )
    # A girl vaccinated once in 2024 was waiting for HPV2 then; from 2025 she is complete.
    girl_2024 = date(2013, 3, 1)
    first = G("HPV1", date(2024, 8, 8))
    assert status([first], date(2024, 12, 1), birth=girl_2024, sex="F")["HPV2"].state == (
        "too_early"
    )
    assert status([first], date(2025, 9, 1), birth=girl_2024, sex="F")["HPV2"].state == (
        "not_needed"
    )


def test_hpv_catch_up_for_girls_up_to_15():
    girl = date(2010, 3, 1)
    s = status([], date(2025, 9, 1), birth=girl, sex="F")["HPV1"]  # 15 years 6 months
    assert (s.state, s.last_allowed) == ("overdue", date(2026, 2, 28))
    assert status([], date(2026, 3, 1), birth=girl, sex="F")["HPV1"].state == "not_allowed"
    assert "HPV1" not in status([], date(2025, 9, 1), birth=girl, sex="M")


def test_a_seven_year_old_is_not_due_for_dpt_hb_hib_1():
    child = date(2017, 6, 1)
    s = status([], date(2024, 6, 1), birth=child)
    dpt1 = s["DPT-HB-Hib 1"]
    assert (dpt1.state, dpt1.last_allowed) == ("not_allowed", date(2022, 5, 31))
    assert (dpt1.reason_code, dict(dpt1.params)) == (
        "past_age_limit",
        {"last_allowed": date(2022, 5, 31)},
    )
    assert dpt1.reason == "melewati batas umur (31 Mei 2022)"
    # The school doses take over: DT in grade 1.
    assert s["DT kelas 1"].state == "due"


@pytest.mark.parametrize(
    "code",
    ["OPV1", "DPT-HB-Hib 1", "IPV1", "MR1", "PCV1", "JE"],
)
def test_catch_up_until_59_months_then_not_allowed(code):
    kw = {"je_endemic": True}
    # Born 15 Jan 2024: 59 months on 15 Dec 2028, 60 months on 15 Jan 2029.
    assert status([], date(2029, 1, 14), **kw)[code].state == "overdue"
    late = status([], date(2029, 1, 15), **kw)[code]
    assert (late.state, late.last_allowed) == ("not_allowed", date(2029, 1, 14))


def test_later_primary_doses_catch_up_until_59_months():
    doses = [G("OPV1", date(2024, 2, 15)), G("DPT-HB-Hib 1", date(2024, 3, 15))]
    s = status(doses, date(2029, 1, 14))
    assert (s["OPV2"].state, s["DPT-HB-Hib 2"].state) == ("overdue", "overdue")
    s = status(doses, date(2029, 1, 15))
    assert (s["OPV2"].state, s["DPT-HB-Hib 2"].state) == ("not_allowed", "not_allowed")


def test_booster_doses_catch_up_until_59_months():
    doses = [
        G("DPT-HB-Hib 1", date(2024, 3, 15)),
        G("DPT-HB-Hib 2", date(2024, 4, 15)),
        G("DPT-HB-Hib 3", date(2024, 5, 15)),
        G("MR1", date(2024, 10, 15)),
    ]
    s = status(doses, date(2029, 1, 14))
    assert (s["DPT-HB-Hib 4"].state, s["MR2"].state) == ("overdue", "overdue")
    s = status(doses, date(2029, 1, 15))
    assert (s["DPT-HB-Hib 4"].state, s["MR2"].state) == ("not_allowed", "not_allowed")


def test_status_reason_codes_and_params():
    s = status([G("HB0", BIRTH)], date(2024, 3, 20))
    assert (s["HB0"].reason_code, dict(s["HB0"].params)) == ("valid", {"given_on": BIRTH})
    bcg = s["BCG"]
    assert (bcg.state, bcg.reason_code, dict(bcg.params)) == (
        "overdue",
        "overdue_since",
        {"overdue_since": date(2024, 3, 15)},
    )
    assert [(n.code, dict(n.params)) for n in bcg.notes] == [
        ("last_allowed", {"last_allowed": date(2025, 1, 14)})
    ]
    assert bcg.reason == "terlambat sejak 15 Maret 2024; paling lambat 14 Januari 2025"
    dpt2 = s["DPT-HB-Hib 2"]
    assert (dpt2.reason_code, dict(dpt2.params)) == (
        "waiting_for_previous",
        {"previous": "DPT-HB-Hib 1"},
    )
    rv = status([G("RV1", date(2024, 3, 15)), G("RV2", date(2024, 4, 10))], date(2024, 4, 20))
    assert (rv["RV2"].reason_code, dict(rv["RV2"].params)) == (
        "given_interval_too_short",
        {
            "given_on": date(2024, 4, 10),
            "previous": "RV1",
            "days": 26,
            "interval": "P28D",
            "earliest": date(2024, 4, 12),
        },
    )


GIRL = date(2022, 3, 1)


@pytest.mark.parametrize(
    ("code", "sex", "on", "verdict", "reason", "params"),
    [
        # Not for this person: outside the vaccine's age window, other sex, cohort, district.
        (
            "HPV1",
            "F",
            date(2024, 3, 1),
            "not_allowed",
            "below_age_window",
            {"allowed_from": "P9Y", "from_date": date(2031, 3, 1)},
        ),
        ("HPV1", "M", date(2033, 3, 1), "not_allowed", "wrong_sex", {"sex": "F"}),
        (
            "Td kelas 2",
            "F",
            date(2024, 3, 1),
            "not_allowed",
            "below_age_window",
            {"allowed_from": "P5Y", "from_date": date(2027, 3, 1)},
        ),
        (
            "Td T1",
            "F",
            date(2024, 3, 1),
            "not_allowed",
            "below_age_window",
            {"allowed_from": "P15Y", "from_date": date(2037, 3, 1)},
        ),
        ("Td T1", "M", date(2040, 3, 1), "not_allowed", "wrong_sex", {"sex": "F"}),
        ("JE", "F", date(2023, 1, 1), "not_allowed", "not_endemic", {}),
        (
            "RV1",
            "F",
            date(2022, 5, 1),
            "not_allowed",
            "not_in_cohort",
            {"born_from": date(2023, 5, 16)},
        ),
        (
            "DPT-HB-Hib 1",
            "F",
            date(2029, 3, 1),
            "not_allowed",
            "past_age_limit",
            {"age_limit": "P60M", "last_allowed": date(2027, 2, 28)},
        ),
        (
            "HPV2",
            "F",
            date(2033, 3, 1),
            "not_allowed",
            "not_in_schedule_since",
            {"since": date(2025, 1, 1)},
        ),
        # Too early: before the minimum age (a form stores it only after confirmation).
        (
            "DPT-HB-Hib 1",
            "F",
            date(2022, 4, 5),
            "too_early",
            "below_min_age",
            {"min_age": "P42D", "min_date": date(2022, 4, 12)},
        ),
        (
            "Td kelas 2",
            "F",
            date(2028, 3, 1),
            "too_early",
            "below_min_age",
            {"min_age": "P7Y", "min_date": date(2029, 3, 1)},
        ),
        ("MR1", "F", date(2022, 12, 1), "valid", "valid", {}),
    ],
)
def test_check_dose(code, sex, on, verdict, reason, params):
    r = check_dose(code, sex=sex, birth=GIRL, doses=[], on=on)
    assert (r.rule, r.code, r.reason_code) == ("immunization_check", verdict, reason)
    assert dict(r.params) == {"dose": code, **params}


def test_check_dose_interval_and_already_given():
    rv1 = G("RV1", date(2024, 3, 15))
    r = check_dose("RV2", sex="M", birth=BIRTH, doses=[rv1], on=date(2024, 4, 10))
    assert (r.code, r.reason_code) == ("too_early", "interval_too_short")
    assert dict(r.params) == {
        "dose": "RV2",
        "previous": "RV1",
        "days": 26,
        "interval": "P28D",
        "earliest": date(2024, 4, 12),
    }
    assert r.reason == "RV2 terlalu dekat: 26 hari setelah RV1, minimal 28 hari (12 April 2024)"
    r = check_dose("RV1", sex="M", birth=BIRTH, doses=[rv1], on=date(2024, 4, 10))
    assert (r.code, r.reason_code, r.params["given_on"]) == (
        "not_allowed",
        "already_given",
        date(2024, 3, 15),
    )
    late_pcv = [G("PCV1", date(2026, 2, 1))]  # at 24.5 months: one dose completes PCV
    r = check_dose("PCV2", sex="M", birth=BIRTH, doses=late_pcv, on=date(2026, 4, 1))
    assert (r.code, r.reason_code, r.params["completed_by"]) == (
        "not_allowed",
        "series_complete",
        "PCV1",
    )
    with pytest.raises(ValueError, match="unknown antigen-dose code"):
        check_dose("DPT 9", sex="M", birth=BIRTH, doses=[], on=date(2024, 4, 10))


def test_school_doses_by_grade_age():
    child = date(2017, 6, 1)
    s = status([], date(2024, 8, 1), birth=child)
    assert (s["DT kelas 1"].state, s["DT kelas 1"].due_date) == ("due", date(2024, 6, 1))
    assert s["Td kelas 2"].due_date == date(2025, 6, 1)
    assert s["DT kelas 1"].overdue_since == date(2025, 6, 1)  # one school year


def test_td_wus_t3_six_months_after_t2():
    woman = date(2000, 1, 1)
    doses = [G("Td T1", date(2024, 1, 1)), G("Td T2", date(2024, 2, 1))]
    s = status(doses, date(2024, 6, 1), birth=woman, sex="F", groups=("wus",))
    assert (s["Td T3"].state, s["Td T3"].due_date) == ("too_early", date(2024, 8, 1))
    bad = status(
        doses + [G("Td T3", date(2024, 7, 31))],
        date(2024, 9, 1),
        birth=woman,
        sex="F",
        groups=("wus",),
    )
    assert bad["Td T3"].state == "given_invalid"
    assert list(s) == ["Td T1", "Td T2", "Td T3", "Td T4", "Td T5"]


def test_td_status_from_screening():
    s = status([], date(2024, 6, 1), birth=date(2000, 1, 1), sex="F", groups=("wus",), td_status=3)
    assert [s[f"Td T{n}"].state for n in range(1, 6)] == [
        "given",
        "given",
        "given",
        "too_early",
        "too_early",
    ]
    assert s["Td T4"].reason == "menunggu Td T3"


def test_missing_previous_record_does_not_invalidate():
    s = status([G("DPT-HB-Hib 2", date(2024, 4, 15))], date(2024, 5, 1))
    assert s["DPT-HB-Hib 2"].state == "given"
    assert s["DPT-HB-Hib 1"].state == "overdue"


def test_input_errors():
    with pytest.raises(ValueError, match="unknown antigen-dose code"):
        status([G("DPT 2", date(2024, 4, 1))], date(2024, 5, 1))
    with pytest.raises(OutOfRange) as e:
        status([G("BCG", date(2023, 12, 1))], date(2024, 5, 1))
    assert e.value.field == "BCG.given_on"
    with pytest.raises(OutOfRange) as e:
        status([], date(2023, 1, 1))
    assert e.value.field == "on"


FULL_IDL = [
    G("HB0", BIRTH),
    G("BCG", date(2024, 2, 15)),
    G("OPV1", date(2024, 2, 15)),
    G("DPT-HB-Hib 1", date(2024, 3, 15)),
    G("OPV2", date(2024, 3, 15)),
    G("DPT-HB-Hib 2", date(2024, 4, 15)),
    G("OPV3", date(2024, 4, 15)),
    G("DPT-HB-Hib 3", date(2024, 5, 15)),
    G("OPV4", date(2024, 5, 15)),
    G("IPV1", date(2024, 5, 15)),
    G("MR1", date(2024, 10, 15)),
]


def test_idl_complete_in_progress_incomplete():
    r = indicator_status("idl", sex="F", birth=BIRTH, doses=FULL_IDL, on=date(2024, 11, 1))
    assert (r.code, r.details["missing"]) == ("complete", [])
    r = indicator_status("idl", sex="F", birth=BIRTH, doses=FULL_IDL[:-1], on=date(2024, 11, 1))
    assert (r.code, r.details["missing"]) == ("in_progress", ["MR1"])
    late_mr = FULL_IDL[:-1] + [G("MR1", date(2025, 1, 15))]  # at 12 months: too late for IDL
    r = indicator_status("idl", sex="F", birth=BIRTH, doses=late_mr, on=date(2025, 2, 1))
    assert (r.code, r.details["missing"]) == ("incomplete", ["MR1"])


def test_ibl_and_baduta_sets():
    r = indicator_status("ibl", sex="F", birth=BIRTH, doses=FULL_IDL, on=date(2025, 2, 1))
    assert r.code == "incomplete"
    assert r.details["missing"] == ["IPV2", "PCV1", "PCV2", "RV1", "RV2", "RV3"]
    old = date(2023, 1, 10)  # born before the RV cohort: RV not required
    r = indicator_status("ibl", sex="F", birth=old, doses=[], on=date(2023, 2, 1))
    assert "RV1" not in r.details["required"]
    r = indicator_status("baduta", sex="F", birth=BIRTH, doses=[], on=date(2025, 8, 1))
    assert (r.code, r.details["missing"]) == ("in_progress", ["DPT-HB-Hib 4", "MR2"])
    with pytest.raises(ValueError):
        indicator_status("ird", sex="F", birth=BIRTH, doses=[], on=date(2025, 8, 1))
