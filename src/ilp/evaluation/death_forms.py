"""The form of a death review (AMP-SR): meeting date, participants, avoidable factors (codes,
grouped by delay), summary; what the service judges is checked there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.evaluation.death_models import DELAY_LABELS, AvoidableFactor
from ilp.standards import deaths as rules


def factor_choices() -> list[tuple[str, list[tuple[str, Any]]]]:
    """The factor codes grouped under their delay (an optgroup per delay)."""
    return [
        (
            str(DELAY_LABELS[delay]),
            [(f.value, f.label) for f in AvoidableFactor if rules.FACTORS[f.value] == delay],
        )
        for delay in rules.DELAYS
    ]


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    meeting_date = forms.DateField(
        label=_("Tanggal pengkajian"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    participants = forms.CharField(
        label=_("Peserta"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    factors = forms.MultipleChoiceField(
        label=_("Faktor yang dapat dicegah (tiga terlambat)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary = forms.CharField(
        label=_("Ringkasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = factor_choices()  # type: ignore[attr-defined]
