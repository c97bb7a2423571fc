"""The admin site: logs in through the ILP login page and requires the second factor.

The admin's own login form would be a second door with its own rules; sending it to the ILP
login page gives the admin the same throttle, the same second step (TOTP) and the same forced
password change as every other page. A staff user who enrolled a second factor but whose
session was not verified by it (a session opened before enrolling) is refused.

The autocomplete answers of the admin (the names offered while typing in a family's head or
a person's mother field) are reads of personal data like any list: each answer is audited
as one event with the persons it named, by the audited ModelAdmin of the searched model.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.admin import AdminSite
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ilp.accounts.second_factor import needs_second_factor


class AuditedAutocompleteView(AutocompleteJsonView):
    """Django's autocomplete answer, recording which persons it named."""

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, Any]:
        self.shown.append(obj)
        result: dict[str, Any] = super().serialize_result(obj, to_field_name)  # type: ignore[misc]
        return result

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.shown: list[Any] = []
        response = super().get(request, *args, **kwargs)
        audit = getattr(self.model_admin, "audit_autocomplete", None)
        if audit is not None:
            audit(request, self.shown, self.term)
        return response


class ILPAdminSite(AdminSite):
    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        return cast(HttpResponse, AuditedAutocompleteView.as_view(admin_site=self)(request))

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not needs_second_factor(request)
