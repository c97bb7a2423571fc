"""Penilaian Kinerja Puskesmas (PKP): the score of each indicator against its target, the
weighted score of a puskesmas and its category baik / cukup / kurang.

Pure functions over numbers (no Django); ``ilp.evaluation.performance`` gathers the values
and targets and the district's scheme (weights and thresholds, stored per year).

Sources
- Permenkes 44/2016 *Pedoman Manajemen Puskesmas*, Bab Penilaian Kinerja Puskesmas: the
  Dinkes groups every puskesmas by the achievement of its service coverage ("cakupan hasil
  pelayanan kesehatan") into Kelompok I *baik* (> 91 %), Kelompok II *cukup* (81–90 %) and
  Kelompok III *kurang* (≤ 80 %); the management score (≥ 8.5 / 5.5–8.4 / < 5.5) is a separate
  instrument not computed here. The worksheets of the pedoman compute each sub-variable's
  achievement against its target and cap it at 100 % (an achievement above target does not
  make up for another below it), then average the sub-variables.
- The pedoman's bands leave 90–91 % unassigned; ILP reads them as half-open:
  baik ≥ 91, cukup ≥ 81, kurang below. These are DEFAULTS only: the district stores its own
  thresholds (and weights) per year (``PkpScheme``), since a Dinkes may set other bands.

ILP's reading (documented choices, not the pedoman's words)
- Higher-is-better indicator: score = min(value / target, 1) × 100.
- Lower-is-better indicator (a prevalence with a ceiling, e.g. stunting): score =
  min(target / value, 1) × 100, and 100 when the value is 0 (nothing above the ceiling).
- An indicator without a value (no denominator) or without a positive target has no score
  and is left out of the weighted mean (its weight does not count); a puskesmas with no
  scored indicator has no score and no category.
- Weighted mean = Σ(score × weight) / Σ(weight) over the scored indicators, rounded to one
  decimal only for display (the category is read from the unrounded mean).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BAIK, CUKUP, KURANG = "baik", "cukup", "kurang"
CATEGORIES = (BAIK, CUKUP, KURANG)
# Permenkes 44/2016 bands for service coverage, as half-open lower bounds (see above).
DEFAULT_BAIK_MIN = 91.0
DEFAULT_CUKUP_MIN = 81.0


def indicator_score(value: float | None, target: float | None, direction: str) -> float | None:
    """The indicator's achievement against its target, capped at 100 (see the module
    docstring); None when it cannot be scored. `direction`: "up" (higher is better) or
    "down" (lower is better)."""
    if value is None or target is None or target <= 0:
        return None
    if direction == "down":
        if value <= 0:
            return 100.0
        return min(target / value, 1.0) * 100
    return min(value / target, 1.0) * 100


@dataclass(frozen=True)
class Scored:
    """One indicator's score (None: not scored) and its weight."""

    score: float | None
    weight: float


def weighted_score(items: Iterable[Scored]) -> float | None:
    """The weighted mean of the scored items (weight > 0); None when there is none."""
    total = weights = 0.0
    for item in items:
        if item.score is None or item.weight <= 0:
            continue
        total += item.score * item.weight
        weights += item.weight
    return total / weights if weights else None


def category(score: float | None, baik_min: float, cukup_min: float) -> str | None:
    """baik at or above `baik_min`, cukup at or above `cukup_min`, else kurang; None for no
    score."""
    if score is None:
        return None
    if score >= baik_min:
        return BAIK
    if score >= cukup_min:
        return CUKUP
    return KURANG


def thresholds_valid(baik_min: float, cukup_min: float) -> bool:
    """Whether the bands are usable: 0 < cukup < baik ≤ 100."""
    return 0 < cukup_min < baik_min <= 100
