"""What apps above accounts add to the home pages, without accounts importing them.

``HOME_SECTIONS`` holds functions taking the user and returning template context to add (a
dict, empty when the app has nothing for that user); an app registers its function in its
``AppConfig.ready`` (monitoring: what needs attention, ``ilp.monitoring.attention``). The home
view merges them for the roles whose home page shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ilp.accounts.models import User

HOME_SECTIONS: list[Callable[[User], dict[str, Any]]] = []


def home_sections(user: User) -> dict[str, Any]:
    """The context every registered app adds for this user."""
    context: dict[str, Any] = {}
    for section in HOME_SECTIONS:
        context.update(section(user))
    return context
