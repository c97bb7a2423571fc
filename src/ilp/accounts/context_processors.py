"""Template context: what the logged-in user's role may do, for menus (never for access
decisions: every view checks again)."""

from __future__ import annotations

from django.http import HttpRequest

from ilp.accounts.access import (
    can_register,
    can_send_referrals,
    can_use_coaching,
    can_use_protection,
    can_use_referrals,
    can_view_deaths,
    can_view_personal_data,
)


def access(request: HttpRequest) -> dict[str, dict[str, bool]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "access": {
                "personal_data": False,
                "register": False,
                "coaching": False,
                "referrals": False,
                "send_referrals": False,
                "deaths": False,
                "protection": False,
            }
        }
    return {
        "access": {
            "personal_data": can_view_personal_data(user),
            "register": can_register(user),
            "coaching": can_use_coaching(user),
            "referrals": can_use_referrals(user),
            # the "Rujuk" links beside alerts, work-list rows and on the person page
            "send_referrals": can_send_referrals(user),
            "deaths": can_view_deaths(user),
            "protection": can_use_protection(user),
        }
    }
