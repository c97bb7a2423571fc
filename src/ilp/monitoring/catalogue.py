"""The indicator catalogue: ``catalogue.toml`` read and checked into :class:`Indicator`s.

Indicators are data (ARCHITECTURE.md): a programme manager reads and reviews the TOML file;
the code only supplies the named rules of ``ilp.standards.coverage``. :func:`load_catalogue`
refuses a file with an unknown rule, a missing or mistyped field, a bad period, direction,
cluster, disaggregation or age band, naming the indicator and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ilp.standards import coverage

CATALOGUE_PATH = Path(__file__).with_name("catalogue.toml")
PERIODS = ("monthly", "cumulative-year", "annual")
DIRECTIONS = ("up", "down")
CLUSTERS = ("1", "2", "3", "4", "lintas")
DISAGGREGATIONS = ("sex", "age", "disability")
AGE_UNITS = ("months", "years")
_BAND = re.compile(r"^(\d+)(?:-(\d+)|\+)$")


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; the message names the indicator and field."""


@dataclass(frozen=True)
class Rule:
    """A numerator or denominator: the named rule and the plain statement of who counts."""

    rule: str
    counts: str
    kind: str = ""


@dataclass(frozen=True)
class AgeBand:
    label: str
    low: int
    high: int | None  # inclusive; None: open-ended

    def holds(self, age: int) -> bool:
        return age >= self.low and (self.high is None or age <= self.high)


@dataclass(frozen=True)
class Indicator:
    code: str
    name_id: str
    name_en: str
    cluster: str
    spm: int | None
    period: str
    direction: str
    target: float
    disaggregations: tuple[str, ...]
    age_unit: str
    age_bands: tuple[AgeBand, ...]
    numerator: Rule
    denominator: Rule
    standard: str
    source: str

    @property
    def monthly(self) -> bool:
        return self.period == "monthly"

    def name(self, language: str) -> str:
        """The name in the reader's language (Indonesian unless English)."""
        return self.name_en if language.startswith("en") else self.name_id


_TEXT_FIELDS = ("code", "name_id", "name_en", "standard", "source")


def _field(raw: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if name not in raw:
        raise CatalogueError(f"{where}: field {name!r} is missing")
    value = raw[name]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise CatalogueError(f"{where}: field {name!r} has the wrong type ({value!r})")
    return value


def _choice(raw: dict[str, Any], name: str, choices: tuple[str, ...], where: str) -> str:
    value: str = _field(raw, name, str, where)
    if value not in choices:
        raise CatalogueError(
            f"{where}: field {name!r} is {value!r}; expected one of {', '.join(choices)}"
        )
    return value


def _bands(raw: list[Any], where: str) -> tuple[AgeBand, ...]:
    bands = []
    for text in raw:
        match = _BAND.match(text) if isinstance(text, str) else None
        if match is None:
            raise CatalogueError(f"{where}: field 'age_bands' has a bad band {text!r}")
        low, high = int(match[1]), match[2]
        if high is not None and int(high) < low:
            raise CatalogueError(f"{where}: field 'age_bands' has a bad band {text!r}")
        bands.append(AgeBand(text, low, None if high is None else int(high)))
    return tuple(bands)


def _rule(raw: dict[str, Any], part: str, where: str) -> Rule:
    table = _field(raw, part, dict, where)
    name = _field(table, "rule", str, f"{where}, {part}")
    known = coverage.NUMERATORS if part == "numerator" else coverage.DENOMINATORS
    if name not in known:
        raise CatalogueError(f"{where}: field '{part}.rule' names an unknown rule {name!r}")
    counts = _field(table, "counts", str, f"{where}, {part}")
    kind = _field(table, "kind", str, f"{where}, {part}") if part == "denominator" else ""
    return Rule(name, counts, kind)


def parse_indicator(raw: dict[str, Any], position: int) -> Indicator:
    """One ``[[indicator]]`` table checked into an :class:`Indicator`."""
    where = f"indicator {raw.get('code', f'#{position}')!r}"
    texts = {name: _field(raw, name, str, where).strip() for name in _TEXT_FIELDS}
    for name, value in texts.items():
        if not value:
            raise CatalogueError(f"{where}: field {name!r} is empty")
    period = _choice(raw, "period", PERIODS, where)
    denominator = _rule(raw, "denominator", where)
    monthly_units = coverage.DENOMINATORS[denominator.rule][1]
    if monthly_units != (period == "monthly"):
        raise CatalogueError(
            f"{where}: field 'denominator.rule' {denominator.rule!r} does not fit period {period!r}"
        )
    disaggregations = _field(raw, "disaggregations", list, where)
    for d in disaggregations:
        if d not in DISAGGREGATIONS:
            raise CatalogueError(f"{where}: field 'disaggregations' has an unknown {d!r}")
    spm = _field(raw, "spm", int, where)
    target = _field(raw, "target", (int, float), where)
    if not 0 <= target <= 100:
        raise CatalogueError(f"{where}: field 'target' must be a percentage (0-100)")
    return Indicator(
        cluster=_choice(raw, "cluster", CLUSTERS, where),
        spm=spm or None,
        period=period,
        direction=_choice(raw, "direction", DIRECTIONS, where),
        target=float(target),
        disaggregations=tuple(disaggregations),
        age_unit=_choice(raw, "age_unit", AGE_UNITS, where),
        age_bands=_bands(_field(raw, "age_bands", list, where), where),
        numerator=_rule(raw, "numerator", where),
        denominator=denominator,
        **texts,
    )


def parse_catalogue(text: str) -> dict[str, Indicator]:
    """The indicators of a catalogue text by code, in file order (raises CatalogueError)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"catalogue is not valid TOML: {exc}") from exc
    tables = data.get("indicator")
    if not isinstance(tables, list) or not tables:
        raise CatalogueError("catalogue has no [[indicator]] table")
    indicators: dict[str, Indicator] = {}
    for position, raw in enumerate(tables, 1):
        indicator = parse_indicator(raw, position)
        if indicator.code in indicators:
            raise CatalogueError(f"indicator {indicator.code!r}: field 'code' is used twice")
        indicators[indicator.code] = indicator
    return indicators


@cache
def load_catalogue() -> dict[str, Indicator]:
    """The repository's catalogue (read once per process)."""
    return parse_catalogue(CATALOGUE_PATH.read_text(encoding="utf-8"))
