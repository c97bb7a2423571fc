"""Shape the services' results and alerts for display.

Results are dicts ``{code, label, value, class_code, class_label, abnormal, source}``;
alerts ``{level: danger|warning, message, action}`` (``ilp.care.services.packages``).
An encounter keeps them as its ``results`` / ``alerts`` snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# The three anthropometric indices a kader reads at the posyandu, in table order.
SESSION_INDICES = ("wfa", "lhfa", "wflh")
# Categories shown in red: gizi buruk/kurang, stunting, BB sangat kurang/kurang.
SEVERE = frozenset({"gizi_buruk", "sangat_pendek", "bb_sangat_kurang"})
MODERATE = frozenset({"gizi_kurang", "pendek", "bb_kurang"})


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
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:+.2f}".replace("-", "−").replace(".", ",")
    return ""


def decorate(results: Any) -> list[dict[str, Any]]:
    """Result dicts with a display severity and z text added (copies)."""
    out = []
    for r in result_list(results):
        item = dict(r)
        item["severity"] = severity(r)
        item["z_text"] = z_text(r.get("value")) if r.get("code") in _Z_CODES else ""
        out.append(item)
    return out


_Z_CODES = frozenset({"wfa", "lhfa", "wflh", "bfa", "hcfa", "acfa"})


def growth_cells(results: Any) -> list[dict[str, Any]]:
    """BB/U, TB/U, BB/TB cells for the session row (empty dict where not computed)."""
    by_code = {r.get("code"): r for r in decorate(results)}
    return [by_code.get(code, {}) for code in SESSION_INDICES]


def alert_lines(alerts: Iterable[Any] | None) -> list[dict[str, str]]:
    """Alerts as dicts with level, message, action (strings become a warning message)."""
    out = []
    for a in alerts or []:
        if isinstance(a, Mapping):
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
