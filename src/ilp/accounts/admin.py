"""Admin screens for users (role, facility, area, cluster; temporary passwords), API tokens and
the read-only audit log."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ilp.accounts.access import client_ip
from ilp.accounts.models import ApiToken, AuditEvent, User
from ilp.accounts.tokens import token_revoke, token_save_new


class TemporaryPasswordForm(AdminPasswordChangeForm):
    """The admin's "change password" for a user: the password it sets is temporary."""

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["password1"].help_text = _(
            "Kata sandi sementara: pengguna harus menggantinya saat masuk berikutnya "
            "(kecuali Anda mengganti kata sandi Anda sendiri)."
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "facility", "area", "is_active"]
    list_filter = ["role", "cluster", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["facility", "area"]
    list_select_related = ["facility", "area"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Peran dan wilayah kerja"),
            {"fields": ("role", "facility", "area", "cluster", "phone", "must_change_password")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Peran dan wilayah kerja"), {"fields": ("role", "facility", "area", "cluster")}),
    )
    change_password_form = TemporaryPasswordForm

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        """A password an administrator sets for someone else is temporary: the user must
        change it at the next login; failed-login waits on the name are lifted."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            if user.pk != request.user.pk and user.has_usable_password():
                user.must_change_password = True
                user.save(update_fields=["must_change_password"])
                AxesProxyHandler.reset_attempts(username=user.username)
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: the secret is shown once, on the page after "save"; tokens are revoked
    (an action), never deleted, so the audit log keeps naming them."""

    list_display = ["name", "prefix", "user", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = ["name", "user", "expires_at", "rate_per_minute"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's user is its scope: changing it would silently widen or move the scope.
        return ["user"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj._secret = token_save_new(token=obj, by=request.user, ip=client_ip(request))

    def response_add(self, request: HttpRequest, obj: ApiToken, post_url_continue=None):
        context = {
            "managed": obj.user,
            "token": obj,
            "secret": obj._secret,
            "done_url": reverse("admin:accounts_apitoken_changelist"),
        }
        response: HttpResponse = render(request, "accounts/token_issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request: HttpRequest, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token, by=request.user, ip=client_ip(request))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: nobody adds, edits or deletes rows here."""

    list_display = ["at", "user", "action", "object_type", "object_uuid", "person_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "=object_uuid", "=person_id"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
