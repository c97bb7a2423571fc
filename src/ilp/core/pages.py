"""The one page every correction, voiding and book-entry form of every app renders
(``templates/correct.html``): a title, what the record is (linked back), the form with its
hidden version, and — after an edit conflict — what the other editor changed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

VOID_INTRO = _(
    "Data yang dibatalkan tidak dihitung lagi di daftar kerja, kohort dan laporan, tetapi "
    "tidak dihapus: tetap terlihat dicoret, dengan alasannya, bagi yang berhak."
)
KEPT_IN_HISTORY = _("Nilai lama tetap tersimpan di riwayat, dengan nama Anda, waktu dan alasannya.")


def correction_page(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    title: str,
    subject: str,
    back: str,
    submit: str,
    detail: str = "",
    help: str = "",  # noqa: A002 - the template's name for it
    intro: str = "",
    footnote: str = "",
    confirm: Any = None,
) -> HttpResponse:
    """Render the correction page: `context` holds the form (and, after a refusal, the
    conflict or the need to confirm); `confirm` is the form's confirmation field, shown only
    when the service asked for it."""
    return render(
        request,
        "correct.html",
        {
            **context,
            "title": title,
            "subject": subject,
            "back": back,
            "submit": submit,
            "detail": detail,
            "help": help,
            "intro": intro,
            "footnote": footnote,
            "confirm": confirm,
        },
    )


def void_page(
    request: HttpRequest, context: dict[str, Any], *, subject: str, back: str, detail: str
) -> HttpResponse:
    """Render the 'Batalkan data' page of a record."""
    return correction_page(
        request,
        context,
        title=_("Batalkan data"),
        subject=subject,
        back=back,
        detail=detail,
        intro=VOID_INTRO,
        submit=_("Batalkan data ini"),
    )
