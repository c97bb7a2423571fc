"""Published verification cases for ilp.standards.growth (CLINICAL.md §6.2-6.4)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ilp.standards.growth import classify, score, zscores

NA = None

# CLINICAL.md §6.2: id, sex, days, weight, length, measure, oedema, head, muac,
# clenhei, zlen, zwei, zwfl, zbmi, zhc, zac, PB/U, BB/U, BB/PB
WHO2006_ROWS = [
    (1, "F", 683, 10.4, 84.8, "l", "n", NA, 14.9, 84.8, -0.07, -0.57, -0.81, -0.79, NA, 0.11,
     "normal", "bb_normal", "gizi_baik"),
    (3, "F", 234, 7.2, 67.0, "l", "n", NA, 14.4, 67.0, -0.55, -0.72, -0.49, -0.56, NA, 0.36,
     "normal", "bb_normal", "gizi_baik"),
    (7, "M", 868, 12.9, 85.9, "l", "n", NA, 14.5, 85.2, -1.69, -0.08, 1.16, 1.43, NA, -0.78,
     "normal", "bb_normal", "berisiko_gizi_lebih"),
    (12, "F", 96, 6.5, 59.3, "l", "n", 39.0, 14.7, 59.3, -0.42, 0.71, 1.41, 1.29, -0.57, 1.39,
     "normal", "bb_normal", "berisiko_gizi_lebih"),
    (109, "F", 719, 15.1, 97.8, "h", "n", NA, 16.4, 98.5, 3.87, 2.18, 0.36, 0.11, NA, 1.21,
     "tinggi", "risiko_bb_lebih", "gizi_baik"),
    (145, "M", 0, 4.5, 52.4, "l", "y", 37.8, NA, 52.4, 1.33, NA, NA, NA, 2.63, NA,
     "normal", NA, NA),
    (214, "M", 194, 11.9, 73.2, "l", "n", 46.5, 16.7, 73.2, 2.32, 3.68, 3.06, 2.93, 2.38, 2.09,
     "normal", "risiko_bb_lebih", "obesitas"),
    (219, "M", 0, 5.5, 55.9, "l", "n", 38.2, NA, 55.9, 3.18, 3.77, 1.55, 2.73, 2.94, NA,
     "tinggi", "risiko_bb_lebih", "berisiko_gizi_lebih"),
    (230, "M", 886, 9.1, NA, NA, "n", NA, NA, NA, NA, -3.14, NA, NA, NA, NA,
     NA, "bb_sangat_kurang", NA),
    (371, "F", 955, 7.6, NA, NA, "n", NA, 12.5, NA, NA, -4.32, NA, NA, NA, -2.58,
     NA, "bb_sangat_kurang", NA),
    (73, "F", 1716, 27.5, 110.4, "l", "n", NA, 22.6, 109.7, 0.48, 2.85, 4.05, 3.87, NA, 3.24,
     "normal", "risiko_bb_lebih", "obesitas"),
    (112, "F", 90, 4.5, 60.4, "l", "n", 39.5, NA, 60.4, 0.34, -2.02, -3.26, -3.01, 0.01, NA,
     "normal", "bb_kurang", "gizi_buruk"),
    (181, "F", 935, 17.4, 87.6, "h", "n", NA, 18.7, 87.6, -1.02, 2.29, 3.97, 4.22, NA, 2.35,
     "normal", "risiko_bb_lebih", "obesitas"),
]  # fmt: skip


def _same(got: float, expected: float | None) -> bool:
    if expected is None:
        return math.isnan(got)
    return abs(got - expected) < 0.005


@pytest.mark.parametrize("row", WHO2006_ROWS, ids=[f"id{r[0]}" for r in WHO2006_ROWS])
def test_who2006_rows(row):
    (_, sex, days, weight, length, measure, oedema, head, muac, clenhei, *zs) = row
    zlen, zwei, zwfl, zbmi, zhc, zac, pbu, bbu, bbpb = zs
    result = score(
        sex,
        days,
        weight_kg=weight,
        length_cm=length,
        measured=measure,
        oedema=oedema,
        head_cm=head,
        muac_cm=muac,
    )
    z = {k: float(v) for k, v in result.z.items()}
    expected = {
        "lhfa": zlen,
        "wfa": zwei,
        "wflh": zwfl,
        "bfa": zbmi,
        "hcfa": zhc,
        "acfa": zac,
    }
    assert all(_same(z[k], v) for k, v in expected.items()), (z, expected)
    assert _same(float(result.clenhei), clenhei)
    for key, code in (("lhfa", pbu), ("wfa", bbu), ("wflh", bbpb)):
        category = classify(key, z[key], days)
        assert (category.code if category else None) == code


def test_boy_44_days_50_cm():
    assert float(zscores("M", 44, length_cm=50)["lhfa"]) == -3.29


def test_girl_1522_days_17_kg_not_flagged():
    result = score("F", 1522, weight_kg=17)
    assert float(result.z["wfa"]) == 0.24
    assert not result.flags["wfa"]


def test_girl_1_day_10_37_kg_flagged():
    result = score("F", 1, weight_kg=10.37)
    assert float(result.z["wfa"]) == 12.46
    assert result.flags["wfa"]


def test_boy_987_days_lying_72_86_cm():
    result = score("M", 987, length_cm=72.86, measured="l")
    assert float(result.clenhei) == pytest.approx(72.16)
    assert float(result.z["lhfa"]) == -6.09
    assert result.flags["lhfa"]


def test_length_adjustment_by_age_and_position():
    result = score(
        "M",
        [730, 800, 730, 800],
        length_cm=100,
        measured=["h", "h", "l", "l"],
    )
    np.testing.assert_allclose(result.clenhei, [100.7, 100, 100, 99.3])


def test_60_months_gets_no_who2006_score_59_99_does():
    at_60 = zscores("M", 60 * 30.4375, weight_kg=18, length_cm=110, measured="h")
    assert math.isnan(float(at_60["wflh"]))
    before = zscores("M", 59.99 * 30.4375, weight_kg=18, length_cm=110, measured="h")
    assert not math.isnan(float(before["wflh"]))


@pytest.mark.parametrize(
    ("days", "zwfl", "zlen"),
    [(729, -0.29, -1.24), (730, -0.29, -1.24), (731, -0.29, -1.25)],
)
def test_boy_84_cm_around_731_days(days, zwfl, zlen):
    z = zscores("M", days, weight_kg=11.0, length_cm=84.0, measured="l")
    assert float(z["wflh"]) == zwfl
    assert float(z["lhfa"]) == zlen


def test_731_days_lying_uses_adjusted_height_on_wfh_table():
    result = score("M", 731, weight_kg=11.0, length_cm=84.0, measured="l")
    assert float(result.clenhei) == pytest.approx(83.3)


@pytest.mark.parametrize(("length", "zwfl"), [(70.2, -0.70), (70.25, -0.71), (70.3, -0.73)])
def test_wfl_interpolates_between_tenth_cm_rows(length, zwfl):
    assert float(zscores("M", 300, weight_kg=8.0, length_cm=length, measured="l")["wflh"]) == zwfl


def test_boy_913_days_100_cm_standing_uses_wfh_restricted():
    assert float(zscores("M", 913, weight_kg=20, length_cm=100, measured="h")["wflh"]) == 3.07


def test_lms_not_simplified_formula():
    assert float(zscores("F", 761, weight_kg=20)["wfa"]) == 4.20
    z = float(zscores("M", 30, weight_kg=3.3)["wfa"])
    assert z == -2.16
    assert classify("wfa", z, 30).code == "bb_kurang"


def test_age_730_5_days_rounds_up_to_731():
    half = zscores("M", 730.5, weight_kg=11.0, length_cm=84.0, measured="l")
    whole = zscores("M", 731, weight_kg=11.0, length_cm=84.0, measured="l")
    assert float(half["lhfa"]) == float(whole["lhfa"]) == -1.25


# CLINICAL.md §6.4: id, sex, months, weight, height, oedema, zhfa, zwfa, zbfa, fwfa, fbfa, IMT/U
WHO2007_ROWS = [
    (1, "M", 166.59, 50.7, 153.7, "n", -1.13, NA, 0.94, NA, False, "gizi_baik"),
    (2, "M", 184.09, 84.6, 181.7, "n", 1.43, NA, 1.66, NA, False, "gizi_lebih"),
    (4, "F", 133.88, 46.5, 144.3, "n", -0.25, NA, 1.65, NA, False, "gizi_lebih"),
    (5, "M", 188.57, 126.4, 171.4, "n", -0.07, NA, 4.21, NA, False, "obesitas"),
    (20, "M", 149.48, 77.2, 156.1, "n", 0.55, NA, 3.14, NA, False, "obesitas"),
    (161, "M", 66.27, 34.4, 123.5, "n", 2.2, 4.23, 4.08, False, False, "obesitas"),
    (167, "M", 147.09, 44.7, 160.7, "y", 1.38, NA, NA, NA, NA, NA),
    (640, "M", 64.97, 41.6, 121.6, "n", 1.96, 6.24, 6.92, True, True, "obesitas"),
    (843, "M", 69.32, 42.2, 123, "n", 1.73, 5.78, 6.51, True, True, "obesitas"),
]


@pytest.mark.parametrize("row", WHO2007_ROWS, ids=[f"id{r[0]}" for r in WHO2007_ROWS])
def test_who2007_rows(row):
    _, sex, months, weight, height, oedema, zhfa, zwfa, zbfa, fwfa, fbfa, imtu = row
    days = months * 30.4375
    result = score(sex, days, weight_kg=weight, length_cm=height, oedema=oedema)
    z = {k: float(v) for k, v in result.z.items()}
    assert _same(z["lhfa"], zhfa)
    assert _same(z["wfa"], zwfa)
    assert _same(z["bfa"], zbfa)
    if fwfa is not None:
        assert bool(result.flags["wfa"]) is fwfa
    if fbfa is not None:
        assert bool(result.flags["bfa"]) is fbfa
    for key in ("wflh", "hcfa", "acfa"):
        assert math.isnan(z[key])
    category = classify("bfa", z["bfa"], days)
    assert (category.code if category else None) == imtu


def test_who2007_height_used_as_given_whatever_the_position():
    lying = zscores("M", 100 * 30.4375, length_cm=130, measured="lying")
    standing = zscores("M", 100 * 30.4375, length_cm=130, measured="standing")
    assert float(lying["lhfa"]) == float(standing["lhfa"])


@pytest.mark.parametrize(
    ("months", "height", "weight", "zhfa", "zwfa", "zbfa"),
    [(60.32, 113.8, 18.7, 0.96, 0.21, -0.58), (60.911701, 113.6, 20.5, 0.85, 0.79, 0.42)],
)
def test_month_60_band_reproduces_anthroplus(months, height, weight, zhfa, zwfa, zbfa):
    # anthroplus tests/testthat/test-zscores.R, "computes correct value for age ~ 60 months":
    # these need WHO's month-60 row (tables/README.md), interpolated with month 61.
    result = score("F", months * 30.4375, weight_kg=weight, length_cm=height)
    assert (float(result.z["lhfa"]), float(result.z["wfa"]), float(result.z["bfa"])) == (
        zhfa,
        zwfa,
        zbfa,
    )
    assert not any(bool(result.flags[k]) for k in ("lhfa", "wfa", "bfa"))
    for key in ("wflh", "hcfa", "acfa"):
        assert math.isnan(float(result.z[key]))


def test_exactly_60_months_is_scored_on_who2007_with_the_month_60_row():
    # 60.0 months = 1826.25 days: anthroplus scores from 60.0 (inclusive), anthro below it.
    z = zscores("M", 60 * 30.4375, weight_kg=18.3328, length_cm=109.7265)
    assert (float(z["lhfa"]), float(z["wfa"])) == (0.0, 0.0)  # the month-60 medians
    assert math.isnan(float(z["wflh"]))


def test_month_61_and_upper_limits_are_inclusive():
    z = zscores(
        "M",
        np.array([61, 120, 120.01, 228, 228.01]) * 30.4375,
        weight_kg=25,
        length_cm=130,
    )
    assert not np.isnan(z["lhfa"][[0, 1, 2, 3]]).any()
    assert np.isnan(z["lhfa"][4])
    assert not np.isnan(z["wfa"][[0, 1]]).any()
    assert np.isnan(z["wfa"][[2, 3, 4]]).all()
    assert np.isnan(z["bfa"][4])
