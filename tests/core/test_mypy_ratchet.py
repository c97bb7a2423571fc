"""The mypy ratchet's rule: no module above its baseline, nothing at all in ilp.standards."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("mypy_ratchet", ROOT / "tools" / "mypy_ratchet.py")
ratchet = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ratchet)


def test_more_errors_than_the_baseline_fail_and_fewer_are_reported():
    baseline = {"src/ilp/people/views.py": 3, "src/ilp/care/forms.py": 2}
    counts = Counter({"src/ilp/people/views.py": 4, "src/ilp/care/forms.py": 1})
    failures, better = ratchet.compare(counts, baseline)
    assert failures == ["src/ilp/people/views.py: 4 errors, 3 allowed"]
    assert better == ["src/ilp/care/forms.py: 1 errors, baseline 2"]


def test_a_module_new_to_mypy_errors_fails():
    failures, _ = ratchet.compare(Counter({"src/ilp/core/new.py": 1}), {})
    assert failures == ["src/ilp/core/new.py: 1 errors, 0 allowed"]


def test_standards_are_strict_whatever_the_baseline_says():
    counts = Counter({"src/ilp/standards/growth/engine.py": 1})
    failures, _ = ratchet.compare(counts, {"src/ilp/standards/growth/engine.py": 5})
    assert failures == ["src/ilp/standards/growth/engine.py: 1 errors, 0 allowed"]


def test_the_committed_baseline_allows_nothing_in_the_standards():
    baseline = json.loads((ROOT / "tools" / "mypy-baseline.json").read_text())
    assert baseline
    assert not [path for path in baseline if path.startswith("src/ilp/standards/")]
    assert all(isinstance(n, int) and n > 0 for n in baseline.values())
