"""Every write of the care app: encounters with their values, posyandu sessions, tasks.

Public interface (the UI, the API and the work lists use exactly these names):

- `evaluate_package(*, person, on, package, values) -> Evaluation` (no writes)
- `encounter_record(*, actor, person, on, package, place_kind, facility, values, ...)
  -> RecordResult`
- `session_open`, `session_expected`, `session_mark_attendance`, `session_record_weighing`,
  `session_record_adult`, `session_add_visitor`, `session_close`
- `task_close`
"""

from __future__ import annotations

from ilp.care.evaluation.engine import evaluate_package
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.services.encounters import RecordResult, encounter_record
from ilp.care.services.sessions import (
    SessionClosed,
    session_add_visitor,
    session_close,
    session_expected,
    session_mark_attendance,
    session_open,
    session_record_adult,
    session_record_weighing,
)
from ilp.care.services.tasks import task_close

__all__ = [
    "Evaluation",
    "RecordResult",
    "SessionClosed",
    "encounter_record",
    "session_add_visitor",
    "evaluate_package",
    "session_close",
    "session_expected",
    "session_mark_attendance",
    "session_open",
    "session_record_adult",
    "session_record_weighing",
    "task_close",
]
