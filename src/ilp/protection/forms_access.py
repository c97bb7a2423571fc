"""The break-glass form: the case's register number, the basis, the reason and the letter's
number. Everything is judged by ``services_access.break_glass_open`` (its messages land on
the fields), so the form only parses."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.protection.models import BreakGlassBasis


class BreakGlassForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor register kasus"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 24}),
    )
    basis = forms.ChoiceField(
        label=_("Dasar membuka kasus"),
        required=False,
        choices=BreakGlassBasis.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        help_text=_("Dicatat dan ditunjukkan kepada petugas kasus dan Dinas Kesehatan."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
    document = forms.CharField(
        label=_("Nomor surat persetujuan / permintaan pengadilan"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 120}),
    )
