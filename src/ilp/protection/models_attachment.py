"""Attachments of a protection case: photos of injuries, the police's letter, the signed
consent, a copy of the issued visum.

The file lives in the database, sealed (``ilp.core.sealed``: encrypted with the attachment
key, so a database dump or a backup shows nothing of it), never on a disk path or behind a
URL anyone could guess or reuse: the only way out is the download view, which opens the
seal for a user entitled to that kind of attachment of that case
(``ilp.accounts.access.may_read_attachment``) and audits the read. The name, type, size and
the SHA-256 of the plaintext are kept beside it; the list pages never load the sealed bytes.
An attachment is never deleted: a wrong one is voided with a reason (and no longer served).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel, Voidable


class AttachmentKind(models.TextChoices):
    INJURY_PHOTO = "injury_photo", _("Foto luka")
    POLICE_LETTER = "police_letter", _("Surat dari kepolisian")
    CONSENT_FORM = "consent_form", _("Formulir persetujuan (informed consent)")
    VISUM_COPY = "visum_copy", _("Salinan visum et repertum")
    OTHER = "other", _("Dokumen lain")


class Attachment(BaseModel, Voidable):
    """One file of a case, sealed at rest (see the module docstring). Uploaded by
    ``uploaded_by`` at ``created_at``."""

    case = models.ForeignKey(
        "protection.Case", on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("jenis lampiran"), max_length=16, choices=AttachmentKind.choices)
    name = models.CharField(_("nama berkas"), max_length=160)
    content_type = models.CharField(_("jenis isi"), max_length=100)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    sealed = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )

    class Meta:
        verbose_name = _("lampiran kasus")
        verbose_name_plural = _("lampiran kasus")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AttachmentKind.values),
                name="protection_attachment_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.name}"
