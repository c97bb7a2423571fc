"""Vectorised WHO z-scores for children: WHO 2006 standards under 60 months, WHO 2007 after.

Sources (CLINICAL.md §1.1-1.5, all [C]):

- WHO Child Growth Standards 2006, as implemented by WHO's R package ``anthro`` 1.1.0
  (``anthro_zscores``, ``adjust_lenhei``, ``anthro_zscore_weight_for_lenhei``,
  ``round_up``): age in whole days (fractional days rounded half up, 730.5 -> 731); z-scores
  only when age in months (days / 30.4375, unrounded) < 60; +0.7 cm for standing under 731
  days, -0.7 cm for lying from 731 days, the adjusted length feeding LHFA, WFL/WFH and BMI;
  standing under 9 months treated as position missing with ``c9mo`` flagged; WFL table under
  731 days, WFH from 731 (age missing: measured position, else < 87 cm -> WFL), lengths
  45-110 / 65-120 cm, L, M, S interpolated for lengths between 0.1-cm rows; restricted rule
  for WFA, WFL/WFH, BMI, ACFA; ACFA from day 91; oedema -> no WFA, WFL/WFH, BMI; measurements
  <= 0 -> no z-score; z rounded to 2 decimals and flags judged on the rounded value.
- WHO Growth Reference 2007, as implemented by WHO's R package ``anthroplus`` 1.0.0
  (``anthroplus_zscores``, ``zscore_indicator``): age in decimal months (days / 30.4375),
  L, M, S interpolated linearly between whole-month rows; height-for-age 60-228 months,
  weight-for-age 60-120 months, BMI-for-age 60-228 months, all limits inclusive; the height is
  used as given (no lying/standing adjustment) and BMI is computed from it; oedema -> no WFA,
  BMI.
- The boundary at 60 months is WHO's software's: WHO 2006 below 60.0 months (anthro >= 0.9.3,
  WorldHealthOrganization/anthro #37), WHO 2007 from 60.0 months (anthroplus: "age >= 60
  months is supported"). Children of 60.0 to < 61.0 months are scored with WHO's month-60
  row, interpolated with month 61 (``tables/README.md``); anthroplus's own expected values for
  60.32 and 60.911701 months are reproduced at 2 decimals. In whole days the boundary falls
  between day 1826 (59.99 months, WHO 2006) and day 1827 (60.02 months, WHO 2007), so a child
  on the fifth birthday is on WHO 2006 after one leap day and on WHO 2007 after two. Which
  Permenkes 2/2020 table classifies the result follows the same boundary
  (:mod:`ilp.standards.growth.categories`).

Indicator keys: ``wfa``, ``lhfa``, ``wflh``, ``bfa``, ``hcfa``, ``acfa``. From 60 months
``lhfa`` holds WHO 2007 height-for-age, ``wfa`` WHO 2007 weight-for-age (to 120 months) and
``bfa`` WHO 2007 BMI-for-age; ``wflh``, ``hcfa`` and ``acfa`` are NaN.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..result import OutOfRange
from ._tables import Table, table
from .lms import restrict, restrict_precomputed, round2, z_plain, z_plain_l1

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

INDICATORS: tuple[str, ...] = ("wfa", "lhfa", "wflh", "bfa", "hcfa", "acfa")
DAYS_PER_MONTH = 30.4375  # anthro ANTHRO_DAYS_OF_MONTH
WHO2007_FROM_DAYS = 60 * DAYS_PER_MONTH  # 1826.25
LENGTH_ADJUSTMENT_CM = 0.7

# Flag rules on the rounded z (anthro / anthroplus): (low, high) -> flagged if z < low or z > high.
FLAG_LIMITS: dict[str, tuple[float, float]] = {
    "wfa": (-6.0, 5.0),
    "lhfa": (-6.0, 6.0),
    "wflh": (-5.0, 5.0),
    "bfa": (-5.0, 5.0),
    "hcfa": (-5.0, 5.0),
    "acfa": (-5.0, 5.0),
}

# Plausible ranges for scalar calls (ILP input validation, not WHO): (low exclusive, high).
SCALAR_LIMITS: dict[str, tuple[float, float]] = {
    "weight_kg": (0.0, 300.0),
    "length_cm": (0.0, 250.0),
    "head_cm": (0.0, 80.0),
    "muac_cm": (0.0, 80.0),
}

_SEX_MALE = ("M", "m", "1")
_SEX_FEMALE = ("F", "f", "2")
_LYING = ("lying", "l", "L", "Lying", "LYING")
_STANDING = ("standing", "h", "H", "Standing", "STANDING")
_OEDEMA_YES = ("y", "Y", "yes", "Yes", "YES", "1", "true", "True", "TRUE")
_OEDEMA_NO = ("n", "N", "no", "No", "NO", "2", "0", "false", "False", "FALSE")
_MISSING_TOKENS = ("", "None", "nan", "NaN", "NA")

MEASURE_MISSING, MEASURE_LYING, MEASURE_STANDING = 0, 1, 2

# Inputs of at least 2 * PARALLEL_MIN_ROWS rows are scored in row chunks on several threads.
PARALLEL_MIN_ROWS = 100_000
TABLE_NAMES = (
    "who2006_wfa",
    "who2006_lhfa",
    "who2006_bfa",
    "who2006_hcfa",
    "who2006_acfa",
    "who2006_wfl",
    "who2006_wfh",
    "who2007_hfa",
    "who2007_wfa",
    "who2007_bfa",
)


@dataclass(frozen=True, slots=True)
class GrowthScores:
    """Everything one scoring run produces, each array shaped like the broadcast inputs.

    ``z``        indicator -> z-score rounded to 2 decimals (NaN where WHO computes none)
    ``flags``    indicator -> WHO implausibility flag on the rounded z (False where z is NaN),
                 plus ``c9mo``: standing height recorded under 9 months (position ignored)
    ``clenhei``  length/height after the lying/standing adjustment (WHO 2006 ages only)
    ``bmi``      BMI (kg/m²) from ``clenhei``
    """

    z: dict[str, FloatArray]
    flags: dict[str, BoolArray]
    clenhei: FloatArray
    bmi: FloatArray


# ---------------------------------------------------------------------------------------------
# Public API


def zscores(
    sex: Any,
    age_days: Any,
    *,
    weight_kg: Any = None,
    length_cm: Any = None,
    measured: Any = None,
    oedema: Any = None,
    head_cm: Any = None,
    muac_cm: Any = None,
) -> dict[str, FloatArray]:
    """WHO z-scores per indicator (``wfa``, ``lhfa``, ``wflh``, ``bfa``, ``hcfa``, ``acfa``).

    Arguments are scalars or equal-length (broadcastable) array-likes: ``sex`` 'M'/'F' or 1/2;
    ``age_days`` possibly fractional; ``measured`` 'lying'/'standing' (or 'l'/'h') or None;
    ``oedema`` True/False/'y'/'n'/None; missing numbers as None or NaN. Returns float arrays of
    z-scores rounded to 2 decimals, NaN where WHO computes none (0-d arrays for scalar input).

    With array input, values WHO's software would not score give NaN (unknown sex, negative
    age, measurements <= 0; unknown positions count as missing, unknown oedema as "no"). With
    only scalar input, implausible values raise :class:`~ilp.standards.result.OutOfRange`
    naming the field (sex not M/F, negative age, measurements outside ``SCALAR_LIMITS``,
    unknown ``measured`` or ``oedema``).

    Method and sources: see the module docstring (WHO ``anthro`` 1.1.0 and ``anthroplus``
    1.0.0; CLINICAL.md §1.1-1.5).
    """
    return score(
        sex,
        age_days,
        weight_kg=weight_kg,
        length_cm=length_cm,
        measured=measured,
        oedema=oedema,
        head_cm=head_cm,
        muac_cm=muac_cm,
    ).z


def flags(
    sex: Any,
    age_days: Any,
    *,
    weight_kg: Any = None,
    length_cm: Any = None,
    measured: Any = None,
    oedema: Any = None,
    head_cm: Any = None,
    muac_cm: Any = None,
) -> dict[str, BoolArray]:
    """WHO implausibility flags per indicator, plus ``c9mo`` (standing under 9 months).

    Flags (judged on the rounded z, as WHO does): LHFA |z| > 6; WFA z < -6 or z > 5; WFL/WFH,
    BMI, HCFA, ACFA |z| > 5; the same limits for the WHO 2007 indicators. False where the z is
    NaN. Arguments as :func:`zscores`. Source: anthro ``flag_zscore`` and ``c9mo_flag``,
    anthroplus ``flag_scores``; CLINICAL.md §1.1, §1.4.
    """
    return score(
        sex,
        age_days,
        weight_kg=weight_kg,
        length_cm=length_cm,
        measured=measured,
        oedema=oedema,
        head_cm=head_cm,
        muac_cm=muac_cm,
    ).flags


def zscores_with_flags(
    sex: Any,
    age_days: Any,
    *,
    weight_kg: Any = None,
    length_cm: Any = None,
    measured: Any = None,
    oedema: Any = None,
    head_cm: Any = None,
    muac_cm: Any = None,
) -> tuple[dict[str, FloatArray], dict[str, BoolArray]]:
    """``(zscores(...), flags(...))`` from one computation. Sources as :func:`zscores`."""
    result = score(
        sex,
        age_days,
        weight_kg=weight_kg,
        length_cm=length_cm,
        measured=measured,
        oedema=oedema,
        head_cm=head_cm,
        muac_cm=muac_cm,
    )
    return result.z, result.flags


def score(
    sex: Any,
    age_days: Any,
    *,
    weight_kg: Any = None,
    length_cm: Any = None,
    measured: Any = None,
    oedema: Any = None,
    head_cm: Any = None,
    muac_cm: Any = None,
) -> GrowthScores:
    """The full result (z-scores, flags, adjusted length, BMI). Arguments as :func:`zscores`.

    Sources: see the module docstring.
    """
    raw = {
        "sex": sex,
        "age_days": age_days,
        "weight_kg": weight_kg,
        "length_cm": length_cm,
        "measured": measured,
        "oedema": oedema,
        "head_cm": head_cm,
        "muac_cm": muac_cm,
    }
    arrays = {k: np.asarray(v) if v is not None else np.asarray(np.nan) for k, v in raw.items()}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    if shape == ():
        validate_scalars(raw)
    flat = {k: np.broadcast_to(a, shape).ravel() for k, a in arrays.items()}
    n = int(np.prod(shape))
    workers = min(_cpu_count(), n // PARALLEL_MIN_ROWS)
    if workers > 1:
        # numpy releases the GIL inside its loops, so row chunks scale across cores.
        for name in TABLE_NAMES:
            table(name)
        bounds = np.linspace(0, n, workers + 1).astype(np.int64)
        chunks = [{k: v[lo:hi] for k, v in flat.items()} for lo, hi in pairwise(bounds)]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(_score_chunk, chunks))
        result = GrowthScores(
            z={k: np.concatenate([p.z[k] for p in parts]) for k in INDICATORS},
            flags={k: np.concatenate([p.flags[k] for p in parts]) for k in parts[0].flags},
            clenhei=np.concatenate([p.clenhei for p in parts]),
            bmi=np.concatenate([p.bmi for p in parts]),
        )
    else:
        result = _score_chunk(flat)
    return GrowthScores(
        z={k: v.reshape(shape) for k, v in result.z.items()},
        flags={k: v.reshape(shape) for k, v in result.flags.items()},
        clenhei=result.clenhei.reshape(shape),
        bmi=result.bmi.reshape(shape),
    )


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _score_chunk(flat: Mapping[str, NDArray[Any]]) -> GrowthScores:
    return _score_flat(
        sex=_sex_index(flat["sex"]),
        age=_floats(flat["age_days"]),
        weight=_floats(flat["weight_kg"]),
        length=_floats(flat["length_cm"]),
        measure=_measure_code(flat["measured"]),
        oedema=_oedema_mask(flat["oedema"]),
        head=_floats(flat["head_cm"]),
        muac=_floats(flat["muac_cm"]),
    )


# ---------------------------------------------------------------------------------------------
# Input normalisation (vectorised; no loop over rows)


def _floats(a: NDArray[Any]) -> FloatArray:
    """A fresh float64 copy (None -> NaN)."""
    if a.dtype.kind in "fiub":
        return a.astype(np.float64)
    return np.array(a.tolist(), dtype=np.float64) if a.dtype.kind == "O" else a.astype(float)


def _matches(a: NDArray[Any], tokens: tuple[str, ...]) -> BoolArray:
    """Rows of a text-like array equal to one of ``tokens`` (one-character arrays compare code
    points directly, which is much faster than string comparison)."""
    t = a if a.dtype.kind == "U" else a.astype(str)
    if t.dtype.itemsize == 4:  # '<U1': a single UCS-4 code point per row
        codes = t.view(np.uint32)
        out = np.zeros(t.shape, dtype=bool)
        for token in tokens:
            if len(token) == 1:
                out |= codes == ord(token)
        return out
    out = np.zeros(t.shape, dtype=bool)
    for token in tokens:
        out |= t == token
    return out


def _sex_index(a: NDArray[Any]) -> NDArray[np.int64]:
    """0 male, 1 female, -1 unknown. WHO codes 1 = male, 2 = female (anthro
    ``standardize_sex_var``)."""
    male: BoolArray
    female: BoolArray
    if a.dtype.kind in "iuf":
        male, female = np.asarray(a == 1, dtype=np.bool_), np.asarray(a == 2, dtype=np.bool_)
    elif a.dtype.kind == "b":
        male = female = np.zeros(a.shape, dtype=bool)
    else:
        male, female = _matches(a, _SEX_MALE), _matches(a, _SEX_FEMALE)
    out = female.astype(np.int64)
    out -= ~(male | female)
    return out


def _measure_code(a: NDArray[Any]) -> NDArray[np.int64]:
    """0 missing/unknown, 1 lying, 2 standing (anthro: values other than l/h are missing)."""
    if a.dtype.kind in "iufb":
        return np.zeros(a.shape, dtype=np.int64)
    out = _matches(a, _LYING).astype(np.int64)
    out += 2 * _matches(a, _STANDING)
    return out


def _oedema_mask(a: NDArray[Any]) -> BoolArray:
    """True for oedema; anything else (including missing) is "no" (anthro
    ``standardize_oedema_var``: 1 = yes, 2 = no)."""
    if a.dtype.kind == "b":
        return a.copy()
    if a.dtype.kind in "iuf":
        return np.asarray(a == 1, dtype=np.bool_)
    return _matches(a, _OEDEMA_YES)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in _MISSING_TOKENS


def validate_scalars(raw: Mapping[str, Any]) -> None:
    """Raise OutOfRange for implausible scalar input, keyed as :func:`score`'s arguments.

    ILP input validation (not WHO): sex M/F/1/2, age >= 0, measurements in ``SCALAR_LIMITS``,
    known ``measured`` and ``oedema`` values; missing values pass.
    """
    sex = raw["sex"]
    sex_text = str(sex.item() if isinstance(sex, np.generic) else sex).strip()
    if isinstance(sex, bool) or sex_text not in (*_SEX_MALE, *_SEX_FEMALE):
        raise OutOfRange("sex", sex, "M", "F")
    age = raw["age_days"]
    if not _is_missing(age):
        age_value = float(age)
        if not age_value >= 0:
            raise OutOfRange("age_days", age, 0, "∞")
    for name, (low, high) in SCALAR_LIMITS.items():
        value = raw[name]
        if _is_missing(value):
            continue
        number = float(value)
        if not (low < number <= high):
            raise OutOfRange(name, value, f">{low:g}", f"{high:g}")
    measured = raw["measured"]
    if not _is_missing(measured) and str(measured).strip() not in (*_LYING, *_STANDING):
        raise OutOfRange("measured", measured, "lying", "standing")
    oedema = raw["oedema"]
    if (
        not _is_missing(oedema)
        and not isinstance(oedema, bool | np.bool_)
        and str(oedema).strip() not in (*_OEDEMA_YES, *_OEDEMA_NO)
    ):
        raise OutOfRange("oedema", oedema, "n", "y")


# ---------------------------------------------------------------------------------------------
# Computation


def _positive(x: FloatArray) -> FloatArray:
    """Measurements <= 0 give no z-score (anthro ``anthro_zscore_adjusted``); in place."""
    with np.errstate(invalid="ignore"):
        np.putmask(x, ~(x > 0), np.nan)
    return x


def _day_indicator(
    name: str,
    y: FloatArray,
    sex: NDArray[np.int64],
    day: NDArray[np.int64],
    valid: BoolArray,
    restricted: bool,
) -> FloatArray:
    """Unrounded z on a WHO 2006 day table; NaN where ``valid`` is False or before the table.

    ``day`` must lie in 0..1826 (the tables' last day) on every row."""
    t = table(name)
    if t.first == 0:
        rows = sex * t.n + day  # day is 0..1826 wherever valid, else 0
    else:
        valid = valid & (day >= t.first)
        rows = sex * t.n + np.maximum(day - t.first, 0)
    m = t.m.take(rows)
    s = t.s.take(rows)
    if t.l_is_one:
        z = z_plain_l1(y, m, s)
    else:
        z = z_plain(y, t.l.take(rows), m, s)
        if restricted:
            z = restrict_precomputed(z, y, rows, t.sd3, t.sd2, t.sd3n, t.sd2n)
    z[~valid] = np.nan
    return z


def _interpolated_lms(
    t: Table, sex: NDArray[np.int64], low: NDArray[np.int64], diff: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """L, M, S at ``low + diff`` table steps, linear between rows ``low`` and ``low + 1``."""
    size = 2 * t.n
    rows = sex * t.n + np.clip(low - t.first, 0, t.n - 1)
    upper = np.minimum(rows + 1, size - 1)
    out = []
    for column in (t.l, t.m, t.s):
        a = column.take(rows)
        out.append(a + diff * (column.take(upper) - a))
    return out[0], out[1], out[2]


def _wflh(
    weight: FloatArray,
    clen: FloatArray,
    sex: NDArray[np.int64],
    use_l: BoolArray,
    use_h: BoolArray,
) -> FloatArray:
    """Unrounded weight-for-length/height z (restricted), L, M, S interpolated between 0.1-cm
    rows as anthro ``anthro_zscore_weight_for_lenhei`` does (low = trunc(10 h) / 10)."""
    with np.errstate(invalid="ignore"):
        in_l = use_l & (clen >= 45.0) & (clen <= 110.0)
        in_h = use_h & (clen >= 65.0) & (clen <= 120.0)
    valid = in_l | in_h
    safe = np.where(valid, clen, 65.0)
    low10 = np.trunc(safe * 10.0)
    diff = (safe - low10 / 10.0) / 0.1
    low10i = low10.astype(np.int64)
    z = np.full(clen.shape, np.nan)
    for t, mask in ((table("who2006_wfl"), in_l), (table("who2006_wfh"), in_h)):
        idx = np.flatnonzero(mask)
        if not idx.size:
            continue
        l, m, s = _interpolated_lms(t, sex[idx], low10i[idx], diff[idx])  # noqa: E741
        y = weight[idx]
        z[idx] = restrict(z_plain(y, l, m, s), y, l, m, s)
    return z


def _month_indicator(
    name: str,
    y: FloatArray,
    sex: NDArray[np.int64],
    months: FloatArray,
    upper_months: float,
    restricted: bool,
) -> FloatArray:
    """Unrounded WHO 2007 z: L, M, S interpolated linearly between whole-month rows
    (anthroplus ``zscore_indicator``); NaN where a needed row is absent or months exceed
    ``upper_months`` (inclusive)."""
    t = table(name)
    low = np.trunc(months)
    diff = months - low
    lowi = low.astype(np.int64)
    valid = (
        (months >= 60.0)
        & (months <= upper_months)
        & (lowi >= t.first)
        & ((diff == 0.0) | (lowi + 1 <= t.last))
    )
    l, m, s = _interpolated_lms(t, sex, lowi, diff)  # noqa: E741
    z = z_plain_l1(y, m, s) if t.l_is_one else z_plain(y, l, m, s)
    if restricted:
        z = restrict(z, y, l, m, s)
    z[~valid] = np.nan
    return z


def _score_flat(
    *,
    sex: NDArray[np.int64],
    age: FloatArray,
    weight: FloatArray,
    length: FloatArray,
    measure: NDArray[np.int64],
    oedema: BoolArray,
    head: FloatArray,
    muac: FloatArray,
) -> GrowthScores:
    n = sex.shape[0]
    with np.errstate(invalid="ignore"):
        np.putmask(age, ~(age >= 0), np.nan)  # negative age: no z-score
        weight, length, head, muac = (_positive(x) for x in (weight, length, head, muac))
        known_sex = sex >= 0
        sexi = sex * known_sex
        has_age = ~np.isnan(age)
        months = age / DAYS_PER_MONTH
        under60 = known_sex & (months < 60.0)
        from60 = known_sex & (months >= 60.0)
        # round_up: whole days, halves up (anthro utils.R); 0 unless scored on WHO 2006.
        day = np.floor(age + 0.5).astype(np.int64)
        day *= under60

        # Standing under 9 months is implausible: position treated as missing (anthro 1.1.0).
        c9mo = (measure == MEASURE_STANDING) & (months < 9.0)
        measure = measure * ~c9mo

        # WHO 2006 length adjustment (adjust_lenhei), only for ages scored on WHO 2006.
        young = day < 731
        adjustment = (under60 & young & (measure == MEASURE_STANDING)).astype(np.float64)
        adjustment -= under60 & ~young & (measure == MEASURE_LYING)
        adjustment *= LENGTH_ADJUSTMENT_CM  # exactly +0.7, -0.7 or 0
        clen = length + adjustment

        bmi = weight / (clen / 100.0) ** 2  # as anthro: weight / ((clenhei / 100)^2)
        if oedema.any():
            weight_ok, bmi_ok = weight.copy(), bmi.copy()
            np.putmask(weight_ok, oedema, np.nan)
            np.putmask(bmi_ok, oedema, np.nan)
        else:
            weight_ok, bmi_ok = weight, bmi

        # Table for weight-for-length/height (anthro_zscore_weight_for_lenhei).
        no_age = known_sex & ~has_age
        use_l = (under60 & young) | (
            no_age & ((measure == MEASURE_LYING) | ((measure == MEASURE_MISSING) & (clen < 87.0)))
        )
        use_h = (under60 & ~young) | (
            no_age
            & ((measure == MEASURE_STANDING) | ((measure == MEASURE_MISSING) & (clen >= 87.0)))
        )

    z = {
        "wfa": _day_indicator("who2006_wfa", weight_ok, sexi, day, under60, True),
        "lhfa": _day_indicator("who2006_lhfa", clen, sexi, day, under60, False),
        "wflh": _wflh(weight_ok, clen, sexi, use_l, use_h),
        "bfa": _day_indicator("who2006_bfa", bmi_ok, sexi, day, under60, True),
        "hcfa": _day_indicator("who2006_hcfa", head, sexi, day, under60, False),
        "acfa": _day_indicator("who2006_acfa", muac, sexi, day, under60, True),
    }

    older = np.flatnonzero(from60)
    if older.size:
        # WHO 2007 (anthroplus): height as given, BMI from it.
        sx, mo = sexi[older], months[older]
        h, w = length[older], weight_ok[older]
        with np.errstate(invalid="ignore", divide="ignore"):
            b = w / (h / 100.0) ** 2  # as anthroplus compute_bmi
        z["lhfa"][older] = _month_indicator("who2007_hfa", h, sx, mo, 228.0, False)
        z["wfa"][older] = _month_indicator("who2007_wfa", w, sx, mo, 120.0, True)
        z["bfa"][older] = _month_indicator("who2007_bfa", b, sx, mo, 228.0, True)
        with np.errstate(invalid="ignore", divide="ignore"):
            bmi[older] = weight[older] / (length[older] / 100.0) ** 2
        clen[older] = length[older]

    flag_out: dict[str, BoolArray] = {}
    for key in INDICATORS:
        rounded = round2(z[key])
        z[key] = rounded
        low, high = FLAG_LIMITS[key]
        with np.errstate(invalid="ignore"):
            flag_out[key] = (rounded < low) | (rounded > high)
    flag_out["c9mo"] = c9mo
    assert all(v.shape == (n,) for v in z.values())  # noqa: S101 - internal invariant
    return GrowthScores(z=z, flags=flag_out, clenhei=clen, bmi=bmi)
