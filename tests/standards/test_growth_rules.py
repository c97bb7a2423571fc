"""Rules, boundaries, input handling and properties of ilp.standards.growth."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ilp.standards.growth import assess, classify, flags, score, zscores
from ilp.standards.growth._tables import table
from ilp.standards.growth.lms import round2, sd_value
from ilp.standards.result import OutOfRange, RuleResult

# --- classification boundaries (CLINICAL.md §1.6: half-open bands) ------------------------------


@pytest.mark.parametrize(
    ("indicator", "z", "code"),
    [
        ("wfa", -3.01, "bb_sangat_kurang"),
        ("wfa", -3.0, "bb_kurang"),
        ("wfa", -2.0, "bb_normal"),
        ("wfa", 1.0, "bb_normal"),
        ("wfa", 1.01, "risiko_bb_lebih"),
        ("lhfa", -3.0, "pendek"),
        ("lhfa", -2.0, "normal"),
        ("lhfa", 3.0, "normal"),
        ("lhfa", 3.01, "tinggi"),
        ("wflh", -3.0, "gizi_kurang"),
        ("wflh", -2.0, "gizi_baik"),
        ("wflh", 1.0, "gizi_baik"),
        ("wflh", 2.0, "berisiko_gizi_lebih"),
        ("wflh", 3.0, "gizi_lebih"),
        ("wflh", 3.01, "obesitas"),
        ("bfa", 2.0, "berisiko_gizi_lebih"),
        ("bfa", 3.0, "gizi_lebih"),
    ],
)
def test_classify_boundaries_under_60_months(indicator, z, code):
    result = classify(indicator, z, 400)
    assert isinstance(result, RuleResult)
    assert result.code == code
    assert result.value == z
    assert "Permenkes" in result.source


@pytest.mark.parametrize(
    ("z", "code", "label"),
    [
        (-3.01, "gizi_buruk", "Gizi buruk"),
        (-3.0, "gizi_kurang", "Gizi kurang"),
        (-2.0, "gizi_baik", "Gizi baik"),
        (1.0, "gizi_baik", "Gizi baik"),
        (1.01, "gizi_lebih", "Gizi lebih"),
        (2.0, "gizi_lebih", "Gizi lebih"),
        (2.01, "obesitas", "Obesitas"),
    ],
)
def test_classify_bmi_5_to_18_years_five_categories(z, code, label):
    result = classify("bfa", z, 10 * 365.25)
    assert (result.code, result.label) == (code, label)


def test_classify_none_for_nan_and_for_indicators_without_pmk_category():
    assert classify("wfa", math.nan, 400) is None
    assert classify("wfa", 0.5, math.nan) is None
    assert classify("hcfa", 0.5, 400) is None
    assert classify("acfa", 0.5, 400) is None
    assert classify("lhfa", 0.5, 3000) is None  # TB/U from 5 y: no PMK category


def test_classify_arrays_return_codes():
    codes = classify("wflh", [-3.5, -2.5, 0, 1.5, 2.5, 3.5, np.nan], 400)
    assert codes.tolist() == [
        "gizi_buruk",
        "gizi_kurang",
        "gizi_baik",
        "berisiko_gizi_lebih",
        "gizi_lebih",
        "obesitas",
        None,
    ]


def test_classify_rejects_unknown_indicator():
    with pytest.raises(ValueError, match="unknown indicator"):
        classify("bmi", 0.0, 400)


# --- WHO rules ---------------------------------------------------------------------------------


def test_oedema_blanks_weight_based_scores_only():
    for value in (True, "y", "Y", 1):
        z = zscores("M", 400, weight_kg=10, length_cm=75, oedema=value, head_cm=46, muac_cm=15)
        assert np.isnan([z["wfa"], z["wflh"], z["bfa"]]).all()
        assert not np.isnan([z["lhfa"], z["hcfa"], z["acfa"]]).any()
    z = zscores("M", 400, weight_kg=10, length_cm=75, oedema=False)
    assert not np.isnan([z["wfa"], z["wflh"], z["bfa"]]).any()


def test_standing_under_9_months_is_ignored_and_flagged():
    # 8 months (243 days) standing: no +0.7 cm, c9mo flagged; lying gives the same z.
    standing = score("F", 243, length_cm=68, measured="standing")
    lying = score("F", 243, length_cm=68, measured="lying")
    assert float(standing.clenhei) == 68
    assert bool(standing.flags["c9mo"])
    assert not bool(lying.flags["c9mo"])
    assert float(standing.z["lhfa"]) == float(lying.z["lhfa"])
    # from 9 months (274 days) standing is adjusted
    nine = score("F", 274, length_cm=68, measured="standing")
    assert float(nine.clenhei) == pytest.approx(68.7)
    assert not bool(nine.flags["c9mo"])


def test_missing_position_means_no_adjustment():
    result = score("M", [500, 900], length_cm=85, measured=[None, None])
    np.testing.assert_allclose(result.clenhei, [85, 85])


def test_age_missing_uses_position_then_87_cm_for_wfl_table():
    z = zscores(
        ["M", "M", "M", "M"],
        [None, None, None, None],
        weight_kg=12,
        length_cm=[86.9, 86.9, 87.0, 86.0],
        measured=[None, "h", None, "l"],
    )
    # no age: only the weight-for-length/height score
    assert np.isnan(z["wfa"]).all()
    assert np.isnan(z["lhfa"]).all()
    wfl = table("who2006_wfl")
    wfh = table("who2006_wfh")
    assert not np.isnan(z["wflh"]).any()
    expected_wfl = ((12 / wfl.m[869 - 450]) ** wfl.l[869 - 450] - 1) / (
        wfl.s[869 - 450] * wfl.l[869 - 450]
    )
    expected_wfh = ((12 / wfh.m[869 - 650]) ** wfh.l[869 - 650] - 1) / (
        wfh.s[869 - 650] * wfh.l[869 - 650]
    )
    assert float(z["wflh"][0]) == pytest.approx(round(expected_wfl, 2), abs=1e-9)
    assert float(z["wflh"][1]) == pytest.approx(round(expected_wfh, 2), abs=1e-9)


@pytest.mark.parametrize(
    ("days", "length", "scored"),
    [
        (300, 44.9, False),
        (300, 45.0, True),
        (300, 110.0, True),
        (300, 110.1, False),
        (800, 64.9, False),
        (800, 65.0, True),
        (800, 120.0, True),
        (800, 120.1, False),
    ],
)
def test_wfl_wfh_table_ranges(days, length, scored):
    measured = "l" if days < 731 else "h"
    z = zscores("F", days, weight_kg=8, length_cm=length, measured=measured)
    assert (not math.isnan(float(z["wflh"]))) is scored


def test_acfa_from_day_91():
    z = zscores("F", [90, 91], muac_cm=13)
    assert math.isnan(z["acfa"][0])
    assert not math.isnan(z["acfa"][1])


def test_measurement_zero_or_negative_gives_nan_in_arrays():
    z = zscores(["M", "M"], [100, 100], weight_kg=[0, -1], length_cm=[0, -5], head_cm=[0, -1])
    for key in ("wfa", "lhfa", "wflh", "bfa", "hcfa"):
        assert np.isnan(z[key]).all()


def test_unknown_values_in_arrays_give_nan_or_defaults():
    z = zscores(["X", "M", "M"], [100, -5, 100], weight_kg=6, oedema=[None, None, "maybe"])
    assert np.isnan(z["wfa"][:2]).all()
    assert float(z["wfa"][2]) == float(zscores("M", 100, weight_kg=6)["wfa"])


def test_sex_encodings_agree():
    a = zscores(["M", "F"], 400, weight_kg=10)["wfa"]
    b = zscores([1, 2], 400, weight_kg=10)["wfa"]
    c = zscores(np.array(["m", "f"], dtype=object), 400, weight_kg=10)["wfa"]
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)


def test_measured_encodings_agree():
    a = zscores("M", 800, length_cm=88, measured="lying")
    b = zscores("M", 800, length_cm=88, measured="l")
    c = zscores("M", 800, length_cm=88, measured="L")
    assert float(a["lhfa"]) == float(b["lhfa"]) == float(c["lhfa"])


def test_scalar_results_are_0d_and_arrays_keep_shape():
    z = zscores("M", 400, weight_kg=10)
    assert z["wfa"].shape == ()
    z = zscores(["M"] * 3, [400, 500, 600], weight_kg=10)
    assert z["wfa"].shape == (3,)


def test_flags_function_returns_booleans_per_indicator_and_c9mo():
    result = flags("F", 1, weight_kg=10.37)
    assert set(result) == {"wfa", "lhfa", "wflh", "bfa", "hcfa", "acfa", "c9mo"}
    assert bool(result["wfa"]) is True
    assert bool(result["lhfa"]) is False


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sex": "X"}, "sex"),
        ({"sex": 3}, "sex"),
        ({"age_days": -1}, "age_days"),
        ({"weight_kg": 301}, "weight_kg"),
        ({"weight_kg": 0}, "weight_kg"),
        ({"length_cm": 251}, "length_cm"),
        ({"head_cm": -2}, "head_cm"),
        ({"muac_cm": 81}, "muac_cm"),
        ({"measured": "sitting"}, "measured"),
        ({"oedema": "maybe"}, "oedema"),
    ],
)
def test_scalar_calls_reject_implausible_input(kwargs, field):
    args = {"sex": "M", "age_days": 400, **kwargs}
    with pytest.raises(OutOfRange) as info:
        zscores(args.pop("sex"), args.pop("age_days"), **args)
    assert info.value.field == field
    assert field in str(info.value)


def test_assess_from_dates():
    result = assess(
        "F", date(2024, 1, 15), date(2025, 11, 20), weight_kg=8.2, length_cm=74, measured="lying"
    )
    assert result.age_days == 675
    assert result.reference == "WHO 2006"
    assert result.indicators["wfa"].z == -2.56
    assert result.indicators["wfa"].category.label == "Berat badan kurang"
    assert result.indicators["lhfa"].category.code == "sangat_pendek"
    assert result.indicators["wflh"].category.code == "gizi_baik"
    assert result.indicators["hcfa"].z is None
    assert result.indicators["hcfa"].category is None


@pytest.mark.parametrize(
    ("birth", "visit", "days", "reference", "categories"),
    [
        # Fifth birthday after one leap day: 1,826 days = 59.99 months, WHO 2006 and the
        # PMK 0–60-month tables.
        (
            date(2020, 3, 15),
            date(2025, 3, 15),
            1826,
            "WHO 2006",
            {"wfa": "risiko_bb_lebih", "lhfa": "normal", "bfa": "berisiko_gizi_lebih"},
        ),
        # Fifth birthday after two leap days: 1,827 days = 60.02 months, WHO 2007 (month-60
        # row) and the PMK IMT/U 5–18-year table; the PMK has no BB/U or TB/U category there.
        (
            date(2019, 3, 15),
            date(2024, 3, 15),
            1827,
            "WHO 2007",
            {"wfa": None, "lhfa": None, "bfa": "gizi_lebih"},
        ),
    ],
)
def test_one_boundary_at_60_months_for_the_reference_and_the_pmk_table(
    birth, visit, days, reference, categories
):
    result = assess("F", birth, visit, weight_kg=21.5, length_cm=110, measured="standing")
    assert (result.age_days, result.reference) == (days, reference)
    got = {
        k: (result.indicators[k].category.code if result.indicators[k].category else None)
        for k in categories
    }
    assert got == categories
    assert all(result.indicators[k].z is not None for k in ("wfa", "lhfa", "bfa"))
    assert (result.indicators["wflh"].z is None) is (reference == "WHO 2007")


def test_assess_rejects_visit_before_birth_and_bad_sex():
    with pytest.raises(OutOfRange, match="visit_date"):
        assess("F", date(2024, 1, 15), date(2024, 1, 14), weight_kg=3)
    with pytest.raises(OutOfRange, match="sex"):
        assess("P", date(2024, 1, 15), date(2024, 3, 14), weight_kg=3)


def test_round2_half_away_from_zero_on_the_value():
    values = np.array([0.125, -0.125, 1.005, 2.675, 0.2949999, np.nan, -0.001])
    np.testing.assert_array_equal(round2(values), [0.13, -0.13, 1.0, 2.67, 0.29, np.nan, 0.0])
    assert not np.signbit(round2(np.array([-0.001]))[0])


# --- properties (CLINICAL.md §6.1 (3)) ----------------------------------------------------------

DAY_TABLES = ["who2006_wfa", "who2006_lhfa", "who2006_bfa", "who2006_hcfa", "who2006_acfa"]
INDICATOR_OF = {
    "who2006_wfa": ("wfa", "weight_kg"),
    "who2006_lhfa": ("lhfa", "length_cm"),
    "who2006_bfa": ("bfa", None),
    "who2006_hcfa": ("hcfa", "head_cm"),
    "who2006_acfa": ("acfa", "muac_cm"),
}


def _z_for(name: str, sex: str, day: int, value: float) -> float:
    indicator, argument = INDICATOR_OF[name]
    if argument is None:  # BMI: pick a length, derive the weight
        length = 60.0 if day < 731 else 90.0
        weight = value * (length / 100) ** 2
        return float(zscores([sex], day, weight_kg=weight, length_cm=length)[indicator][0])
    # a one-element array: WHO semantics, no scalar input validation
    return float(zscores([sex], day, **{argument: [value]})[indicator][0])


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(DAY_TABLES),
    sex=st.sampled_from(["M", "F"]),
    day=st.integers(min_value=91, max_value=1826),
    k=st.integers(min_value=-3, max_value=3),
)
def test_z_of_sd_k_is_k(name, sex, day, k):
    t = table(name)
    row = (0 if sex == "M" else 1) * t.n + day - t.first
    l, m, s = t.l[row], t.m[row], t.s[row]  # noqa: E741
    value = float(sd_value(float(k), np.array(l), np.array(m), np.array(s)))
    assert _z_for(name, sex, day, value) == pytest.approx(k, abs=0.011)
    if k == 0:
        assert _z_for(name, sex, day, float(m)) == 0.0


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(DAY_TABLES),
    sex=st.sampled_from(["M", "F"]),
    day=st.integers(min_value=91, max_value=1826),
    a=st.floats(min_value=0.3, max_value=2.0),
    b=st.floats(min_value=0.3, max_value=2.0),
)
def test_z_monotonic_in_measurement(name, sex, day, a, b):
    t = table(name)
    m = float(t.m[(0 if sex == "M" else 1) * t.n + day - t.first])
    low, high = sorted((a * m, b * m))
    assert _z_for(name, sex, day, low) <= _z_for(name, sex, day, high)


@settings(max_examples=100, deadline=None)
@given(
    sex=st.sampled_from(["M", "F"]),
    day=st.integers(min_value=0, max_value=1826),
    weights=st.lists(st.floats(min_value=1.0, max_value=40.0), min_size=2, max_size=20),
    length=st.floats(min_value=45.0, max_value=120.0),
)
def test_wflh_monotonic_in_weight(sex, day, weights, length):
    weights = sorted(weights)
    z = zscores([sex] * len(weights), day, weight_kg=weights, length_cm=length)["wflh"]
    finite = z[~np.isnan(z)]
    assert np.all(np.diff(finite) >= 0)


def test_threaded_chunks_give_the_same_result_as_one_pass(monkeypatch):
    import ilp.standards.growth.engine as engine

    rng = np.random.default_rng(7)
    n = 5000
    args = (np.where(rng.random(n) < 0.5, "M", "F"), rng.uniform(0, 6000, n))
    kwargs = {
        "weight_kg": rng.uniform(2, 40, n),
        "length_cm": rng.uniform(45, 160, n),
        "measured": np.where(rng.random(n) < 0.5, "l", "h"),
        "oedema": rng.random(n) < 0.05,
        "head_cm": rng.uniform(30, 55, n),
        "muac_cm": rng.uniform(10, 20, n),
    }
    one_pass = zscores(*args, **kwargs)
    monkeypatch.setattr(engine, "PARALLEL_MIN_ROWS", 1000)
    monkeypatch.setattr(engine, "_cpu_count", lambda: 3)
    threaded = zscores(*args, **kwargs)
    for key in one_pass:
        np.testing.assert_array_equal(threaded[key], one_pass[key])
