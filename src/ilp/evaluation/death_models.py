"""The AMP-SR death review (Audit Maternal Perinatal Surveilans dan Respon) of a maternal or
perinatal death recorded in ``ilp.referrals``: opened when the death is recorded, kept by the
district (dinkes, TPCB): the review meeting (date, participants), the avoidable factors coded
by the three delays (``ilp.standards.deaths.FACTORS``: codes, never sentences), a summary,
and recommendations, which are ordinary ``Recommendation`` rows whose origin is the review
(answered by the puskesmas of the dead person's area, accepted and verified by the
reviewers). The notification check is computed from the death's times when shown, never
stored. Changes are versioned with history (``ilp.core.corrections``); nothing is deleted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.history import ChangeHistory
from ilp.core.models import BaseModel, Versioned
from ilp.standards import deaths


class ReviewState(models.TextChoices):
    OPEN = "open", _("belum dikaji")
    REVIEWED = "reviewed", _("sudah dikaji")


class AvoidableFactor(models.TextChoices):
    """The avoidable factor codes of ``ilp.standards.deaths.FACTORS``, labelled."""

    D1_DANGER_SIGNS = "d1_danger_signs", _("Tanda bahaya tidak dikenali")
    D1_FAMILY_DECISION = "d1_family_decision", _("Keputusan menunggu keluarga")
    D1_COST = "d1_cost", _("Khawatir biaya")
    D1_TRADITION = "d1_tradition", _("Kepercayaan / dukun")
    D2_TRANSPORT = "d2_transport", _("Tidak ada transportasi")
    D2_DISTANCE = "d2_distance", _("Jarak, jalan atau cuaca")
    D2_NO_COMPANION = "d2_no_companion", _("Tidak ada pendamping")
    D3_STAFF = "d3_staff", _("Tidak ada tenaga kompeten")
    D3_BLOOD = "d3_blood", _("Darah tidak tersedia")
    D3_DRUGS_EQUIPMENT = "d3_drugs_equipment", _("Obat atau alat tidak tersedia")
    D3_BED = "d3_bed", _("Tempat tidur / ICU / NICU penuh")
    D3_MANAGEMENT = "d3_management", _("Tata laksana tidak sesuai standar")
    REF_LATE_DECISION = "ref_late_decision", _("Terlambat dirujuk")
    REF_NO_ANSWER = "ref_no_answer", _("Rujukan tidak dijawab")
    REF_REDIRECTED = "ref_redirected", _("Rujukan ditolak / dialihkan")
    REF_NO_STABILISATION = "ref_no_stabilisation", _("Tidak distabilkan sebelum dirujuk")


DELAY_LABELS = {
    deaths.DELAY_1: _("Terlambat 1: memutuskan mencari pertolongan"),
    deaths.DELAY_2: _("Terlambat 2: mencapai fasilitas"),
    deaths.DELAY_3: _("Terlambat 3: mendapat pertolongan"),
    deaths.REFERRAL_DELAY: _("Keterlambatan rujukan"),
}


class DeathReview(Versioned, BaseModel):
    """One death's review (see the module docstring). `district` (the kabupaten/kota) and
    `puskesmas` (serving the person's desa; None when no puskesmas serves it) are set when it
    opens, so lists and recommendations need no walk through the person's address."""

    death = models.OneToOneField(
        "referrals.Death",
        on_delete=models.PROTECT,
        related_name="review",
        verbose_name=_("kematian"),
    )
    district = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    puskesmas = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="death_reviews",
        verbose_name=_("puskesmas"),
    )
    state = models.CharField(
        _("status"), max_length=10, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    meeting_date = models.DateField(_("tanggal pengkajian"), null=True, blank=True)
    participants = models.TextField(_("peserta"), blank=True)
    factors = models.JSONField(_("faktor yang dapat dicegah"), default=list, blank=True)
    summary = models.TextField(_("ringkasan"), blank=True)

    history = ChangeHistory()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pengkajian kematian")
        verbose_name_plural = _("pengkajian kematian")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ReviewState.values), name="death_review_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uuid} {self.state}"
