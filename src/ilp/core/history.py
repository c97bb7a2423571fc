"""History of corrected records: the old values, with who changed them, when and why.

Built on django-simple-history (a historical table per model, written from Django's save
signals). It was chosen over django-pghistory because ILP runs on SQLite as well as
PostgreSQL: pghistory records through PostgreSQL triggers and has no SQLite backend, while
simple-history writes its rows through the ORM on both.

:class:`ChangeHistory` differs from the library's ``HistoricalRecords`` in one respect:
creating a row writes no history. Most care records are never corrected, and a second copy of
every encounter and observation (tens of millions in a district) would only repeat the live
table. Instead, the first change of a row first writes a *baseline*: the row as it was stored,
dated when it was created and by whom (``created_at``/``created_by``, or what the model's
``history_origin()`` says), then the changed row. So the history of a corrected record still
starts with its original values, and rows written in bulk (observations, doses, the demo's
COPY) need no history when they are stored.

Each historical row carries the reason code in ``history_change_reason`` (a
``ilp.core.models.CorrectionReason`` value) and the free-text note in ``history_note``; the
correction services set them on the instance (``_change_reason``, ``_change_note``,
``_history_user``) before saving.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class HistoryNote(models.Model):
    """Extra column of every ILP historical table: the corrector's free-text note."""

    history_note = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        abstract = True


class ChangeHistory(HistoricalRecords):
    """Historical records of changes only, with a baseline written before the first change
    (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("bases", [HistoryNote])
        kwargs.setdefault("excluded_fields", ["updated_at"])
        super().__init__(**kwargs)

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        registered = hasattr(sender._meta, "simple_history_manager_attribute")
        super().finalize(sender, **kwargs)
        if self.cls is sender and not registered:
            models.signals.pre_save.connect(self.pre_save, sender=sender, weak=False)
            sender._change_history = self

    def pre_save(self, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
        """Before a stored row changes for the first time, keep it as it was."""
        if raw or instance._state.adding or instance.pk is None:
            return
        if hasattr(instance, "skip_history_when_saving"):
            return
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        if stored is not None:
            self.write_baseline(stored)

    def write_baseline(self, stored: models.Model) -> bool:
        """Write the row `stored` (as read from the database) as its first history entry,
        unless the row has history already. Returns whether a baseline was written."""
        manager = getattr(stored, self.manager_name)
        if manager.exists():
            return False
        when, user_id = history_origin(stored)
        stored._history_date = when
        # Only the id is stored: a User carrying just its primary key saves loading it.
        stored._history_user = get_user_model()(pk=user_id) if user_id else None
        stored._change_reason = "created"
        stored._change_note = ""
        self.create_historical_record(stored, "+")
        return True

    def post_save(self, instance: models.Model, created: bool, using=None, **kwargs: Any) -> None:
        if created:
            return  # see the module docstring: history starts at the first change
        super().post_save(instance, created, using=using, **kwargs)


def history_origin(row: models.Model) -> tuple[datetime, int | None]:
    """When and by whom `row` was created (for its baseline history entry)."""
    origin = getattr(row, "history_origin", None)
    if callable(origin):
        return origin()
    when = getattr(row, "created_at", None) or timezone.now()
    return when, getattr(row, "created_by_id", None)


def write_baseline(row: models.Model) -> bool:
    """Keep `row`'s stored state as its first history entry if it has none (see
    :class:`ChangeHistory`); `row` must hold the values as stored."""
    return type(row)._change_history.write_baseline(row)


@receiver(pre_create_historical_record)
def _copy_note(sender, instance, history_instance, **kwargs) -> None:
    """Put the corrector's note on the historical row (the reason code has its own column)."""
    if hasattr(history_instance, "history_note"):
        history_instance.history_note = (getattr(instance, "_change_note", "") or "")[:255]
