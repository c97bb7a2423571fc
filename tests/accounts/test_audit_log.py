"""An audit log a data-protection officer can use (issue 9): one event per list request
with the ids shown, purposes, admin reads, exports, and the access-history page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.accounts.audit import audit_bulk_view, audit_record, events_for_person
from ilp.accounts.models import AuditEvent, Role, User
from ilp.care.worklists import worklist_for_user
from tests.conftest import _person

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(district):
    return User.objects.create_user(
        username="dpo",
        password="pw",
        role=Role.DATA_PROTECTION,
        area=district.city,
        first_name="Rahma",
        last_name="Pelindung",
    )


# ---------------------------------------------------------------- one event per list


def test_a_464_item_list_writes_one_event_and_who_opened_my_record_finds_it(district):
    ids = list(range(1000, 1464))
    audit_bulk_view(user=district.pkm_barat, object_type="worklist", person_ids=ids, ip="10.0.0.2")
    assert AuditEvent.objects.count() == 1
    event = AuditEvent.objects.get()
    assert (event.action, event.purpose, len(event.person_ids)) == ("view", "care", 464)
    assert list(events_for_person(1200)) == [event]
    assert list(events_for_person(999)) == []


def test_who_opened_my_record_joins_single_reads_and_lists(district):
    d = district
    one = audit_record(user=d.bidan_ampel, action="view", object_type="person", person_id=d.budi.pk)
    listed = audit_bulk_view(
        user=d.kader_ampel_timur, object_type="worklist", person_ids=[d.siti.pk, d.budi.pk], ip=None
    )
    audit_bulk_view(
        user=d.kader_ampel_timur, object_type="worklist", person_ids=[d.siti.pk], ip=None
    )
    assert set(events_for_person(d.budi.pk)) == {one, listed}


def test_existing_audit_record_calls_still_work(district):
    """`audit_record` keeps its keyword arguments (session and care code call it)."""
    event = audit_record(
        user=district.kader_ampel_timur,
        action="create",
        object_type="encounter",
        person_id=district.rina.pk,
        ip="10.0.0.3",
        detail={"x": 1},
    )
    assert (event.purpose, event.person_ids, event.detail) == ("", [], {"x": 1})


def test_search_page_writes_one_event_with_the_ids_shown(client_for, district):
    d = district
    for i in range(25):
        _person(f"Budiman {i:02d}", "M", date(1990, 1, 1), d.rt_ampel_timur)
    response = client_for(d.pkm_barat).get(reverse("people:search"), {"q": "budi"})
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.action == "search" and len(event.person_ids) == 20  # the page's limit


# ---------------------------------------------------------------- exports and the admin


def test_worklist_export_is_an_export_event_with_format_and_rows(client_for, district):
    d = district
    response = client_for(d.kader_ampel_timur).get(
        reverse("care:worklist_excel", args=["POS-AT"]), {"on": "10-08-2024"}
    )
    assert response.status_code == 200
    export = AuditEvent.objects.get(action="export")
    assert (export.object_type, export.purpose, export.detail["format"]) == (
        "worklist",
        "reporting",
        "xlsx",
    )
    items = worklist_for_user(d.kader_ampel_timur, "POS-AT", on=date(2024, 8, 10))
    assert items and export.detail["rows"] == len(items)
    assert export.person_ids == sorted({i.person.id for i in items})
    assert export.user == d.kader_ampel_timur


@pytest.fixture
def superuser(district):
    return User.objects.create_superuser("root", password="pw", area=district.city)


def test_admin_person_list_is_one_audit_event(client, superuser, district):
    client.force_login(superuser)
    response = client.get("/admin/people/person/", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200
    event = AuditEvent.objects.get(object_type="admin")
    assert (event.user, event.purpose, event.ip, event.detail) == (
        superuser,
        "administration",
        "10.9.9.9",
        {"model": "person", "page": "list"},
    )
    d = district
    assert event.person_ids == sorted(
        p.pk for p in (d.budi, d.siti, d.rina, d.ahmad, d.wayan, d.dewi)
    )


def test_admin_person_change_page_is_audited(client, superuser, district):
    client.force_login(superuser)
    response = client.get(f"/admin/people/person/{district.dewi.pk}/change/")
    assert response.status_code == 200
    event = AuditEvent.objects.get(object_type="admin")
    assert (event.person_id, event.detail["page"]) == (district.dewi.pk, "change")
    assert list(events_for_person(district.dewi.pk)) == [event]


def test_admin_family_change_page_names_every_member(client, superuser, district):
    client.force_login(superuser)
    client.get(f"/admin/people/family/{district.family_ampel.pk}/change/")
    event = AuditEvent.objects.get(object_type="admin")
    d = district
    assert event.person_ids == sorted([d.budi.pk, d.siti.pk, d.rina.pk])


def test_admin_autocomplete_answer_is_one_audit_event_naming_who_it_offered(
    client, superuser, district
):
    client.force_login(superuser)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "people", "model_name": "family", "field_name": "head", "term": "Budi"},
    )
    assert response.status_code == 200
    offered = [int(r["id"]) for r in response.json()["results"]]
    assert offered == [district.budi.pk]
    event = AuditEvent.objects.get(object_type="admin")
    assert (event.detail, event.person_ids, event.purpose) == (
        {"model": "person", "page": "autocomplete"},
        [district.budi.pk],
        "administration",
    )


def test_admin_history_pages_are_audited(client, superuser, district):
    client.force_login(superuser)
    url = f"/admin/people/person/{district.dewi.pk}/history/"
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get(object_type="admin")
    assert (event.person_id, event.detail["page"]) == (district.dewi.pk, "history")
    district.dewi.save()  # a stored version to open
    version = district.dewi.history.first()
    assert client.get(f"{url}{version.history_id}/").status_code == 200
    latest = AuditEvent.objects.filter(object_type="admin").latest("pk")
    assert (latest.person_id, latest.detail["page"]) == (district.dewi.pk, "history_version")


# ---------------------------------------------------------------- access history page


def test_access_history_is_for_dinkes_and_the_dpo_only(client_for, district, dpo):
    url = reverse("access_history")
    for persona in ("kader_ampel_timur", "pkm_barat", "tpcb", "camat_barat", "norole"):
        assert client_for(getattr(district, persona)).get(url).status_code == 403
    assert client_for(district.dinkes).get(url).status_code == 200
    assert client_for(dpo).get(url).status_code == 200


def test_dpo_reads_no_health_record(client_for, district, dpo):
    client = client_for(dpo)
    assert client.get(reverse("people:person", args=[district.budi.uuid])).status_code == 403
    assert "Riwayat akses data" in client.get("/").content.decode()


def test_access_history_of_a_person_in_indonesian_with_names(client_for, district, dpo):
    d = district
    d.kader_ampel_timur.first_name, d.kader_ampel_timur.last_name = "Sri", "Wahyuni"
    d.kader_ampel_timur.save()
    client_for(d.kader_ampel_timur).get(
        reverse("people:person", args=[d.budi.uuid]), REMOTE_ADDR="192.0.2.44"
    )
    audit_bulk_view(
        user=d.bidan_ampel, object_type="worklist", person_ids=[d.budi.pk, d.ahmad.pk], ip=None
    )
    audit_bulk_view(user=d.bidan_ampel, object_type="worklist", person_ids=[d.ahmad.pk], ip=None)
    client = client_for(dpo)
    response = client.get(reverse("access_history"), {"person": d.budi.local_id})
    body = response.content.decode()
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert [(r["event"].user, r["event"].object_type) for r in rows] == [
        (d.bidan_ampel, "worklist"),
        (d.kader_ampel_timur, "person"),
    ]
    assert "Sri Wahyuni" in body and "Kader posyandu" in body and "Posyandu Melati" in body
    assert "data penduduk" in body and "lihat" in body and "pelayanan kesehatan" in body
    assert "192.0.2.44" in body
    # The worklist named Budi with one other; the page he was opened on is his own record.
    assert body.count("dalam daftar bersama") == 1
    assert "dalam daftar bersama 1 orang lain" in body
    assert "Budi Santoso" in body  # the person asked about, named for the officer
    # Reading the history is itself audited, with the oversight purpose.
    own = AuditEvent.objects.get(user=dpo)
    assert (own.object_type, own.person_id, own.purpose) == (
        "access_history",
        d.budi.pk,
        "oversight",
    )


def test_access_history_filters_by_user_and_date(client_for, district, dpo):
    d = district
    old = audit_record(user=d.bidan_ampel, action="view", object_type="person", person_id=d.budi.pk)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    new = audit_record(user=d.bidan_ampel, action="view", object_type="person", person_id=d.budi.pk)
    audit_record(user=d.pkm_barat, action="view", object_type="person", person_id=d.budi.pk)
    client = client_for(dpo)
    today = timezone.localdate().strftime("%d-%m-%Y")
    response = client.get(
        reverse("access_history"),
        {"person": d.budi.nik, "username": "bidan_ampel", "date_from": today, "date_to": today},
    )
    assert [r["event"] for r in response.context["page"].rows] == [new]


def test_access_history_unknown_person_or_user_is_a_field_error(client_for, district, dpo):
    response = client_for(dpo).get(
        reverse("access_history"), {"person": "ILP-NOPE", "username": "ghost"}
    )
    body = response.content.decode()
    assert "Penduduk tidak ditemukan di kabupaten/kota Anda." in body
    assert "Pengguna tidak ditemukan." in body
    assert response.context["page"] is None


def test_access_history_query_count(client_for, district, dpo, django_assert_num_queries):
    """Session and user (2); the officer's district (1) and the person in it (1); the
    events: count and page with their users (2); the page's own audit event (1). The number
    of rows shown does not add queries."""
    d = district
    for _ in range(30):
        audit_record(user=d.bidan_ampel, action="view", object_type="person", person_id=d.budi.pk)
    client = client_for(dpo)
    url = reverse("access_history")
    client.get(url, {"person": d.budi.local_id})
    with django_assert_num_queries(7):
        assert client.get(url, {"person": d.budi.local_id}).status_code == 200


def test_dinkes_home_leads_to_the_access_history(client_for, district):
    url = reverse("access_history")
    assert url in client_for(district.dinkes).get("/").content.decode()
    # The cluster team works district-wide too, but does not review access.
    assert url not in client_for(district.tpcb).get("/").content.decode()


def test_access_history_times_in_the_readers_format(client_for, district, dpo, settings):
    from django.utils import timezone as tz

    event = audit_record(
        user=district.bidan_ampel, action="view", object_type="person", person_id=district.budi.pk
    )
    at = tz.datetime(2026, 5, 2, 14, 7, 9, tzinfo=tz.get_current_timezone())
    AuditEvent.objects.filter(pk=event.pk).update(at=at)
    client = client_for(dpo)
    body = client.get(reverse("access_history")).content.decode()
    assert ">02-05-2026 14.07</time>" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("access_history")).content.decode()
    assert ">05/02/2026 2:07 p.m.</time>" in body
