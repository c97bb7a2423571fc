"""Template filters of the referral pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter(name="duration_text")
def duration_text(value: timedelta | None) -> str:
    """A delay as days, hours and minutes ("1 hari 2 jam 5 menit"); whole minutes, rounded
    down; "" for none."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d hari") % {"n": days})
    if hours:
        parts.append(_("%(n)d jam") % {"n": hours})
    if minutes or not parts:
        parts.append(_("%(n)d menit") % {"n": minutes})
    return " ".join(parts)


@register.filter(name="delay_rows")
def delay_rows(report: Any) -> list[dict[str, Any]]:
    """The five delays of a ``DelayReport`` in order, each with its label, median, p90 and
    how many referrals it was measured on."""
    from ilp.referrals.selectors import delay_labels  # selectors import models; tags load early

    return [{"label": label, **report.delays[name]} for name, label in delay_labels()]
