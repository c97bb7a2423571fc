"""Paging of long lists, shared by the apps: the page form (``?page=``, parsed once at the
edge, a bad value read as the first page with a message saying so) and the arithmetic of a
page (how many pages a total makes, the page asked for kept within them, the slice of rows)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

# The highest page number a form accepts (far more than any list has).
MAX_PAGE = 100_000


class PageForm(forms.Form):
    """The page of a long list (``?page=``); a bad value reads as the first page, and
    `message` says why."""

    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        error_messages={
            "invalid": _("Nomor halaman harus berupa angka bulat."),
            "min_value": _("Nomor halaman paling kecil 1."),
            "max_value": _("Nomor halaman terlalu besar."),
        },
    )

    def number(self) -> int:
        """The page asked for, 1 when absent or bad."""
        return (self.cleaned_data.get("page") or 1) if self.is_valid() else 1

    @property
    def message(self) -> str:
        """Why the page asked for was not read ("" when it was), for the list to show."""
        if self.is_valid():
            return ""
        return " ".join(str(m) for m in self.errors.get("page", []))


@dataclass(frozen=True)
class Span:
    """Where one page of a list of `total` rows lies: its number (kept within the pages) and
    the slice of rows it shows."""

    page: int
    pages: int
    start: int
    stop: int
    asked: int


def page_message(form: PageForm, found: Span) -> str:
    """What the list says about the page asked for: why a bad value was not read, or that
    the page asked for is past the last one (the last one is shown); "" when all is well."""
    if form.message:
        return form.message
    if found.asked > found.pages:
        return str(
            _(
                "Halaman %(asked)d tidak ada: daftar ini %(pages)d halaman; "
                "halaman terakhir ditampilkan."
            )
            % {"asked": found.asked, "pages": found.pages}
        )
    return ""


def span(total: int, page: int, per_page: int) -> Span:
    """The page `page` of `total` rows at `per_page` a page: at least one page, a page past
    the last one read as the last."""
    pages = max(1, -(-total // per_page))
    shown = min(max(page, 1), pages)
    return Span(shown, pages, (shown - 1) * per_page, shown * per_page, page)
