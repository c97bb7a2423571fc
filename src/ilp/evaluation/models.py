"""TPCB teams, their coaching visits (pembinaan terpadu, with their history: planned,
re-planned, cancelled, done) and the recommendations a visit leaves, each with its history of
state changes and the evidence files the puskesmas attached to its answers; the district's
checklists per cluster, in versions, and a visit's answers to the versions it took. Nothing
here is ever deleted: a team is made inactive, a visit cancelled with a reason, a
recommendation is closed by verification, a checklist item is retired by a new version,
every change is a history row."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import Cluster
from ilp.core.models import BaseModel

# The death reviews (AMP-SR) live in their own module too.
from ilp.evaluation.death_models import DeathReview  # noqa: F401 - re-exported

# The specialist coaching programmes live in their own module; imported here so that
# `ilp.evaluation.models` names every model of the app.
from ilp.evaluation.programme_models import (  # noqa: F401 - re-exported
    CaseReview,
    CoachingProgramme,
    CoachingSession,
    ProgrammeTopic,
    SessionParticipant,
    SessionScore,
)


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
    CANCELLED = "cancelled", _("dibatalkan")


class CoachingVisit(BaseModel):
    """A team's visit to one puskesmas it coaches. `snapshot`: the puskesmas' indicator
    values as of the visit month and its data-quality measures and problems of the last
    complete month before the visit, frozen when the visit is marked done::

        {"year", "month", "rows": [{"code", "value", "target", "status"}],
         "quality": {"year", "month",
                     "measures": [{"code", "value", "n", "d", "status"}],
                     "problems": [{"code", "params", "status", "place_code",
                                   "place_name", "value", "severity"}]}}

    (codes and numbers only; the sentences are rendered in the reader's language). Visits
    done before the quality part existed have no "quality" key. A planned visit can be
    re-planned or cancelled (`cancel_reason`); a done one no more."""

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
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("dibatalkan oleh"),
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True, editable=False)

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


class VisitAction(models.TextChoices):
    PLAN = "plan", _("direncanakan")
    REPLAN = "replan", _("dijadwalkan ulang")
    CANCEL = "cancel", _("dibatalkan")
    DONE = "done", _("ditandai selesai")


class VisitEvent(models.Model):
    """One change of a visit: who, when, what (planned, re-planned with the old and new date
    and members in `detail`, cancelled with the reason in `note`, done). Append-only."""

    visit = models.ForeignKey(CoachingVisit, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("aksi"), max_length=8, choices=VisitAction.choices)
    note = models.TextField(_("catatan"), blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat kunjungan")
        verbose_name_plural = _("riwayat kunjungan")

    def __str__(self) -> str:
        return f"{self.visit_id} {self.action}"


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
    """What the puskesmas must change, why (an indicator of the catalogue, a data-quality
    check, a checklist item and/or a note), who owns it (a puskesmas role, one of its staff,
    or a kecamatan/desa of its working area for the camat or kepala desa) and by when. The
    state moves open → answered → accepted or sent back (→ answered again) → verified
    (closed)."""

    # Where it was given: a TPCB visit, a specialist's session or a death review (exactly one
    # of the three, see `recommendation_one_origin`; `origin` and `puskesmas` read whichever).
    visit = models.ForeignKey(
        CoachingVisit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("kunjungan"),
    )
    session = models.ForeignKey(
        "evaluation.CoachingSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("sesi pendampingan spesialis"),
    )
    death_review = models.ForeignKey(
        "evaluation.DeathReview",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("pengkajian kematian"),
    )
    what = models.TextField(_("rekomendasi"))
    indicator = models.CharField(_("indikator"), max_length=32, blank=True)
    # A data-quality check of ``ilp.monitoring.quality.MEASURES`` that shows the problem.
    quality_check = models.CharField(_("pemeriksaan mutu data"), max_length=32, blank=True)
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
    # The checklist item (of the visit's checklist versions) that shows the reason.
    checklist_item = models.ForeignKey(
        "ChecklistItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("butir daftar tilik"),
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
            # Given at exactly one place: a TPCB visit, a specialist's session or a death review.
            models.CheckConstraint(
                condition=(
                    models.Q(visit__isnull=False, session__isnull=True, death_review__isnull=True)
                    | models.Q(visit__isnull=True, session__isnull=False, death_review__isnull=True)
                    | models.Q(visit__isnull=True, session__isnull=True, death_review__isnull=False)
                ),
                name="recommendation_one_origin",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def origin(self) -> CoachingVisit | CoachingSession | DeathReview:
        """The visit, the specialist's session or the death review that gave it."""
        if self.visit is not None:
            return self.visit
        if self.session is not None:
            return self.session
        return self.death_review  # type: ignore[return-value]

    @property
    def puskesmas(self) -> Any:
        """The puskesmas the recommendation is addressed to (its visit's or session's)."""
        return self.origin.puskesmas

    @property
    def puskesmas_id(self) -> int | None:
        return self.origin.puskesmas_id

    @property
    def origin_date(self) -> date:
        """The day it was given: the visit's date, the session's or the review meeting's (the
        day the review opened before its meeting is recorded)."""
        if self.visit is not None:
            return self.visit.planned_date
        if self.death_review is not None:
            return review_date(self.death_review)
        return self.origin.session_date  # type: ignore[union-attr]


def review_date(review: DeathReview) -> date:
    """The day a death review counts from: its meeting, else the day it opened."""
    from django.utils import timezone

    return review.meeting_date or timezone.localdate(review.created_at)


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

    @property
    def from_label(self) -> str:
        """The state it left, as the pages name it ('' for the creation)."""
        return str(RecState(self.from_state).label) if self.from_state in RecState.values else ""

    @property
    def to_label(self) -> str:
        return str(RecState(self.to_state).label) if self.to_state in RecState.values else ""


# ---------------------------------------------------------------- checklists


class Checklist(BaseModel):
    """The district's coaching checklist (daftar tilik) of one cluster. Its content lives in
    its versions: editing publishes a new version and the old ones stay, read-only, for the
    visits that used them."""

    district = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    cluster = models.CharField(_("klaster"), max_length=8, choices=Cluster.choices)

    class Meta:
        ordering = ["cluster"]
        verbose_name = _("daftar tilik")
        verbose_name_plural = _("daftar tilik")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "cluster"], name="checklist_one_per_cluster"
            ),
            models.CheckConstraint(
                condition=models.Q(cluster__in=Cluster.values), name="checklist_cluster"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_cluster_display()}"


class ChecklistSource(models.TextChoices):
    EDITED = "edited", _("disusun Dinas Kesehatan")
    EXAMPLE = "example", _("contoh awal dari ILP, untuk disesuaikan Dinas Kesehatan")


class ChecklistVersion(BaseModel):
    """One published version of a checklist (number 1, 2, …; the highest is current), never
    changed once published. `visits`: the coaching visits that work through it (each visit
    takes the current version of every cluster when it is planned)."""

    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="versions", verbose_name=_("daftar tilik")
    )
    number = models.PositiveIntegerField(_("versi"))
    note = models.TextField(_("catatan perubahan"), blank=True)
    source = models.CharField(
        _("asal"), max_length=8, choices=ChecklistSource.choices, default=ChecklistSource.EDITED
    )
    visits = models.ManyToManyField(
        CoachingVisit, related_name="checklist_versions", verbose_name=_("kunjungan"), blank=True
    )

    class Meta:
        ordering = ["checklist", "-number"]
        verbose_name = _("versi daftar tilik")
        verbose_name_plural = _("versi daftar tilik")
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "number"], name="checklist_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} v{self.number}"


class ChecklistItem(BaseModel):
    """One item of a checklist version, in order: its code (number) and text as the Dinkes
    wrote them (content, not a UI string), optionally the catalogue indicator it bears on."""

    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.PROTECT, related_name="items", verbose_name=_("versi")
    )
    position = models.PositiveSmallIntegerField(_("urutan"))
    code = models.CharField(_("nomor"), max_length=16)
    text = models.TextField(_("butir"))
    indicator = models.CharField(_("indikator"), max_length=32, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("butir daftar tilik")
        verbose_name_plural = _("butir daftar tilik")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="checklist_item_code"),
            models.UniqueConstraint(fields=["version", "position"], name="checklist_item_position"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class ChecklistAnswerCode(models.TextChoices):
    """The answer to one item (codes of ``ilp.standards.checklist``)."""

    YES = "yes", _("ya")
    PARTIAL = "partial", _("sebagian")
    NO = "no", _("tidak")
    NOT_ASSESSED = "na", _("tidak dinilai")


class ChecklistAnswer(BaseModel):
    """A visit's answer to one item of its checklist and the team's note; changed while the
    visit is planned, frozen once it is done."""

    visit = models.ForeignKey(
        CoachingVisit,
        on_delete=models.PROTECT,
        related_name="checklist_answers",
        verbose_name=_("kunjungan"),
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("butir")
    )
    answer = models.CharField(_("jawaban"), max_length=8, choices=ChecklistAnswerCode.choices)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["visit", "item__position"]
        verbose_name = _("jawaban daftar tilik")
        verbose_name_plural = _("jawaban daftar tilik")
        constraints = [
            models.UniqueConstraint(fields=["visit", "item"], name="checklist_answer_once"),
            models.CheckConstraint(
                condition=models.Q(answer__in=ChecklistAnswerCode.values),
                name="checklist_answer_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.item_id} {self.answer}"


class PkpScheme(BaseModel):
    """A district's scheme of the Penilaian Kinerja Puskesmas for one year: the thresholds of
    its categories (``ilp.standards.performance``; defaults 91 and 81) and, in its weights,
    the indicators assessed. One per district and year, so a past year keeps the scheme it
    was assessed with; only the current and later years' schemes may change."""

    district = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    baik_min = models.DecimalField(_("batas bawah baik (%)"), max_digits=5, decimal_places=2)
    cukup_min = models.DecimalField(_("batas bawah cukup (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("skema penilaian kinerja puskesmas")
        verbose_name_plural = _("skema penilaian kinerja puskesmas")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="pkp_scheme_district_year"),
            models.CheckConstraint(
                condition=models.Q(cukup_min__gt=0)
                & models.Q(baik_min__gt=models.F("cukup_min"))
                & models.Q(baik_min__lte=100),
                name="pkp_scheme_thresholds",
            ),
        ]

    def __str__(self) -> str:
        return f"PKP {self.year}"


class PkpWeight(models.Model):
    """One indicator of the catalogue in a year's scheme and its weight (0: not assessed; a
    row is never deleted, its weight set to 0)."""

    scheme = models.ForeignKey(PkpScheme, on_delete=models.PROTECT, related_name="weights")
    indicator = models.CharField(_("indikator"), max_length=32)
    weight = models.PositiveSmallIntegerField(_("bobot"))

    class Meta:
        ordering = ["scheme", "id"]
        verbose_name = _("bobot indikator PKP")
        verbose_name_plural = _("bobot indikator PKP")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="pkp_weight_indicator"),
            models.CheckConstraint(condition=models.Q(weight__lte=100), name="pkp_weight_max"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} × {self.weight}"


class RecommendationEvidence(models.Model):
    """A file the puskesmas attached to an answer (a photo of a register, a decree as PDF, a
    spreadsheet), kept in the database so it is backed up with the records it supports and
    served only through the scoped, audited download. Its kind was read from its content
    (``ilp.standards.file_types``); `sha256` lets anyone check a copy. Never deleted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        RecommendationEvent, on_delete=models.PROTECT, related_name="evidence"
    )
    name = models.CharField(_("nama berkas"), max_length=160)
    content_type = models.CharField(_("jenis"), max_length=100)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("berkas bukti")
        verbose_name_plural = _("berkas bukti")

    def __str__(self) -> str:
        return self.name
