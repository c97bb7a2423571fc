"""Correction pages of care records: an encounter's measurements (re-evaluated), voiding an
encounter, correcting or voiding a dose, and recording a past dose from the KIA book.

Parse with a form → ``ilp.care.services.corrections`` → back to the person's care page.
A refused correction comes back with the services' messages on the fields and, after an
edit conflict, what the other editor changed; what the user typed stays in the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ilp.accounts.access import can_record
from ilp.accounts.views import client_ip, role_required
from ilp.care.correction_forms import DoseCorrectForm, DoseFromBookForm, EncounterCorrectForm
from ilp.care.selectors import dose_for_user, encounter_for_user
from ilp.care.services import corrections as C
from ilp.care.views.common import put_errors
from ilp.core.corrections import EditConflict
from ilp.core.exceptions import ApplicationError, PermissionDenied
from ilp.core.forms import VoidForm
from ilp.core.pages import correction_page, void_page
from ilp.people.selectors import person_detail


def _care_url(person, anchor: str = "") -> str:
    url = reverse("care:person", kwargs={"person_uuid": person.uuid})
    return f"{url}#{anchor}" if anchor else url


def _back(person, anchor: str = "") -> HttpResponse:
    return redirect(_care_url(person, anchor))


def _refused(exc: ApplicationError, form: forms.Form, context: dict[str, Any]) -> None:
    """A refused correction back on the form (a refusal of rights is the 403 page)."""
    if isinstance(exc, PermissionDenied):
        raise exc
    if isinstance(exc, EditConflict):
        context["conflict"] = exc  # shown above the form, with what changed
        form.keep_version(exc.version)
        return
    if exc.code == "needs_confirmation":
        context["needs_confirmation"] = True
        form.add_error(None, str(exc.message))
    put_errors(exc, form)


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def encounter_correct_view(request: HttpRequest, encounter_uuid) -> HttpResponse:
    """'Koreksi hasil ukur': the encounter's measured values; saving re-runs its evaluation."""
    encounter = encounter_for_user(request.user, encounter_uuid, ip=client_ip(request))
    values = C.encounter_values(encounter)
    form = EncounterCorrectForm(
        request.POST or None,
        encounter=encounter,
        keys=C.correctable_measurements(encounter),
        values=values,
    )
    context: dict[str, Any] = {"encounter": encounter, "person": encounter.person, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = C.encounter_correct(
                actor=request.user,
                encounter=encounter,
                changes=form.changes(),
                version=form.seen_version(),
                reason=form.correction_reason(),
                confirm_unusual=form.cleaned_data["confirm_unusual"],
            )
        except ApplicationError as exc:
            _refused(exc, form, context)
        else:
            if result.changed:
                messages.success(request, _("Koreksi tersimpan; hasil dihitung ulang."))
            else:
                messages.info(request, _("Tidak ada yang berubah."))
            return _back(encounter.person, f"enc-{encounter.uuid}")
    return correction_page(
        request,
        context,
        title=_("Koreksi hasil ukur"),
        subject=encounter.person.full_name,
        detail=f"{encounter.get_package_display()} · {encounter.date:%d-%m-%Y}",
        back=_care_url(encounter.person, f"enc-{encounter.uuid}"),
        help=_(
            "Hasil (status gizi, peringatan, tugas tindak lanjut) dihitung ulang dari nilai "
            "yang dikoreksi. Nilai lama tetap tersimpan di riwayat."
        ),
        confirm=form["confirm_unusual"],
        submit=_("Simpan koreksi"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def encounter_void_view(request: HttpRequest, encounter_uuid) -> HttpResponse:
    """'Batalkan pelayanan': the encounter and what it holds stop counting."""
    encounter = encounter_for_user(request.user, encounter_uuid, ip=client_ip(request))
    form = VoidForm(request.POST or None, initial={"version": encounter.version})
    context: dict[str, Any] = {"person": encounter.person, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            C.encounter_void(
                actor=request.user,
                encounter=encounter,
                version=form.seen_version(),
                reason=form.correction_reason(),
            )
        except ApplicationError as exc:
            _refused(exc, form, context)
        else:
            messages.success(request, _("Catatan pelayanan dibatalkan."))
            return _back(encounter.person, f"enc-{encounter.uuid}")
    return void_page(
        request,
        context,
        subject=encounter.person.full_name,
        detail=f"{encounter.get_package_display()} · {encounter.date:%d-%m-%Y}",
        back=_care_url(encounter.person, f"enc-{encounter.uuid}"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def dose_correct_view(request: HttpRequest, dose_uuid) -> HttpResponse:
    """'Koreksi dosis': code, lot number, expiry (and the date of a dose from the book)."""
    dose = dose_for_user(request.user, dose_uuid, ip=client_ip(request))
    form = DoseCorrectForm(request.POST or None, dose=dose)
    context: dict[str, Any] = {"person": dose.person, "dose": dose, "form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            C.dose_correct(
                actor=request.user,
                dose=dose,
                dose_code=d["dose_code"],
                given_on=d["date"],
                lot_number=d["lot_number"],
                expiry_date=d["expiry_date"],
                version=form.seen_version(),
                reason=form.correction_reason(),
            )
        except ApplicationError as exc:
            _refused(exc, form, context)
        else:
            messages.success(request, _("Koreksi tersimpan."))
            return _back(dose.person, "imunisasi")
    return correction_page(
        request,
        context,
        title=_("Koreksi dosis"),
        subject=dose.person.full_name,
        detail=f"{dose.dose_code} · {dose.get_source_display()}",
        back=_care_url(dose.person, "imunisasi"),
        submit=_("Simpan koreksi"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def dose_void_view(request: HttpRequest, dose_uuid) -> HttpResponse:
    """'Batalkan dosis': the dose stops counting; the child is due for it again."""
    dose = dose_for_user(request.user, dose_uuid, ip=client_ip(request))
    form = VoidForm(request.POST or None, initial={"version": dose.version})
    context: dict[str, Any] = {"person": dose.person, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            C.dose_void(
                actor=request.user,
                dose=dose,
                version=form.seen_version(),
                reason=form.correction_reason(),
            )
        except ApplicationError as exc:
            _refused(exc, form, context)
        else:
            messages.success(request, _("Dosis dibatalkan; anak ini perlu dosis itu lagi."))
            return _back(dose.person, "imunisasi")
    return void_page(
        request,
        context,
        subject=dose.person.full_name,
        detail=f"{dose.dose_code} · {dose.date:%d-%m-%Y}",
        back=_care_url(dose.person, "imunisasi"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def dose_from_book_view(request: HttpRequest, person_uuid) -> HttpResponse:
    """'Catat dosis dari buku KIA': a past dose as written in the child's book."""
    person = person_detail(request.user, person_uuid, ip=client_ip(request))
    form = DoseFromBookForm(request.POST or None)
    context: dict[str, Any] = {"person": person, "form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dose = C.dose_record_from_book(
                actor=request.user,
                person=person,
                dose_code=d["dose_code"],
                given_on=d["date"],
                lot_number=d["lot_number"],
                confirm_invalid=d["confirm_invalid"],
                client_id=d["client_id"],
            )
        except ApplicationError as exc:
            _refused(exc, form, context)
        else:
            if getattr(dose, "replayed", False):
                messages.info(request, _("Formulir ini sudah tersimpan sebelumnya."))
            elif dose.valid:
                messages.success(
                    request, _("Dosis %(c)s dari buku KIA tersimpan.") % {"c": dose.dose_code}
                )
            else:
                messages.warning(
                    request,
                    _("Dosis %(c)s tersimpan sebagai tidak sah: %(r)s")
                    % {"c": dose.dose_code, "r": dose.invalid_reason},
                )
            return _back(person, "imunisasi")
    return correction_page(
        request,
        context,
        title=_("Catat dosis dari buku KIA"),
        subject=person.full_name,
        back=_care_url(person, "imunisasi"),
        help=_(
            "Dosis yang diberikan di tempat lain dan tertulis di buku KIA: isi tanggal seperti "
            "di buku. Nomor batch boleh kosong. Aturan jadwal tetap berlaku: dosis yang "
            "terlalu dini dicatat sebagai tidak sah."
        ),
        confirm=form["confirm_invalid"],
        submit=_("Simpan dosis"),
    )
