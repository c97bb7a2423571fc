"""Admin screens of records that are corrected, never deleted (persons, families,
pregnancies): no delete button, no "delete selected" action, the history one click away, and
every edit made like any other correction — with a reason, kept in the history, and refused
when another admin saved the record since the form was opened (what they changed is listed
on the form, and nothing typed is lost; saving again then overwrites deliberately)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ilp.core.corrections import EditConflict, _conflict, reason_check
from ilp.core.exceptions import ValidationFailed
from ilp.core.history import write_baseline
from ilp.core.models import CorrectionReason


class CorrectionAdminForm(forms.ModelForm):
    """The model's fields plus the version the admin opened, the reason and a note."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.ChoiceField(
        label=_("Alasan koreksi"), choices=CorrectionReason.choices, initial=CorrectionReason.TYPO
    )
    change_note = forms.CharField(label=_("Keterangan"), required=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            self.reason = reason_check(data.get("change_reason"), data.get("change_note"))
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                self.add_error("change_note" if name == "note" else "change_reason", messages)
        if self.instance.pk:
            seen = data.get("seen_version") or 0
            model = type(self.instance)
            # The admin's change view runs in one transaction: locking the row here keeps a
            # second admin from saving between this check and save_model (which would then
            # have to refuse with an error page instead of this form).
            stored = (
                model._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
            )
            if stored.first() != seen:
                self._refuse(_conflict(model, self.instance.pk, seen, _model_fields(self)))
        return data

    def _refuse(self, exc: Exception) -> None:
        """Tell the admin what the other admin changed; carry the stored version so that
        saving again overwrites deliberately. What was typed stays in the form."""
        if isinstance(exc, EditConflict):
            lines = [
                f"{c.label}: {c.seen} → {c.now} ({c.by}, {c.at:%d-%m-%Y %H:%M})"
                if c.at
                else f"{c.label}: {c.seen} → {c.now}"
                for c in exc.changes
            ]
            data = self.data.copy()
            data["seen_version"] = str(exc.version)
            self.data = data
            raise forms.ValidationError([str(exc.message), *lines])
        raise forms.ValidationError(str(getattr(exc, "message", exc)))


def _model_fields(form: forms.ModelForm) -> list[str]:
    names = {f.name for f in form._meta.model._meta.concrete_fields}
    return [name for name in form.fields if name in names]


class CorrectionAdmin(SimpleHistoryAdmin):
    """Base admin of a Voidable, Versioned model with ChangeHistory (see the module)."""

    form = CorrectionAdminForm

    readonly_fields = [
        "uuid",
        "version",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "voided_at",
        "voided_by",
        "void_reason",
        "void_note",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registration goes through the pages and their checks

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # never deleted: voided with a reason (the pages and the API)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        model = type(obj)
        seen = form.cleaned_data.get("seen_version") or 0
        with transaction.atomic():
            stored = model._default_manager.get(pk=obj.pk)
            if not model._default_manager.filter(pk=obj.pk, version=seen).update(version=seen + 1):
                # Saved by another admin between the form's check and now: the form was
                # checked a moment ago, so this is rare; refuse rather than overwrite.
                raise _conflict(model, obj.pk, seen, _model_fields(form))
            write_baseline(stored)
            obj.version = seen + 1
            obj.updated_by = request.user
            obj._history_user = request.user
            obj._change_reason = form.reason.code
            obj._change_note = form.reason.note
            self.before_save(obj, stored)
            obj.save()
            self.after_save(obj, stored)

    def before_save(self, obj: Any, stored: Any) -> None:
        """Derived columns of the model (a person's name_key)."""

    def after_save(self, obj: Any, stored: Any) -> None:
        """What follows a change (a person's work-list summary)."""
