"""The result object every rule returns: a class code, its Indonesian label and the reason."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RuleResult:
    """Outcome of one clinical rule.

    code    stable machine code of the class (e.g. ``"krt"``, ``"grade_1"``)
    label   Indonesian label shown to users (e.g. ``"Kehamilan Risiko Tinggi"``)
    reason  the inputs that triggered the class, in words (Indonesian)
    source  the rule's published source, for display and audit
    value   the computed number behind the class (a score, a z-score), if any
    details extra named values (per-item scores, triggered factors, ...)
    """

    code: str
    label: str
    reason: str = ""
    source: str = ""
    value: float | int | None = None
    details: dict[str, object] = field(default_factory=dict)


class OutOfRange(ValueError):
    """An input outside its plausible range; names the field and the accepted range."""

    def __init__(self, field_name: str, value: object, low: object, high: object) -> None:
        self.field = field_name
        self.value = value
        self.low = low
        self.high = high
        super().__init__(f"{field_name}={value!r} is outside the plausible range {low}–{high}")
