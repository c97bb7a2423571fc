"""What coaching adds to the camat's and kepala desa's home page
(``ilp.accounts.home.CROSS_SECTOR_SECTIONS``): the link to their tasks from coaching with how
many are still open."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ilp.accounts.access import can_answer_area_tasks, recommendation_scope_q
from ilp.accounts.models import User
from ilp.evaluation.models import Recommendation
from ilp.evaluation.selectors import OPEN_STATES


def home_section(user: User) -> dict[str, Any]:
    """``area_tasks``: the tasks page and the count of open tasks (one query); nothing for
    other roles."""
    if not can_answer_area_tasks(user):
        return {}
    count = Recommendation.objects.filter(
        recommendation_scope_q(user), state__in=OPEN_STATES
    ).count()
    return {"area_tasks": {"url": reverse("evaluation:tasks"), "open": count}}
