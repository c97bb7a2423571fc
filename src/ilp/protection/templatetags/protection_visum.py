"""The visum section of the case page (``protection/_visum.html``): what the reader may see
of the case's visums (``selectors_visum.case_visums``) and, for the health circle, the form
of each next step — the refused one, with its message, when the page comes back from a
refused write (``visum_error`` in the context)."""

from __future__ import annotations

from typing import Any

from django import template

from ilp.protection import selectors_visum
from ilp.protection.forms_visum import (
    CustodyForm,
    DeliverForm,
    ExamineForm,
    IssueForm,
    VisumRequestForm,
    VoidForm,
)
from ilp.protection.models_visum import VisumState

register = template.Library()

_FORMS: dict[str, Any] = {
    "examine": ExamineForm,
    "issue": IssueForm,
    "deliver": DeliverForm,
    "custody": CustodyForm,
    "void": VoidForm,
}
# The next step's form by state (custody and void are offered in every state but delivered).
_NEXT = {
    VisumState.REQUESTED: "examine",
    VisumState.EXAMINED: "issue",
    VisumState.ISSUED: "deliver",
}


@register.simple_tag(takes_context=True)
def visum_section(context: Any, case: Any) -> dict[str, Any]:
    """The section's rows, each with its forms, and the request form (health circle)."""
    from ilp.protection.views_visum import examiner_choices

    user = context["request"].user
    section = selectors_visum.case_visums(user, case)
    error = context.get("visum_error") or {}
    err_visum = getattr(error.get("visum"), "pk", None)

    def form(what: str, visum: Any = None, **kwargs: Any) -> Any:
        if error.get("what") == what and err_visum == getattr(visum, "pk", None):
            return error["form"]
        if what == "request":
            return VisumRequestForm(**kwargs)
        return _FORMS[what](**kwargs)

    rows = []
    for row in section.rows:
        v = row.visum
        forms: dict[str, Any] = {}
        if section.actor:
            step = _NEXT.get(VisumState(v.state))
            if step == "examine":
                forms["examine"] = form(
                    "examine",
                    v,
                    examiners=examiner_choices(case, user),
                    initial={"consent_name": v.party.guardian_name},
                )
            elif step:
                forms[step] = form(step, v)
            forms["custody"] = form("custody", v)
            if v.state != VisumState.DELIVERED:
                forms["void"] = form("void", v)
        rows.append({"visum": v, "custody": row.custody, "forms": forms})
    request_form = None
    if section.actor:
        request_form = form("request", victims=selectors_visum.victim_choices(case))
    return {
        "shown": section.shown,
        "clinical": section.clinical,
        "actor": section.actor,
        "rows": rows,
        "request_form": request_form,
        "request_open": error.get("what") == "request",
        "open_visum": err_visum,
    }
