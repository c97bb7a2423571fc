"""What one evaluation returns: errors, unusual values, results, alerts and what to store.

`Evaluation` is filled by the package evaluators (`ilp.care.evaluation.engine`): results are
dicts ``{code, value, rule, class_code, params, abnormal, source, reason?}``, alerts
``{level, code, params, action_code, action_params}``; follow-up tasks derived from alerts
are kept for `encounter_record` (``tasks``), as are screenings, supplies and immunisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ilp.care.models import Screening
from ilp.care.services.taskspec import TaskSpec
from ilp.care.texts import class_text, rule_reason
from ilp.core.texts import Text
from ilp.standards.result import RuleResult


@dataclass
class Evaluation:
    """What a form shows after checking: errors, unusual values, results and alerts."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    # For encounter_record: tasks to open, screenings and supplies to store, cleaned values.
    tasks: list[TaskSpec] = field(default_factory=list)
    screenings: list[dict[str, Any]] = field(default_factory=list)
    supplies: dict[str, int] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    immunizations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def withhold_unconfirmed(self) -> None:
        """Drop what was computed from values that still need confirmation (``warnings``):
        nothing is classified, alerted or asked for until the health worker confirms."""
        if not self.warnings:
            return
        self.results, self.alerts, self.tasks, self.screenings = [], [], [], []
        for key in ("growth", "bmi", "trend", "two_t"):
            self.extra.pop(key, None)

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def warn(self, key: str, message: str) -> None:
        self.warnings.setdefault(key, []).append(message)

    def result(
        self,
        code: str,
        rule: RuleResult | None = None,
        *,
        value: Any = None,
        class_code: str = "",
        params: dict[str, Any] | None = None,
        reason: Text | None = None,
        abnormal: bool = False,
        screening: dict[str, Any] | None = None,
    ) -> None:
        """Add a result: ``code`` names what was measured (``care.result.<code>``); the class
        is the rule's (``rule.rule`` + ``rule.code``) or care's own (``class_code``,
        ``care.class.<code>.<class_code>`` with ``params``)."""
        item: dict[str, Any] = {
            "code": code,
            "value": value,
            "rule": "",
            "class_code": class_code,
            "params": dict(params or {}),
            "abnormal": abnormal,
            "source": "",
        }
        if rule is not None:
            data = rule.to_json()
            item["rule"] = rule.rule
            item["class_code"] = class_code or rule.code
            item["params"] = data["params"] if not class_code else item["params"]
            item["source"] = rule.source
            if value is None:
                item["value"] = rule.value
            if reason is None:
                reason = rule_reason(rule)
        if reason is not None:
            item["reason"] = reason.to_json()
        self.results.append(item)
        if screening is not None:
            self.screenings.append(
                {
                    "instrument": code,
                    "answers": screening.get("answers", {}),
                    "score": item["value"] if isinstance(item["value"], int | float) else None,
                    "result_code": item["class_code"],
                    **Screening.label_columns(class_text(item)),
                    "abnormal": abnormal,
                }
            )

    def alert(
        self,
        level: str,
        message: Text,
        action: Text | None = None,
        *,
        task: str | None = None,
        due_days: int = 0,
    ) -> None:
        """Add an alert ``{level, code, params, action_code, action_params}``; with ``task``,
        also the task to open (its reason is the alert's message)."""
        data = message.to_json()
        action_data = action.to_json() if action is not None else {"code": "", "params": {}}
        self.alerts.append(
            {
                "level": level,
                "code": data["code"],
                "params": data["params"],
                "action_code": action_data["code"],
                "action_params": action_data["params"],
            }
        )
        if task:
            self.tasks.append(TaskSpec(task, message, due_days))
