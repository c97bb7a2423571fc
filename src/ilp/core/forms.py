"""Form pieces the apps share: the hidden client id of forms that create a record (stored
once however often it is sent), and the fields of correction pages: the version the editor
saw, the reason (a ``CorrectionReason`` code) and its note. The reason is checked by
``ilp.core.corrections.reason_check``, which the services' callers use, so the form and the
API give the same messages."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.core.corrections import Reason, reason_check
from ilp.core.models import CorrectionReason


class IdempotentForm(forms.Form):
    """A hidden client id generated when the form is shown: a second submit of the same
    form (double click, resend after a timeout) is stored once by the services."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())


class CorrectionFields(forms.Form):
    """Hidden version, reason and note: mixed into every correction and void form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    reason = forms.ChoiceField(
        label=_("Alasan"), required=False, choices=[("", "—"), *CorrectionReason.choices]
    )
    note = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Wajib bila alasannya 'Lainnya'."),
    )

    def correction_reason(self) -> Reason:
        """The reason, or ValidationFailed with messages on ``reason``/``note``."""
        return reason_check(self.cleaned_data.get("reason"), self.cleaned_data.get("note"))

    def seen_version(self) -> int:
        """The version the editor opened (0 when missing: never a stored version, so the
        edit is refused as a conflict rather than saved blindly)."""
        return self.cleaned_data.get("version") or 0

    def keep_version(self, version: int) -> None:
        """After a conflict: carry the stored version, so that saving again (having seen the
        other editor's change) is deliberate. Everything else typed stays as typed."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


class VoidForm(CorrectionFields):
    """'Batalkan': the reason and note (and the version the user saw)."""
