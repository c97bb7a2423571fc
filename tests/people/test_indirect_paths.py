"""Leaks by indirect paths (issue 9): family and mother links, NIK existence checks.

Scenario: Ahmad (Ampel Barat, kader_ampel_barat's dusun) heads a family; Nina, who lives in
Ampel Timur (kader_ampel_timur's dusun), was registered into it by the puskesmas. Before the
fix, kader_ampel_timur saw Ahmad's name, the KK number and the address on the family page,
could add members to it, and a child's page named a mother living in another kecamatan.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import PermissionDenied
from ilp.people.models import Family, Person
from ilp.people.services import PersonData, person_register
from tests.api.helpers import assert_error, post_json
from tests.conftest import _person

pytestmark = pytest.mark.django_db

KK_AHMAD = "5271010501600099"
OUTSIDE = "1 anggota di luar wilayah Anda"


@pytest.fixture
def split(district):
    """Ahmad's family (Ampel Barat) with Nina living in Ampel Timur as a member."""
    d = district
    d.family_ahmad = Family.objects.create(
        kk_number=KK_AHMAD,
        rt=d.rt_ampel_barat,
        hamlet=d.ampel_barat,
        village=d.ampel,
        address="Jl. Kenari 9",
    )
    d.ahmad.family, d.ahmad.relationship = d.family_ahmad, "head"
    d.ahmad.save()
    d.family_ahmad.head = d.ahmad
    d.family_ahmad.save()
    d.nina = _person("Nina Ayu", "F", date(1998, 1, 2), d.rt_ampel_timur, family=d.family_ahmad)
    return d


# ---------------------------------------------------------------- family page


def test_family_page_hides_the_out_of_area_head_kk_and_address(client_for, split):
    d = split
    response = client_for(d.kader_ampel_timur).get(
        reverse("people:family", args=[d.family_ahmad.uuid])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nina Ayu" in body
    for secret in ("Ahmad", KK_AHMAD, "Jl. Kenari 9", "5271010501600003", "Ampel Barat"):
        assert secret not in body
    assert OUTSIDE in body
    assert "Tambah anggota" not in body and "Koreksi" not in body
    event = AuditEvent.objects.get(action="view", object_type="family")
    assert (event.person_id, event.person_ids) == (None, [d.nina.pk])
    assert event.detail == {"members_outside_scope": 1}


def test_family_page_in_scope_shows_everything_with_one_audit_event(client_for, split):
    d = split
    body = client_for(d.pkm_barat).get(reverse("people:family", args=[d.family_ahmad.uuid]))
    text = body.content.decode()
    assert "Ahmad Fauzi" in text and KK_AHMAD in text and "Nina Ayu" in text
    assert "di luar wilayah Anda" not in text
    event = AuditEvent.objects.get()
    assert (event.action, event.person_id, event.person_ids) == (
        "view",
        d.ahmad.pk,
        sorted([d.ahmad.pk, d.nina.pk]),
    )


def test_adding_members_to_a_family_headed_out_of_area_is_refused(client_for, split):
    d = split
    client = client_for(d.kader_ampel_timur)
    url = reverse("people:member_add", args=[d.family_ahmad.uuid])
    for response in (client.get(url), client.post(url, {"full_name": "X", "sex": "F"})):
        body = response.content.decode()
        assert response.status_code == 403
        assert "Kepala keluarga ini di luar wilayah kerja Anda" in body
        assert KK_AHMAD not in body and "Ahmad" not in body
    assert not Person.objects.filter(full_name="X").exists()


def test_service_refuses_a_member_for_an_out_of_area_family(split):
    d = split
    data = PersonData(full_name="Putri", sex="F", birth_date=date(2024, 1, 1))
    with pytest.raises(PermissionDenied) as exc:
        person_register(
            actor=d.kader_ampel_timur, data=data, rt=d.rt_ampel_timur, family=d.family_ahmad
        )
    assert "Kepala keluarga ini di luar wilayah kerja Anda" in str(exc.value.message)
    assert not Person.objects.filter(full_name="Putri").exists()


def test_person_page_hides_the_kk_of_an_out_of_area_family(client_for, split):
    d = split
    body = client_for(d.kader_ampel_timur).get(reverse("people:person", args=[d.nina.uuid]))
    text = body.content.decode()
    assert "keluarga di luar wilayah Anda" in text and OUTSIDE in text
    assert KK_AHMAD not in text and "Ahmad" not in text


def test_search_by_kk_does_not_confirm_an_out_of_area_family(client_for, split):
    d = split
    body = client_for(d.kader_ampel_timur).get(reverse("people:search"), {"q": KK_AHMAD})
    assert "Nina Ayu" not in body.content.decode()
    # The puskesmas, who sees the family, finds both.
    text = client_for(d.pkm_barat).get(reverse("people:search"), {"q": KK_AHMAD}).content.decode()
    assert "Nina Ayu" in text and "Ahmad Fauzi" in text


# ---------------------------------------------------------------- family API


def test_api_family_outside_scope_has_no_identity(client_for, split):
    d = split
    response = client_for(d.kader_ampel_timur).get(f"/api/v1/families/{d.family_ahmad.uuid}")
    assert response.status_code == 200
    data = response.json()
    assert (data["in_scope"], data["kk_number"], data["address"], data["head_uuid"]) == (
        False,
        None,
        "",
        None,
    )
    assert (data["village"], data["hamlet"], data["rt"]) == (None, None, None)
    assert [m["full_name"] for m in data["members"]] == ["Nina Ayu"]
    assert data["members_outside_scope"] == 1
    assert "Ahmad" not in json.dumps(data)


def test_api_register_into_an_out_of_area_family_is_a_field_error(client_for, split):
    d = split
    payload = {
        "full_name": "Putri",
        "sex": "F",
        "birth_date": "2024-01-01",
        "area_code": d.rt_ampel_timur.code,
        "family_uuid": str(d.family_ahmad.uuid),
        "relationship": "child",
    }
    response = post_json(client_for(d.kader_ampel_timur), "/api/v1/persons", payload)
    assert_error(
        response,
        422,
        "invalid",
        {
            "family_uuid": [
                "Kepala keluarga ini di luar wilayah kerja Anda; anggota tidak dapat ditambahkan."
            ]
        },
    )


# ---------------------------------------------------------------- mother


def test_child_page_does_not_name_an_out_of_area_mother(client_for, district):
    d = district
    d.rina.mother = d.dewi  # Dewi lives in Cemara, kecamatan Timur
    d.rina.save()
    text = client_for(d.kader_ampel_timur).get(reverse("people:person", args=[d.rina.uuid]))
    body = text.content.decode()
    assert "Dewi" not in body and str(d.dewi.uuid) not in body
    assert "di luar wilayah Anda" in body
    event = AuditEvent.objects.get()
    assert d.dewi.pk not in event.person_ids and event.person_id == d.rina.pk


def test_child_page_names_a_mother_in_scope_and_audits_her(client_for, district):
    d = district
    d.rina.mother = d.siti
    d.rina.save()
    body = client_for(d.kader_ampel_timur).get(reverse("people:person", args=[d.rina.uuid]))
    assert "Siti Aminah" in body.content.decode()
    event = AuditEvent.objects.get()
    assert event.person_ids == sorted([d.budi.pk, d.siti.pk])  # members shown; Siti once


# ---------------------------------------------------------------- moving between families


def _move(client, person, **data):
    form = {"kk_number": KK_AHMAD, "relationship": "other_family", "reason": "other"}
    form.update({"note": "pindah KK", "version": person.version, **data})
    return client.post(reverse("people:person_move", args=[person.uuid]), form)


def test_move_to_another_family_is_deliberate_and_audited(client_for, split):
    d = split
    response = _move(client_for(d.pkm_barat), d.wayan)
    assert response.status_code == 302
    d.wayan.refresh_from_db()
    assert (d.wayan.family, d.wayan.relationship, d.wayan.version) == (
        d.family_ahmad,
        "other_family",
        2,
    )
    event = AuditEvent.objects.get(object_type="family_membership")
    assert (event.user, event.action, event.person_id, event.purpose) == (
        d.pkm_barat,
        "update",
        d.wayan.pk,
        "registration",
    )
    assert event.detail["to_family"] == str(d.family_ahmad.uuid)
    assert event.detail["from_family"] is None


def test_kader_cannot_move_into_a_family_outside_her_area(client_for, split):
    d = split
    response = _move(client_for(d.kader_ampel_timur), d.budi)
    assert response.status_code == 200
    assert "Keluarga dengan nomor KK ini tidak ada di wilayah Anda." in response.content.decode()
    d.budi.refresh_from_db()
    assert d.budi.family == d.family_ampel
    assert not AuditEvent.objects.filter(object_type="family_membership").exists()


def test_head_who_moves_leaves_the_old_family_headless(client_for, split):
    d = split
    d.family_ahmad.head = None
    d.family_ahmad.save()
    response = _move(client_for(d.pkm_barat), d.budi, relationship="head")
    assert response.status_code == 302
    d.family_ampel.refresh_from_db()
    d.family_ahmad.refresh_from_db()
    assert (d.family_ampel.head, d.family_ahmad.head) == (None, d.budi)


# ---------------------------------------------------------------- NIK existence checks


def _dewi_again(d) -> dict:
    """A registration in Ampel Timur with the NIK of Dewi, who lives in Cemara."""
    return {
        "full_name": "Dewi K",
        "sex": "F",
        "birth_date": "1995-02-14",
        "nik": d.dewi.nik,
        "area_code": d.rt_ampel_timur.code,
    }


def _check_nik(client, nik, htmx=True):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("people:check_field"),
        {"nik": nik, "sex": "F", "birth_date": "14-02-1995"},
        HTTP_HX_TRIGGER_NAME="nik",
        REMOTE_ADDR="192.0.2.9",
        **extra,
    )


def test_nik_check_out_of_area_says_so_without_identity_and_is_audited(client_for, district):
    d = district
    response = _check_nik(client_for(d.kader_ampel_timur), d.dewi.nik)
    body = response.content.decode()
    assert "NIK sudah terdaftar di luar wilayah Anda." in body
    assert "Dewi" not in body and "Cemara" not in body
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_type, event.purpose, event.ip) == (
        d.kader_ampel_timur,
        "check",
        "nik",
        "registration",
        "192.0.2.9",
    )
    assert event.person_ids == [d.dewi.pk]
    assert event.detail == {"found": 1, "outside_scope": 1}


def test_nik_check_in_area_and_unknown(client_for, district):
    d = district
    client = client_for(d.kader_ampel_timur)
    body = _check_nik(client, d.siti.nik).content.decode()
    assert "NIK ini sudah terdaftar untuk penduduk lain." in body
    assert "Siti" not in body
    assert "terdaftar" not in _check_nik(client, "5271015502950001").content.decode()
    assert AuditEvent.objects.filter(action="check").count() == 2
    unknown = AuditEvent.objects.filter(action="check").order_by("pk").last()
    assert (unknown.person_ids, unknown.detail) == ([], {"found": 0, "outside_scope": 0})


def test_nik_checks_are_rate_limited_per_user(client_for, district, settings):
    settings.ILP_EXISTENCE_CHECKS_PER_MINUTE = 3
    d = district
    client = client_for(d.kader_ampel_timur)
    for _ in range(3):
        assert _check_nik(client, d.dewi.nik).status_code == 200
    limited = _check_nik(client, d.dewi.nik, htmx=False)
    assert limited.status_code == 429
    assert "Terlalu banyak pemeriksaan NIK dalam satu menit" in limited.content.decode()
    htmx = _check_nik(client, d.dewi.nik)  # htmx shows the message under the field
    assert htmx.status_code == 200 and "Terlalu banyak pemeriksaan NIK" in htmx.content.decode()
    assert "terdaftar" not in htmx.content.decode()
    assert AuditEvent.objects.filter(action="check").count() == 3
    # Another user has their own allowance.
    assert _check_nik(client_for(d.bidan_ampel), d.dewi.nik).status_code == 200


def test_registration_refused_for_an_out_of_area_nik_is_an_audited_check(client_for, district):
    d = district
    payload = _dewi_again(d)
    response = post_json(client_for(d.kader_ampel_timur), "/api/v1/persons", payload)
    assert_error(
        response, 409, "duplicate_nik", {"nik": ["NIK sudah terdaftar di luar wilayah Anda."]}
    )
    assert "Dewi Kartika" not in response.content.decode()
    event = AuditEvent.objects.get(action="check")
    assert (event.object_type, event.person_ids) == ("nik", [d.dewi.pk])


def test_registration_checks_share_the_rate_limit(client_for, district, settings):
    settings.ILP_EXISTENCE_CHECKS_PER_MINUTE = 1
    d = district
    client = client_for(d.kader_ampel_timur)
    _check_nik(client, d.dewi.nik)
    payload = _dewi_again(d)
    response = post_json(client, "/api/v1/persons", payload)
    assert_error(response, 429, "too_many_checks")


def test_family_registration_with_an_out_of_area_kk_is_an_audited_check(client_for, split):
    d = split
    payload = {
        "kk_number": KK_AHMAD,
        "address": "Jl. Mawar 1",
        "area_code": d.rt_ampel_timur.code,
        "members": [
            {"full_name": "Hasan", "sex": "M", "birth_date": "1982-06-01", "relationship": "head"}
        ],
    }
    response = post_json(client_for(d.kader_ampel_timur), "/api/v1/families", payload)
    assert_error(
        response,
        422,
        "invalid",
        {"kk_number": ["Nomor KK ini sudah terdaftar di luar wilayah Anda."]},
    )
    event = AuditEvent.objects.get(action="check")
    assert (event.object_type, event.person_ids, event.detail) == (
        "kk",
        [d.ahmad.pk],
        {"found": 1, "outside_scope": 1},
    )


def test_correcting_a_nik_to_one_held_elsewhere_is_an_audited_check(client_for, district):
    d = district
    url = reverse("people:person_correct", args=[d.rina.uuid])
    data = {
        "full_name": d.rina.full_name,
        "nik": d.dewi.nik,
        "sex": "F",
        "birth_date": "2024-05-02",
        "relationship": "child",
        "village": str(d.ampel.uuid),
        "area": str(d.rt_ampel_timur.uuid),
        "reason": "typo",
        "version": "1",
    }
    response = client_for(d.bidan_ampel).post(url, data)
    body = response.content.decode()
    assert "NIK sudah terdaftar di luar wilayah Anda." in body and "Dewi" not in body
    assert AuditEvent.objects.get(action="check").person_ids == [d.dewi.pk]
    d.rina.refresh_from_db()
    assert d.rina.nik is None
