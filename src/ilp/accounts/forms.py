"""HTML forms of the accounts app."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    """Username and password (the throttle sits in the authentication backends)."""

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondFactorForm(forms.Form):
    """The code an authenticator app shows (six digits, renewed every 30 seconds)."""

    code = forms.CharField(
        label=_("Kode dari aplikasi autentikator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and len(code) in (6, 8)):
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."))
        return code


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's password change (old password, Django's validators), refusing to keep the
    old password (a temporary one must really be replaced)."""

    def clean_new_password1(self) -> str:
        new: str = self.cleaned_data.get("new_password1", "")
        old = self.cleaned_data.get("old_password", "")
        if new and old and new == old:
            raise forms.ValidationError(_("Kata sandi baru harus berbeda dari kata sandi lama."))
        return new


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Cari pengguna"), max_length=150, required=False)


def _default_expiry() -> date:
    return timezone.localdate() + timedelta(days=365)


class TokenIssueForm(forms.Form):
    """A new API token: which client, until when, how many calls per minute."""

    name = forms.CharField(
        label=_("Nama klien"),
        max_length=120,
        help_text=_("Misalnya: SIMRS RSUD Kota — rujukan balik."),
    )
    expires_on = forms.DateField(
        label=_("Berlaku sampai"),
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Token berlaku sampai akhir tanggal ini."),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Batas panggilan per menit"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Kosongkan untuk batas bawaan (%(rate)s per menit)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rate_per_minute"]
        field.help_text = field.help_text % {"rate": settings.ILP_API_TOKEN_RATE_PER_MINUTE}

    def clean_expires_on(self) -> date:
        expires_on: date = self.cleaned_data["expires_on"]
        if expires_on <= timezone.localdate():
            raise forms.ValidationError(_("Tanggal berlaku harus di masa depan."))
        if expires_on > timezone.localdate() + timedelta(days=3 * 366):
            raise forms.ValidationError(_("Paling lama tiga tahun; terbitkan token baru nanti."))
        return expires_on

    def expires_at(self) -> datetime:
        """The end of the chosen day in the server's time zone."""
        day = self.cleaned_data["expires_on"] + timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, time.min))


class AccessHistoryForm(forms.Form):
    """Filters of 'Riwayat akses data' (who opened whose record): all optional."""

    person = forms.CharField(
        label=_("Penduduk (nomor ILP atau NIK)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    username = forms.CharField(label=_("Pengguna (nama pengguna)"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"placeholder": "HH-BB-TTTT", "inputmode": "numeric"}),
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"placeholder": "HH-BB-TTTT", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Tanggal akhir sebelum tanggal awal."))
        return data
