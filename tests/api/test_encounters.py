"""The care API: POST /api/v1/encounters, GET /api/v1/persons/{uuid}/encounters and
GET /api/v1/persons/{uuid}/work-items."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.care.models import Encounter, Task, TaskKind
from ilp.care.services import encounter_record, evaluate_package
from ilp.care.services.corrections import encounter_void
from ilp.core.corrections import reason_check
from tests.api.helpers import assert_error, post_json
from tests.care import born_days_before, resident

URL = "/api/v1/encounters"
ON = date(2025, 3, 10)


def body(district, **changes):
    data = {
        "client_id": str(uuid.uuid4()),
        "person": str(district.rina.uuid),
        "package": "child",
        "date": ON.isoformat(),
        "place_kind": "posyandu",
        "values": {"weight": "8,6", "height": 72.0, "measured": "lying"},
    }
    data.update(changes)
    return data


@pytest.fixture
def kader(district, client_for):
    return client_for(district.kader_ampel_timur)


def test_record_runs_the_forms_evaluation_and_answers_its_results(district, kader):
    response = post_json(kader, URL, body(district))
    assert response.status_code == 201, response.content
    data = response.json()
    enc = Encounter.objects.get(uuid=data["uuid"])
    assert (enc.person, enc.package, enc.place_kind, enc.facility) == (
        district.rina,
        "child",
        "posyandu",
        district.pos_ampel_timur_f,
    )
    assert enc.recorded_by == district.kader_ampel_timur
    assert enc.observations.get(code="weight").value == 8.6
    # The same evaluation as the form's instant results, item for item.
    expected = evaluate_package(
        person=district.rina,
        on=ON,
        package="child",
        values={"weight": "8,6", "height": 72.0, "measured": "lying"},
    )
    assert [r["code"] for r in data["results"]] == [r["code"] for r in expected.results]
    wfa = next(r for r in data["results"] if r["code"] == "wfa")
    assert set(wfa) >= {"code", "params", "label", "value", "class_code", "class_label"}
    assert wfa["label"] and isinstance(wfa["value"], float)
    assert data["person"] == str(district.rina.uuid)
    assert data["facility"]["code"] == "POS-AT"
    assert data["cluster"] == "k2"
    assert AuditEvent.objects.filter(
        action="create", object_type="encounter", object_uuid=enc.uuid
    ).exists()


def test_alerts_come_back_with_code_level_and_label(district, kader):
    # Severe wasting for a 10-month-old: 5.5 kg at 72 cm.
    response = post_json(
        kader,
        URL,
        body(district, values={"weight": 5.5, "height": 72.0, "measured": "lying"}, confirm=True),
    )
    assert response.status_code == 201, response.content
    alerts = response.json()["alerts"]
    assert alerts, response.json()
    assert {"code", "params", "level", "label", "action"} <= set(alerts[0])
    assert alerts[0]["level"] in ("danger", "warning")
    assert alerts[0]["label"]
    stored = Encounter.objects.get(uuid=response.json()["uuid"])
    assert len(stored.alerts) == len(alerts)


def test_same_client_id_same_body_answers_200_with_the_stored_encounter(district, kader):
    sent = body(district)
    first = post_json(kader, URL, sent)
    again = post_json(kader, URL, sent)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["uuid"] == first.json()["uuid"]
    assert again.json()["results"] == first.json()["results"]
    assert Encounter.objects.count() == 1


def test_same_client_id_with_another_body_is_409(district, kader):
    sent = body(district)
    assert post_json(kader, URL, sent).status_code == 201
    changed = {**sent, "values": {"weight": "8,9", "height": 72.0, "measured": "lying"}}
    assert_error(post_json(kader, URL, changed), 409, "client_id_reused")
    assert Encounter.objects.count() == 1
    assert Encounter.objects.get().observations.get(code="weight").value == 8.6


def test_same_client_id_from_another_user_is_409(district, kader, client_for):
    sent = body(district)
    assert post_json(kader, URL, sent).status_code == 201
    other = client_for(district.bidan_ampel)
    assert_error(post_json(other, URL, sent), 409, "client_id_reused")


def test_impossible_value_is_422_with_the_field_message(district, kader):
    error = assert_error(
        post_json(kader, URL, body(district, values={"weight": 900, "height": 72})),
        422,
        "invalid",
    )
    assert error["fields"]["values.weight"] == [
        "Berat badan 900 kg tidak mungkin; isi antara 0,3 dan 250 kg."
    ]
    assert Encounter.objects.count() == 0


def test_messages_follow_accept_language(district, kader):
    error = assert_error(
        post_json(
            kader,
            URL,
            body(district, values={"weight": 900, "height": 72}),
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        422,
        "invalid",
    )
    assert "is impossible; enter between" in error["fields"]["values.weight"][0]
    assert error["message"] == "Please check the marked fields."


def test_unusual_value_needs_confirm_then_is_stored_flagged(district, kader):
    girl = resident(district, "Anak Ringan", "F", born_days_before(ON, 955))
    sent = body(district, person=str(girl.uuid), values={"weight": 4.0})
    error = assert_error(post_json(kader, URL, sent), 422, "needs_confirmation")
    assert list(error["fields"]) == ["values.weight"]
    assert Encounter.objects.count() == 0
    response = post_json(kader, URL, {**sent, "confirm": True})
    assert response.status_code == 201, response.content
    assert response.json()["flagged"] is True


def test_unknown_package_and_value_key_are_field_errors(district, kader):
    error = assert_error(post_json(kader, URL, body(district, package="spa")), 422, "invalid")
    assert "package" in error["fields"]
    error = assert_error(
        post_json(kader, URL, body(district, values={"sbp": 120, "dbp": 80})), 422, "invalid"
    )
    assert error["fields"]["values.sbp"] == ["Isian ini tidak dikenal untuk layanan yang dipilih."]


def test_a_date_in_the_future_or_before_birth_is_refused_on_date(district, kader):
    error = assert_error(post_json(kader, URL, body(district, date="2099-01-01")), 422, "invalid")
    assert error["fields"] == {"date": ["Tanggal pemeriksaan tidak boleh di masa depan."]}
    error = assert_error(post_json(kader, URL, body(district, date="0001-01-01")), 422, "invalid")
    assert error["fields"] == {"date": ["Tanggal pemeriksaan sebelum tanggal lahir (2 Mei 2024)."]}
    assert Encounter.objects.count() == 0


def test_values_that_are_not_an_object_are_422_not_500(district, kader):
    error = assert_error(post_json(kader, URL, body(district, values=[1, 2])), 422, "invalid")
    assert "values" in error["fields"]


def test_person_outside_the_kaders_area_is_404(district, kader):
    sent = body(district, person=str(district.dewi.uuid), package="adult")
    assert_error(post_json(kader, URL, sent), 404, "not_found")
    assert Encounter.objects.count() == 0


def test_reading_role_may_not_record(district, client_for):
    assert_error(post_json(client_for(district.tpcb), URL, body(district)), 403, "forbidden")


def test_facility_the_user_does_not_work_at_is_403(district, kader):
    sent = body(district, facility="POS-AB")
    assert_error(post_json(kader, URL, sent), 403, "forbidden")


def test_unknown_facility_is_422_on_the_field(district, kader):
    error = assert_error(post_json(kader, URL, body(district, facility="NOPE")), 422, "invalid")
    assert error["fields"]["facility"] == ["Fasilitas tidak dikenal."]


def test_pustu_records_at_its_posyandu_and_at_home(district, client_for):
    bidan = client_for(district.bidan_ampel)
    at_posyandu = post_json(bidan, URL, body(district, facility="POS-AT"))
    assert at_posyandu.status_code == 201, at_posyandu.content
    at_home = post_json(bidan, URL, body(district, place_kind="home", date="2025-03-11"))
    assert at_home.status_code == 201, at_home.content
    assert at_home.json()["facility"]["code"] == "PUSTU-AMPEL"


def test_unauthenticated_is_401(db, client, district):
    assert_error(post_json(client, URL, body(district)), 401, "unauthenticated")


# --------------------------------------------------------------------- reads


def _list_url(person) -> str:
    return f"/api/v1/persons/{person.uuid}/encounters"


def _stored(district, on: date, weight: float = 8.6):
    return encounter_record(
        actor=district.kader_ampel_timur,
        person=district.rina,
        on=on,
        package="child",
        place_kind="posyandu",
        facility=district.pos_ampel_timur_f,
        values={"weight": weight},
    ).encounter


def test_person_encounters_newest_first_voided_excluded_paginated(district, kader):
    first = _stored(district, date(2025, 1, 10))
    second = _stored(district, date(2025, 2, 10), 8.4)
    third = _stored(district, date(2025, 3, 10), 8.6)
    encounter_void(
        actor=district.kader_ampel_timur,
        encounter=second,
        version=second.version,
        reason=reason_check("typo", ""),
    )
    data = kader.get(_list_url(district.rina)).json()
    assert data["count"] == 2
    assert [e["uuid"] for e in data["items"]] == [str(third.uuid), str(first.uuid)]
    page = kader.get(_list_url(district.rina), {"limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (2, 1, 1)
    assert [e["uuid"] for e in page["items"]] == [str(first.uuid)]
    assert page["items"][0]["results"][0]["code"] == "wfa"


def test_person_encounters_read_is_audited(district, kader):
    _stored(district, date(2025, 1, 10))
    before = AuditEvent.objects.filter(action="view", person_id=district.rina.pk).count()
    assert kader.get(_list_url(district.rina)).status_code == 200
    events = AuditEvent.objects.filter(action="view", person_id=district.rina.pk)
    assert events.count() == before + 2
    assert events.filter(object_type="encounter_list").exists()


def test_person_encounters_outside_scope_is_404(district, client_for):
    kader = client_for(district.kader_cemara)
    assert_error(kader.get(_list_url(district.rina)), 404, "not_found")
    assert_error(kader.get("/api/v1/persons/not-a-uuid/encounters"), 404, "not_found")


def test_person_encounters_bad_paging_is_422(district, kader):
    error = assert_error(kader.get(_list_url(district.rina), {"limit": 0}), 422, "invalid")
    assert "limit" in error["fields"]


def test_work_items_list_due_items_and_open_tasks(district, kader):
    today = timezone.localdate()
    baby = resident(district, "Bayi Baru", "F", today - timedelta(days=75))
    task = Task.objects.create(
        person=baby,
        kind=TaskKind.FOLLOW_UP,
        reason="Ukur ulang",
        due_date=today + timedelta(days=3),
        facility=district.pos_ampel_timur_f,
    )
    response = kader.get(f"/api/v1/persons/{baby.uuid}/work-items")
    assert response.status_code == 200, response.content
    data = response.json()
    items = {i["item"] for i in data["items"]}
    assert any(i.startswith("imunisasi:") for i in items), items
    assert all(set(i) >= {"item", "state", "since", "label", "urgency"} for i in data["items"])
    assert [t["uuid"] for t in data["tasks"]] == [str(task.uuid)]
    assert data["tasks"][0]["kind"] == "follow_up"
    assert data["tasks"][0]["due_date"] == (today + timedelta(days=3)).isoformat()
    assert AuditEvent.objects.filter(
        action="view", object_type="work_items", person_id=baby.pk
    ).exists()


def test_work_items_outside_scope_is_404(district, client_for):
    kader = client_for(district.kader_cemara)
    assert_error(kader.get(f"/api/v1/persons/{district.rina.uuid}/work-items"), 404, "not_found")


def test_work_items_forbidden_for_roles_without_personal_data(district, client_for):
    camat = client_for(district.camat_barat)
    assert_error(camat.get(f"/api/v1/persons/{district.rina.uuid}/work-items"), 403, "forbidden")


def test_person_encounters_cost_the_same_queries_for_more_rows(district, kader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _stored(district, date(2025, 1, 10))
    with CaptureQueriesContext(connection) as one:
        assert kader.get(_list_url(district.rina)).status_code == 200
    for month in (2, 3, 4):
        _stored(district, date(2025, month, 10))
    with CaptureQueriesContext(connection) as four:
        assert len(kader.get(_list_url(district.rina)).json()["items"]) == 4
    assert len(four) == len(one)


def test_results_and_alerts_keep_their_codes_and_change_only_labels_with_the_language(
    district, kader
):
    sent = body(district, values={"weight": 5.5, "height": 72.0, "measured": "lying"}, confirm=True)
    indonesian = post_json(kader, URL, sent).json()
    english = kader.get(_list_url(district.rina), HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]
    assert english["uuid"] == indonesian["uuid"]
    for key in ("results", "alerts"):
        codes = [(r["code"], r["params"]) for r in indonesian[key]]
        assert [(r["code"], r["params"]) for r in english[key]] == codes
        assert all(r["code"] for r in english[key])
    assert [r["label"] for r in english["alerts"]] != [r["label"] for r in indonesian["alerts"]]
    wfa_id = next(r for r in indonesian["results"] if r["code"] == "wfa")
    wfa_en = next(r for r in english["results"] if r["code"] == "wfa")
    assert wfa_id["class_code"] == wfa_en["class_code"]
    assert wfa_id["class_label"] != wfa_en["class_label"]
