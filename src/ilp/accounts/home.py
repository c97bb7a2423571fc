"""What apps above accounts add to the home pages, without accounts importing them.

``HOME_SECTIONS`` holds functions taking the user and returning template context to add (a
dict, empty when the app has nothing for that user); an app registers its function in its
``AppConfig.ready`` (monitoring: what needs attention, ``ilp.monitoring.attention``). The home
view merges them for the roles whose home page shows them.

``CROSS_SECTOR_SECTIONS`` does the same for the camat's and kepala desa's home page (coaching:
their tasks, ``ilp.evaluation.home``). A list of its own: that page shows aggregates only and
none of the staff pages' sections, which would otherwise be computed for nothing.

``HOSPITAL_SECTIONS`` fills the hospital staff's home page (referrals: the hospital's incoming
referrals, ``ilp.referrals.home``). Its functions take the request: the page names referred
persons, and the read is audited with the client's address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from ilp.accounts.models import User

Section = Callable[[User], dict[str, Any]]
RequestSection = Callable[[HttpRequest], dict[str, Any]]

HOME_SECTIONS: list[Section] = []
CROSS_SECTOR_SECTIONS: list[Section] = []
HOSPITAL_SECTIONS: list[RequestSection] = []


def home_sections(user: User, sections: list[Section] | None = None) -> dict[str, Any]:
    """The context every registered app adds for this user (`sections`: another list than
    ``HOME_SECTIONS``)."""
    context: dict[str, Any] = {}
    for section in HOME_SECTIONS if sections is None else sections:
        context.update(section(user))
    return context
