"""Template filter ``text``: a stored code with parameters (``ilp.core.texts``) rendered in
the reader's language: ``{% load ilp_texts %}{{ task.reason|text }}``."""

from __future__ import annotations

from typing import Any

from django import template

from ilp.core.texts import Text, render_json

register = template.Library()


@register.filter(name="text")
def text(value: Any) -> str:
    """A Text, a stored ``{"code", "params"}`` dict or a bare code, phrased now."""
    if isinstance(value, Text):
        return str(value)
    return render_json(value)
