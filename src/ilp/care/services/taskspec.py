"""What an evaluation asks to be done next: a follow-up task to open (``TaskSpec``).

``ilp.care.evaluation`` puts one ``TaskSpec`` per alert that needs a task on the
evaluation; ``encounters.encounter_record`` opens it as a ``Task`` unless an open task of the
same kind and reason exists (reasons compared as codes with parameters, never as text).
"""

from __future__ import annotations

from dataclasses import dataclass

from ilp.core.texts import Text


@dataclass(frozen=True)
class TaskSpec:
    """A task to open: its ``kind`` (``TaskKind``), why (``reason``, stored as
    ``Task.reason_code`` + ``reason_params``) and when, in days after the encounter."""

    kind: str
    reason: Text
    due_days: int = 0

    @property
    def key(self) -> tuple[str, Text]:
        """What makes two tasks the same task: kind and reason (code and parameters)."""
        return (self.kind, self.reason)
