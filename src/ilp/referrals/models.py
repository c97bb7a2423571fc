"""Referrals between facilities and their history.

A ``Referral`` is one leg: a person sent from one facility to another, moving through the
states of ``ilp.standards.referral`` until it is closed or ends (refused, redirected,
cancelled, not arrived). Each step writes its own timestamp once (``departed_at``,
``received_at``, …) by a conditional UPDATE on the state, and appends one ``ReferralEvent``
(who, when recorded, when it happened, from → to state, note): nothing is overwritten or
deleted, so the delays of ``ilp.standards.referral.delays`` can always be measured again.

A **redirect** ends the leg (state ``redirected``) and opens a *new linked referral*
(``previous`` → the redirected leg, ``onward`` back) from the facility the person is at to
the new target. A new leg rather than a changed ``to_facility``: the leg that was refused its
care keeps its own receiver, times and delays (a hospital that redirects is accountable for
its part), the onward leg gets its own reception, handling and answer, and "who was sent
where" is never rewritten. The chain of legs is one patient journey.

Codes are stored (kind, transport, companion, reasons); their labels are rendered in the
reader's language. Diagnoses are WHO ICD-10 codes in WHO's form (``ilp.standards.icd10``).

A ``Death`` (maternal, stillbirth, neonatal) records a death at the end of a path of care; its
review (AMP-SR) lives in ``ilp.evaluation`` (which may import this app, not the reverse).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ilp.core.history import ChangeHistory
from ilp.core.models import BaseModel, Versioned, Voidable
from ilp.standards import deaths
from ilp.standards import referral as rules


class ReferralKind(models.TextChoices):
    EMERGENCY = "emergency", _("Gawat darurat (medis)")
    MATERNAL = "maternal", _("Maternal")
    NEONATAL = "neonatal", _("Neonatal")
    PLANNED = "planned", _("Terencana")
    BACK = "back", _("Rujuk balik")


# Kinds whose answer is awaited in hours (the rest in days), and the order of the incoming list.
URGENT_KINDS = frozenset({ReferralKind.EMERGENCY, ReferralKind.MATERNAL, ReferralKind.NEONATAL})
URGENCY_RANK = {
    ReferralKind.EMERGENCY: 0,
    ReferralKind.MATERNAL: 0,
    ReferralKind.NEONATAL: 0,
    ReferralKind.PLANNED: 1,
    ReferralKind.BACK: 2,
}


class ReferralState(models.TextChoices):
    CREATED = rules.CREATED, pgettext_lazy("referral state", "Dibuat")
    DEPARTED = rules.DEPARTED, _("Berangkat")
    RECEIVED = rules.RECEIVED, _("Diterima")
    HANDLED = rules.HANDLED, _("Ditangani")
    ANSWERED = rules.ANSWERED, _("Dijawab")
    CLOSED = rules.CLOSED, _("Ditutup")
    REFUSED = rules.REFUSED, _("Ditolak")
    REDIRECTED = rules.REDIRECTED, _("Dialihkan")
    CANCELLED = rules.CANCELLED, pgettext_lazy("referral state", "Dibatalkan")
    NOT_ARRIVED = rules.NOT_ARRIVED, _("Tidak datang")


class ReferralAction(models.TextChoices):
    CREATE = "create", _("Buat rujukan")
    DEPART = "depart", _("Catat keberangkatan")
    RECEIVE = "receive", _("Terima pasien")
    HANDLE = "handle", _("Mulai tangani")
    ANSWER = "answer", _("Kirim jawaban")
    CLOSE = "close", _("Tutup rujukan")
    REFUSE = "refuse", _("Tolak")
    REDIRECT = "redirect", _("Alihkan")
    CANCEL = "cancel", pgettext_lazy("referral action", "Batalkan")
    NOT_ARRIVE = "not_arrive", _("Pasien tidak datang")


class Transport(models.TextChoices):
    AMBULANCE = "ambulance", _("Ambulans")
    DESA_VEHICLE = "desa_vehicle", _("Ambulans desa / kendaraan siaga")
    PRIVATE = "private", _("Kendaraan pribadi/keluarga")
    PUBLIC = "public", _("Angkutan umum")
    ON_FOOT = "on_foot", _("Jalan kaki")
    OTHER = "other", _("Lainnya")


class Companion(models.TextChoices):
    NONE = "none", _("Tidak ada")
    FAMILY = "family", _("Keluarga")
    KADER = "kader", _("Kader")
    MIDWIFE = "midwife", _("Bidan")
    NURSE = "nurse", _("Perawat")
    DOCTOR = "doctor", _("Dokter")


class EndReason(models.TextChoices):
    """Why a referral was refused, redirected, cancelled or did not arrive (``other`` needs a
    note). SISRUTE refusals are mostly no bed or no ICU (DOMAIN.md §6)."""

    NO_BED = "no_bed", _("Tempat tidur penuh")
    NO_ICU = "no_icu", _("ICU/NICU penuh")
    NO_COMPETENCE = "no_competence", _("Tidak ada dokter/kompetensi yang dibutuhkan")
    NO_EQUIPMENT = "no_equipment", _("Alat tidak tersedia")
    CONDITION_IMPROVED = "condition_improved", _("Kondisi membaik, tidak perlu dirujuk")
    PERSON_DECLINED = "person_declined", _("Pasien/keluarga menolak dirujuk")
    DIED = "died", _("Pasien meninggal")
    WENT_ELSEWHERE = "went_elsewhere", _("Pasien berobat ke tempat lain")
    WRONG_ENTRY = "wrong_entry", _("Salah catat")
    OTHER = "other", _("Lainnya")


# Which end reasons fit which ending action.
END_REASONS: dict[str, frozenset[str]] = {
    "refuse": frozenset(
        {
            EndReason.NO_BED,
            EndReason.NO_ICU,
            EndReason.NO_COMPETENCE,
            EndReason.NO_EQUIPMENT,
            EndReason.OTHER,
        }
    ),
    "redirect": frozenset(
        {
            EndReason.NO_BED,
            EndReason.NO_ICU,
            EndReason.NO_COMPETENCE,
            EndReason.NO_EQUIPMENT,
            EndReason.OTHER,
        }
    ),
    "cancel": frozenset(
        {
            EndReason.CONDITION_IMPROVED,
            EndReason.PERSON_DECLINED,
            EndReason.DIED,
            EndReason.WRONG_ENTRY,
            EndReason.OTHER,
        }
    ),
    "not_arrive": frozenset(
        {EndReason.WENT_ELSEWHERE, EndReason.PERSON_DECLINED, EndReason.DIED, EndReason.OTHER}
    ),
}


class Referral(BaseModel):
    """One leg of a referral (see the module docstring)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("orang")
    )
    from_facility = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("dari fasilitas"),
    )
    to_facility = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("ke fasilitas"),
    )
    kind = models.CharField(_("jenis rujukan"), max_length=12, choices=ReferralKind.choices)
    reason = models.TextField(_("alasan dirujuk"))
    diagnosis_code = models.CharField(_("diagnosis (ICD-10)"), max_length=8, blank=True)
    # The encounter whose findings triggered it, and its alerts as they were then (the
    # encounter may be corrected later; the referral keeps what the sender saw).
    encounter = models.ForeignKey(
        "care.Encounter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("pelayanan pemicu"),
    )
    trigger_alerts = models.JSONField(default=list, blank=True)
    care_given = models.TextField(_("tindakan sebelum dirujuk"), blank=True)
    transport = models.CharField(
        _("transportasi"), max_length=16, choices=Transport.choices, blank=True
    )
    accompanied_by = models.CharField(
        _("pendamping"), max_length=12, choices=Companion.choices, blank=True
    )
    state = models.CharField(
        _("status"), max_length=12, choices=ReferralState.choices, default=ReferralState.CREATED
    )
    # One timestamp per step (ilp.standards.referral.STEP_ORDER); ended_at for the ends.
    detected_at = models.DateTimeField(_("waktu temuan"))
    decided_at = models.DateTimeField(_("waktu diputuskan dirujuk"))
    departed_at = models.DateTimeField(_("waktu berangkat"), null=True, blank=True)
    received_at = models.DateTimeField(_("waktu diterima"), null=True, blank=True)
    handled_at = models.DateTimeField(_("waktu ditangani"), null=True, blank=True)
    answered_at = models.DateTimeField(_("waktu dijawab"), null=True, blank=True)
    closed_at = models.DateTimeField(_("waktu ditutup"), null=True, blank=True)
    ended_at = models.DateTimeField(_("waktu berakhir"), null=True, blank=True)
    # The receiver's answer.
    answer_diagnosis_code = models.CharField(
        _("diagnosis akhir (ICD-10)"), max_length=8, blank=True
    )
    answer_care = models.TextField(_("tindakan yang diberikan"), blank=True)
    answer_advice = models.TextField(_("anjuran"), blank=True)
    back_referral_plan = models.TextField(_("rencana rujuk balik"), blank=True)
    # Why it ended off the main path (refused, redirected, cancelled, not arrived).
    end_reason = models.CharField(_("alasan"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(_("catatan alasan"), blank=True)
    # The leg this one continues after a redirect.
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onward",
        verbose_name=_("rujukan sebelumnya"),
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        indexes = [
            # the receiving facility's incoming list: its referrals in the open states
            models.Index(fields=["to_facility", "state"], name="referral_to_state"),
            # the sending facility's open list
            models.Index(fields=["from_facility", "state"], name="referral_from_state"),
            models.Index(fields=["person", "decided_at"], name="referral_person"),
            # the delay report: a facility's referrals decided in a month (either side)
            models.Index(fields=["from_facility", "decided_at"], name="referral_from_decided"),
            models.Index(fields=["to_facility", "decided_at"], name="referral_to_decided"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ReferralState.values), name="referral_state"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ReferralKind.values), name="referral_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_facility=models.F("to_facility")),
                name="referral_not_to_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_at__gte=models.F("detected_at")),
                name="referral_decided_after_detected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uuid} {self.kind} {self.state}"

    @property
    def is_urgent(self) -> bool:
        return self.kind in URGENT_KINDS

    def stamps(self) -> dict[str, object]:
        """The step timestamps by name (``ilp.standards.referral.STEP_ORDER`` and ended_at)."""
        return {name: getattr(self, name) for name in (*rules.STEP_ORDER, "ended_at")}


def step_label(field: str) -> str:
    """The label of a step's timestamp field (``"waktu diterima"``), in the reader's language."""
    found = Referral._meta.get_field(field)
    assert isinstance(found, models.Field)  # noqa: S101 - a step name is a concrete field
    return str(found.verbose_name)


class ReferralEvent(models.Model):
    """One step of a referral's history, append-only: who recorded it and when, when it
    happened, the action, the state before and after, and a note (reasons, answer summary
    and redirect target in `detail`)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("tindakan"), max_length=12, choices=ReferralAction.choices)
    from_state = models.CharField(
        _("dari status"), max_length=12, choices=ReferralState.choices, blank=True
    )
    to_state = models.CharField(_("ke status"), max_length=12, choices=ReferralState.choices)
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("oleh"),
    )
    note = models.TextField(_("catatan"), blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("riwayat rujukan")
        verbose_name_plural = _("riwayat rujukan")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.action} {self.from_state}→{self.to_state}"


# ---------------------------------------------------------------- deaths


class DeathKind(models.TextChoices):
    """The kinds of ``ilp.standards.deaths``: a mother's death, a baby born dead (the record
    is the mother's: the baby was never a registered person), a newborn's death."""

    MATERNAL = deaths.MATERNAL, _("Kematian ibu")
    STILLBIRTH = deaths.STILLBIRTH, _("Lahir mati")
    NEONATAL = deaths.NEONATAL, _("Kematian neonatal")


class DeathPlace(models.TextChoices):
    HOME = "home", _("Rumah")
    ON_THE_WAY = "on_the_way", _("Dalam perjalanan")
    POSYANDU = "posyandu", _("Posyandu")
    PUSTU = "pustu", _("Pustu")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    HOSPITAL = "hospital", _("Rumah sakit")
    OTHER_FACILITY = "other_facility", _("Fasilitas kesehatan lain")


# Places that are a facility of the registry (the death record names which one).
FACILITY_PLACES = {
    DeathPlace.POSYANDU: "posyandu",
    DeathPlace.PUSTU: "pustu",
    DeathPlace.PUSKESMAS: "puskesmas",
    DeathPlace.HOSPITAL: "hospital",
}


class Death(Voidable, Versioned, BaseModel):
    """A maternal death, a stillbirth or a neonatal death (``ilp.standards.deaths``).

    `person` is who died, except for a stillbirth: then the mother, whose `pregnancy` ended
    in it. A maternal death and a stillbirth name the pregnancy. The cause is a WHO ICD-10
    code (its ICD-MM group is derived, not stored). The path of care before the death is the
    person's referrals and encounters (read, not copied) plus the referral the death ended,
    if any, and a note. Notification: who notified (a facility and a name) and when; the
    review's 24-hour check compares `notified_at` with `died_at`. A death recorded by mistake
    is voided with a reason (the row and its history stay); the person is restored."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="deaths", verbose_name=_("orang")
    )
    kind = models.CharField(_("jenis kematian"), max_length=12, choices=DeathKind.choices)
    pregnancy = models.ForeignKey(
        "people.Pregnancy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deaths",
        verbose_name=_("kehamilan"),
    )
    died_at = models.DateTimeField(_("waktu meninggal"))
    place = models.CharField(_("tempat meninggal"), max_length=16, choices=DeathPlace.choices)
    facility = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deaths",
        verbose_name=_("fasilitas tempat meninggal"),
    )
    cause_code = models.CharField(_("penyebab (ICD-10)"), max_length=8, blank=True)
    referral = models.ForeignKey(
        Referral,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deaths",
        verbose_name=_("rujukan terakhir"),
    )
    care_path_note = models.TextField(_("riwayat pelayanan sebelum meninggal"), blank=True)
    notified_by_facility = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dilaporkan oleh fasilitas"),
    )
    notified_by_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    notified_at = models.DateTimeField(_("waktu notifikasi"), null=True, blank=True)

    history = ChangeHistory()

    class Meta:
        ordering = ["-died_at", "-pk"]
        verbose_name = _("kematian")
        verbose_name_plural = _("kematian")
        indexes = [models.Index(fields=["died_at"], name="death_died_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DeathKind.values), name="death_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(place__in=DeathPlace.values), name="death_place"
            ),
            # One counted death per person (a stillbirth: per pregnancy).
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(voided_at__isnull=True) & ~models.Q(kind="stillbirth"),
                name="death_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["pregnancy"],
                condition=models.Q(voided_at__isnull=True, kind="stillbirth"),
                name="death_one_stillbirth_per_pregnancy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uuid} {self.kind}"

    @property
    def marks_deceased(self) -> bool:
        """Whether the record's person died (not so for a stillbirth: the mother lives)."""
        return self.kind != DeathKind.STILLBIRTH
