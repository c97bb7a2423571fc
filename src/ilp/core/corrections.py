"""Correcting and voiding records: the steps every app's correction services share.

A correction changes some fields of one record that is still at the version the editor saw,
keeps the old values in the record's history (``ilp.core.history``) with who, when and why,
and raises the version by one. Order inside the caller's transaction:

1. a conditional ``UPDATE … SET version = version + 1 WHERE id = … AND version = <seen>``
   (and not voided) as the *first* statement: if another editor saved in between, no row
   matches and :class:`EditConflict` tells what they changed; nothing is written. As the
   first statement it also takes the write lock on SQLite before anything is read;
2. the row as it was (if it has no history yet) becomes its baseline history entry;
3. the changed row is saved, and simple-history records it with the reason and note.

Voiding follows the same steps and sets ``voided_at``/``voided_by``/``void_reason``/
``void_note``. Nothing is ever deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.core.exceptions import Conflict, ValidationFailed
from ilp.core.history import write_baseline
from ilp.core.models import CorrectionReason, Versioned, Voidable
from ilp.core.texts import render_json

NOTE_MAX = 255


@dataclass(frozen=True)
class Reason:
    """Why a record is corrected or voided: a :class:`CorrectionReason` code and a note."""

    code: str
    note: str = ""

    @property
    def label(self) -> str:
        return reason_label(self.code)


def reason_label(code: str | None) -> str:
    """The reason code in the reader's language (an unknown code is shown as it is)."""
    if not code:
        return ""
    if code == "created":
        return str(gettext_lazy("Dicatat"))
    try:
        return str(CorrectionReason(code).label)
    except ValueError:
        return code


def reason_check(code: str | None, note: str | None = "") -> Reason:
    """A :class:`Reason` from form or API input, or ValidationFailed on ``reason``/``note``."""
    code = (code or "").strip()
    note = " ".join((note or "").split())
    errors: dict[str, list[str]] = {}
    if code not in CorrectionReason.values:
        errors["reason"] = [_("Pilih alasan koreksi.")]
    elif code == CorrectionReason.OTHER and not note:
        errors["note"] = [_("Tulis keterangan untuk alasan 'Lainnya'.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keterangan terlalu panjang (maksimal 255 karakter).")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    return Reason(code, note)


# ---------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class FieldChange:
    """One field another editor changed since the version the editor saw."""

    field: str
    label: str
    seen: str  # the value when the editor opened the form
    now: str  # the value stored now
    by: str
    at: datetime | None


class EditConflict(Conflict):
    """The record changed since the editor opened it. `changes` says what changed (fields,
    values then and now, by whom and when); `version` is the version stored now: sending it
    back with the edit saves it over the other editor's change, deliberately."""

    code = "edit_conflict"

    def __init__(self, *, changes: list[FieldChange], version: int) -> None:
        super().__init__(
            _(
                "Data ini sudah diubah orang lain sejak Anda membukanya. Periksa perubahannya; "
                "isian Anda belum disimpan dan masih ada di formulir."
            )
        )
        self.changes = changes
        self.version = version

    def as_dict(self) -> dict[str, object]:
        return {
            **super().as_dict(),
            "version": self.version,
            "changes": [
                {
                    "field": c.field,
                    "label": c.label,
                    "seen": c.seen,
                    "now": c.now,
                    "by": c.by,
                    "at": c.at.isoformat() if c.at else None,
                }
                for c in self.changes
            ],
        }


def _conflict(model: type[models.Model], pk: int, seen: int, fields: Sequence[str]) -> Exception:
    current = model._default_manager.filter(pk=pk).first()
    if current is None:
        return ValidationFailed(_("Data ini tidak ditemukan."))
    if getattr(current, "voided_at", None) is not None:
        return Conflict(
            _("Data ini sudah dibatalkan oleh %(by)s; tidak dapat dikoreksi lagi.")
            % {"by": user_label(current.voided_by)},
            code="voided",
        )
    if not issubclass(model, Versioned):
        return Conflict(_("Data ini sedang diubah orang lain; coba lagi."), code="edit_conflict")
    history = list(
        model.history.filter(id=pk, version__gte=seen)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    base = next((h for h in history if h.version == seen), None)
    changes: list[FieldChange] = []
    if base is not None:
        later = [h for h in history if h.version > seen]
        texts = _history_texts(model)
        for name in fields:
            if name in texts.values():
                continue  # shown with its code column
            if _stored(model, name, base) == _stored(model, name, current):
                continue
            first = next(
                (h for h in later if _stored(model, name, h) != _stored(model, name, base)), None
            )
            changes.append(
                FieldChange(
                    field=name,
                    label=field_label(model, name),
                    seen=_shown(model, name, base),
                    now=_shown(model, name, current),
                    by=user_label(first.history_user) if first else "",
                    at=first.history_date if first else None,
                )
            )
    return EditConflict(changes=changes, version=current.version)


# ---------------------------------------------------------------- writing


def _stamp(instance: models.Model, actor: Any, reason: Reason) -> None:
    instance._history_user = actor
    instance._change_reason = reason.code
    instance._change_note = reason.note
    if hasattr(instance, "updated_by_id"):
        instance.updated_by = actor


def _claim(instance: models.Model, expected_version: int | None, fields: Sequence[str]) -> None:
    """Steps 1 and 2 of the module docstring: move the stored row to the next version (or
    raise), keep the row as it was as its baseline history entry, and give `instance` the
    new version."""
    model = type(instance)
    qs = model._default_manager.filter(pk=instance.pk)
    if issubclass(model, Voidable):
        qs = qs.filter(voided_at__isnull=True)
    if issubclass(model, Versioned):
        seen = instance.version if expected_version is None else expected_version
        if qs.filter(version=seen).update(version=F("version") + 1) == 0:
            raise _conflict(model, instance.pk, seen, fields)
        if instance.version != seen:
            # The caller's copy is not the row at `seen` (cannot happen when it was read
            # after the editor's version): refuse rather than save stale values.
            raise _conflict(model, instance.pk, seen, fields)
        write_baseline(instance)
        instance.version = seen + 1
    elif qs.update(voided_at=F("voided_at")) == 0:  # a no-op write: lock, and check not voided
        raise _conflict(model, instance.pk, 0, fields)
    else:
        write_baseline(instance)


def record_change(
    instance: models.Model,
    *,
    actor: Any,
    changes: Mapping[str, Any],
    reason: Reason,
    expected_version: int | None = None,
    conflict_fields: Sequence[str] = (),
) -> list[str]:
    """Apply `changes` (field name → new value) to `instance`, which holds the stored row at
    `expected_version`; returns the names of the fields that really changed (nothing is
    written when none did). Call inside ``transaction.atomic`` before any other statement
    of the transaction (see the module docstring)."""
    changed = [
        name
        for name, value in changes.items()
        if getattr(instance, instance._meta.get_field(name).attname) != _raw(value)
    ]
    if not changed:
        return []
    with transaction.atomic():
        _claim(instance, expected_version, conflict_fields or list(changes))
        for name in changed:
            setattr(instance, name, changes[name])
        _stamp(instance, actor, reason)
        instance.save(update_fields=_update_fields(instance, changed))
    return changed


def record_void(
    instance: models.Model,
    *,
    actor: Any,
    reason: Reason,
    expected_version: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Void `instance` (with `extra` field changes, e.g. ``duplicate_of``), keeping history.
    Raises a Conflict when it is voided already or changed since `expected_version`."""
    with transaction.atomic():
        _claim(instance, expected_version, ["voided_at"])
        instance.voided_at = timezone.now()
        instance.voided_by = actor
        instance.void_reason = reason.code
        instance.void_note = reason.note
        for name, value in (extra or {}).items():
            setattr(instance, name, value)
        _stamp(instance, actor, reason)
        names = ["voided_at", "voided_by", "void_reason", "void_note", *(extra or {})]
        instance.save(update_fields=_update_fields(instance, names))


def void_rows(queryset: models.QuerySet, *, actor: Any, reason: Reason) -> int:
    """Void every active row of `queryset` in one UPDATE (the records an encounter holds when
    the encounter is voided: their own history is the encounter's)."""
    return queryset.filter(voided_at__isnull=True).update(
        voided_at=timezone.now(),
        voided_by=actor,
        void_reason=reason.code,
        void_note=reason.note,
    )


def _raw(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _update_fields(instance: models.Model, names: Iterable[str]) -> list[str]:
    fields = set(names)
    for extra in ("version", "updated_by", "updated_at"):
        if any(f.name == extra for f in instance._meta.concrete_fields):
            fields.add(extra)
    return sorted(fields)


# ---------------------------------------------------------------- reading the history


@dataclass
class HistoryEntry:
    """One change of a record: when, by whom, why, and each field's old and new value."""

    at: datetime
    by: str
    reason: str
    reason_code: str
    note: str
    voided: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)


def history_entries(
    model: type[models.Model],
    pks: Iterable[int] | None,
    fields: Sequence[str],
    *,
    group_by: str = "id",
    subject: Any = None,
    **filters: Any,
) -> dict[int, list[HistoryEntry]]:
    """The changes of each record of `model` in `pks` (or matching `filters`), newest first,
    in one query: every historical row compared with the one before it, over `fields`. The
    baseline (the record as first stored) is not a change and is not listed. Entries are
    grouped by record, or by another column of the history (``group_by="encounter_id"``);
    `subject(row, field name, field label)` names what changed when the field label alone
    does not (a measurement's value is "Berat badan", not "Nilai")."""
    if pks is not None:
        filters["id__in"] = list(pks)
    rows = (
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    texts = _history_texts(model)
    attnames = [
        (name, model._meta.get_field(name).attname) for name in fields if name not in texts.values()
    ]
    out: dict[int, list[HistoryEntry]] = {}
    previous: dict[int, Any] = {}
    for row in rows:
        before = previous.get(row.id)
        previous[row.id] = row
        if before is None:
            continue
        changes = [
            (
                subject(row, name, field_label(model, name))
                if subject is not None
                else field_label(model, name),
                _shown(model, name, before),
                _shown(model, name, row),
            )
            for name, attname in attnames
            if _stored(model, name, before) != _stored(model, name, row)
        ]
        voided = before.voided_at is None and getattr(row, "voided_at", None) is not None
        out.setdefault(getattr(row, group_by), []).insert(
            0,
            HistoryEntry(
                at=row.history_date,
                by=user_label(row.history_user),
                reason=reason_label(row.history_change_reason),
                reason_code=row.history_change_reason or "",
                note=row.history_note,
                voided=voided,
                changes=changes,
            ),
        )
    for entries in out.values():
        entries.sort(key=lambda e: e.at, reverse=True)
    return out


def _history_texts(model: type[models.Model]) -> Mapping[str, str]:
    """A model's code columns whose value is a Text with a parameters column beside it
    (``history_texts = {"<x>_code": "<x>_params"}``): shown as one rendered value."""
    return getattr(model, "history_texts", {}) or {}


def _stored(model: type[models.Model], name: str, row: Any) -> Any:
    """What a field holds in `row`, a code column with its parameters."""
    value = getattr(row, _attname(model, name))
    params = _history_texts(model).get(name)
    return (value, getattr(row, params)) if params else value


def _shown(model: type[models.Model], name: str, row: Any) -> str:
    """A field of `row` as a reader sees it; a code column rendered with its parameters."""
    params = _history_texts(model).get(name)
    if params:
        code = getattr(row, name)
        return render_json({"code": code, "params": getattr(row, params) or {}}) or "—"
    return display_value(model, name, getattr(row, _attname(model, name)))


def _attname(model: type[models.Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "attname", name))


def field_label(model: type[models.Model], name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def display_value(model: type[models.Model], name: str, raw: Any) -> str:
    """A stored value as a reader sees it: a choice's label, a date or number in the
    reader's locale format, a related record's name (one query), "—" for nothing."""
    if raw is None or raw == "":
        return "—"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(raw, raw))
    if f.is_relation:
        related = f.related_model._default_manager.filter(pk=raw).first()
        return str(related) if related is not None else "—"
    if isinstance(raw, bool):
        return _("ya") if raw else _("tidak")
    if isinstance(raw, datetime):
        return formats.date_format(timezone.localtime(raw), "DATETIME_FORMAT")
    if isinstance(raw, date):
        return formats.date_format(raw, "DATE_FORMAT")
    if isinstance(raw, float):
        return formats.number_format(raw, decimal_pos=None, use_l10n=True)
    return str(raw)


def user_label(user: Any) -> str:
    """A user as shown in histories: full name, else username; "—" for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
