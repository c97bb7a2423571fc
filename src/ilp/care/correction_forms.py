"""Forms of the care correction pages (kept apart from the service-package forms in
``forms.py``): an encounter's measured values, a dose, a dose copied from the KIA book.

They only parse; the services (``ilp.care.services.corrections``) check every value with the
evaluation's own rules and messages, which the views put back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.care.models import Encounter, ImmunizationRecord
from ilp.care.services import plausibility as P
from ilp.core.forms import CorrectionFields, IdempotentForm
from ilp.people.forms import date_field
from ilp.standards import immunization as imm


def _decimal(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Kosongkan bila nilai ini tidak diukur."),
    )


class EncounterCorrectForm(CorrectionFields):
    """One text field per measured value of the encounter (decimal comma), prefilled, and
    how a length was measured; the reason; a confirmation for unusual values."""

    confirm_unusual = forms.BooleanField(
        label=_("Nilai sudah diperiksa ulang dan benar"), required=False
    )

    def __init__(
        self,
        *args: Any,
        encounter: Encounter,
        keys: list[str],
        values: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys
        initial = {"version": encounter.version}
        fields: dict[str, forms.Field] = {}
        for key in keys:
            spec = P.SPECS[key]
            label = f"{spec.label} ({spec.unit})" if spec.unit else spec.label
            fields[key] = _decimal(label)
            value = values.get(key)
            initial[key] = P.fmt(value) if isinstance(value, int | float) else ""
            if key == "height" and "measured" in values:
                fields["measured"] = forms.ChoiceField(
                    label=_("Cara ukur"),
                    choices=[("lying", _("Berbaring (panjang)")), ("standing", _("Berdiri"))],
                    required=False,
                )
                initial["measured"] = values["measured"]
        # Measurements first, then reason, note and confirmation.
        self.fields = {**fields, **self.fields}
        if not self.is_bound:
            self.initial.update(initial)
        self.initial_values = initial

    def changes(self) -> dict[str, Any]:
        """The values the user changed (raw text: the evaluation parses it); an emptied
        value is None (removed)."""
        out: dict[str, Any] = {}
        for key in [*self.keys, "measured"]:
            if key not in self.fields:
                continue
            raw = (self.cleaned_data.get(key) or "").strip()
            if raw != str(self.initial_values.get(key, "")):
                out[key] = raw or None
        return out


def _dose_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((code, code) for code in imm.dose_codes())]


class DoseCorrectForm(CorrectionFields):
    dose_code = forms.ChoiceField(label=_("Dosis"), choices=_dose_choices)
    date = date_field(_("Tanggal pemberian"), check=False)
    lot_number = forms.CharField(label=_("Nomor batch"), required=False, max_length=32)
    expiry_date = date_field(_("Kedaluwarsa"), check=False)

    field_order = ["dose_code", "date", "lot_number", "expiry_date", "reason", "note"]

    def __init__(self, *args: Any, dose: ImmunizationRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                dose_code=dose.dose_code,
                date=dose.date,
                lot_number=dose.lot_number,
                expiry_date=dose.expiry_date,
                version=dose.version,
            )
        if dose.encounter_id is not None:
            # A dose given at an encounter has the encounter's date.
            self.fields["date"].disabled = True


class DoseFromBookForm(IdempotentForm):
    """'Catat dosis dari buku KIA': the dose and the date written in the book."""

    dose_code = forms.ChoiceField(label=_("Dosis"), choices=_dose_choices)
    date = date_field(_("Tanggal di buku KIA"), check=False)
    lot_number = forms.CharField(
        label=_("Nomor batch (bila tertulis)"), required=False, max_length=32
    )
    confirm_invalid = forms.BooleanField(
        label=_("Simpan sebagai dosis tidak sah (perlu diulang)"), required=False
    )
