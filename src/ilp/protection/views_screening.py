"""Pages of KtP/A screening (under ``/perlindungan/skrining/``): find the person to screen
(among the persons of the worker's area), then the screening form for that person — the signs,
then the WAST (a woman) or the Adams category (a child) — and, once saved, its result with the
link to the case a positive result opened. Only trained puskesmas and pustu staff
(``can_screen``); reached from the protection index only, never from the person page (nothing
there may hint at a case). Thin: forms parse, the service writes and decides."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ilp.accounts.access import can_screen, client_ip, role_required
from ilp.accounts.models import User
from ilp.core.exceptions import ApplicationError
from ilp.people.selectors import person_detail, person_search
from ilp.protection import services_screening
from ilp.protection.forms import apply_error
from ilp.protection.forms_screening import PersonFindForm, ScreeningForm
from ilp.protection.models_screening import ScreeningInstrument


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@role_required(can_screen)
@require_http_methods(["GET"])
def find(request: HttpRequest) -> HttpResponse:
    """Find the person to screen by name, NIK or ILP number (the worker's area only)."""
    user = _user(request)
    form = PersonFindForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        found = person_search(user, form.cleaned_data["q"], ip=client_ip(request))
    return render(request, "protection/screening_find.html", {"form": form, "found": found})


@role_required(can_screen)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, person_uuid: str) -> HttpResponse:
    """The screening form for one person of the worker's area; after saving, its result."""
    user = _user(request)
    person = person_detail(user, person_uuid, audit=False)
    instrument = services_screening.screening_instrument(person)
    context: dict[str, object] = {
        "person": person,
        "instrument": instrument,
        "instrument_label": ScreeningInstrument(instrument).label if instrument else "",
    }
    if instrument is None:
        return render(request, "protection/screening_new.html", context)
    form = ScreeningForm(request.POST or None, instrument=instrument)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                screening = services_screening.screening_record(
                    user=user, person=person, ip=client_ip(request), **form.service_kwargs()
                )
            except ApplicationError as exc:
                apply_error(form, exc)
                status = exc.http_status if exc.http_status != 400 else 422
            else:
                return render(
                    request,
                    "protection/screening_result.html",
                    {"person": person, "screening": screening},
                )
    context["form"] = form
    return render(request, "protection/screening_new.html", context, status=status)
