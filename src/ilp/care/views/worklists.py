"""Work-list pages: who is due or overdue at a posyandu, pustu or puskesmas on a date (sorted
by urgency, printable as the kader's field sheet, exported to Excel), the special lists and
the kohort registers. All reads go through the scoped, audited selectors of
``ilp.care.worklists`` and ``ilp.care.kohort``.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ilp.accounts.access import can_view_personal_data
from ilp.accounts.audit import audit_export
from ilp.accounts.models import Role
from ilp.accounts.views import client_ip, role_required
from ilp.care.exports import KOHORT_TITLES, write_kohort_xlsx, write_worklist_xlsx
from ilp.care.forms import DATE_INPUT_FORMATS, DateInput
from ilp.care.kohort import REGISTERS, columns, kohort_for_user
from ilp.care.worklists import (
    ITEM_KINDS,
    SPECIAL_LISTS,
    facilities_for_user,
    facility_for_user,
    special_lists_for_user,
    worklist_for_user,
)
from ilp.care.worklists.special import LABELS as SPECIAL_LABELS_SOURCE
from ilp.core.dates import query_date

ITEM_LABELS = {
    "imunisasi": _("Imunisasi"),
    "anc": _("Pemeriksaan kehamilan (ANC)"),
    "kf": _("Kunjungan nifas (KF)"),
    "kn": _("Kunjungan neonatal (KN)"),
    "timbang": _("Penimbangan balita"),
    "skrining": _("Skrining PTM/lansia"),
    "tindak-lanjut": _("Tindak lanjut"),
    "kunjungan-rumah": _("Kunjungan rumah"),
}
SPECIAL_LABELS = {
    "risiko_tinggi": _("Ibu hamil risiko tinggi (KRT/KRST)"),
    "gizi": _("Balita gizi buruk, gizi kurang atau stunting"),
    "2t": _("Balita 2T (berat badan tidak naik dua kali berturut-turut)"),
    "ht_tidak_terkendali": _("Hipertensi tidak terkendali"),
    "dm_tidak_terkendali": _("Diabetes tidak terkendali"),
}
STATE_LABELS = {"due": _("Jatuh tempo"), "overdue": _("Terlambat")}
PAGE_SIZE = 500  # rows per printed sheet
SPECIAL_HEAD = 100  # rows of each special list on the overview
CLUSTER_CHOICES = [("", _("Semua klaster")), ("k2", _("Klaster 2")), ("k3", _("Klaster 3"))]


def item_label(code: str) -> str:
    """'imunisasi:MR1' → 'Imunisasi MR1'; 'kunjungan-rumah' → 'Kunjungan rumah'."""
    kind, _sep, detail = code.partition(":")
    label = str(ITEM_LABELS.get(kind, kind))
    return f"{label} {detail}" if detail else label


class WorklistFilterForm(forms.Form):
    on = forms.DateField(
        label=_("Tanggal"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput
    )
    cluster = forms.ChoiceField(label=_("Klaster"), choices=CLUSTER_CHOICES, required=False)
    kind = forms.MultipleChoiceField(
        label=_("Jenis layanan"),
        choices=[(k, ITEM_LABELS.get(k, k)) for k in ITEM_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def on_date(self):
        """The list's date (default today); a malformed or implausible one is refused (400)
        rather than silently replaced by today."""
        return query_date(self.data, "on", default=timezone.localdate())


@require_GET
@role_required(can_view_personal_data)
def worklist_index(request: HttpRequest) -> HttpResponse:
    """The facilities whose work lists the user may open (a kader goes straight to theirs)."""
    facilities = list(facilities_for_user(request.user).order_by("kind", "name"))
    if request.user.role == Role.KADER and len(facilities) == 1:
        return redirect("care:worklist", code=facilities[0].code)
    return render(request, "care/worklists.html", {"facilities": facilities})


def _filtered(request: HttpRequest, code: str) -> tuple[Any, WorklistFilterForm, list]:
    form = WorklistFilterForm(request.GET or None)
    on = form.on_date()
    cluster = kinds = None
    if form.is_valid():
        cluster = form.cleaned_data.get("cluster") or None
        kinds = form.cleaned_data.get("kind") or None
    facility = facility_for_user(request.user, code)
    # Already sorted by urgency (WorkItem.sort_key).
    items = worklist_for_user(
        request.user, facility, on=on, cluster=cluster, kinds=kinds, ip=client_ip(request)
    )
    return facility, form, items


def _counts(items: list) -> list[dict]:
    """Items per kind and state, in ITEM_KINDS order: the head of a long list."""
    counts: dict[str, dict[str, int]] = {}
    for i in items:
        kind = i.item.partition(":")[0]
        by_state = counts.setdefault(kind, {"due": 0, "overdue": 0})
        by_state[i.state] += 1
    return [
        {"label": ITEM_LABELS.get(k, k), **counts[k], "total": sum(counts[k].values())}
        for k in ITEM_KINDS
        if k in counts
    ]


@require_GET
@role_required(can_view_personal_data)
def worklist_page(request: HttpRequest, code: str) -> HttpResponse:
    facility, form, items = _filtered(request, code)
    # A whole puskesmas lists tens of thousands of items: the page shows them a sheet at a
    # time (the Excel download has them all).
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "i": i,
            "item_label": item_label(i.item),
            "state_label": STATE_LABELS.get(i.state, i.state),
        }
        for i in page.object_list
    ]
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "care/worklist.html",
        {
            "facility": facility,
            "form": form,
            "items": items,
            "n_persons": len({i.person.id for i in items}),
            "page": page,
            "rows": rows,
            "counts": _counts(items) if page.paginator.num_pages > 1 else [],
            "on": form.on_date(),
            "query": filters.urlencode(),
            "registers": [(r, KOHORT_TITLES[r]) for r in REGISTERS],
        },
    )


def _xlsx_response(buffer: io.BytesIO, filename: str) -> HttpResponse:
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(can_view_personal_data)
def worklist_excel(request: HttpRequest, code: str) -> HttpResponse:
    facility, form, items = _filtered(request, code)
    on = form.on_date()
    buffer = io.BytesIO()
    write_worklist_xlsx(
        items, buffer, title=f"Daftar kerja {facility.name} {on.strftime('%d-%m-%Y')}"
    )
    audit_export(
        user=request.user,
        object_type="worklist",
        file_format="xlsx",
        person_ids=[i.person.id for i in items],
        row_count=len(items),
        ip=client_ip(request),
        detail={"facility": facility.code, "date": on.isoformat()},
    )
    return _xlsx_response(buffer, f"daftar-kerja-{facility.code}-{on.isoformat()}.xlsx")


@require_GET
@role_required(can_view_personal_data)
def special_page(request: HttpRequest, code: str) -> HttpResponse:
    """Every special list, each cut to its first SPECIAL_HEAD rows (a puskesmas can count
    thousands of uncontrolled hypertensives); ``?list=<code>`` shows one list whole, a
    sheet of PAGE_SIZE rows at a time."""
    form = WorklistFilterForm(request.GET or None)
    on = form.on_date()
    facility = facility_for_user(request.user, code)
    chosen = request.GET.get("list")
    which = (chosen,) if chosen in SPECIAL_LISTS else SPECIAL_LISTS
    lists = special_lists_for_user(
        request.user, facility, on=on, which=which, ip=client_ip(request)
    )
    filters = request.GET.copy()
    filters.pop("page", None)
    filters.pop("list", None)
    sections = []
    for key in which:
        items = lists.get(key, [])
        if chosen:
            page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
            shown, more = page.object_list, 0
        else:
            page, shown, more = None, items[:SPECIAL_HEAD], max(0, len(items) - SPECIAL_HEAD)
        sections.append(
            {
                "code": key,
                "label": SPECIAL_LABELS.get(key, SPECIAL_LABELS_SOURCE.get(key, key)),
                "count": len(items),
                "items": shown,
                "more": more,
                "page": page,
            }
        )
    return render(
        request,
        "care/special.html",
        {
            "facility": facility,
            "form": form,
            "on": on,
            "sections": sections,
            "chosen": chosen in SPECIAL_LISTS,
            "filters": filters.urlencode(),
        },
    )


def _kohort(request: HttpRequest, code: str, register: str):
    if register not in REGISTERS:
        raise Http404
    form = WorklistFilterForm(request.GET or None)
    on = form.on_date()
    facility = facility_for_user(request.user, code)
    rows = kohort_for_user(request.user, facility, register, on=on, ip=client_ip(request))
    return facility, form, on, rows


@require_GET
@role_required(can_view_personal_data)
def kohort_page(request: HttpRequest, code: str, register: str) -> HttpResponse:
    facility, form, on, rows = _kohort(request, code, register)
    cols = columns(register)
    table = [[_display(r.get(key)) for key, _label in cols] for r in rows]
    return render(
        request,
        "care/kohort.html",
        {
            "facility": facility,
            "form": form,
            "on": on,
            "register": register,
            "title": KOHORT_TITLES[register],
            "headers": [label for _key, label in cols],
            "rows": table,
            "query": request.GET.urlencode(),
        },
    )


def _display(value: Any) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    if value is True:
        return "✓"
    if value is False:
        return ""
    return str(value)


@require_GET
@role_required(can_view_personal_data)
def kohort_excel(request: HttpRequest, code: str, register: str) -> HttpResponse:
    facility, _form, on, rows = _kohort(request, code, register)
    buffer = io.BytesIO()
    write_kohort_xlsx(
        register, rows, buffer, title=f"{KOHORT_TITLES[register]} {facility.name} {on.year}"
    )
    audit_export(
        user=request.user,
        object_type=f"kohort_{register}",
        file_format="xlsx",
        person_ids=[r["_pk"] for r in rows],
        row_count=len(rows),
        ip=client_ip(request),
        detail={"facility": facility.code, "date": on.isoformat()},
    )
    return _xlsx_response(buffer, f"kohort-{register}-{facility.code}-{on.isoformat()}.xlsx")
