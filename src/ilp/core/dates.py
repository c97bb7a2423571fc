"""Dates read from a URL or a query string (``?on=…``, ``/sesi/2025-03-10/``): one parser
with one plausible range, so a typo or a probe answers 400 with a message instead of a 500
deep in date arithmetic.

Accepted spellings: ``YYYY-MM-DD`` (links and the browser's date picker) and ``DD-MM-YYYY``
or ``DD/MM/YYYY`` (typed by hand).

The plausible range is 1 January 1900 (the oldest birth dates in the register) to 31
December of the year after this one (a work list may look ahead, a year at most); a caller
may narrow it (``earliest``/``latest``). Anything outside is refused, whatever the page: no
record, list or register of ILP has a date outside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.core.exceptions import BadParameter

EARLIEST = date(1900, 1, 1)
YEARS_AHEAD = 1
FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def plausible_range(today: date | None = None) -> tuple[date, date]:
    """The first and last date any URL or query string may carry, as of `today`."""
    today = today or timezone.localdate()
    return EARLIEST, date(today.year + YEARS_AHEAD, 12, 31)


def parse_date_param(
    raw: str, *, name: str = "on", earliest: date | None = None, latest: date | None = None
) -> date:
    """The date `raw` spells, within the plausible range (narrowed by `earliest`/`latest`);
    BadParameter (400) with a message for the field `name` otherwise."""
    text = (raw or "").strip()
    parsed = None
    for fmt in FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
            break
        except ValueError:
            continue
    if parsed is None:
        message = _(
            "Tanggal “%(value)s” tidak valid; tulis sebagai HH-BB-TTTT, misalnya 10-03-2025."
        ) % {"value": text[:40]}
        raise BadParameter(message, fields={name: [message]})
    first, last = plausible_range()
    first, last = max(first, earliest or first), min(last, latest or last)
    if not first <= parsed <= last:
        message = _(
            "Tanggal “%(value)s” di luar rentang yang masuk akal (%(first)s sampai %(last)s)."
        ) % {
            "value": text,
            "first": date_format(first, "j F Y"),
            "last": date_format(last, "j F Y"),
        }
        raise BadParameter(message, fields={name: [message]})
    return parsed


def query_date(params: Mapping[str, str], name: str, *, default: date) -> date:
    """The date parameter `name` of a query string, `default` when absent or empty."""
    raw = params.get(name) or ""
    if not raw.strip():
        return default
    return parse_date_param(raw, name=name)
