"""User management for the dinkes administrator, without e-mail: temporary passwords, removing a
lost second factor, API tokens for machine clients. (Superusers do the same in the admin.)"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import can_manage_users, client_ip, manageable_users, role_required
from ilp.accounts.forms import TokenIssueForm, UserSearchForm
from ilp.accounts.models import ApiToken, User
from ilp.accounts.second_factor import devices_reset, has_second_factor
from ilp.accounts.services import user_password_reset
from ilp.accounts.tokens import token_issue, token_revoke
from ilp.core.exceptions import ValidationFailed

PAGE_SIZE = 50


def _managed(request: HttpRequest, username: str) -> User:
    return get_object_or_404(
        manageable_users(request.user).select_related("facility", "area"), username=username
    )


@role_required(can_manage_users)
def users(request: HttpRequest) -> HttpResponse:
    """Accounts the administrator manages, searchable by username or name."""
    form = UserSearchForm(request.GET or None)
    found = manageable_users(request.user).select_related("facility", "area")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        found = found.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    page = Paginator(found.order_by("username"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"form": form, "page": page})


@role_required(can_manage_users)
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    managed = _managed(request, username)
    context = {
        "managed": managed,
        "has_second_factor": has_second_factor(managed),
        "tokens": managed.api_tokens.select_related("created_by", "revoked_by"),
    }
    return render(request, "accounts/user_detail.html", context)


@role_required(can_manage_users)
@require_POST
def user_password_reset_view(request: HttpRequest, username: str) -> HttpResponse:
    """Set a temporary password and show it once; the user must change it at next login."""
    managed = _managed(request, username)
    password = user_password_reset(user=managed, by=request.user, ip=client_ip(request))
    context = {"managed": managed, "password": password}
    response = render(request, "accounts/user_password_reset.html", context)
    response["Cache-Control"] = "no-store"
    return response


@role_required(can_manage_users)
@require_POST
def user_second_factor_reset(request: HttpRequest, username: str) -> HttpResponse:
    """Remove the user's second factor (a lost phone); they may enrol again after login."""
    managed = _managed(request, username)
    devices_reset(user=managed, by=request.user, ip=client_ip(request))
    messages.success(
        request,
        _("Verifikasi dua langkah %(username)s dihapus; ia masuk dengan kata sandi saja.")
        % {"username": managed.username},
    )
    return redirect("account_user", username=managed.username)


@role_required(can_manage_users)
@require_http_methods(["GET", "POST"])
def token_new(request: HttpRequest, username: str) -> HttpResponse:
    """Issue an API token acting as this user; the token is shown once."""
    managed = _managed(request, username)
    form = TokenIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_issue(
                user=managed,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
                rate_per_minute=form.cleaned_data["rate_per_minute"],
                by=request.user,
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            context = {"managed": managed, "token": token, "secret": secret}
            response = render(request, "accounts/token_issued.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/token_new.html", {"managed": managed, "form": form})


@role_required(can_manage_users)
@require_POST
def token_revoke_view(request: HttpRequest, token_uuid: UUID) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("user"), uuid=token_uuid)
    if not manageable_users(request.user).filter(pk=token.user_id).exists():
        raise Http404
    token_revoke(token=token, by=request.user, ip=client_ip(request))
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("account_user", username=token.user.username)
