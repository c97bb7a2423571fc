"""Forms of the target pages: the year's sasaran proyeksi sheet and a puskesmas' annual
target for an indicator (checked again by ``ilp.monitoring.targets``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.accounts.access import target_puskesmas
from ilp.accounts.models import User
from ilp.monitoring.catalogue import load_catalogue
from ilp.places.models import Facility


def _this_year() -> int:
    return timezone.localdate().year


class SasaranUploadForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, initial=_this_year)
    file = forms.FileField(label=_("Berkas Excel (.xlsx)"))


class PuskesmasTargetForm(forms.Form):
    puskesmas = forms.ModelChoiceField(label=_("Puskesmas"), queryset=Facility.objects.none())
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, initial=_this_year)
    indicator = forms.ChoiceField(label=_("Indikator"))
    target = forms.DecimalField(
        label=_("Target tahunan (%)"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        required=False,
        help_text=_("Kosongkan untuk kembali ke target nasional."),
    )

    def __init__(self, *args: Any, user: User, language: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["puskesmas"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for mypy)
        field.queryset = target_puskesmas(user).order_by("code")
        indicator = self.fields["indicator"]
        assert isinstance(indicator, forms.ChoiceField)  # noqa: S101
        indicator.choices = [
            (i.code, f"{i.name(language)} ({i.target:g} %)") for i in load_catalogue().values()
        ]
