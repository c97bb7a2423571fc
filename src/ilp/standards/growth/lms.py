"""LMS z-scores, WHO's restricted ("SD23") rule and WHO's 2-decimal rounding, on numpy arrays.

Source: WHO R package ``anthro`` 1.1.0 ``R/z-score-helper.R`` (``compute_zscore``,
``compute_zscore_adjusted``), after WHO Multicentre Growth Reference Study Group, *WHO Child
Growth Standards: Methods and development* (2006), chapter 7; CLINICAL.md §1.2.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def z_plain(y: FloatArray, l: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:  # noqa: E741
    """LMS z-score z = ((y/M)^L - 1) / (S*L) (no WHO table has L = 0).

    Source: anthro ``compute_zscore``; CLINICAL.md §1.2.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.power(y / m, l) - 1.0) / (s * l)


def z_plain_l1(y: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:
    """LMS z-score for tables with L = 1 everywhere (length/height, head circumference).

    Same value as :func:`z_plain` with L = 1, without the power. Source: as :func:`z_plain`.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return (y / m - 1.0) / s


def sd_value(k: float, l: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:  # noqa: E741
    """The measurement at z = k: SD_k = M * (1 + L*S*k)^(1/L). Source: CLINICAL.md §1.2."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return m * np.power(1.0 + l * s * k, 1.0 / l)


def restrict(
    z: FloatArray,
    y: FloatArray,
    l: FloatArray,  # noqa: E741
    m: FloatArray,
    s: FloatArray,
) -> FloatArray:
    """Apply WHO's restricted rule in place to z-scores beyond ±3 and return ``z``.

    z > 3: z* = 3 + (y - SD3) / (SD3 - SD2); z < -3: z* = -3 + (y - SD-3) / (SD-2 - SD-3).
    Used for the weight-based, BMI and arm-circumference indicators only. Only the rows beyond
    ±3 are recomputed. Source: anthro ``compute_zscore_adjusted``; CLINICAL.md §1.2.
    """
    with np.errstate(invalid="ignore"):
        upper = np.flatnonzero(z > 3.0)
        lower = np.flatnonzero(z < -3.0)
    if upper.size:
        lu, mu, su = l[upper], m[upper], s[upper]
        sd3 = sd_value(3.0, lu, mu, su)
        sd2 = sd_value(2.0, lu, mu, su)
        z[upper] = 3.0 + (y[upper] - sd3) / (sd3 - sd2)
    if lower.size:
        ll, ml, sl = l[lower], m[lower], s[lower]
        sd3n = sd_value(-3.0, ll, ml, sl)
        sd2n = sd_value(-2.0, ll, ml, sl)
        z[lower] = -3.0 + (y[lower] - sd3n) / (sd2n - sd3n)
    return z


def restrict_precomputed(
    z: FloatArray,
    y: FloatArray,
    rows: NDArray[np.intp],
    sd3: FloatArray,
    sd2: FloatArray,
    sd3n: FloatArray,
    sd2n: FloatArray,
) -> FloatArray:
    """:func:`restrict` with SD-3, SD-2, SD2, SD3 precomputed per table row (``rows`` indexes
    them). Source: as :func:`restrict`."""
    with np.errstate(invalid="ignore"):
        upper = np.flatnonzero(z > 3.0)
        lower = np.flatnonzero(z < -3.0)
    if upper.size:
        r = rows[upper]
        z[upper] = 3.0 + (y[upper] - sd3[r]) / (sd3[r] - sd2[r])
    if lower.size:
        r = rows[lower]
        z[lower] = -3.0 + (y[lower] - sd3n[r]) / (sd2n[r] - sd3n[r])
    return z


def round2(z: FloatArray) -> FloatArray:
    """Round to 2 decimals as WHO publishes z-scores, halves away from zero; NaN stays NaN.

    WHO's software rounds with R's ``round(z, 2)``, which picks whichever of the two 2-decimal
    neighbours is nearer to the double value itself (not to ``z * 100``). This does the same:
    rows whose scaled value lies within 1e-9 of a half are re-decided on the value itself; exact
    ties (only possible for z = k + 0.125, 0.375, ...) go away from zero, where R would go to the
    even digit. The result never carries a negative zero. Source: anthro
    ``apply_zscore_and_growthstandards``, anthroplus ``anthroplus_zscores``; CLINICAL.md §1.1.
    """
    a = np.abs(z)
    scaled = a * 100.0
    r = scaled + 0.5
    np.floor(r, out=r)
    with np.errstate(invalid="ignore"):
        d = scaled + 0.5
        d -= r
        near = np.flatnonzero((d < 1e-9) | (d > 1.0 - 1e-9))
    if near.size:
        an = a[near]
        k = np.floor(an * 100.0)
        lo = k / 100.0
        hi = (k + 1.0) / 100.0
        r[near] = np.where(hi - an <= an - lo, k + 1.0, k)
    r /= 100.0
    np.copysign(r, z, out=r)
    r += 0.0
    return r
