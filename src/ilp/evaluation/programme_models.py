"""Specialist coaching programmes (issue 11, point 4): a programme of the Dinkes (its
specialists, topics and the puskesmas to cover, over a period), the sessions a specialist
holds at a puskesmas, who took part, the cases reviewed and the pre-/post-test scores. A
session's recommendations are ordinary ``Recommendation`` rows (``session`` set), in the same
loop as a TPCB visit's. Nothing here is deleted: a programme is made inactive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel

# A test score is a percentage of correct answers.
SCORE_MIN, SCORE_MAX = 0, 100


class CoachingProgramme(BaseModel):
    """E.g. "Pendampingan KIA dan rujukan 2025": the specialists who coach, the topics they
    coach (`topics`) and the district's puskesmas to cover between `start_date` and
    `end_date`."""

    name = models.CharField(_("nama program"), max_length=160)
    district = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    specialists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coaching_programmes",
        verbose_name=_("dokter spesialis"),
    )
    puskesmas = models.ManyToManyField(
        "places.Facility",
        related_name="coaching_programmes",
        verbose_name=_("puskesmas sasaran"),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("program pendampingan spesialis")
        verbose_name_plural = _("program pendampingan spesialis")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="coaching_programme_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeTopic(models.Model):
    """A topic the programme coaches and tests (code e.g. ``poned``, ``neonatal``,
    ``rujukan``), kept as data per programme."""

    programme = models.ForeignKey(
        CoachingProgramme, on_delete=models.PROTECT, related_name="topics"
    )
    code = models.SlugField(_("kode"), max_length=32)
    name = models.CharField(_("topik"), max_length=120)

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("topik program")
        verbose_name_plural = _("topik program")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programme_topic_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CoachingSession(BaseModel):
    """One session of a programme: a specialist at one of its puskesmas on a day."""

    programme = models.ForeignKey(
        CoachingProgramme,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("program"),
    )
    puskesmas = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="coaching_sessions",
        verbose_name=_("puskesmas"),
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coaching_sessions",
        verbose_name=_("dokter spesialis"),
    )
    session_date = models.DateField(_("tanggal sesi"))
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-session_date", "-id"]
        verbose_name = _("sesi pendampingan spesialis")
        verbose_name_plural = _("sesi pendampingan spesialis")

    def __str__(self) -> str:
        return f"{self.programme} → {self.puskesmas} {self.session_date}"


class SessionParticipant(models.Model):
    """One of the puskesmas' staff at the session: an ILP user of that puskesmas, or a
    name with a profession (staff without a login)."""

    session = models.ForeignKey(
        CoachingSession, on_delete=models.PROTECT, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("petugas"),
    )
    name = models.CharField(_("nama"), max_length=120, blank=True)
    profession = models.CharField(_("profesi"), max_length=60, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("peserta sesi")
        verbose_name_plural = _("peserta sesi")
        constraints = [
            # An ILP user, or a name (a participant without a login).
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="session_participant_who",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(user__isnull=False),
                name="session_participant_user_once",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.username
        return self.name


class CaseReview(models.Model):
    """A case discussed at the session, without personal identifiers: a short summary, the
    topic it illustrates and the lessons drawn."""

    session = models.ForeignKey(
        CoachingSession, on_delete=models.PROTECT, related_name="case_reviews"
    )
    topic = models.ForeignKey(
        ProgrammeTopic, on_delete=models.PROTECT, related_name="+", verbose_name=_("topik")
    )
    summary = models.TextField(_("ringkasan kasus"))
    lessons = models.TextField(_("pelajaran"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("kajian kasus")
        verbose_name_plural = _("kajian kasus")

    def __str__(self) -> str:
        return self.summary[:60]


class SessionScore(models.Model):
    """A participant's pre- and post-test score (0–100) on one topic of the programme;
    either may be missing (absent for one of the tests)."""

    participant = models.ForeignKey(
        SessionParticipant, on_delete=models.PROTECT, related_name="scores"
    )
    topic = models.ForeignKey(ProgrammeTopic, on_delete=models.PROTECT, related_name="+")
    pre = models.PositiveSmallIntegerField(_("pre-test"), null=True, blank=True)
    post = models.PositiveSmallIntegerField(_("post-test"), null=True, blank=True)

    class Meta:
        ordering = ["participant", "topic"]
        verbose_name = _("nilai tes")
        verbose_name_plural = _("nilai tes")
        constraints = [
            models.UniqueConstraint(fields=["participant", "topic"], name="session_score_once"),
            models.CheckConstraint(
                condition=(models.Q(pre__isnull=True) | models.Q(pre__lte=SCORE_MAX))
                & (models.Q(post__isnull=True) | models.Q(post__lte=SCORE_MAX)),
                name="session_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.topic_id}: {self.pre}→{self.post}"
