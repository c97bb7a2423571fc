"""Results, alerts and tasks are stored as codes with parameters and rendered in the reader's
language: the same finding in English and in Indonesian is one finding (issue 8)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ilp.care.models import Encounter, Task, TaskStatus
from ilp.care.views.results import alert_lines, decorate
from ilp.core.texts import Text
from tests.care import kader_records, resident

# A girl of 90 days, 60,4 cm and 4,8 kg: BB/PB z −2,50, "gizi kurang" (wasting).
WASTED = {"weight": 4.8, "height": 60.4, "measured": "lying"}


@pytest.fixture(autouse=True)
def care_urls(settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"


def _record(district, person, on, language):
    with translation.override(language):
        return kader_records(district, person, on, "child", dict(WASTED))


def _girl(district, on):
    return resident(district, "Wulan Sari", "F", on - timedelta(days=90))


def test_the_same_wasting_finding_in_english_and_indonesian_is_one_open_task(district):
    on = timezone.localdate() - timedelta(days=2)
    girl = _girl(district, on)
    _record(district, girl, on, "en")
    _record(district, girl, on + timedelta(days=1), "id")
    tasks = Task.objects.filter(person=girl, status=TaskStatus.OPEN)
    assert [(t.kind, t.reason_code, t.reason_params) for t in tasks] == [
        ("follow_up", "care.alert.wasting", {})
    ]


def test_stored_alerts_and_results_are_codes_not_sentences(district):
    on = timezone.localdate() - timedelta(days=2)
    girl = _girl(district, on)
    with translation.override("en"):
        enc = _record(district, girl, on, "en").encounter
    enc.refresh_from_db()
    assert enc.alerts == [
        {
            "level": "warning",
            "code": "care.alert.wasting",
            "params": {},
            "action_code": "care.action.refer_pmt",
            "action_params": {},
        }
    ]
    wflh = next(r for r in enc.results["items"] if r["code"] == "wflh")
    assert (wflh["rule"], wflh["class_code"], wflh["value"]) == (
        "growth_category",
        "gizi_kurang",
        -2.5,
    )
    assert "label" not in wflh and "class_label" not in wflh


def test_reasons_render_in_the_readers_language(district):
    on = timezone.localdate() - timedelta(days=2)
    girl = _girl(district, on)
    enc = _record(district, girl, on, "id").encounter
    task = Task.objects.get(person=girl)
    with translation.override("en"):
        assert str(task.reason) == "Moderately wasted (gizi kurang)"
        assert alert_lines(enc.alerts)[0]["action"] == (
            "Refer to puskesmas for recovery supplementary feeding (PMT)"
        )
        wflh = next(r for r in decorate(enc.results) if r["code"] == "wflh")
        assert (wflh["label"], wflh["z_text"]) == ("Weight-for-length/height", "−2.50")
    with translation.override("id"):
        assert str(task.reason) == "Gizi kurang"
        wflh = next(r for r in decorate(enc.results) if r["code"] == "wflh")
        assert (wflh["label"], wflh["class_label"], wflh["z_text"]) == (
            "BB/PB atau BB/TB",
            "Gizi kurang",
            "−2,50",
        )


def test_english_person_page_shows_english_reasons_and_dates(district, client_for, settings):
    on = date(2025, 3, 5)
    girl = _girl(district, on)
    _record(district, girl, on, "id")
    client = client_for(district.kader_ampel_timur)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("care:person", kwargs={"person_uuid": girl.uuid})).content.decode()
    assert "Moderately wasted (gizi kurang)" in html
    assert "March 5, 2025" in html
    assert "(z −2.50)" in html
    assert "Rujuk ke puskesmas untuk PMT pemulihan" not in html


def test_indonesian_person_page_writes_decimal_commas_and_indonesian_dates(district, client_for):
    on = date(2025, 3, 5)
    girl = _girl(district, on)
    _record(district, girl, on, "en")
    client = client_for(district.kader_ampel_timur)
    html = client.get(reverse("care:person", kwargs={"person_uuid": girl.uuid})).content.decode()
    # The growth charts (their data attributes are machine-readable) are the charts' concern.
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    assert "Gizi kurang" in html
    assert "5 Maret 2025" in html
    assert "(z −2,50)" in html
    assert "−2.50" not in html and "2025-03-05" not in html and "05-03-2025" not in html
    # the open task, due 14 days later, with its date in Indonesian
    assert "19 Maret 2025" in html


def test_legacy_sentences_in_old_encounters_still_show(district, client_for):
    girl = _girl(district, date(2025, 3, 5))
    Encounter.objects.create(
        person=girl,
        date=date(2025, 3, 5),
        place_kind="posyandu",
        facility=district.pos_ampel_timur_f,
        cluster="k2",
        package="child",
        results={
            "items": [
                {
                    "code": "wflh",
                    "label": "BB/PB atau BB/TB",
                    "value": -2.5,
                    "class_code": "gizi_kurang",
                    "class_label": "Gizi kurang",
                    "abnormal": True,
                    "source": "",
                }
            ]
        },
        alerts=[{"level": "warning", "message": "Gizi kurang", "action": "Rujuk ke puskesmas"}],
    )
    Task.objects.create(
        person=girl,
        kind="follow_up",
        reason="Gizi kurang: Rujuk ke puskesmas",
        due_date=date(2025, 3, 19),
        facility=district.pos_ampel_timur_f,
    )
    client = client_for(district.kader_ampel_timur)
    response = client.get(reverse("care:person", kwargs={"person_uuid": girl.uuid}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gizi kurang: Rujuk ke puskesmas" in html
    assert "<strong>Gizi kurang</strong> → Rujuk ke puskesmas" in html


def test_task_reason_is_a_text():
    task = Task(reason=Text("care.alert.wasting"))
    assert (task.reason_code, task.reason_params) == ("care.alert.wasting", {})
    assert task.reason == Text("care.alert.wasting")
