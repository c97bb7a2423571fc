"""The base model every ILP table builds on: public UUID, audit timestamps and authors."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Public UUID (used in URLs and the API; integer pks never leave the server) and
    created/updated stamps."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class CorrectionReason(models.TextChoices):
    """Why a record was corrected or voided (stored as the code; the label is rendered in
    the reader's language). ``other`` needs a note saying what happened."""

    TYPO = "typo", _("Salah ketik")
    WRONG_PERSON = "wrong_person", _("Tercatat pada orang yang salah")
    WRONG_DATE = "wrong_date", _("Tanggal salah")
    DUPLICATE = "duplicate", _("Tercatat ganda")
    NOT_DONE = "not_done", _("Pelayanan tidak dilakukan")
    NEW_INFORMATION = "new_information", _("Keterangan baru (dokumen, keluarga)")
    OTHER = "other", _("Lainnya")


class VoidableQuerySet(models.QuerySet):
    """``Model.objects.active()``: rows that count (not voided). The default manager is left
    unfiltered on purpose, so the admin, related lookups and uniqueness see every row; every
    reader that counts care asks for ``active()``."""

    def active(self) -> VoidableQuerySet:
        return self.filter(voided_at__isnull=True)


class Voidable(models.Model):
    """A record that can be voided (never deleted): who, when, and why (a
    :class:`CorrectionReason` code and a note). A voided row stays in its table and its
    history; readers that count care ignore it (``objects.active()``)."""

    voided_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    void_reason = models.CharField(
        _("alasan pembatalan"),
        max_length=16,
        choices=CorrectionReason.choices,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    void_note = models.CharField(
        _("catatan pembatalan"),
        max_length=255,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    objects = VoidableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class Versioned(models.Model):
    """A record edited through forms and the API: ``version`` goes up by one with every
    correction, and an edit made from an older version is refused as a conflict (optimistic
    concurrency, ``ilp.core.corrections``)."""

    # db_default too: bulk loaders (the demo's COPY) write rows without naming the column.
    version = models.PositiveIntegerField(_("versi"), default=1, db_default=1, editable=False)

    class Meta:
        abstract = True
