"""Codes with parameters (ilp.core.texts): stored as JSON, compared as codes, rendered in the
reader's language with locale-formatted dates and numbers."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy

from ilp.core import texts
from ilp.core.texts import Number, Text

texts.register(
    {
        "test.wasting": gettext_lazy("Gizi kurang (z %(z)s) sejak %(since)s"),
        "test.dose": gettext_lazy("Dosis %(dose)s"),
        "test.nested": gettext_lazy("Tindak lanjut: %(finding)s"),
    }
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "Gizi kurang (z -2,41) sejak 5 Maret 2025"),
        ("en", "Gizi kurang (z -2.41) sejak March 5, 2025"),
    ],
)
def test_numbers_and_dates_follow_the_reader_locale(language, expected):
    with translation.override(language):
        assert str(Text("test.wasting", {"z": -2.41, "since": date(2025, 3, 5)})) == expected


def test_fixed_decimals():
    with translation.override("id"):
        assert texts.format_value(Number(8.8, 1)) == "8,8"
        assert texts.format_value(Number(12, 1)) == "12,0"
        assert texts.format_value(8.80) == "8,8"
        assert texts.format_value(12345) == "12.345"


def test_json_round_trip_keeps_types_and_equality():
    original = Text(
        "test.nested",
        {"finding": Text("test.dose", {"dose": "MR1"}), "on": date(2025, 1, 2), "w": Number(8.8)},
    )
    stored = original.to_json()
    assert stored == {
        "code": "test.nested",
        "params": {
            "finding": {"text": {"code": "test.dose", "params": {"dose": "MR1"}}},
            "on": {"date": "2025-01-02"},
            "w": {"number": 8.8, "decimals": 1},
        },
    }
    again = Text.from_json(stored)
    assert again == original
    assert hash(again) == hash(original)
    with translation.override("id"):
        assert str(again) == "Tindak lanjut: Dosis MR1"


def test_the_same_finding_is_equal_whatever_the_language():
    with translation.override("en"):
        a = Text("test.wasting", {"z": -2.41, "since": date(2025, 3, 5)})
    with translation.override("id"):
        b = Text("test.wasting", {"z": -2.41, "since": date(2025, 3, 5)})
    assert a == b
    assert len({a, b}) == 1


def test_unknown_code_renders_as_itself():
    assert texts.render("no.such.code") == "no.such.code"


def test_registering_a_code_twice_with_other_phrasing_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        texts.register({"test.dose": gettext_lazy("Something else %(dose)s")})


def test_template_filter_renders_stored_json():
    template = Template("{% load ilp_texts %}{{ reason|text }}")
    stored = Text("test.dose", {"dose": "DPT-HB-Hib 1"}).to_json()
    with translation.override("id"):
        assert template.render(Context({"reason": stored})) == "Dosis DPT-HB-Hib 1"
    assert template.render(Context({"reason": None})) == ""
