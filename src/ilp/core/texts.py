"""Codes with parameters: what ILP stores instead of sentences, rendered in the reader's
language when a page, an export or the API shows them.

A result, alert, reason or label is kept as a :class:`Text` — a stable code plus the values
needed to phrase it (``Text("task.reason.wasting", {"z": -2.4})``) — in the database (JSON:
:meth:`Text.to_json`), in work items and in API answers. Each app registers the phrasing of
its codes once, as lazy gettext templates with named placeholders::

    register({"task.reason.wasting": gettext_lazy("Gizi kurang (BB/TB z %(z)s)")})

and :func:`render` (or ``{{ value|text }}`` in templates, from ``ilp_texts``) phrases a code
in the active language, formatting dates and numbers with Django's locale formats
(Indonesian "5 Maret 2025", "8,8"; English "March 5, 2025", "8.8"). Comparing two findings
compares codes and parameters, never sentences, so the same finding recorded once in
English and once in Indonesian is the same finding.

Parameter values may be str, int, float, Decimal, date, datetime, :class:`Month`, None, or
another Text (rendered in turn). Floats keep the decimals they were given up to
:data:`MAX_DECIMALS`; pass :class:`Number` to fix the number of decimals.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise

logger = logging.getLogger(__name__)

MAX_DECIMALS = 2

_CATALOGUE: dict[str, str | Promise] = {}


@dataclass(frozen=True)
class Number:
    """A number shown with exactly `decimals` decimals (``Number(8.8, 1)`` → "8,8")."""

    value: float | int | Decimal
    decimals: int = 1


@dataclass(frozen=True)
class Month:
    """A calendar month, shown as the locale writes a month of a year ("Maret 2025",
    "March 2025")."""

    year: int
    month: int


@dataclass(frozen=True)
class Text:
    """A code and its parameters; ``str(text)`` renders it in the active language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.code, self.params)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, _key(v)) for k, v in self.params.items()))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return self.code == other.code and _norm(self.params) == _norm(other.params)

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe form for the database and the API: ``{"code", "params"}``, dates as
        ``{"date": "YYYY-MM-DD"}``, fixed-decimal numbers as ``{"number", "decimals"}``."""
        return {"code": self.code, "params": {k: _encode(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> Text:
        """The Text stored by :meth:`to_json` (a bare string is a code without parameters)."""
        if isinstance(data, str):
            return cls(data)
        params = data.get("params") or {}
        return cls(str(data["code"]), {k: _decode(v) for k, v in params.items()})


def register(entries: Mapping[str, str | Promise]) -> None:
    """Add phrasings (code → lazy gettext template with ``%(name)s`` placeholders).

    Registering a code twice with another template is a programming error."""
    for code, template in entries.items():
        known = _CATALOGUE.get(code)
        if known is not None and known is not template and str(known) != str(template):
            raise ValueError(f"text code {code!r} registered twice with different phrasing")
        _CATALOGUE[code] = template


def is_registered(code: str) -> bool:
    return code in _CATALOGUE


def registered_codes() -> frozenset[str]:
    return frozenset(_CATALOGUE)


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """`code` phrased in the active language with its parameters locale-formatted.

    An unknown code renders as the code itself (and is logged): a reader sees something
    precise rather than nothing, and the test of every catalogue catches it first."""
    template = _CATALOGUE.get(code)
    if template is None:
        logger.warning("text code %r has no registered phrasing", code)
        return code
    values = {k: format_value(v) for k, v in (params or {}).items()}
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):
        logger.exception("text code %r: parameters %r do not fit its phrasing", code, params)
        return str(template)


def render_json(data: Mapping[str, Any] | str | None) -> str:
    """Render a stored ``{"code", "params"}`` (or a bare code); empty for None."""
    if not data:
        return ""
    return str(Text.from_json(data))


def format_value(value: Any) -> str:
    """One parameter as the active locale writes it."""
    if value is None:
        return "—"
    if isinstance(value, Text):
        return str(value)
    if isinstance(value, Number):
        return formats.number_format(value.value, decimal_pos=value.decimals)
    if isinstance(value, Month):
        return formats.date_format(date(value.year, value.month, 1), "YEAR_MONTH_FORMAT")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, float):
        decimals = _decimals(value)
        return formats.number_format(value, decimal_pos=decimals)
    if isinstance(value, int | Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=abs(value) >= 10000)
    return str(value)


def _decimals(value: float) -> int:
    text = f"{value:.{MAX_DECIMALS}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _encode(value: Any) -> Any:
    if isinstance(value, Text):
        return {"text": value.to_json()}
    if isinstance(value, Number):
        return {"number": float(value.value), "decimals": value.decimals}
    if isinstance(value, Month):
        return {"month": f"{value.year:04d}-{value.month:02d}"}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return float(value)
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "text" in value:
            return Text.from_json(value["text"])
        if "number" in value:
            return Number(value["number"], int(value.get("decimals", 1)))
        if "month" in value:
            year, month = str(value["month"]).split("-")
            return Month(int(year), int(month))
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    return value


def _key(value: Any) -> Any:
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


def _norm(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _encode(v) for k, v in params.items()}
