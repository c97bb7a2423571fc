"""Template tags of the protection access pieces included in the shared pages (the case
page's access log, the case list's break-glass notice), so those pages need no change of
their views: each tag asks the access predicate and one selector, nothing else."""

from __future__ import annotations

from typing import Any

from django import template

from ilp.accounts.access import may_break_glass, sees_case_access_log
from ilp.core.paging import PageForm
from ilp.protection import selectors_access

register = template.Library()


@register.simple_tag(takes_context=True)
def case_access_log(context: Any) -> selectors_access.LogPage | None:
    """The page (``?akses=``) of the case's access log when the reader is its officer."""
    request = context.get("request")
    case = context.get("case")
    if request is None or case is None or not sees_case_access_log(request.user, case):
        return None
    form = PageForm({"page": request.GET.get("akses") or ""})
    return selectors_access.access_log_page(case, page=form.number())


@register.simple_tag(takes_context=True)
def break_glass_notice(context: Any) -> list[Any]:
    """The grants on the reader's cases made since they last opened them."""
    request = context.get("request")
    if request is None:
        return []
    return selectors_access.opened_since_last_visit(request.user)


@register.simple_tag(takes_context=True)
def user_may_break_glass(context: Any) -> bool:
    """Whether the reader may open a case outside their circle (`may_break_glass`)."""
    request = context.get("request")
    return request is not None and may_break_glass(request.user)
