"""Data-quality measures of routine records: WHO implausible z-scores, terminal-digit
preference, age heaping, timeliness, and the ok/warn/problem reading of each measure.

Pure functions over counts (no Django); ``ilp.monitoring.quality`` gathers the counts per
puskesmas or posyandu and month and reads them with these rules.

Sources
- Implausible z-scores: WHO and UNICEF, *Recommendations for data collection, analysis and
  reporting on anthropometric indicators in children under 5 years old* (Geneva, 2019),
  §3.4 and table 3 ("flagged" values: WAZ < -6 or > +5, HAZ < -6 or > +6, WHZ < -5 or > +5,
  the limits of WHO Anthro's ``flag_zscore``, ``ilp.standards.growth.engine.FLAG_LIMITS``);
  the same report reads more than 1 % flagged values as a data-quality concern.
- Terminal-digit preference: same report, §3.4 (the terminal digit of weight, 0.1 kg, and
  of length/height, 0.1 cm, should each be near 10 %). The index is the *digit preference
  score* of the SMART methodology (SMART, *Measuring mortality, nutritional status and food
  security in crisis situations: SMART methodology* 2.0, 2017; ENA for SMART plausibility
  check): DPS = 100 × √(χ² / (N × (k − 1))), χ² of the k = 10 digit counts against equal
  shares; 0–7 excellent, 8–12 good, 13–20 acceptable, > 20 problematic.
- Age heaping: Whipple's index (United Nations, *Manual II: Methods of appraisal of quality
  of basic data for population estimates*, 1955; DHS Methodological Reports on age heaping):
  W = 100 × persons aged 25–60 with an age ending in 0 or 5 / (persons aged 23–62 ÷ 5);
  < 105 highly accurate, 105–110 fairly accurate, 110–125 approximate, 125–175 rough,
  ≥ 175 very rough. ILP stores birth dates, so a birth date invented from a stated age
  heaps too: on the first day of a month (the day unknown). That share against the 12/365.25
  expected is read on Whipple's scale (100 = no heaping).
- Timeliness and completeness: WHO, *Data Quality Review: a toolkit for facility data
  quality assessment*, Module 1 (2017): completeness and timeliness of reporting against a
  recommended 90 %. Days from service to entry and "late" after 7 days are ILP's reading
  for a record entered at the service (the posyandu book copied within a week).

Every threshold is a module constant, so the page can say what a status means.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

OK, WARN, PROBLEM = "ok", "warn", "problem"

# WHO-UNICEF 2019 table 3 (WHO Anthro flag_zscore): flagged outside (low, high).
IMPLAUSIBLE_Z: dict[str, tuple[float, float]] = {
    "wfa": (-6.0, 5.0),
    "lhfa": (-6.0, 6.0),
    "wflh": (-5.0, 5.0),
}


def implausible_z(index: str, z: float | None) -> bool:
    """Whether a z-score of `index` (``wfa``, ``lhfa``, ``wflh``) is outside WHO's plausible
    range (False for a missing z)."""
    if z is None or math.isnan(z):
        return False
    low, high = IMPLAUSIBLE_Z[index]
    return z < low or z > high


# ---------------------------------------------------------------- terminal digits


def terminal_digit(value: float) -> int:
    """The digit of the first decimal (0.1 kg of a weight, 0.1 cm of a height) of a value
    recorded to one decimal."""
    return int(round(abs(value) * 10)) % 10


def digit_counts(values: Iterable[float]) -> list[int]:
    """How many values end in each terminal digit 0–9."""
    counts = [0] * 10
    for v in values:
        counts[terminal_digit(v)] += 1
    return counts


def digit_preference_score(counts: Sequence[int]) -> float | None:
    """SMART digit preference score of the counts per digit (0 = every digit equally often,
    100 = one digit only); None without values."""
    n = sum(counts)
    if n == 0:
        return None
    k = len(counts)
    expected = n / k
    chi2 = sum((c - expected) ** 2 / expected for c in counts)
    return round(100 * math.sqrt(chi2 / (n * (k - 1))), 1)


def digit_shares(counts: Sequence[int]) -> list[float | None]:
    """Percent of values ending in each digit (expected: 10 % each)."""
    n = sum(counts)
    return [round(100 * c / n, 1) if n else None for c in counts]


# ---------------------------------------------------------------- age heaping


def whipple_index(counts_by_age: Mapping[int, int]) -> float | None:
    """Whipple's index from persons per age in completed years; None without anyone aged
    23–62."""
    base = sum(counts_by_age.get(a, 0) for a in range(23, 63))
    if base == 0:
        return None
    heaped = sum(counts_by_age.get(a, 0) for a in range(25, 61, 5))
    return round(100 * heaped / (base / 5), 1)


DAY_ONE_EXPECTED = 12 / 365.25  # share of birth dates on a month's first day, no heaping


def first_day_heaping(on_first_day: int, total: int) -> float | None:
    """Birth dates on the first day of a month against the 12/365.25 expected, on Whipple's
    scale (100 = as expected, 500 = five times too many); None without birth dates."""
    if total == 0:
        return None
    return round(100 * (on_first_day / total) / DAY_ONE_EXPECTED, 1)


# ---------------------------------------------------------------- timeliness

LATE_AFTER_DAYS = 7


@dataclass(frozen=True)
class Timeliness:
    records: int
    median_days: float | None
    late: int  # entered more than LATE_AFTER_DAYS after the service

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * (self.records - self.late) / self.records, 1) if self.records else None


def timeliness(lags: Mapping[int, int], late_after: int = LATE_AFTER_DAYS) -> Timeliness:
    """Median days from service to entry and the records entered later than `late_after`
    days, from a histogram {days: records} (a negative lag, entered before the service date,
    counts as 0 days)."""
    hist: dict[int, int] = {}
    for days, n in lags.items():
        hist[max(days, 0)] = hist.get(max(days, 0), 0) + n
    total = sum(hist.values())
    if total == 0:
        return Timeliness(0, None, 0)
    ordered = sorted(hist.items())

    def nth(k: int) -> int:  # the k-th smallest lag, 0-based
        seen = 0
        for days, n in ordered:
            seen += n
            if k < seen:
                return days
        return ordered[-1][0]

    if total % 2:
        median = float(nth(total // 2))
    else:
        median = (nth(total // 2 - 1) + nth(total // 2)) / 2
    late = sum(n for days, n in ordered if days > late_after)
    return Timeliness(total, median, late)


# ---------------------------------------------------------------- reading a measure


@dataclass(frozen=True)
class Threshold:
    """When a measure's value is a warning or a problem: `higher_is_worse` values above
    `warn` warn and above `problem` are a problem; otherwise below them."""

    warn: float
    problem: float
    higher_is_worse: bool
    source: str

    def status(self, value: float | None) -> str | None:
        if value is None:
            return None
        if self.higher_is_worse:
            return PROBLEM if value > self.problem else WARN if value > self.warn else OK
        return PROBLEM if value < self.problem else WARN if value < self.warn else OK


DQR = "WHO Data Quality Review toolkit 2017, module 1"
# Thresholds marked "ILP" are this project's reading (no published benchmark): a confirmed
# unusual value should be rare (5 %); every resident should hold a NIK (5 % without, mostly
# newborns awaiting their birth certificate); every duplicate candidate is reviewed.
THRESHOLDS: dict[str, Threshold] = {
    # percent of active posyandu that held their month's session
    "sessions": Threshold(90, 75, False, DQR),
    # D/S: percent of children under five weighed in the month (SKDN; catalogue target 80)
    "weighed": Threshold(80, 60, False, "SKDN D/S, catalogue target 80 % (DOMAIN.md §2.3)"),
    # percent of records entered within LATE_AFTER_DAYS of the service
    "on_time": Threshold(90, 75, False, DQR),
    # percent of weighings with a WHO-implausible z-score
    "implausible": Threshold(1, 2.5, True, "WHO-UNICEF 2019 §3.4: > 1 % flagged"),
    # percent of weighings the app questioned and the health worker confirmed as unusual
    "confirmed_unusual": Threshold(5, 10, True, "ILP"),
    # SMART digit preference score of weights / heights
    "digits_weight": Threshold(12, 20, True, "SMART 2017: DPS > 20 problematic"),
    "digits_height": Threshold(12, 20, True, "SMART 2017: DPS > 20 problematic"),
    # Whipple's index of adults 23-62 and birth dates heaped on a month's first day
    "whipple": Threshold(110, 125, True, "UN Manual II 1955 (Whipple: > 125 rough)"),
    "first_day": Threshold(110, 125, True, "Whipple's scale, UN Manual II 1955"),
    # percent of residents without a NIK
    "no_nik": Threshold(5, 10, True, "ILP"),
    # duplicate candidate pairs waiting for review
    "duplicates": Threshold(0, 9, True, "ILP"),
}
# Fewer observations than this give no reading (a share of 3 weighings says nothing).
MINIMUM_COUNT: dict[str, int] = {
    "digits_weight": 50,
    "digits_height": 50,
    "whipple": 100,
    "first_day": 100,
    "implausible": 20,
    "confirmed_unusual": 20,
}


def measure_status(code: str, value: float | None, count: int | None = None) -> str | None:
    """'ok', 'warn' or 'problem' for a measure's value (None: no value, or too few
    observations to judge)."""
    if value is None:
        return None
    minimum = MINIMUM_COUNT.get(code)
    if minimum is not None and (count or 0) < minimum:
        return None
    return THRESHOLDS[code].status(value)


def severity(code: str, value: float) -> float:
    """How far past its warning line a value is, in units of the distance between the
    warning and problem lines (ranks problems of different measures against each other)."""
    t = THRESHOLDS[code]
    span = abs(t.problem - t.warn) or 1.0
    beyond = value - t.warn if t.higher_is_worse else t.warn - value
    return round(beyond / span, 3)
