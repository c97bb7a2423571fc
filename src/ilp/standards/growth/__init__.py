"""WHO growth z-scores (WHO 2006 standards under 60 months, WHO 2007 reference 60-228 months)
and the Indonesian categories of Permenkes 2/2020.

Public API: :func:`zscores`, :func:`flags`, :func:`zscores_with_flags`, :func:`score`,
:func:`classify`, :func:`assess`; :func:`lms_table` gives the WHO L, M, S rows themselves
(for drawing reference curves). Method and sources: CLINICAL.md §1; the modules cite theirs.
"""

from __future__ import annotations

from ._tables import Table as LmsTable
from ._tables import table as lms_table
from .assess import INDEX_LABELS, Assessment, IndicatorResult, age_in_days, assess
from .categories import CATEGORY_LABELS, classify
from .engine import INDICATORS, GrowthScores, flags, score, zscores, zscores_with_flags

__all__ = [
    "CATEGORY_LABELS",
    "INDEX_LABELS",
    "INDICATORS",
    "LmsTable",
    "Assessment",
    "GrowthScores",
    "IndicatorResult",
    "age_in_days",
    "assess",
    "classify",
    "flags",
    "lms_table",
    "score",
    "zscores",
    "zscores_with_flags",
]
