"""Migration care/0010: screening labels and dose invalid reasons written as Indonesian
sentences become codes with parameters; a sentence that cannot be mapped back stays readable."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("care", "0009_care_choice_and_visit_number_constraints")]
AFTER = [("care", "0010_screening_label_dose_reason_codes")]


@pytest.mark.django_db(transaction=True)
def test_old_sentences_map_to_codes_and_the_rest_is_kept_as_written(district):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Encounter = old.get_model("care", "Encounter")
    Screening = old.get_model("care", "Screening")
    Dose = old.get_model("care", "ImmunizationRecord")
    on = date(2025, 3, 10)
    person = district.rina.pk
    enc = Encounter.objects.create(
        person_id=person,
        date=on,
        place_kind="posyandu",
        facility_id=district.pos_ampel_timur_f.pk,
        cluster="k3",
        package="adult",
    )
    labels = {
        ("bp", "grade_2", "Hipertensi derajat 2"): ("bp_pnpk.class.grade_2", {}),
        ("kspr", "krt", "Kehamilan Risiko Tinggi (KRT)"): ("kspr.class.krt", {}),
        ("smoking", "smoker", "Merokok"): ("care.class.smoking.smoker", {}),
        ("dm", "diabetes", "Sesuatu yang lain"): (
            "care.text.legacy",
            {"text": "Sesuatu yang lain"},
        ),
        ("bmi", "", ""): ("", {}),
    }
    screenings = {
        key: Screening.objects.create(
            encounter_id=enc.pk,
            person_id=person,
            date=on,
            instrument=key[0],
            result_code=key[1],
            result_label=key[2],
        ).pk
        for key in labels
    }
    reasons = {
        # recorded at an encounter (immunization_check, rendered by the care texts)
        "DPT-HB-Hib 1 terlalu dini: umur minimal 42 hari (15 Maret 2025)": (
            "immunization_check.reason.below_min_age",
            {
                "dose": "DPT-HB-Hib 1",
                "min_age": {
                    "text": {
                        "code": "care.spaced.1",
                        "params": {"0": {"text": {"code": "care.period.D", "params": {"n": 42}}}},
                    }
                },
                "min_date": {"date": "2025-03-15"},
            },
        ),
        # a dose from the KIA book (immunization_dose, rendered by the standards)
        "terlalu dini: diberikan 20 Mei 2024, umur minimal 6 minggu (23 Mei 2024)": (
            "immunization_dose.reason.given_below_min_age",
            {
                "given_on": {"date": "2024-05-20"},
                "min_age": {
                    "text": {
                        "code": "care.spaced.1",
                        "params": {"0": {"text": {"code": "care.period.W", "params": {"n": 6}}}},
                    }
                },
                "min_date": {"date": "2024-05-23"},
            },
        ),
        "Dosis tidak sah": ("care.text.legacy", {"text": "Dosis tidak sah"}),
        "": ("", {}),
    }
    doses = {
        sentence: Dose.objects.create(
            person_id=person,
            date=on,
            dose_code=f"X{i}",
            valid=not sentence,
            invalid_reason=sentence,
        ).pk
        for i, sentence in enumerate(reasons)
    }
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    got_labels = {
        key: tuple(
            new.get_model("care", "Screening")
            .objects.filter(pk=pk)
            .values_list("label_code", "label_params")
            .get()
        )
        for key, pk in screenings.items()
    }
    assert got_labels == labels
    got_reasons = {
        sentence: tuple(
            new.get_model("care", "ImmunizationRecord")
            .objects.filter(pk=pk)
            .values_list("invalid_reason_code", "invalid_reason_params")
            .get()
        )
        for sentence, pk in doses.items()
    }
    assert got_reasons == reasons
    # Back and forth: the Indonesian sentences are written back as they were.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps
    assert {
        s: back.get_model("care", "ImmunizationRecord").objects.get(pk=pk).invalid_reason
        for s, pk in doses.items()
    } == {s: s for s in doses}
    assert {
        k: back.get_model("care", "Screening").objects.get(pk=pk).result_label
        for k, pk in screenings.items()
    } == {k: k[2] for k in screenings}
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
