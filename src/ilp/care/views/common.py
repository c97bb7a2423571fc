"""Helpers shared by the care pages: turning a service's field errors into form errors
(who may do what is ``ilp.accounts.access``; dates in URLs and query strings are
``ilp.core.dates``).

Reads of personal records go through ``ilp.people.selectors`` (scoped and audited); the care
reads the pages need beyond the services and work lists go through ``ilp.care.selectors``
(which decides who may open a posyandu).
"""

from __future__ import annotations

from django import forms

from ilp.core.exceptions import ApplicationError


def put_errors(exc: ApplicationError, form: forms.Form, aliases: dict[str, str] | None = None):
    """Put a service's field errors on `form`; messages for fields the form does not show go
    to the top of the form (nothing is lost)."""
    aliases = aliases or {}
    placed = False
    for key, messages in exc.fields.items():
        name = aliases.get(key, key)
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))
