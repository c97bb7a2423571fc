"""Login (password, then the second factor when the user has one), logout and the home page
of each role; the access decorator every page uses.

Every view declares who may use it with `role_required(<predicate of ilp.accounts.access>)`
or `public` (both live in ``ilp.accounts.access`` and are re-exported here for the apps'
views): anonymous users go to the login page, users whose role fails the predicate get a 403
page (and a 'denied' audit event).
"""

from __future__ import annotations

import math
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from ilp.accounts.access import (
    DISTRICT_ROLES,
    any_user,
    can_register,
    can_review_access,
    can_set_puskesmas_targets,
    can_upload_sasaran,
    can_view_personal_data,
    client_ip,
    is_hospital_staff,
    public,
    role_required,
    scope_hamlets,
    scope_villages,
)
from ilp.accounts.forms import LoginForm, SecondFactorForm
from ilp.accounts.home import CROSS_SECTOR_SECTIONS, HOSPITAL_SECTIONS, home_sections
from ilp.accounts.models import Role, User
from ilp.accounts.second_factor import code_matches, has_second_factor, needs_second_factor
from ilp.accounts.selectors import (
    population_by_area,
    population_by_puskesmas,
    population_by_stage,
    suppress_stage_counts,
)
from ilp.places.models import AreaLevel

# Re-exported for the apps' views (their home is ilp.accounts.access).
__all__ = ["STAGE_LABELS", "client_ip", "is_htmx", "public", "role_required"]

# The ILP life stages (ilp.standards.lifestage.STAGES) as the UI names them.
STAGE_LABELS = {
    "newborn": gettext_lazy("Bayi baru lahir"),
    "infant": gettext_lazy("Bayi"),
    "toddler": gettext_lazy("Balita"),
    "preschool": gettext_lazy("Anak prasekolah"),
    "school_age": gettext_lazy("Anak usia sekolah"),
    "adolescent": gettext_lazy("Remaja"),
    "adult": gettext_lazy("Dewasa"),
    "elderly": gettext_lazy("Lansia"),
}


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (it then wants a fragment, not a whole page)."""
    return request.headers.get("HX-Request") == "true"


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# A password accepted for a user with a second factor waits here (not logged in yet) until
# the code is entered, at most this long.
PENDING_LOGIN_KEY = "ilp_pending_login"
PENDING_LOGIN_SECONDS = 5 * 60


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Username and password. The throttle (django-axes, `accounts.throttle`) sits in the
    authentication backends: a waiting username+address pair gets `login_locked_out`'s page."""
    if request.user.is_authenticated:
        if needs_second_factor(request):
            return redirect("login_second_factor")
        return redirect(_safe_next(request) or "home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, _("Nama pengguna atau kata sandi salah."))
        elif has_second_factor(user):
            request.session[PENDING_LOGIN_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "next": _safe_next(request) or "",
            }
            return redirect("login_second_factor")
        else:
            login(request, user)
            return redirect(_safe_next(request) or "home")
    return render(
        request, "registration/login.html", {"form": form, "next": _safe_next(request) or ""}
    )


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: the login page again, saying how long this username and
    address must wait (429)."""
    wait = AxesProxyHandler.get_implementation().wait_seconds(request, credentials)
    minutes = max(1, math.ceil(wait / 60))
    form = LoginForm(request.POST or None)
    form.is_valid()
    form.add_error(
        None,
        ngettext(
            "Terlalu banyak percobaan gagal; coba lagi dalam %(minutes)d menit.",
            "Terlalu banyak percobaan gagal; coba lagi dalam %(minutes)d menit.",
            minutes,
        )
        % {"minutes": minutes},
    )
    context = {"form": form, "next": _safe_next(request) or ""}
    return render(request, "registration/login.html", context, status=429)


def _pending_user(request: HttpRequest) -> tuple[User | None, str]:
    """Who is between password and code, and where they were going."""
    if request.user.is_authenticated:
        return request.user, _safe_next(request) or ""
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_SECONDS:
        return None, ""
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending["next"]


@public
@require_http_methods(["GET", "POST"])
def login_second_factor(request: HttpRequest) -> HttpResponse:
    """Second step of the login for users with a second factor: the authenticator's code."""
    if request.user.is_authenticated and not needs_second_factor(request):
        return redirect("home")
    user, next_url = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_LOGIN_KEY, None)
        messages.info(request, _("Waktu masuk habis; masukkan nama pengguna dan kata sandi lagi."))
        return redirect("login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, wait = code_matches(user, form.cleaned_data["code"])
        if device is not None:
            if not request.user.is_authenticated:
                login(request, user, backend=request.session[PENDING_LOGIN_KEY]["backend"])
            otp_login(request, device)
            request.session.pop(PENDING_LOGIN_KEY, None)
            return redirect(next_url or "home")
        if wait:
            form.add_error(
                "code",
                ngettext(
                    "Terlalu banyak kode salah; tunggu %(seconds)d detik lalu coba lagi.",
                    "Terlalu banyak kode salah; tunggu %(seconds)d detik lalu coba lagi.",
                    wait,
                )
                % {"seconds": wait},
            )
        else:
            form.add_error("code", _("Kode salah atau sudah kedaluwarsa."))
    return render(request, "registration/second_factor.html", {"form": form})


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out (POST only, so a link or an image cannot log anyone out)."""
    logout(request)
    messages.info(request, _("Anda telah keluar."))
    return redirect("login")


@role_required(any_user)
def home(request: HttpRequest) -> HttpResponse:
    """The first page after login: what the user's role works on."""
    user: User = request.user
    context: dict[str, Any] = {
        "can_search": can_view_personal_data(user),
        "can_register": can_register(user),
        "can_review_access": can_review_access(user),
        "can_upload_sasaran": can_upload_sasaran(user),
        "can_set_targets": can_set_puskesmas_targets(user),
    }
    role = user.role
    if role == Role.KADER:
        context["hamlets"] = population_by_area(user, AreaLevel.HAMLET)
        context["total"] = sum(c.total for c in context["hamlets"])
        template = "accounts/home_kader.html"
    elif role in (Role.PUSKESMAS, Role.PUSTU):
        context["villages"] = population_by_area(user, AreaLevel.VILLAGE)
        context["hamlet_count"] = scope_hamlets(user).count()
        context["total"] = sum(c.total for c in context["villages"])
        context.update(home_sections(user))
        template = "accounts/home_facility.html"
    elif role in DISTRICT_ROLES:
        context["districts"] = population_by_area(user, AreaLevel.DISTRICT)
        context["puskesmas"] = population_by_puskesmas(user)
        context["total"] = sum(c.total for c in context["districts"])
        context["village_count"] = scope_villages(user).count()
        context.update(home_sections(user))
        template = "accounts/home_district.html"
    elif role == Role.PROTECTION:
        template = "accounts/home_protection.html"
    elif role == Role.CROSS_SECTOR:
        # The area's indicators beside its kecamatan and district lead the page (monitoring
        # builds on accounts, hence the import here rather than at the top).
        from ilp.monitoring.crosssector import home_context

        context.update(home_context(user))
        context.update(home_sections(user, CROSS_SECTOR_SECTIONS))
        level = AreaLevel.VILLAGE
        if user.area is not None and user.area.level >= AreaLevel.VILLAGE:
            level = AreaLevel.HAMLET
        # Counts only, and none below 5 nor recoverable by subtraction (suppression).
        context["areas"], context["total"] = suppress_stage_counts(population_by_stage(user, level))
        for area_counts in context["areas"]:
            for stage_count in area_counts.stages:
                stage_count.label = STAGE_LABELS[stage_count.stage]
        template = "accounts/home_cross_sector.html"
    elif role == Role.DATA_PROTECTION:
        template = "accounts/home_dpo.html"
    elif role == Role.SPECIALIST:
        template = "accounts/home_specialist.html"
    elif role == Role.HOSPITAL and is_hospital_staff(user):
        # The hospital's incoming referrals first (ilp.referrals.home): nothing else of the
        # registry is theirs to see.
        for section in HOSPITAL_SECTIONS:
            context.update(section(request))
        template = "accounts/home_hospital.html"
    else:
        template = "accounts/home_norole.html"
    return render(request, template, context)
