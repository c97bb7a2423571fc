"""The indicator counts kept current off the write path: a write marks, a refresh follows.

A care or people write calls :func:`facts_mark` (a hook of ``ilp.people.hooks.RECORDS_CHANGED``
and ``ilp.people.corrections.PERSON_CHANGED``) in its own transaction: one INSERT of an
``IndicatorPending`` row per person, committed with the write, so a process that dies before
the refresh loses nothing. The recomputation (``ilp.monitoring.services.facts_refresh``,
about 13 ms and 5 queries for a weighing on the 500,000-person district) then runs:

- **after the response is sent**, for writes made by a request (a page or the API): Django
  sends ``request_finished`` when the WSGI server closes the response, which gunicorn (the
  server of ``ilp serve``) does after the last byte is written to the socket; the worker
  thread then refreshes the persons its request marked (:func:`refresh_after_response`).
  Freshness through pages and the API is thus the request's own time plus the refresh;
- **by the sweep** (``ilp indicators sweep``, :func:`indicators_sweep`, in a loop or from cron)
  for everything else: writes outside a request (commands, imports), a refresh that failed
  or a worker killed between its response and its refresh. A pass also fills a kept year no
  rebuild or fill has computed for everyone yet (New Year, ``IndicatorYear``).

A refresh claims the marks it answers (``SELECT … FOR UPDATE SKIP LOCKED``, then DELETE) in
the transaction that recomputes the persons, so two refreshers never take the same mark, a
failed refresh leaves its marks for the sweep, and a mark written while a refresh runs
(after it read the records) stays for the next one. Readers only read the counts, which
each refresh changes in one transaction; until the refresh a write is simply not counted yet.

While a year's fill runs (minutes on a large district, ``indicators_fill_year``) the refresh
after a response does not wait for it: it leaves its marks to the sweep, which runs after the
fill, so no server thread is held.

Tests run the pending refresh explicitly (:func:`pending_refresh`) where they call services
directly; through the test client the request's refresh runs as under gunicorn.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from ilp.monitoring.models import IndicatorPending, IndicatorYear
from ilp.monitoring.services import (
    FillUnderWay,
    facts_refresh,
    indicators_fill_year,
    years_kept,
)
from ilp.people.models import Person

logger = logging.getLogger(__name__)
BATCH = 200  # persons per refresh transaction of the sweep (a few seconds of work at most)

# The persons marked by the request this thread is serving; set only between
# request_started and request_finished (gunicorn's gthread worker serves one request per
# thread at a time), so writes outside requests leave their marks to the sweep.
_request = threading.local()


def facts_mark(person_ids: Collection[int]) -> None:
    """Mark these persons' facts for recomputation (call it in the write's transaction)."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    IndicatorPending.objects.bulk_create([IndicatorPending(person_id=pid) for pid in ids])
    marked: set[int] | None = getattr(_request, "marked", None)
    if marked is not None:
        marked.update(ids)


def facts_mark_person(person: Person) -> None:
    """Hook of ``ilp.people.corrections.PERSON_CHANGED``: the corrected (or voided) person."""
    facts_mark([person.pk])


def request_begins(**_kwargs: Any) -> None:
    """``request_started`` receiver: remember what this request marks."""
    _request.marked = set()


def refresh_after_response(**_kwargs: Any) -> None:
    """``request_finished`` receiver: refresh the persons this request marked. The response
    is already with the client; a failure here is logged and leaves the marks to the sweep
    (never an error page: the write itself succeeded)."""
    marked: set[int] | None = getattr(_request, "marked", None)
    _request.marked = None
    if not marked:
        return
    try:
        pending_refresh(person_ids=marked, wait=False)
    except FillUnderWay:
        logger.info("a year's fill is under way: %d persons left to the sweep", len(marked))
    except Exception:  # noqa: BLE001 - after the response nothing may escape; the sweep retries
        logger.exception("indicator refresh after the response failed; the sweep will retry")


def pending_refresh(
    *,
    person_ids: Collection[int] | None = None,
    limit: int = BATCH,
    today: date | None = None,
    wait: bool = True,
) -> int:
    """Claim up to `limit` pending marks (of these persons only, when given) and refresh their
    persons in one transaction; returns how many persons were refreshed. Marks another
    refresher holds are skipped (it answers them). With `wait` False, a year's fill in
    progress raises ``FillUnderWay`` and the marks stay (the sweep answers them after it)."""
    with transaction.atomic():
        pending = IndicatorPending.objects.order_by("pk")
        if person_ids is not None:
            pending = pending.filter(person_id__in=list(person_ids))
        claimed = list(
            pending.select_for_update(skip_locked=True).values_list("pk", "person_id")[:limit]
        )
        if not claimed:
            return 0
        IndicatorPending.objects.filter(pk__in=[pk for pk, _pid in claimed]).delete()
        persons = {pid for _pk, pid in claimed}
        facts_refresh(persons, today=today, wait=wait)
    return len(persons)


@dataclass
class Sweep:
    """What one sweep pass did."""

    years_filled: list[int] = field(default_factory=list)
    facts_written: int = 0
    persons: int = 0


def years_to_fill(today: date) -> list[int]:
    """The kept years not yet computed for everyone (after New Year: the new one)."""
    filled = set(IndicatorYear.objects.values_list("year", flat=True))
    return [y for y in years_kept(today) if y not in filled]


def indicators_sweep(*, today: date | None = None, limit: int = BATCH) -> Sweep:
    """One pass: fill the kept years no rebuild or fill has computed yet, then refresh every
    pending person, `limit` per transaction."""
    today = today or timezone.localdate()
    done = Sweep()
    for year in years_to_fill(today):
        done.facts_written += indicators_fill_year(year, today=today)
        done.years_filled.append(year)
    while n := pending_refresh(limit=limit, today=today):
        done.persons += n
    return done
