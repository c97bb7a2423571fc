"""Reads of KtP/A screenings outside a case: counts only.

:func:`desa_screening_counts` is the monitoring family's read
(``ilp.monitoring.ktpa_screening_family``): per residence desa and month, how many screenings
of each instrument and how many of them were positive. No answer, sign, person or case leaves
this module."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from ilp.protection.models_screening import Screening, ScreeningInstrument, ScreeningResult

MEASURES = ("wast", "wast_positive", "child", "child_positive")


@dataclass
class DesaScreenings:
    wast: int = 0
    wast_positive: int = 0
    child: int = 0
    child_positive: int = 0


def desa_screening_counts(
    village_ids: list[int], year: int, month: int
) -> dict[int, DesaScreenings]:
    """The month's screenings per desa of `village_ids` (the screened person's residence desa;
    voided ones left out), one query; a desa without any is absent."""
    positive = Q(result=ScreeningResult.POSITIVE)
    wast = Q(instrument=ScreeningInstrument.WAST)
    child = Q(instrument=ScreeningInstrument.CHILD)
    rows = (
        Screening.objects.active()
        .filter(
            person__village_id__in=village_ids, screened_at__year=year, screened_at__month=month
        )
        .values("person__village_id")
        .annotate(
            wast=Count("pk", filter=wast),
            wast_positive=Count("pk", filter=wast & positive),
            child=Count("pk", filter=child),
            child_positive=Count("pk", filter=child & positive),
        )
    )
    return {
        row["person__village_id"]: DesaScreenings(**{m: row[m] for m in MEASURES}) for row in rows
    }
