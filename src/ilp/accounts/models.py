"""Users with one role each, scoped to a facility or an area; the audit log; API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel


class Role(models.TextChoices):
    DINKES_ADMIN = "dinkes_admin", _("Administrator Dinas Kesehatan")
    TPCB = "tpcb", _("Analis TPCB")
    PUSKESMAS = "puskesmas", _("Petugas puskesmas")
    PUSTU = "pustu", _("Bidan/perawat pustu")
    KADER = "kader", _("Kader posyandu")
    PROTECTION = "protection", _("Mitra perlindungan anak (LPA / UPTD PPA)")
    CROSS_SECTOR = "cross_sector", _("Lintas sektor (camat, kepala desa)")
    # Reads the audit log ("siapa membuka data saya"), never the health records themselves.
    DATA_PROTECTION = "dpo", _("Pejabat pelindungan data pribadi")
    # A specialist (SpOG, SpA, …) who coaches puskesmas in a programme of the Dinkes
    # (``ilp.evaluation``): records sessions and judges their recommendations, nothing else.
    SPECIALIST = "specialist", _("Dokter spesialis pembina")
    # Staff of a hospital (RSUD, RSIA) of the referral network (``ilp.referrals``): receive and
    # answer the referrals sent to their hospital, send back referrals; nothing else.
    HOSPITAL = "hospital", _("Petugas rumah sakit (RSUD/RSIA)")


class Cluster(models.TextChoices):
    K1 = "k1", _("Klaster 1 – Manajemen")
    K2 = "k2", _("Klaster 2 – Ibu dan Anak")
    K3 = "k3", _("Klaster 3 – Dewasa dan Lansia")
    K4 = "k4", _("Klaster 4 – Penanggulangan Penyakit Menular")
    CROSS = "lintas", _("Lintas Klaster")


class User(AbstractUser):
    """A person who logs in. `facility` scopes puskesmas, pustu and kader roles; `area` scopes
    the district roles (kabupaten/kota) and cross-sector viewers (kecamatan or desa)."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, blank=True)
    facility = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("fasilitas"),
    )
    area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("wilayah"),
    )
    cluster = models.CharField(_("klaster"), max_length=8, choices=Cluster.choices, blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    must_change_password = models.BooleanField(
        _("wajib ganti kata sandi"),
        default=False,
        help_text=_("Kata sandi sementara: pengguna harus menggantinya sebelum bekerja."),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def clean(self) -> None:
        """Hospital staff work at a hospital: their facility scopes every referral they read
        (``ilp.accounts.access.is_hospital_staff``), so it is required and must be one."""
        super().clean()
        if self.role == Role.HOSPITAL:
            from ilp.places.models import FacilityKind

            facility = self.facility if self.facility_id else None
            if facility is None or facility.kind != FacilityKind.HOSPITAL:
                raise ValidationError(
                    {
                        "facility": _(
                            "Petugas rumah sakit harus terdaftar di fasilitas berjenis rumah "
                            "sakit (RSUD/RSIA): pilih rumah sakitnya."
                        )
                    }
                )


class AuditAction(models.TextChoices):
    VIEW = "view", _("lihat")
    SEARCH = "search", _("cari")
    CREATE = "create", _("buat")
    UPDATE = "update", _("ubah")
    DELETE = "delete", _("hapus")
    EXPORT = "export", _("ekspor")
    DENIED = "denied", _("ditolak")
    CHECK = "check", _("periksa keberadaan")


class AuditPurpose(models.TextChoices):
    """Why a record was read: recorded with every read so a data-protection officer can tell
    care from registration, administration, reporting and oversight."""

    CARE = "care", _("pelayanan kesehatan")
    REGISTRATION = "registration", _("pendaftaran penduduk")
    ADMINISTRATION = "administration", _("administrasi data")
    REPORTING = "reporting", _("pelaporan/ekspor")
    OVERSIGHT = "oversight", _("pengawasan pelindungan data")
    SECURITY = "security", _("keamanan akun")


class AuditEvent(models.Model):
    """Who viewed or changed which record, when, from where and why. Append-only.

    A read of one person sets `person_id`; a list (search results, work lists, a family's
    members, an export) is ONE event whose `person_ids` holds every person shown. "Who opened
    my record" asks both (`ilp.accounts.audit.events_for_person`); on PostgreSQL a GIN index
    answers the array containment, on SQLite json_each does."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("aksi"), max_length=12, choices=AuditAction.choices)
    object_type = models.CharField(_("jenis objek"), max_length=40)
    object_uuid = models.UUIDField(_("objek"), null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(_("orang"), null=True, blank=True, db_index=True)
    person_ids = models.JSONField(_("orang dalam daftar"), default=list, blank=True)
    purpose = models.CharField(_("tujuan"), max_length=16, choices=AuditPurpose.choices, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}"


class ApiToken(BaseModel):
    """A credential for one machine client (a hospital's system, a partner, an offline app).

    It acts as `user` (and so within that user's scope); only a SHA-256 of the token is kept,
    so the token itself is shown once, when it is issued. `prefix` (the token's first
    characters) tells tokens apart in lists and audit rows. `window_start`/`window_count` are
    the per-minute call counter of the rate limit, shared by every server process."""

    name = models.CharField(_("nama klien"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("bertindak sebagai pengguna"),
    )
    prefix = models.CharField(_("awalan"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    rate_per_minute = models.PositiveIntegerField(
        _("batas panggilan per menit"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai batas bawaan server."),
    )
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(
        _("terakhir dipakai"), null=True, blank=True, editable=False
    )
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, at=None) -> bool:
        """Not revoked, not expired, and its user may still log in."""
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at and self.user.is_active
