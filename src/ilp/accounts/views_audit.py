"""'Riwayat akses data' ("siapa membuka data saya"): the audit log read by the dinkes
administrator and the data-protection officer, filtered by person, user and date. Reading
it is itself audited (purpose: oversight)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ilp.accounts.access import can_review_access, client_ip, role_required
from ilp.accounts.audit import access_history, audit_record
from ilp.accounts.forms import AccessHistoryForm
from ilp.accounts.models import AuditAction, AuditPurpose, User

if TYPE_CHECKING:
    from ilp.people.models import Person

PAGE_SIZE = 50

# What an event was about, for the reader (unknown kinds are shown as stored).
OBJECT_LABELS = {
    "person": gettext_lazy("data penduduk"),
    "family": gettext_lazy("data keluarga"),
    "family_membership": gettext_lazy("keanggotaan keluarga"),
    "pregnancy": gettext_lazy("data kehamilan"),
    "encounter": gettext_lazy("catatan pelayanan"),
    "worklist": gettext_lazy("daftar kerja"),
    "special_list": gettext_lazy("daftar khusus"),
    "kohort_ibu": gettext_lazy("kohort ibu"),
    "kohort_bayi": gettext_lazy("kohort bayi"),
    "kohort_balita": gettext_lazy("kohort balita"),
    "nik": gettext_lazy("pemeriksaan NIK"),
    "similar_person": gettext_lazy("pemeriksaan penduduk mirip"),
    "admin": gettext_lazy("halaman admin"),
    "access_history": gettext_lazy("riwayat akses data"),
    "page": gettext_lazy("halaman"),
}


def _person_in_district(user: User, text: str) -> Person | None:
    """The person of the reviewer's district with this ILP number or NIK, or None."""
    from ilp.people.identity import compact_number  # people builds on accounts
    from ilp.people.models import Person

    assert user.area is not None  # noqa: S101 - can_review_access lets in users with an area
    text = text.strip().upper()
    digits = compact_number(text)
    match = Q(nik=digits) if digits.isdigit() and len(digits) == 16 else Q(local_id=text)
    return (
        Person.objects.filter(match, village__code__startswith=f"{user.area.code}.")
        .select_related("village")
        .first()
    )


def _row(event: Any, person_id: int | None) -> dict[str, Any]:
    others = len([p for p in event.person_ids if p != person_id])
    # The person asked about appeared in a list (not as the record opened itself).
    in_list = person_id is not None and event.person_id != person_id and event.person_ids
    return {
        "event": event,
        "full_name": event.user.get_full_name() if event.user else "",
        "object_label": OBJECT_LABELS.get(event.object_type, event.object_type),
        "listed_with": others if in_list else None,
        "listed": len(event.person_ids) if person_id is None else 0,
    }


@require_GET
@role_required(can_review_access)
def access_history_page(request: HttpRequest) -> HttpResponse:
    """Who read or changed whose record, when, from where and why (Indonesian labels)."""
    form = AccessHistoryForm(request.GET or None)
    person = subject_user = None
    page: Any = None  # a Page that also carries the display rows (page.rows) for the template
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["person"]:
            person = _person_in_district(cast(User, request.user), d["person"])
            if person is None:
                form.add_error("person", _("Penduduk tidak ditemukan di kabupaten/kota Anda."))
        if d["username"]:
            subject_user = User.objects.filter(username=d["username"].strip()).first()
            if subject_user is None:
                form.add_error("username", _("Pengguna tidak ditemukan."))
    if not form.is_bound or not form.errors:
        d = form.cleaned_data if form.is_bound else {}
        events = access_history(
            person_id=person.pk if person else None,
            user_id=subject_user.pk if subject_user else None,
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        page.rows = [_row(e, person.pk if person else None) for e in page.object_list]
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="access_history",
            person_id=person.pk if person else None,
            ip=client_ip(request),
            purpose=AuditPurpose.OVERSIGHT,
            detail={
                "user": subject_user.username if subject_user else None,
                "from": d["date_from"].isoformat() if d.get("date_from") else None,
                "to": d["date_to"].isoformat() if d.get("date_to") else None,
            },
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "person": person,
        "subject_user": subject_user,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "accounts/access_history.html", context)
