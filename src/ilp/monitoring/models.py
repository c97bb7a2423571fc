"""Kept-current indicator counts: per-person facts and per-area counts.

``IndicatorFact`` rows say, for one person, which cell of which indicator they fall in: the
indicator, year and month (0 = the year, for a cumulative or annual denominator), the area
they live in (their dusun/RW, or their desa when no dusun is recorded), sex, age band,
disability, and whether the row is a numerator or a denominator entry. ``IndicatorCount``
holds the sum of the facts per cell (numerator and denominator side by side). When a
person's records change the services recompute that person's facts and add the difference
to the counts in the same transaction (``ilp.monitoring.services``); readers sum counts over
an area's subtree (its code prefix) at read time, never scanning clinical tables.
"""

from __future__ import annotations

from django.db import models


class Side(models.TextChoices):
    NUMERATOR = "n", "numerator"
    DENOMINATOR = "d", "denominator"


class IndicatorFact(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # 0: the whole year
    area = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=1)
    age_band = models.CharField(max_length=12, blank=True)
    disability = models.CharField(max_length=16, blank=True)
    side = models.CharField(max_length=1, choices=Side.choices)

    class Meta:
        indexes = [models.Index(fields=["person"], name="indicator_fact_person")]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__lte=12), name="indicator_fact_month"),
            models.CheckConstraint(
                condition=models.Q(side__in=Side.values), name="indicator_fact_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month:02d} {self.side} person {self.person_id}"


class IndicatorCount(models.Model):
    indicator = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    area = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=1)
    age_band = models.CharField(max_length=12, blank=True)
    disability = models.CharField(max_length=16, blank=True)
    numerator = models.IntegerField(default=0)
    denominator = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # No CHECK (count >= 0): the counts are changed by INSERT … ON CONFLICT DO
            # UPDATE with the (possibly negative) difference as the proposed row, which a
            # CHECK would refuse before the conflict turns it into an increment.
            # One row per cell; its leading (indicator, year, month, area) columns serve the
            # values reader (one indicator, one or two periods, an area subtree).
            models.UniqueConstraint(
                fields=["indicator", "year", "month", "area", "sex", "age_band", "disability"],
                name="indicator_count_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month:02d} area {self.area_id}"
