"""HTML forms of the care pages: service packages, the posyandu weighing row, filters.

Numbers are typed as text (``inputmode="decimal"``) and parsed once, here, by
``ilp.care.evaluation.parse`` (decimal comma accepted), the parser the services apply to the
API's JSON; the services receive typed values and own the plausible ranges, so the page and
the API give the same messages. Which fields a package form has, with their labels and
fieldsets, is the package's registry entry (``ilp.care.evaluation.registry``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.care.evaluation import parse
from ilp.care.evaluation import questionnaires as Q
from ilp.care.evaluation.fields import SPECS
from ilp.care.evaluation.parse import DATE_INPUT_FORMATS as DATE_INPUT_FORMATS  # re-exported
from ilp.care.evaluation.registry import REGISTRY, SESSION_ADULT_KEYS
from ilp.core.forms import IdempotentForm
from ilp.standards.immunization import dose_codes


class DateInput(forms.DateInput):
    """A date typed as Indonesians write it, DD-MM-YYYY (the browser's own date picker would
    follow the browser's language, not the page's). DD/MM/YYYY and YYYY-MM-DD are accepted."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        attrs = {
            "placeholder": _("HH-BB-TTTT"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 10,
            "pattern": r"\d{1,2}[-/]\d{1,2}[-/]\d{4}|\d{4}-\d{2}-\d{2}",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d-%m-%Y")


def decimal_input(**attrs: object) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6, **attrs}
    )


def default_measured(birth_date: date, on: date) -> str:
    """Lying under 24 months, standing from 24 months (WHO; CLINICAL.md §1.4)."""
    return "lying" if (on - birth_date).days < 731 else "standing"


class WeighingRowForm(IdempotentForm):
    """One child's row in the posyandu session table."""

    weight = forms.CharField(label=_("BB (kg)"), required=False, widget=decimal_input())
    height = forms.CharField(label=_("PB/TB (cm)"), required=False, widget=decimal_input())
    measured = forms.ChoiceField(
        label=_("Cara ukur"), choices=[("lying", _("Telentang")), ("standing", _("Berdiri"))]
    )
    muac = forms.CharField(label=_("LiLA (cm)"), required=False, widget=decimal_input())
    oedema = forms.BooleanField(label=_("Edema"), required=False)
    confirm_unusual = forms.BooleanField(
        label=_("Nilai tidak biasa sudah diukur ulang dan benar"), required=False
    )

    def clean(self):
        data = super().clean()
        if not (data.get("weight") or "").strip():
            self.add_error("weight", _("Isi berat badan."))
        return data

    def measurements(self) -> dict[str, Any]:
        """The row's measurements for ``session_record_weighing``, typed
        (``ilp.care.evaluation.parse``; text that is no number goes on for the services to
        refuse with their message)."""
        data = self.cleaned_data

        def number(name: str) -> float | str | None:
            text = (data.get(name) or "").strip()
            return parse.typed_number(text) if text else None

        height = number("height")
        return {
            "weight_kg": number("weight"),
            "length_cm": height,
            "measured": data["measured"] if height is not None else None,
            "muac_cm": number("muac"),
            "oedema": data["oedema"],
        }


class AttendanceForm(forms.Form):
    present = forms.BooleanField(required=False)


class AdultRowForm(IdempotentForm):
    """One adult's row in the posyandu session (the posyandu part of the adult and elderly
    packages: ``ilp.care.services.sessions.ADULT_SESSION_KEYS``)."""

    weight = forms.CharField(label=_("BB (kg)"), required=False, widget=decimal_input(size=5))
    sbp = forms.CharField(label=_("Sistolik"), required=False, widget=decimal_input(size=4))
    dbp = forms.CharField(label=_("Diastolik"), required=False, widget=decimal_input(size=4))
    waist = forms.CharField(label=_("Lingkar perut (cm)"), required=False, widget=decimal_input())
    glucose_random = forms.CharField(
        label=_("GDS kapiler (mg/dL)"), required=False, widget=decimal_input(size=4)
    )
    smoking = forms.ChoiceField(
        label=_("Merokok"),
        required=False,
        choices=[("", "—"), ("true", _("Ya")), ("false", _("Tidak"))],
    )
    confirm_unusual = forms.BooleanField(
        label=_("Nilai tidak biasa sudah diukur ulang dan benar"), required=False
    )

    NUMBERS = tuple(k for k in SESSION_ADULT_KEYS if SPECS[k].kind in ("number", "int"))

    def values(self) -> dict[str, object]:
        """What was typed, for the services, typed (``ilp.care.evaluation.parse``; text that
        is no number goes on for the services to refuse with their message)."""
        data = self.cleaned_data
        values: dict[str, object] = {
            k: parse.typed_number(data[k].strip()) for k in self.NUMBERS if data.get(k)
        }
        if data.get("smoking"):
            values["smoking"] = data["smoking"] == "true"
        return values


class VisitorForm(forms.Form):
    """Add a visitor to a session by NIK or ILP number (no name search: a kader adds the
    person in front of her, not whoever matches a name)."""

    number = forms.CharField(label=_("NIK atau nomor ILP"), max_length=32)


class OpenSessionForm(forms.Form):
    on = forms.DateField(label=_("Tanggal"), input_formats=DATE_INPUT_FORMATS, widget=DateInput)


# ---------------------------------------------------------------- service-package forms

PLACE_LABELS = {
    "posyandu": _("Posyandu"),
    "pustu": _("Pustu"),
    "puskesmas": _("Puskesmas"),
    "home": _("Kunjungan rumah"),
}

# Every value key's label, type, choices and widget, each package's fieldsets and
# questionnaires: ilp.care.evaluation (fields, questionnaires, registry).
YES_NO = [("", "—"), ("true", _("Ya")), ("false", _("Tidak"))]


@dataclass
class FieldGroup:
    """A fieldset of the package form: a legend and its bound fields (or one questionnaire)."""

    key: str
    legend: object
    fields: list = field(default_factory=list)
    kind: str = "plain"  # plain | checklist | barthel | doses
    done_field: object = None
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


class PackageForm(IdempotentForm):
    """One service package for one person, built from the package's registry entry
    (``ilp.care.evaluation.registry``): its fieldsets, then its questionnaires, limited to
    the keys offered to this person (``allowed``)."""

    on = forms.DateField(
        label=_("Tanggal pelayanan"), input_formats=DATE_INPUT_FORMATS, widget=DateInput
    )
    place_kind = forms.ChoiceField(label=_("Tempat pelayanan"))
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_unusual = forms.BooleanField(
        label=_("Nilai yang tidak biasa sudah diukur ulang dan memang benar"), required=False
    )

    def __init__(
        self, *args, package: str, allowed: frozenset[str], place_kinds: list[str], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.package = package
        self.spec = REGISTRY[package]
        self.allowed = allowed
        self.fields["place_kind"].choices = [(k, PLACE_LABELS[k]) for k in place_kinds]
        for key in self._value_keys():
            self._add_value_field(key)
        self._add_questionnaires()

    # -- construction

    def _value_keys(self) -> list[str]:
        return [k for k in self.spec.value_keys if k in self.allowed]

    def _questionnaires(self) -> list[Q.Questionnaire]:
        return [q for q in self.spec.questionnaires if q.key in self.allowed]

    def _add_value_field(self, key: str) -> None:
        spec = SPECS[key]
        label = spec.form_label
        if key == "visit_number" and self.spec.visit_prefix:
            prefix = self.spec.visit_prefix
            choices = [("", "—")] + [
                (str(n), f"{prefix}{n}") for n in range(1, self.spec.visit_max + 1)
            ]
            f: forms.Field = forms.ChoiceField(label=label, choices=choices, required=False)
        elif spec.kind in ("number", "int"):
            f = forms.CharField(label=label, required=False, widget=decimal_input(size=8))
        elif spec.checkbox:
            f = forms.BooleanField(label=label, required=False)
        elif spec.kind == "bool":
            f = forms.ChoiceField(label=label, choices=YES_NO, required=False)
        elif spec.kind == "choice":
            f = forms.ChoiceField(label=label, choices=[("", "—"), *spec.options], required=False)
        else:
            f = forms.CharField(label=label, required=False, max_length=64)
        f.widget.attrs.setdefault("aria-describedby", f"hint-{key}")
        self.fields[key] = f

    def _add_questionnaires(self) -> None:
        for q in self._questionnaires():
            key = q.key
            if q.kind == "doses":
                codes = [("", "—")] + [(c, c) for c in dose_codes()]
                for i in range(Q.DOSE_ROWS):
                    self.fields[f"doses-{i}-dose_code"] = forms.ChoiceField(
                        label=_("Vaksin/dosis"), choices=codes, required=False
                    )
                    self.fields[f"doses-{i}-lot_number"] = forms.CharField(
                        label=_("Nomor batch"), required=False, max_length=32
                    )
                    self.fields[f"doses-{i}-expiry_date"] = forms.DateField(
                        label=_("Kedaluwarsa"),
                        required=False,
                        input_formats=DATE_INPUT_FORMATS,
                        widget=DateInput,
                    )
                continue
            self.fields[f"{key}__done"] = forms.BooleanField(
                label=_("Diisi pada kunjungan ini"), required=False
            )
            if q.kind == "barthel":
                for code, label in q.items:
                    top = Q.BARTHEL_TOP[code]
                    self.fields[f"barthel__{code}"] = forms.ChoiceField(
                        label=label,
                        choices=[("", "—")] + [(str(n), str(n)) for n in range(top + 1)],
                        required=False,
                    )
                continue
            if q.kind == "kspr":
                for code, label in Q.KSPR_NUMBERS:
                    self.fields[f"kspr__{code}"] = forms.CharField(
                        label=label, required=False, widget=decimal_input(size=4)
                    )
            for code, label in q.items:
                self.fields[f"{key}__{code}"] = forms.BooleanField(label=label, required=False)

    # -- layout for the template

    def groups(self) -> list[FieldGroup]:
        """Fieldsets in display order (value groups, then questionnaires)."""
        out: list[FieldGroup] = []
        for legend, keys in self.spec.groups:
            present = [k for k in keys if k in self.fields]
            if present:
                out.append(FieldGroup(present[0], legend, [self[k] for k in present]))
        for q in self._questionnaires():
            key = q.key
            legend = SPECS[key].form_label
            if q.kind == "doses":
                rows = [
                    [self[f"doses-{i}-{part}"] for part in Q.DOSE_PARTS] for i in range(Q.DOSE_ROWS)
                ]
                out.append(FieldGroup("doses", legend, rows, kind="doses"))
                continue
            items = [
                self[n] for n in self.fields if n.startswith(f"{key}__") and n != f"{key}__done"
            ]
            out.append(
                FieldGroup(
                    key,
                    legend,
                    items,
                    kind="barthel" if q.kind == "barthel" else "checklist",
                    done_field=self[f"{key}__done"],
                )
            )
        return out

    # -- values for the services

    def raw(self, name: str) -> str:
        """The submitted text of a field (works on invalid forms too)."""
        value = self.data.get(self.add_prefix(name), "")
        return value if isinstance(value, str) else ""

    def values(self) -> dict[str, object]:
        """The services' ``values``, typed: numbers as numbers (decimal comma accepted),
        yes/no as booleans, choices as codes, dates as dates, questionnaires as their
        structures (parsed once, by ``ilp.care.evaluation.parse``). Text that is no number
        goes on as typed: the services refuse it with the message the API gives too."""
        values: dict[str, object] = {}
        for key in self._value_keys():
            value = self._value(key)
            if value is not None:
                values[key] = value
        for q in self._questionnaires():
            key = q.key
            if q.kind == "doses":
                doses = []
                for i in range(Q.DOSE_ROWS):
                    code = self.raw(f"doses-{i}-dose_code").strip()
                    lot = self.raw(f"doses-{i}-lot_number").strip()
                    expiry = self.raw(f"doses-{i}-expiry_date").strip()
                    if code or lot or expiry:
                        doses.append(
                            {
                                "dose_code": code,
                                "lot_number": lot,
                                "expiry_date": parse.typed_date(expiry) or expiry,
                            }
                        )
                if doses:
                    values["doses"] = doses
                continue
            answered = any(
                self.raw(n) for n in self.fields if n.startswith(f"{key}__") and n != f"{key}__done"
            )
            if not (self.raw(f"{key}__done") or answered):
                continue  # not asked at this visit
            values[key] = self._answers(q)
        return values

    def _value(self, key: str) -> object:
        """One value field, typed (None when left empty)."""
        spec = SPECS[key]
        if isinstance(self.fields[key], forms.BooleanField):
            if self.raw(key):
                return True
            # An unticked oedema box is a finding ("no oedema"); vitamin A unticked is nothing.
            return False if key == "oedema" else None
        text = self.raw(key).strip()
        if not text:
            return None
        if spec.kind in ("number", "int"):
            return parse.typed_number(text)
        if spec.kind == "bool":
            try:
                return parse.boolean(text)
            except ValueError:
                return text
        return text

    def _answers(self, q: Q.Questionnaire) -> object:
        key = q.key
        if q.kind == "barthel":
            return {
                code: int(self.raw(f"barthel__{code}"))
                for code in q.codes
                if self.raw(f"barthel__{code}").isdigit()
            }
        if q.kind == "kspr":
            kspr: dict[str, object] = {"factors": [c for c in q.codes if self.raw(f"kspr__{c}")]}
            for code, _label in Q.KSPR_NUMBERS:
                text = self.raw(f"kspr__{code}").strip()
                if text:
                    kspr[code] = parse.typed_number(text)
            return kspr
        if q.kind == "danger_signs":
            return [str(label) for code, label in q.items if self.raw(f"danger_signs__{code}")]
        if q.kind == "answers_list":
            return [bool(self.raw(f"{key}__{c}")) for c in q.codes]
        return {c: bool(self.raw(f"{key}__{c}")) for c in q.codes}

    def visit_date(self) -> date | None:
        """The service date if it parses (also on an otherwise invalid form)."""
        return parse.typed_date(self.raw("on"))


def hint_id(key: str) -> str:
    """The id of the hint element under the field that shows messages for a service key."""
    return "hint-" + key.replace(".", "-")
