"""Results, alerts, work items and tasks as the API shows them: a stable ``code`` with its
``params``, and a ``label`` rendered in the request's language.

The one place that turns what the care services store into API shapes. It reads both forms
an encounter's snapshot may hold: the earlier one with sentences (``label``, ``message``,
``action`` as text, in the language of whoever saved it) and the one with codes and
parameters (``ilp.core.texts.Text`` as ``{"code", "params"}``), rendered only here, when read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ilp.care.evaluation import ages
from ilp.care.texts import class_text, result_label
from ilp.core.texts import Text

_RESULT_FIELDS = ("value", "class_code", "abnormal", "source")


def _is_text_json(value: Any) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("code"), str)


def text_of(value: Any) -> Text | None:
    """The Text in a stored value (a Text, its JSON form), or None for plain text."""
    if isinstance(value, Text):
        return value
    if _is_text_json(value):
        return Text.from_json(value)
    return None


def rendered(value: Any) -> str:
    """A stored label in the active language: a Text (or its JSON) rendered, a sentence
    stored before codes as it is."""
    text = text_of(value)
    if text is not None:
        return str(text)
    return "" if value is None else str(value)


def _code_params(value: Any, fallback_code: str = "") -> tuple[str, dict[str, Any]]:
    text = text_of(value)
    if text is None:
        return fallback_code, {}
    return text.code, Text(text.code, text.params).to_json()["params"]


def present_result(item: Mapping[str, Any]) -> dict[str, Any]:
    """One result: ``{code, params, label, value, class_code, class_label, abnormal, source,
    reason}``; `code` is the result's code (``wfa``, ``bp``…), `params` those of its class.

    Stored as codes (no ``label``: ``ilp.care.texts`` phrases the measurement and its class)
    or, before codes, as sentences."""
    if "label" not in item:
        klass = class_text(item)
        return {
            "code": str(item.get("code") or ""),
            "params": Text("", item.get("params") or {}).to_json()["params"],
            "label": str(result_label(item)),
            "value": _json_value(item.get("value")),
            "class_code": str(item.get("class_code") or ""),
            "class_label": str(klass) if klass is not None else "",
            "abnormal": bool(item.get("abnormal")),
            "source": rendered(item.get("source")),
            "reason": rendered(item.get("reason")),
        }
    _, params = _code_params(item.get("label"))
    out: dict[str, Any] = {
        "code": str(item.get("code") or ""),
        "params": item.get("params") or params,
        "label": rendered(item.get("label")),
        "class_label": rendered(item.get("class_label")),
        "reason": rendered(item.get("reason")),
    }
    for name in _RESULT_FIELDS:
        out[name] = item.get(name)
    class_code, _ = _code_params(item.get("class_label"))
    out["class_code"] = str(item.get("class_code") or class_code or "")
    out["abnormal"] = bool(out["abnormal"])
    out["source"] = rendered(out["source"])
    out["value"] = _json_value(out["value"])
    return out


def _json_value(value: Any) -> float | int | str | None:
    """A result's value as the API shows it: numbers and text as they are, else text."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        return value
    return str(value)


def present_results(results: Any) -> list[dict[str, Any]]:
    """An Evaluation's results, or an encounter's ``results`` snapshot (``{"items": …}``)."""
    if isinstance(results, Mapping):
        results = results.get("items", [])
    return [present_result(r) for r in results or [] if isinstance(r, Mapping)]


def present_alert(alert: Any) -> dict[str, Any]:
    """One alert: ``{code, params, level, label, action}`` (`label` the finding, `action`
    what to do, both rendered)."""
    if not isinstance(alert, Mapping):  # a bare sentence, from the oldest snapshots
        return {"code": "", "params": {}, "level": "warning", "label": str(alert), "action": ""}
    if alert.get("code") and "message" not in alert:  # codes: {level, code, params, action_…}
        params = dict(alert.get("params") or {})
        action_code = alert.get("action_code") or ""
        return {
            "code": str(alert["code"]),
            "params": params,
            "level": str(alert.get("level") or "warning"),
            "label": rendered({"code": alert["code"], "params": params}),
            "action": rendered({"code": action_code, "params": alert.get("action_params") or {}})
            if action_code
            else "",
        }
    message = alert.get("message", alert.get("label"))
    code, params = _code_params(message)
    return {
        "code": str(alert.get("code") or code),
        "params": alert.get("params") or params,
        "level": str(alert.get("level") or "warning"),
        "label": rendered(message),
        "action": rendered(alert.get("action")),
    }


def present_alerts(alerts: Any) -> list[dict[str, Any]]:
    return [present_alert(a) for a in alerts or []]


def present_work_item(item: Any) -> dict[str, Any]:
    """One work-list item of a person (``ilp.care.worklists.WorkItem``)."""
    why = item.why
    code, params = _code_params(why, "")
    return {
        "item": item.item,
        "state": item.state,
        "since": item.since,
        "code": code or item.item,
        "params": params,
        "label": rendered(why),
        "urgency": item.urgency,
        "danger": bool(item.danger),
        "task": (item.detail or {}).get("task"),
    }


def present_task(task: Any, *, today: date) -> dict[str, Any]:
    """One open task: kind, its reason (code, params, label), due date and whether overdue."""
    reason = task.reason
    code, params = _code_params(reason)
    return {
        "uuid": task.uuid,
        "kind": task.kind,
        "kind_label": str(task.get_kind_display()),
        "code": code,
        "params": params,
        "label": rendered(reason),
        "due_date": task.due_date,
        "overdue": task.due_date < today,
        "facility": task.facility.code,
    }


def age_text(birth: date, on: date) -> str:
    """A person's age on `on` as the pages write it: days under 60 days, months under two
    years, else years and months."""
    months = ages.months_on(birth, on)
    if months < 24:
        days = (on - birth).days
        if days < 60:
            return _("%(d)d hari") % {"d": days}
        return _("%(m)d bulan") % {"m": months}
    return _("%(y)d tahun %(m)d bulan") % {"y": months // 12, "m": months % 12}
