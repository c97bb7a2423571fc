"""TPCB teams, their coaching visits (pembinaan terpadu) and the recommendations a visit
leaves, each with its history of state changes. Nothing here is ever deleted: a team is made
inactive, a recommendation is closed by verification, every change is a history row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import Cluster
from ilp.core.models import BaseModel


class TpcbTeam(BaseModel):
    """A Tim Pembina Cluster Binaan formed by the Kepala Dinas' decree: its members (the lead
    among them) and the puskesmas it coaches."""

    name = models.CharField(_("nama tim"), max_length=120)
    decree_number = models.CharField(_("nomor SK"), max_length=80)
    decree_date = models.DateField(_("tanggal SK"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ketua"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="tpcb_teams", verbose_name=_("anggota")
    )
    puskesmas = models.ManyToManyField(
        "places.Facility", related_name="tpcb_teams", verbose_name=_("puskesmas binaan")
    )
    district = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tim TPCB")
        verbose_name_plural = _("tim TPCB")

    def __str__(self) -> str:
        return self.name


class VisitState(models.TextChoices):
    PLANNED = "planned", _("direncanakan")
    DONE = "done", _("selesai")


class CoachingVisit(BaseModel):
    """A team's visit to one puskesmas it coaches. `snapshot`: the puskesmas' indicator
    values as of the visit month, frozen when the visit is marked done
    (``{"year", "month", "rows": [{"code", "value", "target", "status"}]}``)."""

    team = models.ForeignKey(
        TpcbTeam, on_delete=models.PROTECT, related_name="visits", verbose_name=_("tim")
    )
    puskesmas = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="coaching_visits",
        verbose_name=_("puskesmas"),
    )
    planned_date = models.DateField(_("tanggal kunjungan"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coaching_visits",
        verbose_name=_("anggota yang hadir"),
    )
    state = models.CharField(
        _("status"), max_length=12, choices=VisitState.choices, default=VisitState.PLANNED
    )
    findings = models.TextField(_("temuan"), blank=True)
    snapshot = models.JSONField(_("potret indikator"), null=True, blank=True, editable=False)
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-planned_date", "-id"]
        verbose_name = _("kunjungan pembinaan")
        verbose_name_plural = _("kunjungan pembinaan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=VisitState.values), name="coaching_visit_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} → {self.puskesmas} {self.planned_date}"


class RecState(models.TextChoices):
    OPEN = "open", _("terbuka")
    ANSWERED = "answered", _("dijawab")
    ACCEPTED = "accepted", _("diterima")
    SENT_BACK = "sent_back", _("dikembalikan")
    VERIFIED = "verified", _("diverifikasi (ditutup)")


# The puskesmas roles a recommendation can be addressed to instead of one person: its head,
# or one of its clusters (the clusters of ``ilp.accounts.models.Cluster``).
OWNER_ROLES = [("kepala", _("Kepala puskesmas")), *Cluster.choices]


class Recommendation(BaseModel):
    """What the puskesmas must change, why (an indicator of the catalogue and/or a note), who
    owns it (a puskesmas role, one of its staff, or a kecamatan/desa of its working area for
    the camat or kepala desa) and by when. The state moves open →
    answered → accepted or sent back (→ answered again) → verified (closed)."""

    visit = models.ForeignKey(
        CoachingVisit,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("kunjungan"),
    )
    what = models.TextField(_("rekomendasi"))
    indicator = models.CharField(_("indikator"), max_length=32, blank=True)
    why = models.TextField(_("alasan"), blank=True)
    owner_role = models.CharField(
        _("ditujukan ke peran"), max_length=8, choices=OWNER_ROLES, blank=True
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditujukan ke petugas"),
    )
    # A task for the cross-sector: the kecamatan (its camat) or a desa (its kepala desa) of
    # the puskesmas' working area, as a kecamatan meeting assigns it.
    owner_area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditujukan ke wilayah (camat/kepala desa)"),
    )
    due_date = models.DateField(_("batas waktu"))
    state = models.CharField(
        _("status"), max_length=12, choices=RecState.choices, default=RecState.OPEN
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("rekomendasi")
        verbose_name_plural = _("rekomendasi")
        indexes = [
            # The district list of open recommendations: state, then due date.
            models.Index(fields=["state", "due_date"], name="recommendation_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=RecState.values), name="recommendation_state"
            ),
            # Addressed to exactly one: a role, a person or a cross-sector area.
            models.CheckConstraint(
                condition=(
                    models.Q(owner_role="", owner_user__isnull=False, owner_area__isnull=True)
                    | (
                        ~models.Q(owner_role="")
                        & models.Q(owner_user__isnull=True, owner_area__isnull=True)
                    )
                    | models.Q(owner_role="", owner_user__isnull=True, owner_area__isnull=False)
                ),
                name="recommendation_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:60]


class RecommendationEvent(models.Model):
    """One change of a recommendation: who, when, from which state to which, and the note
    (the puskesmas' plan or progress, the team's reason). Append-only."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("aksi"), max_length=12)
    from_state = models.CharField(_("dari status"), max_length=12, blank=True)
    to_state = models.CharField(_("ke status"), max_length=12)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat rekomendasi")
        verbose_name_plural = _("riwayat rekomendasi")

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.from_state}→{self.to_state}"
