"""Login, logout and the home page of each role; the access decorator every page uses.

Every view declares who may use it with `role_required(<predicate of ilp.accounts.access>)`
or `public` (both live in ``ilp.accounts.access`` and are re-exported here for the apps'
views): anonymous users go to the login page, users whose role fails the predicate get a 403
page (and a 'denied' audit event).
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    DISTRICT_ROLES,
    any_user,
    can_register,
    can_view_personal_data,
    client_ip,
    public,
    role_required,
    scope_hamlets,
    scope_villages,
)
from ilp.accounts.forms import LoginForm
from ilp.accounts.models import Role, User
from ilp.accounts.selectors import (
    population_by_area,
    population_by_puskesmas,
    population_by_stage,
)
from ilp.accounts.throttle import is_locked, record_attempt
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


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Username and password, refused while the failed-login throttle holds."""
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        ip = client_ip(request)
        if is_locked(username, ip):
            minutes = math.ceil(settings.LOGIN_FAILURE_WINDOW_SECONDS / 60)
            form.add_error(
                None,
                _("Terlalu banyak percobaan gagal; coba lagi dalam %(minutes)d menit.")
                % {"minutes": minutes},
            )
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            record_attempt(username, ip, success=user is not None)
            if user is not None:
                login(request, user)
                return redirect(_safe_next(request) or "home")
            form.add_error(None, _("Nama pengguna atau kata sandi salah."))
    return render(
        request, "registration/login.html", {"form": form, "next": _safe_next(request) or ""}
    )


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
        template = "accounts/home_facility.html"
    elif role in DISTRICT_ROLES:
        context["districts"] = population_by_area(user, AreaLevel.DISTRICT)
        context["puskesmas"] = population_by_puskesmas(user)
        context["total"] = sum(c.total for c in context["districts"])
        context["village_count"] = scope_villages(user).count()
        template = "accounts/home_district.html"
    elif role == Role.PROTECTION:
        template = "accounts/home_protection.html"
    elif role == Role.CROSS_SECTOR:
        level = AreaLevel.VILLAGE
        if user.area is not None and user.area.level >= AreaLevel.VILLAGE:
            level = AreaLevel.HAMLET
        context["areas"] = population_by_stage(user, level)
        for area_counts in context["areas"]:
            for stage_count in area_counts.stages:
                stage_count.label = STAGE_LABELS[stage_count.stage]
        context["total"] = sum(c.total for c in context["areas"])
        template = "accounts/home_cross_sector.html"
    else:
        template = "accounts/home_norole.html"
    return render(request, template, context)
