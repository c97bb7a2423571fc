"""Hooks run when a person's records change, in the transaction that changed them.

``RECORDS_CHANGED`` holds functions taking the ids of the persons whose registration,
pregnancies or care records were just written; apps above people (monitoring, which marks
the persons for its indicator counts to be refreshed after the response) register there in
their ``AppConfig.ready``, so people and care call them
without importing upward. Corrections of a person themself go through
``ilp.people.corrections.PERSON_CHANGED``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

RECORDS_CHANGED: list[Callable[[Collection[int]], None]] = []


def records_changed(person_ids: Collection[int]) -> None:
    """Run every registered hook for these persons (call it inside the write's transaction)."""
    if not person_ids:
        return
    for hook in RECORDS_CHANGED:
        hook(person_ids)
