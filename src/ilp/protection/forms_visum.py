"""Forms of the visum pages: values parsed once at the edge; every rule (a written police
request, the female chaperone, the consent, the order of the steps) is the service's and
comes back as its message on the field. Fields are optional here so that the service's
message, not a generic "required", is what the worker reads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.core.models import CorrectionReason
from ilp.protection.forms import DATE, DATETIME, DATETIME_FORMATS, blank
from ilp.protection.models_visum import ConsentBy, VisumKind


def _when(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DATETIME, input_formats=DATETIME_FORMATS, required=False
    )


class VisumRequestForm(forms.Form):
    """The police investigator's written request. `victims`: (uuid, name) of the case's
    victims."""

    party = forms.ChoiceField(label=_("Korban"), required=False)
    kind = forms.ChoiceField(
        label=_("Jenis visum"), choices=VisumKind.choices, initial=VisumKind.PHYSICAL
    )
    request_number = forms.CharField(
        label=_("Nomor surat permintaan penyidik"), max_length=80, required=False
    )
    request_date = forms.DateField(label=_("Tanggal surat permintaan"), widget=DATE, required=False)
    investigator_name = forms.CharField(label=_("Nama penyidik"), max_length=120, required=False)
    investigator_unit = forms.CharField(
        label=_("Kesatuan penyidik"), max_length=120, required=False
    )
    received_at = _when(_("Waktu surat diterima (kosong: sekarang)"))

    def __init__(self, *args: Any, victims: list[tuple[str, str]] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = list(victims)  # type: ignore[attr-defined]


class ExamineForm(forms.Form):
    examiner = forms.ChoiceField(label=_("Pemeriksa"), required=False)
    examined_at = _when(_("Waktu pemeriksaan (kosong: sekarang)"))
    chaperone_name = forms.CharField(label=_("Nama pendamping"), max_length=120, required=False)
    chaperone_female = forms.BooleanField(
        label=_("Pendamping adalah petugas perempuan"), required=False
    )
    consent_by = forms.ChoiceField(
        label=_("Persetujuan diberikan oleh"), choices=blank(ConsentBy.choices), required=False
    )
    consent_name = forms.CharField(
        label=_("Nama yang memberi persetujuan"), max_length=120, required=False
    )
    consent_at = _when(_("Waktu persetujuan"))
    findings = forms.CharField(
        label=_("Temuan pemeriksaan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        required=False,
    )

    def __init__(self, *args: Any, examiners: list[tuple[str, str]] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["examiner"].choices = list(examiners)  # type: ignore[attr-defined]


class IssueForm(forms.Form):
    letter_number = forms.CharField(label=_("Nomor surat visum"), max_length=80, required=False)
    letter_date = forms.DateField(label=_("Tanggal surat visum"), widget=DATE, required=False)


class DeliverForm(forms.Form):
    delivered_to = forms.CharField(
        label=_("Diserahkan kepada (nama penyidik/petugas)"), max_length=120, required=False
    )
    delivered_at = _when(_("Waktu diserahkan (kosong: sekarang)"))


class CustodyForm(forms.Form):
    item = forms.CharField(label=_("Barang bukti"), max_length=255, required=False)
    handed_by = forms.CharField(label=_("Diserahkan oleh"), max_length=120, required=False)
    handed_to = forms.CharField(label=_("Diterima oleh"), max_length=120, required=False)
    at = _when(_("Waktu serah terima (kosong: sekarang)"))
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class VoidForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Alasan pembatalan"), choices=blank(CorrectionReason.choices), required=False
    )
    note = forms.CharField(label=_("Keterangan"), max_length=255, required=False)


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(choices=VisumKind.choices, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Isi surat"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=20000,
        required=False,
    )
