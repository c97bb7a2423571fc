"""The standards' classes, reasons, notes and terms read in English when the reader chose
English (issue 8: the English UI showed Indonesian reasons, because the catalogues' texts were
registered at run time and ``makemessages`` never extracted them)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from django.utils import translation

from ilp.care.texts import rule_class, rule_reason
from ilp.core.texts import render
from ilp.standards.anthropometry_adult import classify_central_obesity
from ilp.standards.blood_pressure import classify_blood_pressure
from ilp.standards.codes import catalogues
from ilp.standards.growth.categories import classify

ROOT = Path(__file__).resolve().parents[2]

# Texts that are the same in both languages because they hold no Indonesian word: clinical
# terms spelled alike ("Normal", "Optimal", "Prediabetes"), the ANC contact code "K<n>", and
# formulas of a measurement against a limit whose words are all parameters or units.
SAME_IN_ENGLISH = {
    "Normal",
    "Optimal",
    "Prediabetes",
    "K%(contacts)s",
    "%(index)s: z = %(z)s (%(band)s SD)",
    "%(test)s %(glucose)s mg/dL (%(low)s–%(high)s mg/dL, %(sample)s)",
    "%(test)s %(glucose)s mg/dL < %(limit)s mg/dL (%(sample)s)",
    "%(test)s %(glucose)s mg/dL ≥ %(limit)s mg/dL (%(sample)s)",
    "Hb %(hb)s g/dL < %(threshold)s (%(group)s)",
    "Hb %(hb)s g/dL ≥ %(threshold)s (%(group)s)",
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _entries() -> list[tuple[str, str]]:
    return [(key, template) for c in catalogues().values() for key, template, _ in c.entries()]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "standards_messages_tool", ROOT / "tools" / "standards_messages.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_msgid_module_is_in_step_with_the_catalogues():
    """A standards text added without re-running the generator (and so without a msgid in
    the .po file) fails here."""
    current = (ROOT / "src" / "ilp" / "care" / "standards_messages.py").read_text("utf-8")
    assert current == _generator().render_module(), "run tools/standards_messages.py"


def test_the_generated_module_lists_every_text_once():
    from ilp.care.standards_messages import MESSAGES

    assert sorted(MESSAGES) == sorted({template for _, template in _entries()})


@pytest.mark.parametrize(("key", "template"), _entries(), ids=lambda v: v)
def test_every_standards_text_renders_in_english(key, template):
    # Each parameter as a marker, so that the phrasing itself is compared.
    params = {name: f"<{name}>" for name in _PLACEHOLDER.findall(template)}
    with translation.override("id"):
        indonesian = render(key, params)
    with translation.override("en"):
        english = render(key, params)
    assert indonesian == template % params
    if template in SAME_IN_ENGLISH:
        assert english == indonesian
    else:
        assert english != indonesian, f"{key} has no English: {indonesian!r}"
    # The same parameters, each once: none lost or invented by the translation.
    assert sorted(re.findall(r"<(\w+)>", english)) == sorted(params)


def test_the_allowlist_holds_only_catalogue_texts():
    assert {template for _, template in _entries()} >= SAME_IN_ENGLISH


def test_a_wasting_result_reads_in_clinical_english():
    result = classify("wflh", -3.2, 300)
    with translation.override("en"):
        assert str(rule_class(result)) == "Severely wasted (gizi buruk)"
        assert str(rule_reason(result)) == "Weight-for-length/height: z = -3.2 (z < −3 SD)"
    with translation.override("id"):
        assert str(rule_class(result)) == "Gizi buruk"


def test_a_blood_pressure_result_reads_in_english():
    result = classify_blood_pressure(150, 95)
    with translation.override("en"):
        assert str(rule_class(result)) == "Hypertension grade 1"
        assert str(rule_reason(result)) == (
            "BP 150/95 mmHg: systolic and diastolic in the same class"
        )
    with translation.override("id"):
        assert str(rule_reason(result)) == (
            "TD 150/95 mmHg: sistolik dan diastolik pada kelas yang sama"
        )


def test_an_adult_waist_reads_men_not_boys():
    result = classify_central_obesity(95, "M")
    with translation.override("en"):
        assert str(rule_reason(result)) == "Waist circumference 95 cm > 90 cm (men)"
    with translation.override("id"):
        assert str(rule_reason(result)) == "Lingkar perut 95 cm > 90 cm (pria)"
