"""The user's own account: what it is, changing the password, turning on the second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ilp.accounts.access import (
    any_user,
    can_manage_users,
    can_use_second_factor,
    client_ip,
    role_required,
)
from ilp.accounts.forms import OwnPasswordChangeForm, SecondFactorForm
from ilp.accounts.second_factor import (
    device_confirm,
    enrolment_device,
    has_second_factor,
    qr_svg,
    secret_text,
)
from ilp.accounts.services import password_changed


@role_required(any_user)
def account(request: HttpRequest) -> HttpResponse:
    """The user menu's page: password, second factor, and (administrators) user management."""
    user = request.user
    context = {
        "can_use_second_factor": can_use_second_factor(user),
        "has_second_factor": can_use_second_factor(user) and has_second_factor(user),
        "can_manage_users": can_manage_users(user),
    }
    return render(request, "accounts/account.html", context)


@role_required(any_user)
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (Django's validators; messages in the user's language)."""
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        password_changed(user=user, ip=client_ip(request))
        update_session_auth_hash(request, user)  # stay logged in on this computer only
        messages.success(request, _("Kata sandi Anda sudah diganti."))
        return redirect("account")
    return render(request, "accounts/password_change.html", {"form": form})


@role_required(can_use_second_factor)
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Turn on the second factor: scan the QR code (or type the secret), confirm a first code."""
    if has_second_factor(request.user):
        return render(request, "accounts/second_factor_enrol.html", {"enabled": True})
    device = enrolment_device(request.user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device_confirm(
            request=request, device=device, code=form.cleaned_data["code"], ip=client_ip(request)
        ):
            messages.success(
                request,
                _("Verifikasi dua langkah aktif: setiap kali masuk, ILP akan meminta kodenya."),
            )
            return redirect("account")
        form.add_error("code", _("Kode salah atau sudah kedaluwarsa."))
    context = {"form": form, "qr_svg": qr_svg(device), "secret": secret_text(device)}
    response = render(request, "accounts/second_factor_enrol.html", context)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a shared browser
    return response
