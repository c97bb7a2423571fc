"""A visit's snapshot as the visit page shows it, in the reader's language: the indicator rows
(value, target, status) and the data-quality measures and problems, rendered from the codes
and numbers frozen in ``CoachingVisit.snapshot`` (or read live for a visit not done yet,
``services.visit_snapshot``); and the data-quality reason of a recommendation with the value
frozen at its visit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from ilp.monitoring import quality
from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.pws import STATUS_LABELS


def indicator_rows(snapshot: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not snapshot:
        return []
    language = get_language() or "id"
    catalogue = load_catalogue()
    return [
        {
            **row,
            "name": catalogue[row["code"]].name(language) if row["code"] in catalogue else "",
            "status_label": STATUS_LABELS.get(row["status"], "") if row["status"] else "",
        }
        for row in snapshot["rows"]
    ]


def _measure(row: dict[str, Any]) -> quality.Measure:
    return quality.Measure(row["code"], row["value"], row["n"], row["d"], row["status"])


def quality_part(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    """The data-quality part for the page: its month, each measure (label, value as text,
    status label) and each problem's sentence; None when the snapshot has none (a visit done
    before it was frozen, or a reader without data quality)."""
    part = (snapshot or {}).get("quality")
    if not part:
        return None
    measures = [_measure(m) for m in part["measures"] if m["code"] in quality.MEASURE_LABELS]
    problems = [
        quality.Problem(
            code=p["code"],
            params=p["params"],
            status=p["status"],
            place_code=p["place_code"],
            place_name=p["place_name"],
            value=p["value"],
            severity=p["severity"],
            url="",
        )
        for p in part["problems"]
        if p["code"] in quality.PROBLEM_TEXTS
    ]
    return {
        "year": part["year"],
        "month": part["month"],
        "measures": [
            {"label": m.label, "text": m.text, "status": m.status, "status_label": m.status_label}
            for m in measures
        ],
        "problems": [{"label": p.label, "status_label": p.status_label} for p in problems],
    }


def quality_reason(code: str, snapshot: dict[str, Any] | None) -> dict[str, str] | None:
    """A recommendation's data-quality reason: the check's label and, when its visit froze
    one, the puskesmas' value and status of that check then."""
    if not code:
        return None
    label = str(quality.MEASURE_LABELS.get(code, code))
    part = (snapshot or {}).get("quality") or {}
    frozen = next((m for m in part.get("measures", []) if m["code"] == code), None)
    if frozen is None or frozen["value"] is None:
        return {"label": label, "text": "", "status_label": ""}
    measure = _measure(frozen)
    return {"label": label, "text": measure.text, "status_label": measure.status_label}
