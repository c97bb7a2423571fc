"""Forms of a case's work with partners: refer the case, cancel a referral, the partner's
follow-up, and the duty to inform. Codes only; the services judge times and states."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.protection.forms import DATETIME, DATETIME_FORMATS, blank
from ilp.protection.models import (
    FollowUpAction,
    InformedParty,
    InformMethod,
    Partner,
    ReferralAim,
)


def _at(label: Any) -> forms.DateTimeField:
    """A time field of a datetime-local input (empty: now, the service decides)."""
    return forms.DateTimeField(
        label=label, widget=DATETIME, input_formats=DATETIME_FORMATS, required=False
    )


class ReferToPartnerForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Lembaga mitra"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label="—",
    )
    aim = forms.ChoiceField(
        label=_("Jenis rujukan"), choices=blank(ReferralAim.choices), required=False
    )
    sent_at = _at(_("Waktu dirujuk (kosong: sekarang)"))
    note = forms.CharField(
        label=_("Keterangan untuk mitra (tanpa catatan klinis)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )

    def __init__(self, *args: Any, partners: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class CancelReferralForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500, required=False)


class FollowUpForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Yang dilakukan"), choices=blank(FollowUpAction.choices), required=False
    )
    at = _at(_("Waktu (kosong: sekarang)"))
    note = forms.CharField(
        label=_("Keterangan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )


class InformForm(forms.Form):
    informed = forms.ChoiceField(
        label=_("Diberitahukan kepada"), choices=blank(InformedParty.choices), required=False
    )
    informed_name = forms.CharField(
        label=_("Nama lembaga, unit atau petugas"), max_length=160, required=False
    )
    informed_at = _at(_("Waktu (kosong: sekarang)"))
    method = forms.ChoiceField(label=_("Cara"), choices=blank(InformMethod.choices), required=False)
    letter_number = forms.CharField(
        label=_("Nomor surat (bila tertulis)"), max_length=80, required=False
    )
    note = forms.CharField(label=_("Keterangan"), max_length=500, required=False)
