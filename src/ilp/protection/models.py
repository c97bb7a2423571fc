"""Cases of violence against women and children (KtP/A) and who may take part in them.

The most sensitive records ILP holds (DOMAIN.md §5). A ``Case`` is handled by one puskesmas
(``facility``); the health staff assigned to it (``CaseAssignment``, its case officer among
them) form its circle. A partner organisation (``Partner``: UPTD PPA, LPA, police, hospital,
social service) reads a case only once it is referred to it (``CaseReferral``) or when it
referred the person in itself (``Case.referred_by``), and only the fields its part needs.
Anyone else in health care who must open a case gives a reason first (``BreakGlass``: a
grant for a limited time, recorded and shown to the case officer and the Dinkes).

A case holds its parties (``CaseParty``): victims and alleged perpetrators, each a registry
person or recorded without identity, with disability and the accommodation given. The
parties' roles are kept apart: a page never shows one party's data to another. Each step of
care is timestamped (``CaseStep``: arrival, first medical contact, examination, …) so the
elapsed time can be held against the targets (``ilp.standards.ktpa_speed``).

Codes are stored; their labels are rendered in the reader's language. Nothing here is
deleted: a mistaken party or step is voided with a reason (``ilp.core.models.Voidable``).
Case records are kept 18 years (``retain_until``), DOMAIN.md §5.2 [S27].
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ilp.core.history import ChangeHistory
from ilp.core.models import BaseModel, Versioned, Voidable


class PartnerKind(models.TextChoices):
    UPTD_PPA = "uptd_ppa", _("UPTD PPA")
    LPA = "lpa", _("LPA (Lembaga Perlindungan Anak)")
    POLICE = "police", _("Kepolisian (Unit PPA)")
    HOSPITAL = "hospital", _("Rumah sakit")
    SOCIAL = "social", _("Dinas sosial / rumah aman")
    OTHER = "other", _("Lembaga lain")


class Partner(BaseModel):
    """An organisation the health service works with on KtP/A cases. Its staff log in with
    the role ``protection`` and a ``PartnerMember`` row naming the organisation."""

    name = models.CharField(_("nama lembaga"), max_length=160)
    kind = models.CharField(_("jenis lembaga"), max_length=12, choices=PartnerKind.choices)
    # The district (or kecamatan) it serves; a hospital partner may be a registered facility.
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    facility = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fasilitas"),
    )
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("lembaga mitra")
        verbose_name_plural = _("lembaga mitra")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="protection_partner_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PartnerMember(models.Model):
    """Which partner organisation a ``protection`` user works for (one each)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="members")

    class Meta:
        verbose_name = _("anggota lembaga mitra")
        verbose_name_plural = _("anggota lembaga mitra")

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"


class ViolenceKind(models.TextChoices):
    PHYSICAL = "physical", _("Kekerasan fisik")
    PSYCHOLOGICAL = "psychological", _("Kekerasan psikis")
    SEXUAL = "sexual", _("Kekerasan seksual")
    NEGLECT = "neglect", _("Penelantaran")
    EXPLOITATION = "exploitation", _("Eksploitasi / perdagangan orang (TPPO)")


class ArrivalRoute(models.TextChoices):
    WALK_IN = "walk_in", _("Datang sendiri")
    SCREENING = "screening", _("Hasil skrining")
    PARTNER = "partner", _("Dirujuk UPTD PPA / LPA")
    POLICE = "police", _("Diantar polisi")
    SCHOOL = "school", _("Dari sekolah")
    FAMILY = "family", _("Diantar keluarga")
    HEALTH = "health", _("Rujukan fasilitas kesehatan")


class Place(models.TextChoices):
    HOME = "home", _("Rumah")
    SCHOOL = "school", _("Sekolah / pesantren")
    WORKPLACE = "workplace", _("Tempat kerja")
    PUBLIC = "public", _("Tempat umum")
    ONLINE = "online", _("Daring (online)")
    OTHER = "other", _("Lainnya")
    UNKNOWN = "unknown", _("Tidak diketahui")


class CaseState(models.TextChoices):
    OPEN = "open", pgettext_lazy("protection case", "Dibuka")
    IN_CARE = "in_care", _("Dalam penanganan")
    CLOSED = "closed", pgettext_lazy("protection case", "Ditutup")


class Case(BaseModel, Versioned):
    """One KtP/A case (see the module docstring). ``number`` is for people (letters, the
    register); URLs use the random ``uuid``."""

    number = models.CharField(_("nomor register"), max_length=24, unique=True)
    facility = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="protection_cases",
        verbose_name=_("puskesmas penanggung jawab"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("petugas kasus"),
    )
    state = models.CharField(
        _("status"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN
    )
    urgent = models.BooleanField(_("mendesak"), default=False)
    arrival_route = models.CharField(
        _("cara kasus datang"), max_length=12, choices=ArrivalRoute.choices
    )
    referred_by = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_referred_in",
        verbose_name=_("dirujuk oleh lembaga"),
    )
    kinds = models.JSONField(_("jenis kekerasan"), default=list, blank=True)
    occurred_on = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    occurred_place = models.CharField(
        _("tempat kejadian"), max_length=12, choices=Place.choices, default=Place.UNKNOWN
    )
    occurred_area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("desa/kelurahan kejadian"),
    )
    # What the partner or the first contact said brought them (shared with partners).
    summary = models.TextField(_("ringkasan (tanpa catatan klinis)"), blank=True)
    # Clinical notes are for the health circle; partners read them only with consent.
    clinical_notes = models.TextField(_("catatan klinis"), blank=True)
    partner_may_read_clinical = models.BooleanField(
        _("korban/wali setuju catatan klinis dibagikan kepada mitra"), default=False
    )
    arrived_at = models.DateTimeField(_("waktu datang"))
    closed_at = models.DateTimeField(_("waktu ditutup"), null=True, blank=True)
    close_note = models.CharField(_("catatan penutupan"), max_length=255, blank=True)
    retain_until = models.DateField(_("disimpan sampai"))

    history = ChangeHistory()

    class Meta:
        verbose_name = _("kasus KtP/A")
        verbose_name_plural = _("kasus KtP/A")
        indexes = [models.Index(fields=["facility", "state", "arrived_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "in_care", "closed"]),
                name="protection_case_state_valid",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def kind_labels(self) -> list[str]:
        """The kinds of violence in the reader's language."""
        return [str(ViolenceKind(c).label) for c in self.kinds if c in ViolenceKind.values]


class PartyRole(models.TextChoices):
    VICTIM = "victim", _("Korban")
    PERPETRATOR = "perpetrator", _("Terduga pelaku")


class Disability(models.TextChoices):
    PHYSICAL = "physical", _("Disabilitas fisik")
    VISUAL = "visual", _("Disabilitas netra")
    HEARING = "hearing", _("Disabilitas rungu/wicara")
    INTELLECTUAL = "intellectual", _("Disabilitas intelektual")
    MENTAL = "mental", _("Disabilitas mental")


class Accommodation(models.TextChoices):
    SIGN_LANGUAGE = "sign_language", _("Juru bahasa isyarat")
    COMPANION = "companion", _("Pendamping")
    ACCESSIBLE_ROOM = "accessible_room", _("Ruang yang aksesibel")
    EASY_LANGUAGE = "easy_language", _("Bahasa sederhana / alat bantu komunikasi")


class Sex(models.TextChoices):
    FEMALE = "F", _("Perempuan")
    MALE = "M", _("Laki-laki")


class CaseParty(BaseModel, Voidable):
    """A victim or an alleged perpetrator of a case: a registry person, or recorded without
    identity (an alias, sex and approximate age). Disability and the accommodation given are
    recorded per party. A victim's guardian (who consents for a child) is a registry person
    or a name, and never one of the case's alleged perpetrators."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(_("peran"), max_length=12, choices=PartyRole.choices)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("orang terdaftar"),
    )
    alias = models.CharField(_("nama/sebutan (tanpa identitas)"), max_length=120, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age_years = models.PositiveSmallIntegerField(_("umur (tahun)"), null=True, blank=True)
    disabilities = models.JSONField(_("disabilitas"), default=list, blank=True)
    accommodations = models.JSONField(_("akomodasi yang diberikan"), default=list, blank=True)
    guardian_person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wali (terdaftar)"),
    )
    guardian_name = models.CharField(_("nama wali"), max_length=120, blank=True)
    relation_to_victim = models.CharField(_("hubungan dengan korban"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("pihak kasus")
        verbose_name_plural = _("pihak kasus")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["victim", "perpetrator"]),
                name="protection_party_role_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.role}"

    def disability_labels(self) -> list[str]:
        """The disabilities in the reader's language."""
        return [str(Disability(c).label) for c in self.disabilities if c in Disability.values]

    def accommodation_labels(self) -> list[str]:
        """The accommodations given, in the reader's language."""
        return [
            str(Accommodation(c).label) for c in self.accommodations if c in Accommodation.values
        ]


class CaseAssignment(BaseModel):
    """A health worker in a case's circle: assigned by the case officer (or by opening the
    case), until removed. Only assigned staff read the case without breaking the glass."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="protection_assignments"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="protection_assignment_once",
            )
        ]


class Step(models.TextChoices):
    """The timed steps of a case (``ilp.standards.ktpa_speed`` holds their targets)."""

    ARRIVAL = "arrival", _("Datang")
    FIRST_CONTACT = "first_contact", _("Kontak medis pertama")
    EXAMINATION = "examination", _("Pemeriksaan")
    TREATMENT = "treatment", _("Tindakan medis")
    COUNSELLING = "counselling", _("Konseling psikososial")
    VISUM_ISSUED = "visum_issued", _("Visum diterbitkan")
    REFERRED = "referred", _("Dirujuk ke mitra")
    CLOSED = "closed", pgettext_lazy("protection step", "Kasus ditutup")


class CaseStep(BaseModel, Voidable):
    """A timestamped step of a case: when it happened (``at``, given by the worker) and who
    recorded it. ``note`` is clinical (the health circle only)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(_("langkah"), max_length=16, choices=Step.choices)
    at = models.DateTimeField(_("waktu"))
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "step"])]


class BreakGlassBasis(models.TextChoices):
    URGENT_CARE = "urgent_care", _("Kebutuhan pelayanan mendesak")
    CONSENT = "consent", _("Persetujuan tertulis korban/wali")
    COURT_ORDER = "court_order", _("Permintaan pengadilan")


class BreakGlass(BaseModel):
    """Access to a case by someone outside its circle, with the reason given first. The grant
    lasts until ``expires_at``; it is shown to the case officer and the Dinkes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="protection_break_glass"
    )
    basis = models.CharField(_("dasar"), max_length=12, choices=BreakGlassBasis.choices)
    reason = models.CharField(_("alasan"), max_length=500)
    document = models.CharField(_("nomor surat/dokumen"), max_length=120, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]


class ReferralAim(models.TextChoices):
    MEDICAL = "medical", _("Medis")
    SOCIAL = "social", _("Sosial")
    LEGAL = "legal", _("Hukum")


class CaseReferralState(models.TextChoices):
    SENT = "sent", pgettext_lazy("protection referral", "Dikirim")
    ACKNOWLEDGED = "acknowledged", _("Diterima mitra")
    FOLLOWED_UP = "followed_up", _("Ditindaklanjuti")
    CANCELLED = "cancelled", pgettext_lazy("protection referral", "Dibatalkan")


class FollowUpAction(models.TextChoices):
    """What a partner did to follow a referred case up (recorded with its time)."""

    CONTACTED = "contacted", _("Menghubungi korban/keluarga")
    HOME_VISIT = "home_visit", _("Kunjungan rumah / penjangkauan")
    ACCOMPANIMENT = "accompaniment", _("Pendampingan")
    COUNSELLING = "counselling", _("Konseling psikologis")
    SHELTER = "shelter", _("Rumah aman")
    LEGAL_AID = "legal_aid", _("Bantuan hukum")
    POLICE_REPORT = "police_report", _("Laporan / proses kepolisian")
    MEDICAL = "medical", _("Layanan medis lanjutan")
    OTHER = "other", _("Lainnya")


class CaseReferral(BaseModel):
    """A case referred by the puskesmas to a partner (medical, social, legal), its
    acknowledgement and the follow-up due within working days (``ilp.standards.working_days``).
    Referral to a partner is what lets the partner's staff read the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="case_referrals")
    aim = models.CharField(_("jenis rujukan"), max_length=8, choices=ReferralAim.choices)
    state = models.CharField(
        _("status"),
        max_length=14,
        choices=CaseReferralState.choices,
        default=CaseReferralState.SENT,
    )
    sent_at = models.DateTimeField(_("waktu dirujuk"))
    note = models.CharField(_("keterangan untuk mitra"), max_length=500, blank=True)
    follow_up_due = models.DateField(_("batas tindak lanjut"))
    acknowledged_at = models.DateTimeField(_("waktu diterima mitra"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    followed_up_at = models.DateTimeField(_("waktu tindak lanjut"), null=True, blank=True)
    follow_up_note = models.CharField(_("tindak lanjut"), max_length=500, blank=True)
    follow_up_action = models.CharField(
        _("tindakan mitra"), max_length=16, choices=FollowUpAction.choices, blank=True
    )
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("waktu dibatalkan"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=500, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["partner", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    state__in=["sent", "acknowledged", "followed_up", "cancelled"],
                    aim__in=["medical", "social", "legal"],
                ),
                name="protection_referral_codes_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.partner}"

    @property
    def open(self) -> bool:
        """Whether the partner still owes its follow-up (sent or acknowledged)."""
        return self.state in (CaseReferralState.SENT, CaseReferralState.ACKNOWLEDGED)

    def overdue_on(self, today: date) -> bool:
        """Whether the follow-up is overdue on `today` (still open after its due day)."""
        return self.open and today > self.follow_up_due


# ------------------------------------------------- duty to inform (Permenkes 68/2013)


class InformedParty(models.TextChoices):
    """Whom a health worker informed of suspected child abuse (Permenkes 68/2013)."""

    UPTD_PPA = "uptd_ppa", _("UPTD PPA")
    POLICE = "police", _("Kepolisian")
    SOCIAL = "social", _("Dinas sosial")
    LPA = "lpa", _("LPA")
    OTHER = "other", _("Lainnya")


class InformMethod(models.TextChoices):
    ORAL = "oral", _("Lisan")
    WRITTEN = "written", _("Tertulis")


class DutyToInform(BaseModel, Voidable):
    """That a health worker gave the information on suspected child abuse (Permenkes 68/2013,
    DOMAIN.md §5.1: the worker is *pemberi informasi*, not *saksi pelapor*): to whom (a code and
    the name/unit of the body told), when, how (orally or in writing) and by whom. Read by the
    case's health circle only."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="informed")
    informed = models.CharField(
        _("diberitahukan kepada"), max_length=10, choices=InformedParty.choices
    )
    informed_name = models.CharField(_("nama lembaga/unit/petugas"), max_length=160)
    informed_at = models.DateTimeField(_("waktu pemberitahuan"))
    method = models.CharField(_("cara"), max_length=8, choices=InformMethod.choices)
    letter_number = models.CharField(_("nomor surat (bila tertulis)"), max_length=80, blank=True)
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pemberi informasi"),
    )
    note = models.CharField(_("keterangan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("pemberian informasi dugaan kekerasan")
        verbose_name_plural = _("pemberian informasi dugaan kekerasan")
        ordering = ["informed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(informed__in=["uptd_ppa", "police", "social", "lpa", "other"])
                & models.Q(method__in=["oral", "written"]),
                name="protection_inform_codes_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.informed}"


# KtP/A screening (its own module; a positive one opens a case).
# Attachments live in their own module (sealed files, pr-attach); imported here so Django
# finds the model in the app's models module.
from ilp.protection.models_attachment import Attachment as Attachment  # noqa: E402
from ilp.protection.models_attachment import AttachmentKind as AttachmentKind  # noqa: E402
from ilp.protection.models_screening import *  # noqa: E402, F403
from ilp.protection.models_visum import (  # noqa: E402,F401  (the visum models, same app)
    CustodyEntry,
    Visum,
    VisumTemplate,
)
