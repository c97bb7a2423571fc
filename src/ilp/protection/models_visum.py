"""Visum et repertum (VeR) of a KtP/A case: the written police request, the examination, the
issued letter, its delivery, and the chain of custody of the evidence handed over.

A visum is made ONLY on a written request of a police investigator (number, date, the
investigator and their unit), DOMAIN.md §5.2 [S28]; a female victim is examined with a female
chaperone present [S28], and only with the consent of the victim or the guardian. The
psychiatric visum (VeR psikiatrikum, [S29]) follows the same steps. A ``Visum`` moves
requested → examined → issued → delivered; its changes are kept (``ChangeHistory``) and a
mistaken one is voided with a reason, never deleted. The evidence handed over is logged in
``CustodyEntry`` rows that are never changed nor deleted (append-only).

The letter prints from a template the Dinkes adjusts (``VisumTemplate``: per district and
kind, a new version on each save; the built-in default when the district has none).
"""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.history import ChangeHistory
from ilp.core.models import BaseModel, Voidable


class VisumKind(models.TextChoices):
    PHYSICAL = "physical", _("Visum et repertum (fisik)")
    PSYCHIATRIC = "psychiatric", _("Visum et repertum psikiatrikum")


class VisumState(models.TextChoices):
    REQUESTED = "requested", _("Permintaan diterima")
    EXAMINED = "examined", _("Sudah diperiksa")
    ISSUED = "issued", _("Surat diterbitkan")
    DELIVERED = "delivered", _("Diserahkan ke penyidik")


class ConsentBy(models.TextChoices):
    VICTIM = "victim", _("Korban")
    GUARDIAN = "guardian", _("Wali")


class Visum(BaseModel, Voidable):
    """One visum of one victim of a case (see the module docstring)."""

    case = models.ForeignKey("protection.Case", on_delete=models.PROTECT, related_name="visums")
    party = models.ForeignKey(
        "protection.CaseParty",
        on_delete=models.PROTECT,
        related_name="visums",
        verbose_name=_("korban"),
    )
    kind = models.CharField(_("jenis visum"), max_length=12, choices=VisumKind.choices)
    state = models.CharField(
        _("status"), max_length=10, choices=VisumState.choices, default=VisumState.REQUESTED
    )
    # The written police request.
    request_number = models.CharField(_("nomor surat permintaan"), max_length=80)
    request_date = models.DateField(_("tanggal surat permintaan"))
    investigator_name = models.CharField(_("nama penyidik"), max_length=120)
    investigator_unit = models.CharField(_("kesatuan penyidik"), max_length=120)
    received_at = models.DateTimeField(_("waktu permintaan diterima"))
    # The examination.
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pemeriksa"),
    )
    examined_at = models.DateTimeField(_("waktu pemeriksaan"), null=True, blank=True)
    chaperone_name = models.CharField(_("nama pendamping"), max_length=120, blank=True)
    chaperone_female = models.BooleanField(_("pendamping petugas perempuan"), default=False)
    consent_by = models.CharField(
        _("persetujuan diberikan oleh"), max_length=8, choices=ConsentBy.choices, blank=True
    )
    consent_name = models.CharField(_("nama pemberi persetujuan"), max_length=120, blank=True)
    consent_at = models.DateTimeField(_("waktu persetujuan"), null=True, blank=True)
    findings = models.TextField(_("temuan"), blank=True)
    # The issued letter and its delivery to the police.
    letter_number = models.CharField(_("nomor surat visum"), max_length=80, blank=True)
    letter_date = models.DateField(_("tanggal surat visum"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )
    delivered_at = models.DateTimeField(_("waktu diserahkan"), null=True, blank=True)
    delivered_to = models.CharField(_("diserahkan kepada"), max_length=120, blank=True)

    history = ChangeHistory()

    class Meta:
        verbose_name = _("visum et repertum")
        verbose_name_plural = _("visum et repertum")
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["requested", "examined", "issued", "delivered"]),
                name="protection_visum_state_valid",
            ),
            models.UniqueConstraint(
                fields=["party", "kind"],
                condition=models.Q(voided_at__isnull=True),
                name="protection_visum_once_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.request_number}"


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows that are added, never changed nor deleted in bulk either."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("append-only rows are never changed")

    def delete(self) -> Any:
        raise TypeError("append-only rows are never deleted")


class CustodyEntry(models.Model):
    """One hand-over of evidence of a visum (chain of custody): what, from whom, to whom,
    when. Append-only: a row is never changed nor deleted (a mistake is corrected by a new
    row saying so)."""

    uuid = models.UUIDField(default=uuid_module.uuid4, unique=True, editable=False)
    visum = models.ForeignKey(Visum, on_delete=models.PROTECT, related_name="custody")
    item = models.CharField(_("barang bukti"), max_length=255)
    handed_by = models.CharField(_("diserahkan oleh"), max_length=120)
    handed_to = models.CharField(_("diterima oleh"), max_length=120)
    at = models.DateTimeField(_("waktu serah terima"))
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("serah terima barang bukti")
        verbose_name_plural = _("serah terima barang bukti")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.visum_id} {self.item}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("CustodyEntry is append-only: add a new row instead of changing one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("CustodyEntry is append-only: it is never deleted")


class VisumTemplate(BaseModel):
    """The body of the visum letter of a district, per kind, with named placeholders
    (``{nomor_surat}``, ``{nama_korban}``, ``{temuan}``, …; see ``services_visum.PLACEHOLDERS``).
    Each save by the dinkes administrator adds a version; the newest active one is used."""

    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    kind = models.CharField(_("jenis visum"), max_length=12, choices=VisumKind.choices)
    body = models.TextField(_("isi surat"))
    version = models.PositiveIntegerField(_("versi"))
    active = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        verbose_name = _("templat surat visum")
        verbose_name_plural = _("templat surat visum")
        ordering = ["area", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind", "version"], name="protection_visum_template_version"
            ),
            models.UniqueConstraint(
                fields=["area", "kind"],
                condition=models.Q(active=True),
                name="protection_visum_template_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.kind} v{self.version}"
