"""The admin site: logs in through the ILP login page and requires the second factor.

The admin's own login form would be a second door with its own rules; sending it to the ILP
login page gives the admin the same throttle, the same second step (TOTP) and the same forced
password change as every other page. A staff user who enrolled a second factor but whose
session was not verified by it (a session opened before enrolling) is refused.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ilp.accounts.second_factor import needs_second_factor


class ILPAdminSite(AdminSite):
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not needs_second_factor(request)
