"""Template tags of the protection pages: a case's speed section (``protection/_speed.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from ilp.protection.speed import SpeedRow, case_speed

register = template.Library()


@register.simple_tag
def speed_rows(view: Any) -> list[SpeedRow]:
    """The case's steps against their targets, from the steps `view` already holds (no
    query): see ``ilp.protection.speed.case_speed``."""
    return case_speed(view)
