"""Pages of maternal and perinatal deaths (under ``/rujukan/kematian/``): the list of the
deaths the user reads with their counts per area and year, the form that records one (from a
person page, ``?person=<uuid>``, or a referral, ``?referral=<uuid>``), the notification recorded
later, and voiding one recorded by mistake. The death's page is its review
(``evaluation:death_review``). Thin: forms parse, services write, selectors read; rules are
``ilp.accounts.access`` predicates."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    can_record_deaths,
    can_view_deaths,
    client_ip,
    role_required,
)
from ilp.accounts.audit import audit_bulk_view
from ilp.accounts.models import Role, User
from ilp.core.corrections import reason_check
from ilp.core.exceptions import ApplicationError, BadParameter
from ilp.people.models import Person
from ilp.people.selectors import person_detail
from ilp.referrals import selectors, selectors_deaths, services_deaths
from ilp.referrals.forms import DATETIME_FORMATS, DeathForm, apply_error
from ilp.referrals.models import Death, EndReason, Referral


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


@role_required(can_view_deaths)
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The deaths the user reads in a year (latest first, each with its review's state and
    notification) and their counts per desa, kecamatan or the district."""
    user = _user(request)
    year = _int(request.GET.get("tahun"), timezone.localdate().year)
    level = request.GET.get("tingkat", "desa")
    if level not in selectors_deaths.COUNT_LEVELS:
        level = "desa"
    found = selectors_deaths.death_list(user, year)
    audit_bulk_view(
        user=user,
        object_type="death",
        person_ids=[d.person_id for d in found],
        ip=client_ip(request),
        detail={"list": "deaths", "year": year},
    )
    this_year = timezone.localdate().year
    context = {
        "deaths": found,
        "year": year,
        "years": list(range(this_year, this_year - 6, -1)),
        "level": level,
        "levels": [
            ("desa", _("Desa/kelurahan")),
            ("kecamatan", _("Kecamatan")),
            ("district", _("Kabupaten/kota")),
        ],
        "counts": selectors_deaths.death_counts(user, year, level),
        "can_record": can_record_deaths(user) and user.role != Role.HOSPITAL,
    }
    return render(request, "referrals/deaths.html", context)


def _subject(request: HttpRequest, user: User) -> tuple[Person, Referral | None]:
    source = request.GET
    ip = client_ip(request)
    if source.get("referral"):
        referral = selectors.referral_get(user, source["referral"])
        return referral.person, referral
    if source.get("person"):
        return person_detail(user, source["person"], ip=ip), None
    raise BadParameter(_("Buka formulir kematian dari halaman penduduk atau dari rujukan."))


@role_required(can_record_deaths)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Record a death of a person (from their page) or of a referred person (from the
    referral: its facility and the referral filled in)."""
    user = _user(request)
    person, referral = _subject(request, user)
    initial: dict[str, Any] = {}
    if user.role == Role.HOSPITAL:
        initial.update(
            place="hospital", facility=user.facility_id, notified_by_facility=user.facility_id
        )
    if referral is not None:
        initial["referral"] = referral.pk
        if referral.end_reason == EndReason.DIED and referral.ended_at is not None:
            # the referral was ended because the person died: then is when
            ended = timezone.localtime(referral.ended_at)
            initial["died_at"] = ended.strftime(DATETIME_FORMATS[0])
    pregnancies = person.pregnancies.active().order_by("-edd")
    form = DeathForm(
        request.POST or None,
        facilities=selectors_deaths.death_facilities(),
        pregnancies=pregnancies,
        referrals=Referral.objects.filter(person=person).select_related(
            "from_facility", "to_facility"
        ),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                death = services_deaths.death_record(
                    user=user, person=person, data=services_deaths.DeathData(**form.cleaned_data)
                )
            except ApplicationError as exc:
                apply_error(form, exc)
                status = exc.http_status if exc.http_status != 400 else 422
            else:
                messages.success(request, _("Kematian dicatat; pengkajiannya dibuka."))
                return redirect("evaluation:death_review", death_uuid=death.uuid)
    context = {"form": form, "person": person, "referral": referral}
    return render(request, "referrals/death_new.html", context, status=status)


def _death(request: HttpRequest, death_uuid: str) -> Death:
    return selectors_deaths.death_get(_user(request), death_uuid)


@role_required(can_record_deaths)
@require_POST
def notify(request: HttpRequest, death_uuid: str) -> HttpResponse:
    """Record when a death recorded without it was notified."""
    user = _user(request)
    death = _death(request, death_uuid)
    form = DeathForm(
        request.POST,
        facilities=selectors_deaths.death_facilities(),
        pregnancies=death.person.pregnancies.none(),
        referrals=Referral.objects.none(),
    )
    form.is_valid()
    data = form.cleaned_data
    try:
        services_deaths.death_notify(
            user=user,
            death=death,
            notified_at=data.get("notified_at"),
            by_facility=data.get("notified_by_facility"),
            by_name=data.get("notified_by_name", ""),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Notifikasi dicatat."))
    return redirect("evaluation:death_review", death_uuid=death.uuid)


@role_required(can_record_deaths)
@require_POST
def void(request: HttpRequest, death_uuid: str) -> HttpResponse:
    """Void a death recorded by mistake (a reason required); the person is restored."""
    user = _user(request)
    death = _death(request, death_uuid)
    try:
        reason = reason_check(request.POST.get("reason"), request.POST.get("note"))
        services_deaths.death_void(user=user, death=death, reason=reason)
    except ApplicationError as exc:
        first = next(iter(exc.fields.values()), [exc.message])[0]
        messages.error(request, str(first))
    else:
        messages.success(request, _("Catatan kematian dibatalkan."))
    return redirect("evaluation:death_review", death_uuid=death.uuid)
