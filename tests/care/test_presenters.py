"""ilp.care.presenters: results and alerts for the API, from snapshots stored as sentences
(before codes) and as codes with parameters, labels rendered in the request's language."""

from __future__ import annotations

from django.utils import translation

from ilp.care.presenters import present_alert, present_result, present_results
from ilp.core.texts import Text, register

register(
    {
        "test.presenter.fever": "Demam %(t)s °C",
        "test.presenter.refer": "Rujuk ke puskesmas",
    }
)


def test_an_alert_stored_as_sentences_keeps_its_words_and_has_no_code():
    alert = {"level": "danger", "message": "Demam masa nifas", "action": "Rujuk ke puskesmas"}
    assert present_alert(alert) == {
        "code": "",
        "params": {},
        "level": "danger",
        "label": "Demam masa nifas",
        "action": "Rujuk ke puskesmas",
    }
    assert present_alert("Periksa ulang")["label"] == "Periksa ulang"


def test_an_alert_stored_as_codes_is_rendered_in_the_active_language():
    alert = {
        "level": "danger",
        "code": "test.presenter.fever",
        "params": {"t": 38.5},
        "action_code": "test.presenter.refer",
        "action_params": {},
    }
    shown = present_alert(alert)
    assert (shown["code"], shown["params"], shown["label"], shown["action"]) == (
        "test.presenter.fever",
        {"t": 38.5},
        "Demam 38,5 °C",
        "Rujuk ke puskesmas",
    )
    with translation.override("en"):
        assert present_alert(alert)["label"] == "Demam 38.5 °C"


def test_a_message_stored_as_text_json_gives_its_code_and_params():
    alert = {"level": "warning", "message": Text("test.presenter.fever", {"t": 39}).to_json()}
    shown = present_alert(alert)
    assert (shown["code"], shown["params"], shown["label"]) == (
        "test.presenter.fever",
        {"t": 39},
        "Demam 39 °C",
    )


def test_a_result_stored_as_sentences():
    stored = {
        "code": "wfa",
        "label": "BB/U",
        "value": -2.41,
        "class_code": "bb_kurang",
        "class_label": "Berat badan kurang",
        "abnormal": True,
        "source": "WHO 2006",
    }
    assert present_result(stored) == {**stored, "params": {}, "reason": ""}
    assert [r["code"] for r in present_results({"items": [stored, "junk"]})] == ["wfa"]
