"""How much weight a child under two may plausibly gain between two weighings: the WHO
weight velocity standards.

Source: WHO Multicentre Growth Reference Study Group. *WHO Child Growth Standards: Growth
velocity based on weight, length and head circumference. Methods and development.* Geneva:
World Health Organization, 2009 (ISBN 978 92 4 154763 5), weight velocity tables
"1-month increments" (birth to 12 months) and "2-month increments" (birth to 24 months), as
WHO publishes them with their parameters (files ``ttt-weight-{boys,girls}-1mon-z.xlsx`` and
``ttt-weight-{boys,girls}-2mon-z.xlsx``: interval, L, M, S, Delta). An increment ``g`` (grams)
has the z-score of a Box-Cox (LMS) distribution shifted by Delta::

    z = (((g + Delta) / M) ** L - 1) / (L * S)

so the increment at z is ``M * (1 + L*S*z) ** (1/L) - Delta``. Checked against WHO's own
z-score columns (tests/standards/test_growth_velocity.py): boys 0–4 weeks median 1023 g and
−2 SD 321 g; +3 SD 2189 g (4 weeks–2 months), 1597 g (2–3 months), 1313 g (3–4 months).

The 1-month table's intervals are 0–4 weeks, 4 weeks–2 months, then whole months to
11–12 months; the 2-month table's are 0–2, 1–3, …, 22–24 months. A gain above +3 SD of the
increment for the child's age at the first weighing is *unusual*: a typing or weighing error
far more often than growth (the plausibility check asks to re-weigh or confirm it). Which
table: the 1-month one for weighings at most :data:`ONE_MONTH_MAX_DAYS` apart under 12 months
of age; the 2-month one otherwise, up to :data:`TWO_MONTHS_MAX_DAYS` apart and 24 months of
age (a 1-month gain after 12 months measured against a 2-month increment errs on the lenient
side, as a plausibility check should). Older children and longer intervals have no WHO
velocity standard: ``None``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from .engine import DAYS_PER_MONTH

SOURCE: Final = (
    "WHO Child Growth Standards: Growth velocity based on weight, length and head "
    "circumference (WHO 2009), weight increments, 1-month and 2-month tables"
)
# Weighings at most this many days apart are read against the 1-month increments (a month
# and two weeks); up to TWO_MONTHS_MAX_DAYS against the 2-month increments.
ONE_MONTH_MAX_DAYS: Final = 45
TWO_MONTHS_MAX_DAYS: Final = 75
# Above this z-score an increment is unusual.
UNUSUAL_Z: Final = 3.0

# (L, M, S) per interval, in the order of WHO's tables; Delta per table (grams).
_Row = tuple[float, float, float]
DELTA_1MON: Final = 400.0
DELTA_2MON: Final = 600.0
_INTERVALS_1MON: Final = ("0–4 wk", "4 wk–2 mo") + tuple(f"{m}–{m + 1} mo" for m in range(2, 12))
_INTERVALS_2MON: Final = tuple(f"{m}–{m + 2} mo" for m in range(23))
_BOYS_1MON: Final[tuple[_Row, ...]] = (
    (1.3828, 1423.0783, 0.22048),
    (0.7241, 1596.3470, 0.19296),
    (0.6590, 1215.3989, 0.19591),
    (0.7003, 1017.0488, 0.20965),
    (0.7419, 921.6249, 0.22790),
    (0.7668, 822.1842, 0.24854),
    (0.7688, 756.5306, 0.26783),
    (0.7624, 715.6257, 0.28677),
    (0.7620, 684.7459, 0.30439),
    (0.7659, 658.5809, 0.32154),
    (0.7713, 643.4374, 0.33882),
    (0.7761, 639.4743, 0.35502),
)
_GIRLS_1MON: Final[tuple[_Row, ...]] = (
    (0.7781, 1279.4834, 0.21479),
    (0.7781, 1411.1075, 0.19384),
    (0.7781, 1118.0098, 0.19766),
    (0.7781, 984.8825, 0.20995),
    (0.7781, 888.9803, 0.22671),
    (0.7781, 801.3910, 0.24596),
    (0.7781, 744.3023, 0.26515),
    (0.7781, 710.6923, 0.28409),
    (0.7781, 672.6072, 0.30106),
    (0.7781, 644.6032, 0.31676),
    (0.7781, 633.2166, 0.33208),
    (0.7781, 631.7383, 0.34627),
)
_BOYS_2MON: Final[tuple[_Row, ...]] = (
    (0.7188, 2815.6120, 0.17422),
    (0.6464, 2592.0761, 0.17025),
    (0.6071, 2038.1036, 0.17559),
    (0.5915, 1744.8197, 0.18708),
    (0.5891, 1541.3670, 0.20130),
    (0.5954, 1377.6979, 0.21318),
    (0.6088, 1272.5277, 0.22426),
    (0.6270, 1201.4599, 0.23472),
    (0.6486, 1143.8903, 0.24611),
    (0.6725, 1101.6312, 0.25918),
    (0.6959, 1077.9049, 0.27217),
    (0.7191, 1057.9071, 0.28462),
    (0.7399, 1037.0541, 0.29479),
    (0.7597, 1014.1850, 0.30285),
    (0.7771, 1000.5821, 0.30864),
    (0.7929, 999.4661, 0.31290),
    (0.8078, 1000.9680, 0.31615),
    (0.8210, 998.4215, 0.31858),
    (0.8335, 992.8040, 0.32058),
    (0.8447, 986.9799, 0.32222),
    (0.8554, 981.7965, 0.32377),
    (0.8655, 978.4016, 0.32529),
    (0.8748, 976.3696, 0.32673),
)
_GIRLS_2MON: Final[tuple[_Row, ...]] = (
    (0.4599, 2497.0406, 0.18000),
    (0.3294, 2314.2285, 0.17612),
    (0.3128, 1907.0116, 0.17761),
    (0.3560, 1673.5778, 0.18421),
    (0.4264, 1482.7466, 0.19524),
    (0.5002, 1342.3734, 0.20864),
    (0.5699, 1251.4869, 0.22315),
    (0.6268, 1181.4135, 0.23586),
    (0.6730, 1116.8192, 0.24680),
    (0.7102, 1078.3961, 0.25656),
    (0.7382, 1058.4112, 0.26494),
    (0.7605, 1040.8737, 0.27292),
    (0.7762, 1027.9459, 0.28011),
    (0.7864, 1019.6870, 0.28705),
    (0.7913, 1016.4898, 0.29343),
    (0.7922, 1017.5335, 0.29961),
    (0.7902, 1017.2241, 0.30592),
    (0.7866, 1012.8511, 0.31201),
    (0.7827, 1007.2711, 0.31824),
    (0.7795, 1001.8324, 0.32415),
    (0.7771, 993.3265, 0.33014),
    (0.7755, 980.7096, 0.33605),
    (0.7743, 967.2057, 0.34166),
)
_TABLES: Final = {
    ("M", 1): (_BOYS_1MON, DELTA_1MON),
    ("F", 1): (_GIRLS_1MON, DELTA_1MON),
    ("M", 2): (_BOYS_2MON, DELTA_2MON),
    ("F", 2): (_GIRLS_2MON, DELTA_2MON),
}
_FOUR_WEEKS: Final = 28
_TWELVE_MONTHS: Final = 12 * DAYS_PER_MONTH
_TWENTY_FOUR_MONTHS: Final = 24 * DAYS_PER_MONTH


@dataclass(frozen=True, slots=True)
class GainLimit:
    """The WHO increment a weight gain is read against: the table (1 or 2 months), its
    interval ("2–3 mo") and the gain at +3 SD, in grams."""

    months: int
    interval: str
    upper_g: float


def _row(months: int, age_days: int) -> int | None:
    """The row of the `months`-month table for a first weighing at `age_days`."""
    if months == 1:
        if age_days < _FOUR_WEEKS:
            return 0
        return max(1, int(age_days // DAYS_PER_MONTH)) if age_days < _TWELVE_MONTHS else None
    if age_days < _TWENTY_FOUR_MONTHS:
        return min(int(age_days // DAYS_PER_MONTH), len(_INTERVALS_2MON) - 1)
    return None


def _table(age_days: int, interval_days: int) -> tuple[int, int] | None:
    """(months of the table, row) for a weighing `interval_days` after one at `age_days`."""
    if age_days < 0 or interval_days <= 0 or interval_days > TWO_MONTHS_MAX_DAYS:
        return None
    if interval_days <= ONE_MONTH_MAX_DAYS:
        row = _row(1, age_days)
        if row is not None:
            return 1, row
    row = _row(2, age_days)
    return (2, row) if row is not None else None


def increment_at(sex: str, months: int, row: int, z: float) -> float:
    """The increment (grams) at z-score `z` of row `row` of the `months`-month table."""
    rows, delta = _TABLES[(sex, months)]
    lam, mu, sigma = rows[row]
    return float(mu * (1.0 + lam * sigma * z) ** (1.0 / lam) - delta)


def increment_z(sex: str, months: int, row: int, gain_g: float) -> float:
    """The z-score of a gain of `gain_g` grams in row `row` of the `months`-month table."""
    rows, delta = _TABLES[(sex, months)]
    lam, mu, sigma = rows[row]
    shifted = gain_g + delta
    if shifted <= 0:
        return -math.inf
    return float(((shifted / mu) ** lam - 1.0) / (lam * sigma))


def weight_gain_limit(sex: str, age_days: int, interval_days: int) -> GainLimit | None:
    """The largest usual gain (+3 SD) for a child of `sex` ("M"/"F") weighed `interval_days`
    after a weighing at `age_days`; None when WHO has no velocity standard for it (older
    than 24 months, a longer interval, an unknown sex)."""
    if sex not in ("M", "F"):
        return None
    chosen = _table(age_days, interval_days)
    if chosen is None:
        return None
    months, row = chosen
    labels = _INTERVALS_1MON if months == 1 else _INTERVALS_2MON
    return GainLimit(months, labels[row], increment_at(sex, months, row, UNUSUAL_Z))


def upper_gain_g(
    female: npt.NDArray[np.bool_],
    age_days: npt.NDArray[np.float64],
    interval_days: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """:func:`weight_gain_limit`'s +3 SD gain (grams) for many weighings at once, NaN where
    WHO has no standard (for generating and checking many records; same table choice)."""
    age = np.asarray(age_days, dtype=np.float64)
    days = np.asarray(interval_days, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        known = (age >= 0) & (days > 0) & (days <= TWO_MONTHS_MAX_DAYS)
        month = np.floor(np.nan_to_num(age) / DAYS_PER_MONTH).astype(np.int64)
        one = known & (days <= ONE_MONTH_MAX_DAYS) & (age < _TWELVE_MONTHS)
        two = known & ~one & (age < _TWENTY_FOUR_MONTHS)
    row1 = np.clip(np.where(age < _FOUR_WEEKS, 0, np.maximum(month, 1)), 0, 11)
    row2 = np.clip(month, 0, len(_INTERVALS_2MON) - 1)
    girl = np.asarray(female, dtype=bool)
    up1 = np.where(girl, _upper("F", 1)[row1], _upper("M", 1)[row1])
    up2 = np.where(girl, _upper("F", 2)[row2], _upper("M", 2)[row2])
    return np.where(one, up1, np.where(two, up2, np.nan))


def _upper(sex: str, months: int) -> npt.NDArray[np.float64]:
    rows, _delta = _TABLES[(sex, months)]
    return np.array([increment_at(sex, months, r, UNUSUAL_Z) for r in range(len(rows))])
