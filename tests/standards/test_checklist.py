"""The checklist score (``ilp.standards.checklist``) on hand-worked cases."""

from __future__ import annotations

import pytest

from ilp.standards.checklist import score


def test_the_docstring_example():
    # 6 items: yes, yes, partial, no, na, one unanswered → assessed 4 (yes+partial+no), met 2.
    s = score(6, ["yes", "yes", "partial", "no", "na"])
    assert (s.yes, s.partial, s.no, s.not_assessed, s.unanswered, s.assessed) == (2, 1, 1, 1, 1, 4)
    assert s.percent == 50.0


def test_one_third_rounds_to_one_decimal():
    # 1 met of 3 assessed = 33.33… → 33.3; the "na" is out of the denominator.
    assert score(4, ["yes", "no", "partial", "na"]).percent == 33.3


def test_nothing_assessed_has_no_score():
    assert score(3, ["na"]).percent is None
    assert score(3, []).percent is None
    assert score(3, []).unanswered == 3


def test_all_met():
    assert score(2, ["yes", "yes"]).percent == 100.0


def test_unknown_code_and_too_many_answers_are_refused():
    with pytest.raises(ValueError, match="unknown checklist answer codes"):
        score(2, ["maybe"])
    with pytest.raises(ValueError, match="more answers than items"):
        score(1, ["yes", "no"])
