"""The KtP/A screening form: the signs that justify asking, then the WAST's eight questions
(a woman of 18 or more) or the Adams category (a child). The fields only parse; the rules and
their messages are the service's (``ilp.protection.services_screening``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.protection.models_screening import AdamsCategory, ScreeningSign, WastAnswer, WastItem
from ilp.standards import ktpa_screening as rules


class PersonFindForm(forms.Form):
    q = forms.CharField(
        label=_("Cari orang (nama, NIK atau nomor ILP)"), max_length=80, required=False
    )


class ScreeningForm(forms.Form):
    """Fields for `instrument` (``wast`` or ``child``): ``signs``, then one radio field per
    WAST item (named by its code) or ``child_category``."""

    def __init__(self, *args: Any, instrument: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        labels = dict(ScreeningSign.choices)
        self.fields["signs"] = forms.MultipleChoiceField(
            label=_("Tanda-tanda yang ditemukan (alasan skrining)"),
            choices=[(code, labels[code]) for code in rules.SIGNS[instrument]],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        if instrument == rules.WAST:
            answers = dict(WastAnswer.choices)
            for code, label in WastItem.choices:
                self.fields[code] = forms.CharField(
                    label=label,
                    required=False,
                    widget=forms.RadioSelect(
                        choices=[(a, answers[a]) for a in rules.WAST_SCALES[code]]
                    ),
                )
        else:
            self.fields["child_category"] = forms.CharField(
                label=_("Kategori hasil penilaian (Joyce Adams 2001)"),
                required=False,
                widget=forms.RadioSelect(choices=AdamsCategory.choices),
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.instrument == rules.WAST:
            answers = {item: data.get(item) or "" for item in rules.WAST_ITEMS}
            return {"signs": data.get("signs") or [], "answers": answers}
        return {
            "signs": data.get("signs") or [],
            "child_category": data.get("child_category") or "",
        }
