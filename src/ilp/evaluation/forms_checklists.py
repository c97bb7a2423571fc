"""Forms of the checklist pages: the Dinkes' edit of a cluster's checklist (one row per item,
in order; a row ticked "retire" is left out of the new version) and a visit's answer to one
item. The values the service judges (item text, codes, the answer code) are optional here so
the user reads the service's specific message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.evaluation.forms import indicator_choices
from ilp.evaluation.models import ChecklistAnswerCode, ChecklistVersion
from ilp.evaluation.services_checklists import ItemDraft


class ChecklistItemForm(forms.Form):
    code = forms.CharField(label=_("Nomor"), max_length=16, required=False)
    text = forms.CharField(
        label=_("Butir"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    indicator = forms.ChoiceField(label=_("Indikator terkait"), required=False)
    retire = forms.BooleanField(
        label=_("Pensiunkan (tidak dibawa ke versi baru; tetap ada di versi lama)"),
        required=False,
    )

    def __init__(self, *args: Any, language: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(language)  # type: ignore[attr-defined]


# Rows in the order given by their "Urutan" field (blank: at the end), three empty rows for
# new items; a Dinkes with more to add saves and edits again.
ChecklistItemFormSet = forms.formset_factory(ChecklistItemForm, extra=3, can_order=True)


class ChecklistMetaForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan perubahan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Apa yang berubah dan mengapa; tampil di riwayat versi."),
    )
    base = forms.UUIDField(widget=forms.HiddenInput, required=False)


def item_initial(version: ChecklistVersion | None) -> list[dict[str, Any]]:
    """The rows of the edit form filled from a version's items."""
    if version is None:
        return []
    return [{"code": i.code, "text": i.text, "indicator": i.indicator} for i in version.items.all()]


def item_drafts(formset: Any) -> list[ItemDraft]:
    """The items of the new version: the rows in order, the retired ones left out."""
    return [
        ItemDraft(
            code=form.cleaned_data.get("code", ""),
            text=form.cleaned_data.get("text", ""),
            indicator=form.cleaned_data.get("indicator", ""),
        )
        for form in formset.ordered_forms
        if not form.cleaned_data.get("retire")
    ]


class AnswerForm(forms.Form):
    answer = forms.CharField(max_length=16, required=False)
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def answer_choices() -> list[tuple[str, str]]:
    """The answers offered for an item, as (code, label in the reader's language)."""
    return [(code, str(label)) for code, label in ChecklistAnswerCode.choices]
