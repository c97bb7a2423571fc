"""The posyandu session pages (issue 8: close, counts, adults, dates; issue 9: a session's
people, scoped and audited pages, a read-only page for who does not run sessions)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.care.models import Attendance, Encounter, PosyanduSession, Task
from tests.conftest import _person


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def client_for(db):
    """A fresh client per persona (messages and sessions not shared between them)."""
    from django.test import Client

    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login


def url(name, **kwargs):
    return reverse(f"care:{name}", kwargs=kwargs)


def _open(client, today):
    response = client.post(url("session_open", code="POS-AT"), {"on": today.isoformat()})
    assert response.status_code == 302, response.content[:300]
    return PosyanduSession.objects.get(posyandu__code="POS-AT", date=today)


def _children(district, today, n, prefix="Balita"):
    return [
        _person(f"{prefix} {i}", "F", today - timedelta(days=60 + 150 * i), district.rt_ampel_timur)
        for i in range(n)
    ]


def _viewed_ids(session) -> set[int]:
    """Person ids the audit says were shown on the session's pages."""
    ids: set[int] = set()
    for event in AuditEvent.objects.filter(
        object_type="posyandu_session", object_uuid=session.uuid, action="view"
    ):
        ids.update(event.detail.get("person_ids", []))
        if event.person_id:
            ids.add(event.person_id)
    return ids


def test_the_close_message_says_how_many_absent_balita_became_home_visits(
    district, client_for, today
):
    """Seven absent children: the message says seven, not "0 … menjadi tugas"."""
    client = client_for(district.kader_ampel_timur)
    absent = _children(district, today, 7)
    _open(client, today)
    closed = client.post(url("session_close", code="POS-AT", on=today.isoformat()), follow=True)
    texts = [str(m) for m in closed.context["messages"]]
    assert texts == [
        "Sesi ditutup. 8 balita tidak hadir: 8 menjadi tugas kunjungan rumah."
    ]  # seven plus Rina
    assert Task.objects.filter(kind="home_visit", person__in=absent).count() == 7
    # A second click does not claim that nobody was absent.
    again = client.post(url("session_close", code="POS-AT", on=today.isoformat()), follow=True)
    assert [str(m) for m in again.context["messages"]] == ["Sesi posyandu ini sudah ditutup."]
    assert Task.objects.filter(kind="home_visit").count() == 8


def test_attendance_counts_balita_apart_from_adults(district, client_for, today):
    client = client_for(district.kader_ampel_timur)
    kids = _children(district, today, 2)
    session = _open(client, today)
    row = client.post(
        url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=kids[0].uuid),
        {"client_id": str(uuid.uuid4()), "weight": "5,9", "measured": "lying"},
        HTTP_HX_REQUEST="true",
    )
    assert '<span id="present-balita" hx-swap-oob="true">1</span>' in row.content.decode()
    adult = client.post(
        url("session_adult", code="POS-AT", on=today.isoformat(), person_uuid=district.budi.uuid),
        {"client_id": str(uuid.uuid4()), "sbp": "118", "dbp": "76"},
        HTTP_HX_REQUEST="true",
    )
    html = adult.content.decode()
    assert '<span id="present-balita" hx-swap-oob="true">1</span>' in html
    assert '<span id="present-others" hx-swap-oob="true">1</span>' in html
    page = client.get(url("session", code="POS-AT", on=today.isoformat()))
    context = page.context
    assert (context["balita_present"], context["balita_expected"]) == (1, 3)  # Rina too
    assert (context["others_present"], context["others_expected"]) == (1, 2)  # Budi, Siti
    text = page.content.decode()
    assert 'Balita: <span id="present-balita">1</span> dari 3 hadir' in text
    assert 'Dewasa, lansia dan lainnya: <span id="present-others">1</span> dari 2 hadir' in text
    assert Attendance.objects.filter(session=session, present=True).count() == 2


def test_an_adult_is_screened_from_the_session_screen(district, client_for, today):
    """Blood pressure, weight and the smoking question on the session page, through the adult
    package evaluation; the answer is the card with its result, in few queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(district.kader_ampel_timur)
    session = _open(client, today)
    page = client.get(url("session", code="POS-AT", on=today.isoformat()))
    # Adults due for screening wait as a line with their attendance box; marking one present
    # opens her card.
    assert [r.person for r in page.context["adults_waiting"]] == [district.budi, district.siti]
    assert f'id="af-{district.budi.pk}"' not in page.content.decode()
    marked = client.post(
        url(
            "session_attendance",
            code="POS-AT",
            on=today.isoformat(),
            person_uuid=district.budi.uuid,
        ),
        {"present": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert f'id="af-{district.budi.pk}"' in marked.content.decode()
    client.post(  # warm caches
        url("session_adult", code="POS-AT", on=today.isoformat(), person_uuid=district.siti.uuid),
        {"client_id": str(uuid.uuid4()), "sbp": "118", "dbp": "76"},
        HTTP_HX_REQUEST="true",
    )
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            url(
                "session_adult",
                code="POS-AT",
                on=today.isoformat(),
                person_uuid=district.budi.uuid,
            ),
            {
                "client_id": str(uuid.uuid4()),
                "weight": "71,5",
                "sbp": "165",
                "dbp": "102",
                "smoking": "true",
            },
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="row-{district.budi.pk}" data-row data-kind="adult"')
    assert "Hipertensi derajat 2" in html and "Konseling berhenti merokok" in html
    enc = Encounter.objects.get(person=district.budi, session=session)
    assert (enc.package, enc.values["sbp"], enc.values["smoking"]) == ("adult", 165, True)
    # One row: the session-runner and belonging checks, the person, the encounter with its
    # values, screenings, tasks and summary, the answer's row and counts. The indicator counts
    # are refreshed after the response (ilp.monitoring.refresh), which the test client runs
    # inside the request: those queries are counted apart.
    sqls = [q["sql"] for q in ctx.captured_queries]
    after = next(
        i for i, s in enumerate(sqls) if s.startswith('SELECT "monitoring_indicatorpending"')
    )
    row, refresh = sqls[:after], sqls[after:]
    assert len(row) <= 35, len(row)
    assert len(refresh) <= 11, len(refresh)  # PostgreSQL: 3 of them savepoints

    bad = client.post(
        url("session_adult", code="POS-AT", on=today.isoformat(), person_uuid=district.budi.uuid),
        {"client_id": str(uuid.uuid4()), "sbp": "abc"},
        HTTP_HX_REQUEST="true",
    )
    assert 'value="abc"' in bad.content.decode() and 'class="error"' in bad.content.decode()


@pytest.mark.parametrize("raw", ["0001-01-01", "1900-01-01", "01-01-1900"])
def test_a_session_dated_0001_or_1900_is_refused_on_the_date_field(
    district, client_for, today, raw
):
    client = client_for(district.kader_ampel_timur)
    response = client.post(url("session_open", code="POS-AT"), {"on": raw})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["on"][0].startswith(("Tanggal", "Sesi hanya dapat dibuka"))
    assert form.errors["on"][0] in response.content.decode()
    assert f'value="{raw}"' in response.content.decode()  # what was typed stays
    assert not PosyanduSession.objects.exists()


# ---------------------------------------------------------------- issue 9


def test_a_record_for_someone_else_is_refused_and_visitors_are_added_explicitly(
    district, client_for, today
):
    bidan = client_for(district.bidan_ampel)
    outsider = _person("Anak Barat", "M", today - timedelta(days=200), district.rt_ampel_barat)
    outsider.nik = "5271010101240009"
    outsider.save()
    session = _open(bidan, today)
    row_url = url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=outsider.uuid)
    refused = bidan.post(
        row_url, {"client_id": str(uuid.uuid4()), "weight": "7,5", "measured": "lying"}
    )
    assert refused.status_code == 403
    assert not Encounter.objects.filter(person=outsider).exists()

    added = bidan.post(
        url("session_visitor", code="POS-AT", on=today.isoformat()), {"number": outsider.nik}
    )
    assert added.status_code == 302
    assert Attendance.objects.get(session=session, person=outsider).visitor is True
    assert AuditEvent.objects.filter(
        object_type="posyandu_session", person_id=outsider.pk, detail__visitor_added=outsider.pk
    ).exists()
    saved = bidan.post(
        row_url,
        {"client_id": str(uuid.uuid4()), "weight": "7,5", "measured": "lying"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert Encounter.objects.filter(person=outsider, session=session).count() == 1

    # The kader may not add a person outside her posyandu's dusun: nothing tells her whether
    # the number exists.
    kader = client_for(district.kader_ampel_timur)
    wayan = kader.post(
        url("session_visitor", code="POS-AT", on=today.isoformat()),
        {"number": district.wayan.nik},
        follow=True,
    )
    assert [str(m) for m in wayan.context["messages"]] == [
        "Tidak ada penduduk dengan NIK atau nomor ILP itu di wilayah kerja Anda."
    ]
    assert not Attendance.objects.filter(person=district.wayan).exists()


def test_the_closed_session_page_shows_the_kader_only_her_people_and_is_audited(
    district, client_for, today
):
    """A wasted child from outside the area was recorded at the session (as a visitor, by the
    bidan); the kader's closed-session page must not show her or her finding."""
    bidan = client_for(district.bidan_ampel)
    outsider = _person("Anak Luar", "F", today - timedelta(days=90), district.rt_ampel_barat)
    outsider.nik = "5271010101250007"
    outsider.save()
    session = _open(bidan, today)
    bidan.post(
        url("session_visitor", code="POS-AT", on=today.isoformat()), {"number": outsider.nik}
    )
    bidan.post(
        url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=outsider.uuid),
        {"client_id": str(uuid.uuid4()), "weight": "4,5", "height": "60,4", "measured": "lying"},
        HTTP_HX_REQUEST="true",
    )
    assert Task.objects.filter(person=outsider, kind="refer").exists()
    bidan.post(url("session_close", code="POS-AT", on=today.isoformat()))

    kader = client_for(district.kader_ampel_timur)
    AuditEvent.objects.all().delete()
    page = kader.get(url("session", code="POS-AT", on=today.isoformat()))
    html = page.content.decode()
    assert "Anak Luar" not in html
    assert "Gizi buruk" not in html
    assert outsider.pk not in {t.person_id for t in page.context["tasks"]}
    keys = ("rows", "adults", "adults_waiting", "others")
    shown = {r.person.pk for key in keys for r in page.context[key]}
    shown |= {t.person_id for t in page.context["tasks"]}
    assert shown == {district.rina.pk, district.budi.pk, district.siti.pk}
    # One audit event for the page, carrying the ids shown.
    [event] = AuditEvent.objects.filter(object_type="posyandu_session", action="view")
    assert event.user == district.kader_ampel_timur
    assert set(event.detail["person_ids"]) == shown == _viewed_ids(session)
    # The bidan, whose scope covers the visitor, sees her with the referral.
    assert (
        "Anak Luar"
        in bidan.get(url("session", code="POS-AT", on=today.isoformat())).content.decode()
    )


def test_a_district_role_sees_a_session_read_only(district, client_for, today):
    """The dinkes admin may look at a posyandu but does not run its sessions: no open button,
    no enabled field, no close button — and a write is refused."""
    PosyanduSession.objects.create(posyandu=district.pos_ampel_timur_f, date=today)
    client = client_for(district.dinkes)
    home = client.get(url("posyandu", code="POS-AT")).content.decode()
    assert 'action="' + url("session_open", code="POS-AT") + '"' not in home
    page = client.get(url("session", code="POS-AT", on=today.isoformat()))
    html = page.content.decode()
    assert page.status_code == 200 and page.context["editable"] is False
    assert "Tutup sesi" not in html and "Tambah pengunjung" not in html
    assert 'name="weight"' in html
    assert all(
        " disabled" in tag
        for tag in html.split("<input")[1:]
        if 'name="weight"' in tag or 'name="present"' in tag
    )
    response = client.post(
        url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=district.rina.uuid),
        {"client_id": str(uuid.uuid4()), "weight": "9,5", "measured": "standing"},
    )
    assert response.status_code == 403
    assert not Encounter.objects.exists()
