"""Kept-current indicator counts: per-person facts and per-area counts.

``IndicatorFact`` rows say, for one person, which cell of which indicator they fall in: the
indicator, year and month (0 = the year, for a cumulative or annual denominator), the area
they live in (their dusun/RW, or their desa when no dusun is recorded), sex, age band,
disability, and whether the row is a numerator or a denominator entry. ``IndicatorCount``
holds the sum of the facts per cell (numerator and denominator side by side). When a
person's records change the write marks them (``IndicatorPending``, in its transaction), and
the refresh after the response or the sweep recomputes their facts and adds the difference to
the counts (``ilp.monitoring.refresh``, ``ilp.monitoring.services``); ``IndicatorYear`` says
which years were computed for everyone. Readers sum counts over an area's subtree (its code
prefix) at read time, never scanning clinical tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


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


class IndicatorPending(models.Model):
    """A person whose facts wait to be recomputed: written in the transaction that changed
    their records (one cheap INSERT, committed with the write, so a process that dies before
    the refresh loses nothing), deleted by the refresh that recomputes them
    (``ilp.monitoring.refresh``). Rows are only ever inserted by writers, never updated: two
    writes for one person add two rows and never wait for each other."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"person {self.person_id} pending since {self.marked_at}"


class IndicatorYear(models.Model):
    """A year whose facts were computed for every person (by ``indicators_rebuild`` or the
    New Year fill of ``ilp indicators sweep``). A year of the kept ones without a row here has
    facts only for the persons written to since it began (``ilp.monitoring.refresh``)."""

    year = models.PositiveSmallIntegerField(unique=True)
    filled_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.year} filled at {self.filled_at}"


# ---------------------------------------------------------------- targets: sasaran proyeksi and
# the puskesmas' annual targets (``ilp.monitoring.targets``)


class SasaranKind(models.TextChoices):
    """The kinds of projected sasaran a Dinkes receives per desa per year (Pusdatin's
    estimates), each matching the catalogue denominators it stands beside
    (``ilp.monitoring.targets.KINDS_OF_DENOMINATOR``)."""

    PREGNANT = "ibu_hamil", _("Ibu hamil")
    DELIVERING = "ibu_bersalin", _("Ibu bersalin")
    LIVE_BIRTHS = "lahir_hidup", _("Bayi baru lahir (lahir hidup)")
    INFANTS = "bayi", _("Bayi (surviving infant)")
    BADUTA = "baduta", _("Baduta")
    BALITA = "balita", _("Balita")
    SCHOOL_AGE = "usia_pendidikan_dasar", _("Usia pendidikan dasar")
    PRODUCTIVE = "usia_produktif", _("Usia produktif (15-59 tahun)")
    ELDERLY = "lansia", _("Usia lanjut (60+ tahun)")
    HYPERTENSION = "hipertensi", _("Estimasi penderita hipertensi")
    DIABETES = "dm", _("Estimasi penderita DM")


class SasaranUpload(models.Model):
    """One uploaded sheet of a district's projected sasaran for a year. A new upload for the
    same district and year supersedes the previous one as a whole (``superseded_at``); no
    upload or its rows is ever deleted, so the earlier values stay as history."""

    district = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    file_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year"],
                condition=models.Q(superseded_at__isnull=True),
                name="sasaran_upload_current",
            )
        ]

    def __str__(self) -> str:
        return f"sasaran {self.year} area {self.district_id} ({self.uploaded_at:%Y-%m-%d})"


class ProjectedSasaran(models.Model):
    """One desa's projected sasaran of one kind in an upload (its year)."""

    upload = models.ForeignKey(SasaranUpload, on_delete=models.PROTECT, related_name="rows")
    area = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=SasaranKind.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["upload", "area", "kind"], name="projected_sasaran_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} area {self.area_id}: {self.count}"


class PuskesmasTarget(models.Model):
    """A puskesmas' annual target for an indicator and year (its SK target kinerja), percent;
    it replaces the catalogue's national target for the puskesmas and its desa. Who set it
    and when is kept here and, with the previous value, in the audit log."""

    facility = models.ForeignKey("places.Facility", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=32)
    target = models.DecimalField(max_digits=4, decimal_places=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "year", "indicator"], name="puskesmas_target_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(target__gte=0, target__lte=100),
                name="puskesmas_target_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} facility {self.facility_id}: {self.target}"


class VillageResidents(models.Model):
    """The data-quality scorecard's resident counts of one desa, recomputed when read after
    its persons changed (``ilp.monitoring.residents``).

    ``version`` is raised by database triggers on ``people_person`` (insert, delete, and an
    update of a column the counts read) for the person's old and new desa, so every write
    counts, also a bulk ``UPDATE``; ``computed`` is the version the counts were made at.
    ``by_year``: [[birth year, living, born on a 1st, without NIK], …]; ``by_hamlet``: the
    same with the dusun/RW first; ``pairs``: [[dusun/RW of the first, duplicate pairs], …].
    A desa without a row is counted on its first read. Loads that switch triggers off
    (``ilp.core.bulk.bulk_load``) are followed by ``residents_rebuild``.
    """

    village_id = models.BigIntegerField(primary_key=True)  # places.Area; no key: see triggers
    version = models.BigIntegerField(default=0)
    computed = models.BigIntegerField(default=-1)
    by_year = models.JSONField(default=list)
    by_hamlet = models.JSONField(default=list)
    pairs = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"desa {self.village_id} v{self.version}/{self.computed}"
