"""The score of a coaching checklist (daftar tilik pembinaan terpadu) for one cluster.

Source: the Pedoman Pembinaan Terpadu Puskesmas oleh Dinkes (DOMAIN.md §4.1, S24) has the
team work through a checklist per programme and feed back what is and is not in place; it
gives no formula that ILP could cite. The rule below is therefore an [ILP choice], kept
plain so a Dinkes officer can check it by hand:

- Each item is answered ``yes`` (ya, in place), ``partial`` (sebagian), ``no`` (tidak) or
  ``na`` (tidak dinilai: not assessed at this visit, e.g. the officer in charge was away).
- Assessed items: yes + partial + no. Items answered ``na`` and items not answered yet are
  left out of the denominator, so a checklist half worked through is not read as half failed.
- Score: the share of assessed items met, met = ``yes`` only (a ``partial`` item is not met;
  it is shown beside the score), in percent rounded to one decimal; ``None`` when no item was
  assessed.

Example: 6 items answered yes, yes, partial, no, na and one unanswered → assessed 4, met 2,
score 50.0 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

ANSWER_CODES = ("yes", "partial", "no", "na")


@dataclass(frozen=True)
class ChecklistScore:
    """The counts of one cluster's checklist at one visit and its score (percent)."""

    items: int
    yes: int
    partial: int
    no: int
    not_assessed: int

    @property
    def unanswered(self) -> int:
        return self.items - self.yes - self.partial - self.no - self.not_assessed

    @property
    def assessed(self) -> int:
        return self.yes + self.partial + self.no

    @property
    def percent(self) -> float | None:
        if not self.assessed:
            return None
        return round(100 * self.yes / self.assessed, 1)


def score(items: int, answers: Iterable[str]) -> ChecklistScore:
    """The score of a checklist of `items` items given the answer codes recorded so far (at
    most one per item). An unknown code is a programming error: ValueError."""
    counts = Counter(answers)
    unknown = set(counts) - set(ANSWER_CODES)
    if unknown:
        raise ValueError(f"unknown checklist answer codes: {sorted(unknown)}")
    if sum(counts.values()) > items:
        raise ValueError("more answers than items")
    return ChecklistScore(
        items=items,
        yes=counts["yes"],
        partial=counts["partial"],
        no=counts["no"],
        not_assessed=counts["na"],
    )
