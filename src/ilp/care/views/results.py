"""Shape the services' results and alerts for display.

Results and alerts are stored as codes with parameters (shapes in ``ilp.care.texts``) and
rendered here, in the reader's language, when a page shows them. An encounter keeps them as
its ``results`` / ``alerts`` snapshot; snapshots written before codes (sentences) still show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import formats

from ilp.care.texts import class_text, result_label
from ilp.core.texts import format_value, render_json
from ilp.standards.referral_findings import calls_for_referral

# The three anthropometric indices a kader reads at the posyandu, in table order.
SESSION_INDICES = ("wfa", "lhfa", "wflh")
# Categories shown in red: gizi buruk/kurang, stunting, BB sangat kurang/kurang.
SEVERE = frozenset({"gizi_buruk", "sangat_pendek", "bb_sangat_kurang", "very_low"})
MODERATE = frozenset({"gizi_kurang", "pendek", "bb_kurang", "low"})


def result_list(results: Any) -> list[dict[str, Any]]:
    """The list of result dicts from an Evaluation's ``results`` or an encounter snapshot."""
    if isinstance(results, Mapping):  # an encounter's snapshot: {"items": [...], ...}
        results = results.get("items", results.get("results", []))
    return [r for r in (results or []) if isinstance(r, Mapping)]


def severity(result: Mapping[str, Any]) -> str:
    """'severe', 'moderate', 'abnormal', 'normal' or 'none' for colouring a result.

    A z-score the national tables do not classify (LiLA/U, head circumference for age) is
    coloured by the WHO SD lines (below −3 severe, below −2 moderate, above +2 abnormal) and
    is 'none' (no colour) between them: no category is not "normal"."""
    code = result.get("class_code") or ""
    if code in SEVERE:
        return "severe"
    if code in MODERATE:
        return "moderate"
    z = result.get("value")
    if not code and result.get("code") in _Z_CODES and isinstance(z, int | float):
        if z < -3:
            return "severe"
        return "moderate" if z < -2 else "abnormal" if z > 2 else "none"
    return "abnormal" if result.get("abnormal") else "normal"


def z_text(value: Any) -> str:
    """A z-score with its sign, as the reader's locale writes numbers ("−3,91", "+1.20")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = formats.number_format(abs(value), decimal_pos=2)
        return ("−" if value < 0 else "+") + text
    return ""


def value_text(value: Any) -> str:
    """A stored value as the reader's locale writes it (numbers with its decimal mark)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return format_value(value)
    return str(value)


def decorate(results: Any) -> list[dict[str, Any]]:
    """Result dicts for display (copies): ``label``, ``class_label`` and ``reason`` rendered
    in the active language from the stored codes, a display severity and z text.

    Encounters stored before results were codes carry ``label``/``class_label`` sentences:
    those are shown as they were written."""
    out = []
    for r in result_list(results):
        item = dict(r)
        if "label" not in r:  # codes with parameters
            item["label"] = str(result_label(r))
            klass = class_text(r)
            item["class_label"] = str(klass) if klass is not None else ""
            reason = r.get("reason")
            item["reason"] = render_json(reason) if isinstance(reason, Mapping) else ""
        item["severity"] = severity(r)
        item["z_text"] = z_text(r.get("value")) if r.get("code") in _Z_CODES else ""
        item["value_text"] = value_text(r.get("value"))
        out.append(item)
    return out


_Z_CODES = frozenset({"wfa", "lhfa", "wflh", "bfa", "hcfa", "acfa"})


def growth_cells(results: Any) -> list[dict[str, Any]]:
    """BB/U, TB/U, BB/TB cells for the session row (empty dict where not computed)."""
    by_code = {r.get("code"): r for r in decorate(results)}
    return [by_code.get(code, {}) for code in SESSION_INDICES]


def alert_lines(alerts: Iterable[Any] | None) -> list[dict[str, str]]:
    """Alerts rendered in the active language: dicts with level, message, action.

    Stored alerts are ``{level, code, params, action_code, action_params}``; alerts stored
    before that (``{level, message, action}`` sentences, or bare strings) are shown as
    written."""
    out = []
    for a in alerts or []:
        if isinstance(a, Mapping) and a.get("code"):
            action = ""
            if a.get("action_code"):
                action = render_json({"code": a["action_code"], "params": a.get("action_params")})
            out.append(
                {
                    "level": str(a.get("level") or "warning"),
                    "message": render_json({"code": a["code"], "params": a.get("params") or {}}),
                    "action": action,
                }
            )
        elif isinstance(a, Mapping):
            out.append(
                {
                    "level": str(a.get("level") or "warning"),
                    "message": str(a.get("message") or ""),
                    "action": str(a.get("action") or ""),
                }
            )
        else:
            out.append({"level": "warning", "message": str(a), "action": ""})
    return out


def alert_rows(alerts: Iterable[Any] | None) -> list[dict[str, Any]]:
    """``alert_lines`` for a page that offers "Rujuk": each line also with the alert's
    ``code`` and whether it calls for a referral (``refer``,
    ``ilp.standards.referral_findings``)."""
    stored = list(alerts or [])
    out = []
    for alert, line in zip(stored, alert_lines(stored), strict=True):
        coded = isinstance(alert, Mapping) and bool(alert.get("code"))
        code = str(alert["code"]) if coded else ""
        action = str(alert.get("action_code") or "") if coded else ""
        out.append({**line, "code": code, "refer": coded and calls_for_referral(code, action)})
    return out
