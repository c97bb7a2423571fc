"""What every rule returns, and the vocabulary it speaks: codes with parameters.

The contract between a rule and its callers is **codes with parameters**, never sentences:

- ``code``: the stable machine code of the class a rule put the input in (``"krt"``,
  ``"grade_1"``, ``"too_early"``);
- ``reason_code`` with ``params``: why, as a stable code and the values needed to phrase it
  (numbers, dates, periods, dose codes, codes of the rule's own vocabulary), e.g.
  ``reason_code="interval_too_short", params={"previous": "RV1", "days": 26,
  "interval": "P28D", "earliest": date(2024, 5, 8)}``;
- ``notes``: further clauses of the reason, each a code with its parameters
  (``("last_allowed", {"last_allowed": date(...)})``).

A caller stores these and renders them in the reader's language at display time, with its
locale's number and date formats. Each rule declares its vocabulary in a :class:`Catalogue`
(``CODES`` in its module; :func:`ilp.standards.codes.catalogues` lists them all): every class,
reason and note code with the kinds of its parameters and its Indonesian text, from which a
translation catalogue can be built. ``label`` and ``reason`` on a result are that Indonesian
text, rendered when the result is made, for the ``ilp zscore`` command and existing callers.

Parameter kinds (``Message.params`` maps a parameter name to its kind):

=================  ==========================================================================
``number``          a decimal number (render with the locale's decimal separator)
``integer``         a whole number
``date``            a ``datetime.date``
``datetime``        a ``datetime.datetime`` (postnatal windows are counted in hours)
``period``          an ISO 8601 duration string: ``"P28D"``, ``"P6M"``, ``"P1Y"``, ``"P6M29D"``
``text``            shown as it is in every language: dose codes (``"DPT-HB-Hib 1"``), visit
                    codes (``"K3"``, ``"KF2"``), band expressions (``"−3 ≤ z < −2"``)
``texts``           a tuple of ``text`` values, shown as a list
``term:<vocab>``    one code of the catalogue's ``terms[<vocab>]`` (translate it)
``terms:<vocab>``   a tuple of such codes, shown as a list
=================  ==========================================================================

Any parameter may be ``None`` (a value that was not measured); it renders as "—".
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeAlias

from ilp.standards.dates import MONTHS_ID

ParamValue: TypeAlias = str | int | float | date | tuple[str, ...] | None
Params: TypeAlias = Mapping[str, ParamValue]
JsonValue: TypeAlias = str | int | float | list[str] | None

KINDS: tuple[str, ...] = ("number", "integer", "date", "datetime", "period", "text", "texts")
TERM_PREFIXES: tuple[str, ...] = ("term:", "terms:")

_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_FORMATTER = string.Formatter()


@dataclass(frozen=True, slots=True)
class Message:
    """One code's Indonesian text (a template with ``{name}`` placeholders) and the kinds of
    the parameters it needs (see the module docstring)."""

    text: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Note:
    """A further clause of a reason: a note code of the rule's catalogue and its parameters."""

    code: str
    params: Params = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleResult:
    """Outcome of one clinical rule.

    rule         the rule's stable id (its :class:`Catalogue`), e.g. ``"kspr"``
    code         stable machine code of the class (e.g. ``"krt"``, ``"grade_1"``)
    reason_code  stable machine code of the reason
    params       the values the class label and the reason need (kinds in the catalogue)
    notes        further clauses of the reason
    label        the class in Indonesian (rendered from the catalogue)
    reason       the reason and its notes in Indonesian (rendered from the catalogue)
    source       the rule's published source, for display and audit
    value        the computed number behind the class (a score, a z-score), if any
    details      extra named values (per-item scores, triggered factors, ...)
    """

    code: str
    label: str
    reason: str = ""
    source: str = ""
    value: float | int | None = None
    details: dict[str, object] = field(default_factory=dict)
    rule: str = ""
    reason_code: str = ""
    params: Params = field(default_factory=dict)
    notes: tuple[Note, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The contract as JSON-ready values (dates as ISO strings, tuples as lists): what a
        caller stores to render the result later in any language."""
        return {
            "rule": self.rule,
            "code": self.code,
            "reason_code": self.reason_code,
            "params": params_to_json(self.params),
            "notes": [{"code": n.code, "params": params_to_json(n.params)} for n in self.notes],
        }


class OutOfRange(ValueError):
    """An input outside its plausible range; names the field and the accepted range."""

    def __init__(self, field_name: str, value: object, low: object, high: object) -> None:
        self.field = field_name
        self.value = value
        self.low = low
        self.high = high
        super().__init__(f"{field_name}={value!r} is outside the plausible range {low}–{high}")


# -- Indonesian formatting ------------------------------------------------------------------


def number_id(value: float | int) -> str:
    """A number as Indonesian text writes it: decimal comma, no trailing zeros (``8,8``)."""
    if isinstance(value, int):
        return str(value)
    return f"{value:g}".replace(".", ",")


def date_id(value: date) -> str:
    """A date as Indonesian text writes it: ``5 Maret 2025``."""
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def datetime_id(value: datetime) -> str:
    """A date and time in Indonesian: ``5 Maret 2025 14.30``."""
    return f"{date_id(value)} {value.hour:02d}.{value.minute:02d}"


def period_iso(years: int = 0, months: int = 0, days: int = 0) -> str:
    """An ISO 8601 duration from calendar parts: ``period_iso(months=6, days=29)`` → ``P6M29D``
    (``P0D`` for none)."""
    text = "".join(f"{n}{unit}" for n, unit in ((years, "Y"), (months, "M"), (days, "D")) if n)
    return f"P{text or '0D'}"


def period_id(value: str) -> str:
    """An ISO 8601 duration (``P6M29D``) in Indonesian words: ``6 bulan 29 hari``."""
    match = _PERIOD.match(value)
    if match is None:
        raise ValueError(f"not an ISO 8601 period of years, months, weeks and days: {value!r}")
    words = ("tahun", "bulan", "minggu", "hari")
    parts = [f"{int(n)} {w}" for n, w in zip(match.groups(), words, strict=True) if n]
    return " ".join(parts) or "0 hari"


# -- catalogues -------------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}


def _kind_ok(kind: str, value: ParamValue) -> bool:
    if value is None:
        return True
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "datetime":
        return isinstance(value, datetime)
    if kind == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    if kind == "period":
        return isinstance(value, str) and _PERIOD.match(value) is not None
    if kind == "text" or kind.startswith("term:"):
        return isinstance(value, str)
    # texts, terms:<vocab>
    return isinstance(value, tuple) and all(isinstance(v, str) for v in value)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The vocabulary of one rule: its class codes, reason codes, note codes and the terms its
    parameters refer to, each with its Indonesian text.

    ``rule`` is the stable id stored with a result (a code means something only within its
    rule: ``"normal"`` is a BMI class and a blood-pressure class). ``terms`` maps a vocabulary
    name to its codes' Indonesian texts (``term:<vocab>`` parameters).
    """

    rule: str
    classes: Mapping[str, Message]
    reasons: Mapping[str, Message]
    notes: Mapping[str, Message] = field(default_factory=dict)
    terms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def render(self, message: Message, params: Params) -> str:
        """``message`` in Indonesian with ``params`` formatted by kind."""
        values: dict[str, str] = {}
        for name, kind in message.params.items():
            values[name] = self._format(kind, params.get(name))
        return message.text.format(**values)

    def _format(self, kind: str, value: ParamValue) -> str:
        if value is None:
            return "—"
        if kind in ("number", "integer") and isinstance(value, int | float):
            return number_id(value)
        if kind == "datetime" and isinstance(value, datetime):
            return datetime_id(value)
        if kind == "date" and isinstance(value, date):
            return date_id(value)
        if kind == "period" and isinstance(value, str):
            return period_id(value)
        if kind.startswith("term:") and isinstance(value, str):
            return self.terms[kind.removeprefix("term:")][value]
        if kind.startswith("terms:") and isinstance(value, tuple):
            vocabulary = self.terms[kind.removeprefix("terms:")]
            return ", ".join(vocabulary[v] for v in value)
        if kind == "texts" and isinstance(value, tuple):
            return ", ".join(value)
        return str(value)

    def label(self, code: str, params: Params) -> str:
        """The Indonesian label of class ``code``."""
        return self.render(self.classes[code], params)

    def reason_text(self, reason_code: str, params: Params, notes: Iterable[Note] = ()) -> str:
        """The Indonesian reason: the reason's text, then each note's, joined by "; "."""
        parts = [self.render(self.reasons[reason_code], params)]
        parts.extend(self.render(self.notes[n.code], n.params) for n in notes)
        return "; ".join(p for p in parts if p)

    def check(
        self, code: str, reason_code: str, params: Params, notes: Iterable[Note] = ()
    ) -> None:
        """Raise ValueError unless the codes are declared and the parameters are exactly the
        declared ones (class and reason together; each note its own), of their kinds."""
        if code not in self.classes:
            raise ValueError(f"{self.rule}: undeclared class code {code!r}")
        if reason_code not in self.reasons:
            raise ValueError(f"{self.rule}: undeclared reason code {reason_code!r}")
        kinds = {**self.classes[code].params, **self.reasons[reason_code].params}
        self._check_params(f"{code}/{reason_code}", kinds, params)
        for note in notes:
            if note.code not in self.notes:
                raise ValueError(f"{self.rule}: undeclared note code {note.code!r}")
            self._check_params(note.code, self.notes[note.code].params, note.params)

    def _check_params(self, what: str, kinds: Mapping[str, str], params: Params) -> None:
        if set(params) != set(kinds):
            raise ValueError(
                f"{self.rule} {what}: parameters {sorted(params)}, declared {sorted(kinds)}"
            )
        for name, kind in kinds.items():
            value = params[name]
            if not _kind_ok(kind, value):
                raise ValueError(f"{self.rule} {what}: {name}={value!r} is not a {kind}")
            if kind.startswith(TERM_PREFIXES) and value is not None:
                vocabulary = self.terms[kind.split(":", 1)[1]]
                items = (value,) if isinstance(value, str) else value
                unknown = (
                    [v for v in items if v not in vocabulary] if isinstance(items, tuple) else []
                )
                if unknown:
                    raise ValueError(f"{self.rule} {what}: {name} has undeclared terms {unknown}")

    def result(
        self,
        code: str,
        reason_code: str,
        params: Params | None = None,
        *,
        source: str,
        value: float | int | None = None,
        details: dict[str, object] | None = None,
        notes: tuple[Note, ...] = (),
    ) -> RuleResult:
        """A checked :class:`RuleResult` with its Indonesian label and reason rendered."""
        params = dict(params or {})
        self.check(code, reason_code, params, notes)
        return RuleResult(
            code=code,
            label=self.label(code, params),
            reason=self.reason_text(reason_code, params, notes),
            source=source,
            value=value,
            details=details if details is not None else {},
            rule=self.rule,
            reason_code=reason_code,
            params=params,
            notes=notes,
        )

    def entries(self) -> Iterator[tuple[str, str, Mapping[str, str]]]:
        """Every text of the catalogue as ``(key, template, kinds)`` for a gettext catalogue
        (``ilp.core.texts.register``): keys ``<rule>.class.<code>``, ``<rule>.reason.<code>``,
        ``<rule>.note.<code>`` and ``<rule>.term.<vocab>.<code>``; the Indonesian template
        with ``%(name)s`` placeholders (a literal ``%`` doubled); the parameter kinds."""
        groups = (("class", self.classes), ("reason", self.reasons), ("note", self.notes))
        for group, messages in groups:
            for code, message in messages.items():
                yield f"{self.rule}.{group}.{code}", percent_template(message.text), message.params
        for vocabulary, terms in self.terms.items():
            for code, text in terms.items():
                yield f"{self.rule}.term.{vocabulary}.{code}", percent_template(text), {}

    def validate(self) -> None:
        """Raise ValueError when a template and its declared parameters disagree or a kind is
        unknown (the tests run this over every catalogue)."""
        groups = (("class", self.classes), ("reason", self.reasons), ("note", self.notes))
        for group, messages in groups:
            for code, message in messages.items():
                used = _placeholders(message.text)
                if not used <= set(message.params):
                    raise ValueError(
                        f"{self.rule} {group} {code!r}: placeholders {sorted(used)} not all "
                        f"declared ({sorted(message.params)})"
                    )
                for name, kind in message.params.items():
                    if kind.startswith(TERM_PREFIXES):
                        vocabulary = kind.split(":", 1)[1]
                        if vocabulary not in self.terms:
                            raise ValueError(f"{self.rule} {code!r}: no terms {vocabulary!r}")
                    elif kind not in KINDS:
                        raise ValueError(f"{self.rule} {code!r}: {name} has unknown kind {kind}")


def percent_template(text: str) -> str:
    """A ``{name}`` template as a gettext ``%(name)s`` one (``%`` in the text doubled)."""
    out = []
    for literal, name, _spec, _conversion in _FORMATTER.parse(text):
        out.append(literal.replace("%", "%%"))
        if name:
            out.append(f"%({name})s")
    return "".join(out)


def params_to_json(params: Params) -> dict[str, JsonValue]:
    """Parameters as JSON values: dates and datetimes as ISO strings, tuples as lists."""
    out: dict[str, JsonValue] = {}
    for name, value in params.items():
        if isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def params_from_json(
    kinds: Mapping[str, str], data: Mapping[str, JsonValue]
) -> dict[str, ParamValue]:
    """:func:`params_to_json` undone, with the declared ``kinds`` of a message."""
    out: dict[str, ParamValue] = {}
    for name, value in data.items():
        kind = kinds.get(name, "text")
        if value is None:
            out[name] = None
        elif kind == "date" and isinstance(value, str):
            out[name] = date.fromisoformat(value)
        elif kind == "datetime" and isinstance(value, str):
            out[name] = datetime.fromisoformat(value)
        elif isinstance(value, list):
            out[name] = tuple(value)
        else:
            out[name] = value
    return out
