"""Indonesian nutritional-status categories of Permenkes No. 2 Tahun 2020 (Standar Antropometri
Anak) from WHO z-scores.

Source: Permenkes 2/2020, as reproduced by a Kemenkes-linked training module and a summary of
the PMK obesity cut-offs (CLINICAL.md §1.6, marked [P]: the regulation text itself was not
obtained). Bands are half-open as the implementations read them: z = -2.00 is normal, +1.00
is normal, +2.00 is the band below +2 ("berisiko gizi lebih" for BB/PB). ILP classifies the z
as WHO outputs it, rounded to 2 decimals (an ILP design decision, CLINICAL.md §1.6 [NC]).

Scope: BB/U, PB/U or TB/U, BB/PB or BB/TB and IMT/U for 0-60 months (WHO 2006 ages, under
60.0 months), and IMT/U for 5-18 years (WHO 2007 BMI-for-age, 60-228 months; "5-18 tahun" read
as up to the 19th birthday, where the WHO 2007 reference ends). The PMK defines no category for
head or arm circumference, nor for TB/U or BB/U from 5 years; those give ``None``.

A child at exactly 60 months (ILP decision): the PMK's scope overlaps there ("0-60 bulan" and
"5-18 tahun") and its 0-60-month tables print a month-60 row, while WHO's software (anthro
>= 0.9.3 and anthroplus) scores WHO 2006 only under 60.0 months and WHO 2007 from 60.0
months. ILP keeps one boundary, WHO's: under 60.0 months (day <= 1826) the z-scores are WHO
2006 and the 0-60-month tables classify them; from 60.0 months (day >= 1827) the z-scores are
WHO 2007 and only the IMT/U 5-18-year table classifies (BB/U and TB/U have a z-score but no
PMK category). A WHO 2007 z-score is never classified with cut-offs written for the WHO 2006
standard, nor the other way round. See ``tables/README.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..result import Catalogue, Message, RuleResult
from .engine import DAYS_PER_MONTH, INDICATORS

SOURCE = "Permenkes No. 2 Tahun 2020 tentang Standar Antropometri Anak; WHO 2006/2007"

# (code, Indonesian label, band text) per category, lowest band first.
_BBU = (
    ("bb_sangat_kurang", "Berat badan sangat kurang", "z < −3"),
    ("bb_kurang", "Berat badan kurang", "−3 ≤ z < −2"),
    ("bb_normal", "Berat badan normal", "−2 ≤ z ≤ +1"),
    ("risiko_bb_lebih", "Risiko berat badan lebih", "z > +1"),
)
_PBU = (
    ("sangat_pendek", "Sangat pendek", "z < −3"),
    ("pendek", "Pendek", "−3 ≤ z < −2"),
    ("normal", "Normal", "−2 ≤ z ≤ +3"),
    ("tinggi", "Tinggi", "z > +3"),
)
_BBPB = (
    ("gizi_buruk", "Gizi buruk", "z < −3"),
    ("gizi_kurang", "Gizi kurang", "−3 ≤ z < −2"),
    ("gizi_baik", "Gizi baik", "−2 ≤ z ≤ +1"),
    ("berisiko_gizi_lebih", "Berisiko gizi lebih", "+1 < z ≤ +2"),
    ("gizi_lebih", "Gizi lebih", "+2 < z ≤ +3"),
    ("obesitas", "Obesitas", "z > +3"),
)
_IMTU_5_18 = (
    ("gizi_buruk", "Gizi buruk", "z < −3"),
    ("gizi_kurang", "Gizi kurang", "−3 ≤ z < −2"),
    ("gizi_baik", "Gizi baik", "−2 ≤ z ≤ +1"),
    ("gizi_lebih", "Gizi lebih", "+1 < z ≤ +2"),
    ("obesitas", "Obesitas", "z > +2"),
)

# Upper band edges (inclusive) between categories, matching the tables above: a z goes into the
# first band whose edge it does not exceed; the lowest edges are exclusive ("< −3", "< −2").
_SCHEMES: dict[str, tuple[tuple[tuple[str, str, str], ...], tuple[float, ...]]] = {
    "bbu": (_BBU, (-3.0, -2.0, 1.0)),
    "pbu": (_PBU, (-3.0, -2.0, 3.0)),
    "bbpb": (_BBPB, (-3.0, -2.0, 1.0, 2.0, 3.0)),
    "imtu_0_60": (_BBPB, (-3.0, -2.0, 1.0, 2.0, 3.0)),
    "imtu_5_18": (_IMTU_5_18, (-3.0, -2.0, 1.0, 2.0)),
}
_INDEX_NAMES = {
    "bbu": "BB/U",
    "pbu": "PB/U atau TB/U",
    "bbpb": "BB/PB atau BB/TB",
    "imtu_0_60": "IMT/U (0–60 bulan)",
    "imtu_5_18": "IMT/U (5–18 tahun)",
}
# Every category code with its Indonesian label (a code means the same in every table).
CATEGORY_LABELS: dict[str, str] = {
    code: label for categories, _ in _SCHEMES.values() for code, label, _band in categories
}
# The codes of ``classify`` (rule ``growth_category``): the category is the class, the reason
# names the PMK table (``index``), the z-score and the band it falls in.
CODES: dict[str, Catalogue] = {
    "growth_category": Catalogue(
        rule="growth_category",
        classes={code: Message(label) for code, label in CATEGORY_LABELS.items()},
        reasons={
            "z_in_band": Message(
                "{index}: z = {z} ({band} SD)",
                {"index": "term:index", "z": "number", "band": "text"},
            )
        },
        terms={"index": _INDEX_NAMES},
    )
}
_FROM_60_MONTHS = 60 * DAYS_PER_MONTH
_TO_228_MONTHS = 228 * DAYS_PER_MONTH


def _band(z: NDArray[np.float64], edges: tuple[float, ...]) -> NDArray[np.int64]:
    """Band number per z: the two lowest edges are exclusive (z < −3, z < −2), the rest are
    inclusive upper limits (z ≤ +1, ...)."""
    band = np.zeros(z.shape, dtype=np.int64)
    band += z >= edges[0]
    band += z >= edges[1]
    for edge in edges[2:]:
        band += z > edge
    return band


def _scheme(indicator: str, age_days: NDArray[np.float64]) -> NDArray[np.str_]:
    """Which PMK table applies per row ('' when none)."""
    under60 = age_days < _FROM_60_MONTHS
    if indicator == "wfa":
        return np.where(under60, "bbu", "")
    if indicator == "lhfa":
        return np.where(under60, "pbu", "")
    if indicator == "wflh":
        return np.where(under60, "bbpb", "")
    if indicator == "bfa":
        school = (age_days >= _FROM_60_MONTHS) & (age_days <= _TO_228_MONTHS)
        return np.where(under60, "imtu_0_60", np.where(school, "imtu_5_18", ""))
    return np.full(age_days.shape, "")


def classify(indicator: str, z: Any, age_days: Any) -> RuleResult | None | NDArray[np.object_]:
    """Permenkes 2/2020 category of a z-score (CLINICAL.md §1.6).

    ``indicator`` is one of ``wfa`` (BB/U), ``lhfa`` (PB/U or TB/U), ``wflh`` (BB/PB or BB/TB),
    ``bfa`` (IMT/U), ``hcfa``, ``acfa``; ``z`` should be the rounded z from :func:`zscores`;
    ``age_days`` selects the table (IMT/U 0–60 months or 5–18 years).

    Scalar ``z`` and ``age_days``: a :class:`~ilp.standards.result.RuleResult` (category
    code, reason ``z_in_band`` with ``index`` — ``bbu``, ``pbu``, ``bbpb``, ``imtu_0_60``,
    ``imtu_5_18`` —, ``z`` and ``band``; z in ``value``), or ``None`` when z or age is NaN
    or the PMK has no category for that indicator and age. Array input: an object array of
    category codes (str) with ``None`` in the same cases. Unknown indicator: ``ValueError``.
    """
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}; expected one of {INDICATORS}")
    z_arr = np.asarray(z, dtype=np.float64)
    age_arr = np.asarray(age_days, dtype=np.float64)
    z_arr, age_arr = np.broadcast_arrays(z_arr, age_arr)
    scheme = _scheme(indicator, age_arr)
    codes = np.full(z_arr.shape, None, dtype=object)
    bands = np.full(z_arr.shape, -1, dtype=np.int64)
    for name, (categories, edges) in _SCHEMES.items():
        rows = (scheme == name) & ~np.isnan(z_arr)
        if not rows.any():
            continue
        band = _band(z_arr[rows], edges)
        bands[rows] = band
        codes[rows] = np.array([c[0] for c in categories], dtype=object)[band]
    if z_arr.ndim:
        return codes
    code = codes.item()
    if code is None:
        return None
    name = str(scheme.item())
    categories = _SCHEMES[name][0]
    code, _label, band_text = categories[int(bands.item())]
    value = float(z_arr.item())
    return CODES["growth_category"].result(
        code,
        "z_in_band",
        {"index": name, "z": value, "band": band_text},
        source=SOURCE,
        value=value,
        details={"indicator": indicator, "index": _INDEX_NAMES[name], "band": band_text},
    )
