"""Screening class labels and a dose's invalid reason are stored as codes with parameters and
phrased in the reader's language when shown (issue 8: translated sentences were stored, so the
English UI showed Indonesian text)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ilp.care.models import ImmunizationRecord, Screening
from ilp.care.services import encounter_record
from ilp.core.texts import render
from tests.care import resident

ON = date(2025, 3, 10)
TOO_EARLY_ID = "DPT-HB-Hib 1 terlalu dini: umur minimal 42 hari (15 Maret 2025)"


@pytest.fixture(autouse=True)
def care_urls(settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"


def _too_early_dose(district, language: str) -> ImmunizationRecord:
    baby = resident(district, "Bayi Dini", "F", date(2025, 2, 1))
    dose = {"dose_code": "DPT-HB-Hib 1", "lot_number": "B1", "expiry_date": "2026-01-01"}
    with translation.override(language):
        encounter_record(
            actor=district.kader_ampel_timur,
            person=baby,
            on=ON,
            package="immunization",
            place_kind="posyandu",
            facility=district.pos_ampel_timur_f,
            values={},
            immunizations=[dose],
            confirm_unusual=True,
        )
    return ImmunizationRecord.objects.get(person=baby)


@pytest.mark.parametrize("recorded_in", ["id", "en"])
def test_an_invalid_dose_stores_the_reason_code_whatever_the_recording_language(
    district, recorded_in
):
    row = _too_early_dose(district, recorded_in)
    assert (row.valid, row.invalid_reason_code) == (
        False,
        "immunization_check.reason.below_min_age",
    )
    assert row.invalid_reason_params["dose"] == "DPT-HB-Hib 1"
    assert row.invalid_reason_params["min_date"] == {"date": "2025-03-15"}
    with translation.override("id"):
        assert str(row.invalid_reason) == TOO_EARLY_ID


def test_the_same_invalid_dose_reads_in_each_readers_language(district, client_for, settings):
    row = _too_early_dose(district, "id")
    with translation.override("en"):
        english = str(row.invalid_reason)
    assert english != TOO_EARLY_ID and "March 15, 2025" in english
    page = reverse("care:person", kwargs={"person_uuid": row.person.uuid})
    client = client_for(district.kader_ampel_timur)
    html = client.get(page).content.decode()
    assert f"Tidak sah: {TOO_EARLY_ID}" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(page).content.decode()
    assert english in html
    assert TOO_EARLY_ID not in html


def test_a_screening_stores_its_class_code_and_the_special_list_reads_in_each_language(
    district, client_for, settings
):
    today = timezone.localdate()
    with translation.override("en"):
        encounter_record(
            actor=district.kader_ampel_timur,
            person=district.budi,
            on=today,
            package="adult",
            place_kind="posyandu",
            facility=district.pos_ampel_timur_f,
            values={"sbp": 172, "dbp": 104},
        )
    row = Screening.objects.get(person=district.budi, instrument="bp")
    assert (row.result_code, row.label_code, row.label_params) == (
        "grade_2",
        "bp_pnpk.class.grade_2",
        {},
    )
    with translation.override("id"):
        indonesian = render("bp_pnpk.class.grade_2")
        date_id = render("care.special.result_on", {"label": "", "date": today})
    with translation.override("en"):
        english = render("bp_pnpk.class.grade_2")
        date_en = render("care.special.result_on", {"label": "", "date": today})
    assert indonesian != english
    page = reverse("care:special", kwargs={"code": "POS-AT"})
    client = client_for(district.kader_ampel_timur)
    html = client.get(page, {"list": "ht_tidak_terkendali"}).content.decode()
    assert f"{indonesian}{date_id}" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(page, {"list": "ht_tidak_terkendali"}).content.decode()
    assert f"{english}{date_en}" in html
    assert indonesian not in html


def test_a_corrected_dose_history_shows_the_reason_in_the_readers_language(district):
    from ilp.care.services import corrections as C
    from ilp.care.services.corrections import DOSE_FIELDS
    from ilp.core.corrections import Reason, history_entries

    dose = C.dose_record_from_book(
        actor=district.kader_ampel_timur,
        person=district.rina,
        dose_code="DPT-HB-Hib 1",
        given_on=date(2024, 5, 20),
        confirm_invalid=True,
    )
    assert (dose.valid, dose.invalid_reason_code) == (
        False,
        "immunization_dose.reason.given_below_min_age",
    )
    # The date was mistyped: corrected, the dose counts and its reason is gone.
    C.dose_correct(
        actor=district.kader_ampel_timur,
        dose=dose,
        dose_code="DPT-HB-Hib 1",
        given_on=date(2024, 7, 20),
        lot_number="",
        expiry_date=None,
        version=1,
        reason=Reason("typo"),
    )
    dose.refresh_from_db()
    assert (dose.valid, dose.invalid_reason_code, dose.invalid_reason_params) == (True, "", {})
    shown = {}
    for language in ("id", "en"):
        with translation.override(language):
            (entry,) = history_entries(ImmunizationRecord, [dose.pk], DOSE_FIELDS)[dose.pk]
            label = ImmunizationRecord._meta.get_field("invalid_reason_code").verbose_name
            shown[language] = {lbl: (old, new) for lbl, old, new in entry.changes}[
                str(label).capitalize()
            ]
    # The old reason, phrased with its parameters in each reader's language; now none.
    assert shown["id"][0].startswith("terlalu dini: diberikan 20 Mei 2024, umur minimal")
    assert "May 20, 2024" in shown["en"][0] and "terlalu dini" not in shown["en"][0]
    assert (shown["id"][1], shown["en"][1]) == ("—", "—")
