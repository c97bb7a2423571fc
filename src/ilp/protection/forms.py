"""Forms of the protection pages: values parsed once at the edge. A registry person is
named by NIK and looked up in the user's scope by the view (``person_by_nik``); what the
service judges (codes, times, guardian) comes back as its message on the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ilp.accounts.access import person_scope_q
from ilp.core.exceptions import ApplicationError
from ilp.people.models import Person
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind
from ilp.protection.models import (
    Accommodation,
    ArrivalRoute,
    Disability,
    PartyRole,
    Place,
    Sex,
    Step,
    ViolenceKind,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def blank(choices: Any) -> list[tuple[str, Any]]:
    """`choices` after an empty "—" choice (the service names what is missing)."""
    return [("", "—"), *choices]


def apply_error(form: Any, exc: ApplicationError) -> None:
    """Show a service's refusal on the form: on its field when the form has it (a registry
    person the form names by NIK: on the NIK field), else above the form."""
    placed = False
    for field, msgs in exc.fields.items():
        if field in form.fields:
            form.add_error(field, msgs)
            placed = True
        elif field in ("person", "guardian_person") and "nik" in form.fields:
            form.add_error(
                "guardian_nik"
                if field == "guardian_person" and "guardian_nik" in form.fields
                else "nik",
                msgs,
            )
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def person_by_nik(user: Any, nik: str) -> Person | None:
    """The person with `nik` among those the user may see (None when not found there)."""
    nik = (nik or "").strip()
    if not nik:
        return None
    return Person.objects.filter(person_scope_q(user), nik=nik).first()


class _PartyFields(forms.Form):
    nik = forms.CharField(
        label=_("NIK (bila terdaftar)"),
        max_length=16,
        required=False,
        help_text=_("Kosongkan untuk mencatat tanpa identitas."),
    )
    alias = forms.CharField(label=_("Nama/sebutan"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=blank(Sex.choices), required=False)
    age_years = forms.IntegerField(
        label=_("Umur (tahun)"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": _("Umur harus berupa angka bulat."),
            "min_value": _("Umur harus antara 0 dan 120 tahun."),
            "max_value": _("Umur harus antara 0 dan 120 tahun."),
        },
    )
    disabilities = forms.MultipleChoiceField(
        label=_("Disabilitas"),
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Akomodasi yang diberikan"),
        choices=Accommodation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_nik(self) -> str:
        nik = str(self.cleaned_data.get("nik") or "").strip()
        if nik and (len(nik) != 16 or not nik.isdigit()):
            raise forms.ValidationError(_("NIK harus 16 angka."))
        return nik


class CaseOpenForm(_PartyFields):
    """A new case with its first victim. Partners (``partner=True``) give no route (they are
    the route), no NIK (they read no registry), and the desa that routes the case."""

    arrival_route = forms.ChoiceField(
        label=_("Cara kasus datang"), choices=blank(ArrivalRoute.choices), required=False
    )
    arrived_at = forms.DateTimeField(
        label=_("Waktu datang"), widget=DATETIME, input_formats=DATETIME_FORMATS, required=False
    )
    kinds = forms.MultipleChoiceField(
        label=_("Jenis kekerasan"),
        choices=ViolenceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    occurred_on = forms.DateField(label=_("Tanggal kejadian"), widget=DATE, required=False)
    occurred_place = forms.ChoiceField(
        label=_("Tempat kejadian"), choices=Place.choices, initial=Place.UNKNOWN
    )
    summary = forms.CharField(
        label=_("Ringkasan (tanpa catatan klinis)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    urgent = forms.BooleanField(label=_("Mendesak"), required=False)
    guardian_name = forms.CharField(
        label=_("Nama wali (untuk anak)"), max_length=120, required=False
    )
    village = forms.ModelChoiceField(
        label=_("Desa/kelurahan tempat tinggal korban"),
        queryset=Area.objects.none(),
        required=False,
    )
    facility = forms.ModelChoiceField(
        label=_("Puskesmas tujuan (bila tahu)"), queryset=Facility.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, partner: bool = False, district: Area | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.partner = partner
        if partner:
            for name in ("arrival_route", "urgent", "nik"):
                del self.fields[name]
            code = district.code if district is not None else "-"
            self.fields["village"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
                level=AreaLevel.VILLAGE, code__startswith=f"{code}."
            ).order_by("name")
            self.fields["facility"].queryset = Facility.objects.filter(  # type: ignore[attr-defined]
                Q(area__code__startswith=f"{code}.") | Q(area__code=code),
                kind=FacilityKind.PUSKESMAS,
                is_active=True,
            ).order_by("name")
        else:
            del self.fields["village"]
            del self.fields["facility"]


class PartyForm(_PartyFields):
    role = forms.ChoiceField(label=_("Peran"), choices=blank(PartyRole.choices), required=False)
    guardian_nik = forms.CharField(
        label=_("NIK wali (bila terdaftar)"), max_length=16, required=False
    )
    guardian_name = forms.CharField(label=_("Nama wali"), max_length=120, required=False)
    relation_to_victim = forms.CharField(
        label=_("Hubungan dengan korban"), max_length=16, required=False
    )


class StepForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Langkah"),
        choices=blank(
            [(v, lbl) for v, lbl in Step.choices if v not in (Step.ARRIVAL, Step.CLOSED)]
        ),
        required=False,
    )
    at = forms.DateTimeField(
        label=_("Waktu"), widget=DATETIME, input_formats=DATETIME_FORMATS, required=False
    )
    note = forms.CharField(
        label=_("Catatan (klinis)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )


class NotesForm(forms.Form):
    clinical_notes = forms.CharField(
        label=_("Catatan klinis"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        required=False,
    )
    partner_may_read_clinical = forms.BooleanField(
        label=_("Korban/wali setuju catatan klinis dibagikan kepada lembaga mitra"),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Catatan penutupan"), max_length=255, required=False)
