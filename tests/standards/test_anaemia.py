"""Anaemia thresholds: WHO 2011 and WHO 2024 (CLINICAL.md §3.4)."""

from __future__ import annotations

import pytest

from ilp.standards.anaemia import classify_anaemia
from ilp.standards.result import OutOfRange


@pytest.mark.parametrize(
    ("hb", "kwargs", "code", "threshold"),
    [
        (10.9, {"age_months": 12, "sex": "M"}, "anaemia", 11.0),
        (11.0, {"age_months": 12, "sex": "M"}, "no_anaemia", 11.0),
        (11.4, {"age_months": 8 * 12, "sex": "F"}, "anaemia", 11.5),
        (11.5, {"age_months": 8 * 12, "sex": "F"}, "no_anaemia", 11.5),
        (11.9, {"age_months": 13 * 12, "sex": "M"}, "anaemia", 12.0),
        (11.9, {"age_months": 20 * 12, "sex": "F"}, "anaemia", 12.0),
        (12.0, {"age_months": 20 * 12, "sex": "F"}, "no_anaemia", 12.0),
        (12.9, {"age_months": 30 * 12, "sex": "M"}, "anaemia", 13.0),
        (10.9, {"age_months": 25 * 12, "sex": "F", "pregnant": True}, "anaemia", 11.0),
        (11.0, {"age_months": 25 * 12, "sex": "F", "pregnant": True}, "no_anaemia", 11.0),
        # A pregnant 14-year-old uses the pregnancy threshold.
        (11.5, {"age_months": 14 * 12, "sex": "F", "pregnant": True}, "no_anaemia", 11.0),
    ],
)
def test_who2011(hb, kwargs, code, threshold):
    r = classify_anaemia(hb, **kwargs)
    assert r.code == code
    assert r.details["threshold"] == threshold
    assert r.details["reference"] == "who2011"


@pytest.mark.parametrize(
    ("hb", "kwargs", "code", "threshold"),
    [
        (10.4, {"age_months": 12, "sex": "M"}, "anaemia", 10.5),
        (10.5, {"age_months": 12, "sex": "M"}, "no_anaemia", 10.5),
        (10.9, {"age_months": 30, "sex": "M"}, "anaemia", 11.0),
        (
            10.6,
            {"age_months": 300, "sex": "F", "pregnant": True, "trimester": 2},
            "no_anaemia",
            10.5,
        ),
        (10.6, {"age_months": 300, "sex": "F", "pregnant": True, "trimester": 1}, "anaemia", 11.0),
        (10.9, {"age_months": 300, "sex": "F", "pregnant": True, "trimester": 3}, "anaemia", 11.0),
    ],
)
def test_who2024(hb, kwargs, code, threshold):
    r = classify_anaemia(hb, reference="who2024", **kwargs)
    assert r.code == code
    assert r.details["threshold"] == threshold


def test_severity_bands_who2011_pregnant():
    kw = {"age_months": 300, "sex": "F", "pregnant": True}
    assert classify_anaemia(10.0, **kw).details["severity"] == "mild"
    assert classify_anaemia(9.9, **kw).details["severity"] == "moderate"
    assert classify_anaemia(7.0, **kw).details["severity"] == "moderate"
    r = classify_anaemia(6.9, **kw)
    assert r.details["severity"] == "severe"
    assert r.label == "Anemia berat"
    assert classify_anaemia(11.0, **kw).details["severity"] is None


def test_who2024_pregnant_needs_trimester():
    with pytest.raises(ValueError, match="trimester"):
        classify_anaemia(10.0, age_months=300, sex="F", pregnant=True, reference="who2024")


def test_errors():
    with pytest.raises(OutOfRange) as e:
        classify_anaemia(10.0, age_months=5, sex="M")
    assert e.value.field == "age_months"
    with pytest.raises(OutOfRange) as e:
        classify_anaemia(30.0, age_months=50, sex="M")
    assert e.value.field == "hb_g_dl"
    with pytest.raises(OutOfRange) as e:
        classify_anaemia(10.0, age_months=300, sex="F", pregnant=True, trimester=4)
    assert e.value.field == "trimester"
    with pytest.raises(ValueError):
        classify_anaemia(10.0, age_months=300, sex="M", pregnant=True)
    with pytest.raises(ValueError):
        classify_anaemia(10.0, age_months=300, sex="F", reference="who2030")
