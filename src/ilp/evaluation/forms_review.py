"""The form of the performance-assessment scheme: the two thresholds and one weight per
catalogue indicator (``w_<code>``). Parsed here, judged by ``services_pkp`` (the fields are
optional so the service's specific message shows)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.evaluation.performance import SchemeView
from ilp.monitoring.catalogue import load_catalogue


class SchemeForm(forms.Form):
    baik_min = forms.DecimalField(
        label=_("Batas bawah baik (%)"), max_digits=6, decimal_places=2, required=False
    )
    cukup_min = forms.DecimalField(
        label=_("Batas bawah cukup (%)"), max_digits=6, decimal_places=2, required=False
    )

    def __init__(self, *args: Any, scheme: SchemeView, language: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "baik_min": Decimal(str(scheme.baik_min)),
                "cukup_min": Decimal(str(scheme.cukup_min)),
                **{f"w_{code}": w for code, w in scheme.weights.items()},
            },
        )
        super().__init__(*args, **kwargs)
        for code, indicator in load_catalogue().items():
            self.fields[f"w_{code}"] = forms.IntegerField(
                label=indicator.name(language), required=False, min_value=0, max_value=100
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("w_")]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "baik_min": data["baik_min"],
            "cukup_min": data["cukup_min"],
            "weights": {
                name[2:]: value or 0 for name, value in data.items() if name.startswith("w_")
            },
        }
