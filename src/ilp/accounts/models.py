"""Users with one role each, scoped to a facility or an area; the audit log; login attempts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DINKES_ADMIN = "dinkes_admin", _("Administrator Dinas Kesehatan")
    TPCB = "tpcb", _("Analis TPCB")
    PUSKESMAS = "puskesmas", _("Petugas puskesmas")
    PUSTU = "pustu", _("Bidan/perawat pustu")
    KADER = "kader", _("Kader posyandu")
    PROTECTION = "protection", _("Mitra perlindungan anak (LPA / UPTD PPA)")
    CROSS_SECTOR = "cross_sector", _("Lintas sektor (camat, kepala desa)")


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

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")


class AuditAction(models.TextChoices):
    VIEW = "view", _("lihat")
    SEARCH = "search", _("cari")
    CREATE = "create", _("buat")
    UPDATE = "update", _("ubah")
    DELETE = "delete", _("hapus")
    EXPORT = "export", _("ekspor")
    DENIED = "denied", _("ditolak")


class AuditEvent(models.Model):
    """Who viewed or changed which record, when and from where. Append-only."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("aksi"), max_length=12, choices=AuditAction.choices)
    object_type = models.CharField(_("jenis objek"), max_length=40)
    object_uuid = models.UUIDField(_("objek"), null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(_("orang"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}"


class LoginAttempt(models.Model):
    """One login try; failures within the window throttle the username and the address."""

    at = models.DateTimeField(auto_now_add=True)
    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    success = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["ip", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {'ok' if self.success else 'failed'} {self.at:%Y-%m-%d %H:%M}"
