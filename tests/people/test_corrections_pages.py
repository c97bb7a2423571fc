"""Corrections through the pages, the API and the admin: Koreksi/Batalkan for those allowed,
the history on the person page, edit conflicts that lose nothing, idempotent registration,
and no hard delete in the admin."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.urls import reverse

from ilp.accounts.models import AuditEvent
from ilp.core.corrections import Reason
from ilp.people import corrections
from ilp.people.models import Family, Person
from tests.api.helpers import assert_error, post_json

pytestmark = pytest.mark.django_db


def _correct_post(person: Person, **changes) -> dict:
    data = {
        "full_name": person.full_name,
        "nik": person.nik or "",
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "birth_place": person.birth_place,
        "relationship": person.relationship,
        "bpjs_number": person.bpjs_number,
        "phone": person.phone,
        "disability": person.disability,
        "village": str(person.village.uuid),
        "area": str(person.rt.uuid),
        "address": person.address,
        "deceased_on": "",
        "reason": "typo",
        "note": "",
        "version": str(person.version),
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- the person page


def test_person_page_offers_corrections_to_a_supervisor_only(district, client_for):
    url = reverse("people:person", args=[district.budi.uuid])
    page = client_for(district.bidan_ampel).get(url).content.decode()
    assert reverse("people:person_correct", args=[district.budi.uuid]) in page
    assert reverse("people:person_void", args=[district.budi.uuid]) in page
    # The kader sees Budi (her dusun) but did not register him.
    page = client_for(district.kader_ampel_timur).get(url).content.decode()
    assert reverse("people:person_correct", args=[district.budi.uuid]) not in page
    assert "Batalkan" not in page


def test_person_page_shows_the_history_and_a_voided_pregnancy_struck_through(district, client_for):
    from ilp.people.models import Pregnancy

    corrections.person_correct(
        actor=district.bidan_ampel,
        person=district.budi,
        new=corrections.PersonCorrection(
            data=corrections.PersonData(
                full_name="Budi Santosa",
                sex="M",
                birth_date=date(1985, 3, 12),
                nik=district.budi.nik,
            ),
            area=district.rt_ampel_timur,
            address="",
        ),
        version=1,
        reason=Reason("typo", "sesuai KTP"),
    )
    preg = Pregnancy.objects.create(
        person=district.siti, lmp=date(2025, 1, 5), edd=date(2025, 10, 12)
    )
    corrections.pregnancy_void(
        actor=district.bidan_ampel, pregnancy=preg, version=1, reason=Reason("wrong_person")
    )
    client = client_for(district.bidan_ampel)
    page = client.get(reverse("people:person", args=[district.budi.uuid])).content.decode()
    assert "Riwayat koreksi" in page
    assert "<del>Budi Santoso</del> → Budi Santosa" in page
    assert "Salah ketik (sesuai KTP)" in page
    page = client.get(reverse("people:person", args=[district.siti.uuid])).content.decode()
    assert f'<tr id="preg-{preg.uuid}" class="voided">' in page
    assert "<strong>Dibatalkan</strong>: Tercatat pada orang yang salah" in page
    assert "<del>Mulai hamil (HPHT)</del> (dibatalkan: Tercatat pada orang yang salah)" in page


def test_person_page_query_count(district, client_for, django_assert_num_queries):
    """Exact: session and user (2); the pustu's desa (1) and the person with its places (1);
    the person's family, read when shown (1: not joined into the person's query, whose
    12-table plan cost more than this query); the pustu's desa again and the family members
    (2); the family's member count and whether it is in scope (1); pregnancies (1); the
    facilities the pustu supervises (1); the authors' facilities: none (no author); person
    history (1); pregnancy history: none (no pregnancy); ONE audit event for the person and
    the members shown (1)."""
    client = client_for(district.bidan_ampel)
    url = reverse("people:person", args=[district.budi.uuid])
    client.get(url)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------- correcting through the form


def test_correction_form_saves_and_redirects(district, client_for):
    client = client_for(district.bidan_ampel)
    url = reverse("people:person_correct", args=[district.budi.uuid])
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form
    response = client.post(url, _correct_post(district.budi, full_name="Budi Santosa"))
    assert response.status_code == 302
    district.budi.refresh_from_db()
    assert (district.budi.full_name, district.budi.version) == ("Budi Santosa", 2)


def test_correction_form_refused_for_another_kader_changes_nothing(district, client_for):
    client = client_for(district.kader_ampel_timur)
    url = reverse("people:person_correct", args=[district.budi.uuid])
    response = client.post(url, _correct_post(district.budi, full_name="Budi X"))
    assert response.status_code == 403
    district.budi.refresh_from_db()
    assert (district.budi.full_name, district.budi.version) == ("Budi Santoso", 1)
    assert not district.budi.history.exists()
    # Out of her scope altogether: the record does not exist for her.
    response = client_for(district.kader_cemara).post(
        url, _correct_post(district.budi, full_name="Budi X")
    )
    assert response.status_code == 404


def test_second_editor_sees_what_changed_and_keeps_what_she_typed(district, client_for):
    url = reverse("people:person_correct", args=[district.budi.uuid])
    opened = _correct_post(district.budi)  # both open the form at version 1
    first = client_for(district.bidan_ampel).post(url, {**opened, "full_name": "Budi Santosa"})
    assert first.status_code == 302

    second = client_for(district.pkm_barat)
    response = second.post(url, {**opened, "phone": "081234000111"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Diubah orang lain sejak Anda membuka formulir" in page
    assert '<td data-label="Saat Anda membuka">Budi Santoso</td>' in page
    assert "<strong>Budi Santosa</strong>" in page
    assert 'value="081234000111"' in page  # what she typed is still there
    assert 'name="version" value="2"' in page  # saving again is deliberate
    district.budi.refresh_from_db()
    assert (district.budi.phone, district.budi.version) == ("", 2)

    again = second.post(url, {**opened, "phone": "081234000111", "version": "2"})
    assert again.status_code == 302
    district.budi.refresh_from_db()
    # Her form still held the old name: saving deliberately writes what she sent.
    assert (district.budi.phone, district.budi.full_name) == ("081234000111", "Budi Santoso")


def test_void_page_voids_with_the_record_kept(district, client_for):
    twin = Person.objects.create(
        local_id="ILPT-TWIN",
        full_name="Budi Santoso",
        name_key="budi santoso",
        sex="M",
        birth_date=date(1985, 3, 12),
        rt=district.rt_ampel_timur,
        hamlet=district.ampel_timur,
        village=district.ampel,
    )
    client = client_for(district.bidan_ampel)
    url = reverse("people:person_void", args=[twin.uuid])
    response = client.post(
        url, {"reason": "duplicate", "note": "", "version": "1", "duplicate_of": "ILPT-NONE"}
    )
    assert response.status_code == 200
    assert "Tidak ditemukan di wilayah Anda." in response.content.decode()
    response = client.post(
        url,
        {"reason": "duplicate", "note": "", "version": "1", "duplicate_of": district.budi.nik},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person", args=[district.budi.uuid])
    twin.refresh_from_db()
    assert (twin.void_reason, twin.duplicate_of_id) == ("duplicate", district.budi.pk)
    page = client.get(reverse("people:person", args=[twin.uuid])).content.decode()
    assert "<del>Budi Santoso</del>" in page
    assert "Tercatat ganda" in page


# ---------------------------------------------------------------- the API


def _patch(client, url, data):
    import json

    return client.patch(url, data=json.dumps(data), content_type="application/json")


def test_api_patch_corrects_and_a_stale_version_is_a_conflict(district, client_for):
    client = client_for(district.bidan_ampel)
    url = f"/api/v1/persons/{district.budi.uuid}"
    assert client.get(url).json()["version"] == 1
    response = _patch(client, url, {"version": 1, "reason": "typo", "full_name": "Budi Santosa"})
    assert response.status_code == 200, response.content
    assert (response.json()["full_name"], response.json()["version"]) == ("Budi Santosa", 2)
    assert client.get("/api/v1/persons?q=budi santosa").json()["items"][0]["uuid"] == str(
        district.budi.uuid
    )

    other = client_for(district.pkm_barat)
    response = _patch(other, url, {"version": 1, "reason": "typo", "phone": "0812"})
    error = assert_error(response, 409, "edit_conflict")
    assert error["version"] == 2
    assert [(c["field"], c["seen"], c["now"], c["by"]) for c in error["changes"]] == [
        ("full_name", "Budi Santoso", "Budi Santosa", "bidan_ampel")
    ]
    district.budi.refresh_from_db()
    assert (district.budi.phone, district.budi.version) == ("", 2)


def test_api_patch_refuses_and_changes_nothing(district, client_for):
    url = f"/api/v1/persons/{district.budi.uuid}"
    body = {"version": 1, "reason": "typo", "full_name": "Budi X"}
    assert_error(_patch(client_for(district.kader_ampel_timur), url, body), 403, "forbidden")
    assert_error(_patch(client_for(district.kader_cemara), url, body), 404, "not_found")
    assert_error(_patch(client_for(district.camat_barat), url, body), 403, "forbidden")
    assert_error(
        _patch(client_for(district.bidan_ampel), url, {**body, "reason": "other"}),
        422,
        "invalid",
        {"note": ["Tulis keterangan untuk alasan 'Lainnya'."]},
    )
    district.budi.refresh_from_db()
    assert (district.budi.full_name, district.budi.version) == ("Budi Santoso", 1)
    assert not AuditEvent.objects.filter(action="update").exists()


def test_api_void_person(district, client_for):
    client = client_for(district.bidan_ampel)
    response = post_json(
        client,
        f"/api/v1/persons/{district.ahmad.uuid}/void",
        {"version": 1, "reason": "wrong_person", "note": "bukan warga"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["void_reason"] == "wrong_person" and body["voided_at"]
    assert client.get("/api/v1/persons?q=ahmad").json()["items"] == []


# ---------------------------------------------------------------- idempotent registration

FAMILY = {
    "kk_number": "5271011508200007",
    "area_code": "52.71.01.1001.01.001",
    "members": [
        {
            "full_name": "Made Wirawan",
            "sex": "M",
            "birth_date": "1988-08-17",
            "relationship": "head",
        },
        {
            "full_name": "Ni Luh Sari",
            "sex": "F",
            "birth_date": "1992-09-15",
            "relationship": "spouse",
        },
    ],
}


def test_the_same_family_sent_twice_is_stored_once(district, client_for):
    client = client_for(district.bidan_ampel)
    body = {**FAMILY, "client_id": str(uuid.uuid4())}
    first = post_json(client, "/api/v1/families", body)
    assert first.status_code == 201, first.content
    again = post_json(client, "/api/v1/families", body)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Family.objects.filter(kk_number="5271011508200007").count() == 1
    assert Person.objects.filter(full_name="Made Wirawan").count() == 1
    # The same id for another family is refused.
    other = {**body, "kk_number": "5271011508200015"}
    assert_error(post_json(client, "/api/v1/families", other), 409, "client_id_reused")
    # ... and so is the same id from another user.
    assert_error(
        post_json(client_for(district.pkm_barat), "/api/v1/families", body),
        409,
        "client_id_reused",
    )
    assert Family.objects.count() == 2  # the fixture's and this one


def test_without_client_id_the_same_body_twice_is_two_requests(district, client_for):
    client = client_for(district.bidan_ampel)
    assert post_json(client, "/api/v1/families", FAMILY).status_code == 201
    assert_error(post_json(client, "/api/v1/families", FAMILY), 422, "invalid")


def test_the_same_person_sent_twice_is_stored_once(district, client_for):
    client = client_for(district.bidan_ampel)
    body = {
        "full_name": "Komang Ayu",
        "sex": "F",
        "birth_date": "2024-02-02",
        "area_code": "52.71.01.1001.01",
        "client_id": str(uuid.uuid4()),
    }
    assert post_json(client, "/api/v1/persons", body).status_code == 201
    again = post_json(client, "/api/v1/persons", body)
    assert again.status_code == 200
    assert Person.objects.filter(full_name="Komang Ayu").count() == 1
    assert_error(
        post_json(client, "/api/v1/persons", {**body, "birth_date": "2024-02-03"}),
        409,
        "client_id_reused",
    )


def test_a_double_click_on_the_family_form_stores_one_family(district, client_for):
    from tests.people.test_views_register import HEAD, SPOUSE, _family_post

    client = client_for(district.bidan_ampel)
    form = client.get("/keluarga/baru/").content.decode()
    assert 'name="client_id"' in form
    data = _family_post(district.rt_ampel_timur, [HEAD, SPOUSE], client_id=str(uuid.uuid4()))
    first = client.post("/keluarga/baru/", data)
    second = client.post("/keluarga/baru/", data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Formulir ini sudah tersimpan sebelumnya." in second.content.decode()
    assert Family.objects.filter(kk_number="5271011508200007").count() == 1


# ---------------------------------------------------------------- the admin


@pytest.fixture
def superuser(district):
    from ilp.accounts.models import User

    return User.objects.create_superuser("root", password="pw-root-123")


def test_superuser_cannot_delete_a_person_in_the_admin(district, client_for, superuser):
    client = client_for(superuser)
    pk = district.ahmad.pk
    delete = client.post(f"/admin/people/person/{pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    listing = client.get("/admin/people/person/").content.decode()
    assert "delete_selected" not in listing
    action = client.post(
        "/admin/people/person/",
        {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
    )
    assert action.status_code == 200  # "no action selected": nothing happens
    assert Person.objects.filter(pk=pk).exists()
    for model in ("family", "pregnancy"):
        assert client.get(f"/admin/people/{model}/").status_code == 200
        assert "delete_selected" not in client.get(f"/admin/people/{model}/").content.decode()


def _admin_form(client, pk):
    page = client.get(f"/admin/people/person/{pk}/change/")
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_admin_edits_are_corrections_and_conflicts_are_refused(district, client_for, superuser):
    from ilp.accounts.models import User

    other = User.objects.create_superuser("root2", password="pw-root-123")
    pk = district.ahmad.pk
    url = f"/admin/people/person/{pk}/change/"
    mine = _admin_form(client_for(superuser), pk)
    theirs = _admin_form(client_for(other), pk)
    assert mine["seen_version"] == 1

    response = client_for(other).post(url, {**theirs, "full_name": "Ahmad Fauzan"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = client_for(superuser).post(url, {**mine, "phone": "0811"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors[0].startswith("Data ini sudah diubah orang lain")
    assert errors[1].startswith("Nama lengkap: Ahmad Fauzi → Ahmad Fauzan (root2, ")
    assert 'value="0811"' in response.content.decode()
    ahmad = Person.objects.get(pk=pk)
    assert (ahmad.full_name, ahmad.name_key, ahmad.phone, ahmad.version) == (
        "Ahmad Fauzan",
        "ahmad fauzan",
        "",
        2,
    )
    last = ahmad.history.latest()
    assert (last.history_user_id, last.history_change_reason) == (other.pk, "typo")


def test_no_admin_deletes_a_person_family_pregnancy_or_care_record(district, rf, superuser):
    """Any admin registered for these models, now or later, must refuse deleting."""
    from django.contrib import admin

    from ilp.care import models as care
    from ilp.people.models import Pregnancy

    request = rf.get("/admin/")
    request.user = superuser
    protected = [
        Person,
        Family,
        Pregnancy,
        care.Encounter,
        care.Observation,
        care.ImmunizationRecord,
        care.Screening,
        care.Supply,
    ]
    registered = [m for m in protected if admin.site.is_registered(m)]
    assert {Person, Family, Pregnancy} <= set(registered)
    for model in registered:
        model_admin = admin.site.get_model_admin(model)
        assert not model_admin.has_delete_permission(request)
        assert "delete_selected" not in model_admin.get_actions(request)
