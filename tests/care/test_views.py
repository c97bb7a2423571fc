"""Care pages: service-package forms with instant results, growth chart files, the posyandu
session table, work lists; who may open them."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.care.models import Attendance, Encounter, Observation, PosyanduSession, Task


@pytest.fixture(autouse=True)
def care_urls(settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def baby(district, today):
    """A girl of exactly 90 days in Ampel Timur (posyandu Melati)."""
    from tests.conftest import _person

    return _person("Ayu Lestari", "F", today - timedelta(days=90), district.rt_ampel_timur)


def url(name, **kwargs):
    return reverse(f"care:{name}", kwargs=kwargs)


# ---------------------------------------------------------------- instant evaluation


def test_evaluate_returns_gizi_buruk_for_the_who_case(district, client_for, baby):
    client = client_for(district.kader_ampel_timur)
    response = client.post(
        url("evaluate", person_uuid=baby.uuid, package="child"),
        {
            "on": timezone.localdate().isoformat(),
            "weight": "4,5",
            "height": "60.4",
            "measured": "lying",
            "place_kind": "posyandu",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-code="wflh"' in html
    assert 'BB/PB atau BB/TB</strong>: <span class="class-label">Gizi buruk</span>' in html
    assert "(z −3,26)" in html
    assert "Rujuk ke puskesmas" in html  # the alert's suggested action
    assert Encounter.objects.count() == 0


def test_evaluate_clears_and_sets_field_hints_out_of_band(district, client_for, baby):
    client = client_for(district.kader_ampel_timur)
    response = client.post(
        url("evaluate", person_uuid=baby.uuid, package="child"),
        {"on": timezone.localdate().isoformat(), "weight": "45", "measured": "lying"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    # an error under the weight field, and an empty hint for the height field
    assert (
        '<div class="hint" id="hint-weight" aria-live="polite" hx-swap-oob="true"><p class' in html
    )
    assert '<div class="hint" id="hint-height" aria-live="polite" hx-swap-oob="true"></div>' in html


# ---------------------------------------------------------------- package forms


PACKAGE_PERSONS = [
    ("child", "baby"),
    ("immunization", "baby"),
    ("newborn", "newborn"),
    ("adult", "siti"),
    ("elderly", "ahmad_like"),
    ("anc", "pregnant"),
    ("delivery", "pregnant"),
    ("postpartum", "pregnant"),
    ("school", "pupil"),
    ("home_visit", "siti"),
]


@pytest.fixture
def people(district, baby, today):
    from ilp.people.models import Pregnancy
    from tests.conftest import _person

    rt = district.rt_ampel_timur
    Pregnancy.objects.create(
        person=district.siti, lmp=today - timedelta(weeks=20), edd=today + timedelta(weeks=20)
    )
    return {
        "baby": baby,
        "newborn": _person("Bayi Baru", "M", today - timedelta(days=5), rt),
        "siti": district.siti,
        "pregnant": district.siti,
        "ahmad_like": _person("Kakek Umar", "M", date(1950, 1, 1), rt),
        "pupil": _person("Dodi Murid", "M", today - timedelta(days=10 * 365), rt),
    }


@pytest.mark.parametrize(("package", "who"), PACKAGE_PERSONS)
def test_every_package_form_renders_with_a_fresh_client_id(
    district, client_for, people, package, who
):
    client = client_for(district.bidan_ampel)
    person = people[who]
    response = client.get(url("package", person_uuid=person.uuid, package=package))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="client_id"' in html
    assert f'hx-post="{url("evaluate", person_uuid=person.uuid, package=package)}"' in html
    assert 'hx-trigger="input changed delay:400ms' in html
    form = response.context["form"]
    assert isinstance(form.initial["client_id"], uuid.UUID)
    second = client.get(url("package", person_uuid=person.uuid, package=package))
    assert second.context["form"].initial["client_id"] != form.initial["client_id"]


def test_the_person_page_offers_the_packages_of_the_life_stage(district, client_for, people):
    client = client_for(district.bidan_ampel)
    html = client.get(url("person", person_uuid=people["baby"].uuid)).content.decode()
    assert url("package", person_uuid=people["baby"].uuid, package="child") in html
    assert url("package", person_uuid=people["baby"].uuid, package="adult") not in html
    html = client.get(url("person", person_uuid=people["pregnant"].uuid)).content.decode()
    assert url("package", person_uuid=people["pregnant"].uuid, package="anc") in html


def _child_post(**extra):
    data = {
        "client_id": str(uuid.uuid4()),
        "on": timezone.localdate().strftime("%d-%m-%Y"),
        "place_kind": "posyandu",
        "weight": "5,6",
        "height": "60,1",
        "measured": "lying",
        "muac": "",
        "head": "",
        "notes": "",
    }
    data.update(extra)
    return data


def test_saving_a_package_stores_one_encounter_even_when_submitted_twice(
    district, client_for, baby
):
    client = client_for(district.kader_ampel_timur)
    data = _child_post()
    target = url("package", person_uuid=baby.uuid, package="child")
    first = client.post(target, data)
    second = client.post(target, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Encounter.objects.filter(person=baby).count() == 1
    encounter = Encounter.objects.get(person=baby)
    assert str(encounter.client_id) == data["client_id"]
    assert first["Location"].endswith(f"?baru={encounter.uuid}#enc-{encounter.uuid}")
    assert sorted(
        Observation.objects.filter(encounter=encounter).values_list("code", flat=True)
    ) == ["bmi", "height", "measured", "oedema", "weight"]
    page = client.get(first["Location"]).content.decode()
    assert "tersimpan" in page
    assert f'id="enc-{encounter.uuid}"' in page


def test_an_error_rerenders_the_form_with_everything_typed(district, client_for, baby):
    client = client_for(district.kader_ampel_timur)
    data = _child_post(weight="560", muac="12,5")
    response = client.post(url("package", person_uuid=baby.uuid, package="child"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="560"' in html and 'value="12,5"' in html and 'value="60,1"' in html
    assert f'value="{data["client_id"]}"' in html  # same form, same id: still stored once
    form = response.context["form"]
    assert form.errors["weight"] == ["Berat badan 560 kg tidak mungkin; isi antara 0,3 dan 250 kg."]
    assert Encounter.objects.count() == 0


def test_an_unusual_value_asks_for_confirmation_then_saves_flagged(district, client_for, baby):
    client = client_for(district.kader_ampel_timur)
    # 2,2 kg at 90 days: WFA z below −6 is a WHO flag (plausible but unusual).
    data = _child_post(weight="2,2", height="", measured="lying")
    target = url("package", person_uuid=baby.uuid, package="child")
    response = client.post(target, data)
    assert response.status_code == 422
    assert response.context["needs_confirmation"] is True
    html = response.content.decode()
    assert 'id="confirm-box" class="confirm-box">' in html  # shown, not hidden
    assert Encounter.objects.count() == 0
    data["confirm_unusual"] = "on"
    assert client.post(target, data).status_code == 302
    assert Encounter.objects.get(person=baby).flagged is True


def test_immunization_form_sends_doses_with_lot_and_expiry(district, client_for, baby, today):
    client = client_for(district.bidan_ampel)
    data = {
        "client_id": str(uuid.uuid4()),
        "on": today.isoformat(),
        "place_kind": "pustu",
        "doses-0-dose_code": "BCG",
        "doses-0-lot_number": "",
        "doses-0-expiry_date": (today + timedelta(days=100)).strftime("%d-%m-%Y"),
    }
    target = url("package", person_uuid=baby.uuid, package="immunization")
    response = client.post(target, data)
    assert response.status_code == 422
    assert response.context["form"].errors["doses-0-lot_number"] == [
        "Nomor batch vaksin wajib diisi."
    ]
    data["doses-0-lot_number"] = "B-1234"
    assert client.post(target, data).status_code == 302
    record = baby.immunizations.get()
    assert (record.dose_code, record.lot_number) == ("BCG", "B-1234")
    assert record.expiry_date == today + timedelta(days=100)


# ---------------------------------------------------------------- growth chart file


def test_chart_svg_has_the_who_curves_and_the_childs_recorded_points(district, client_for, baby):
    client = client_for(district.kader_ampel_timur)
    client.post(url("package", person_uuid=baby.uuid, package="child"), _child_post())
    response = client.get(url("growth_chart", person_uuid=baby.uuid, indicator="wfa"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.count('class="sd-curve') == 5
    assert f'data-date="{timezone.localdate().isoformat()}" data-value="5.6"' in svg
    height = client.get(url("growth_chart", person_uuid=baby.uuid, indicator="lhfa"))
    assert 'data-value="60.1"' in height.content.decode()
    assert (
        client.get(url("growth_chart", person_uuid=baby.uuid, indicator="bmi")).status_code == 404
    )
    page = client.get(url("person", person_uuid=baby.uuid)).content.decode()
    assert page.count("<svg") == 3 and 'data-value="5.6"' in page


def test_a_baby_gets_the_weight_for_length_chart_with_her_point(district, client_for, baby):
    client = client_for(district.kader_ampel_timur)
    client.post(url("package", person_uuid=baby.uuid, package="child"), _child_post())
    page = client.get(url("person", person_uuid=baby.uuid)).content.decode()
    chart = page[page.index('id="chart-wfl"') :]
    assert 'data-value="5.6" data-length="60.1"' in chart
    assert url("growth_chart", person_uuid=baby.uuid, indicator="wfl") in page
    assert 'id="chart-wfh"' not in page  # weight-for-height from two years
    svg = client.get(url("growth_chart", person_uuid=baby.uuid, indicator="wfl"))
    assert svg.status_code == 200 and 'data-length="60.1"' in svg.content.decode()


def test_a_child_of_three_gets_weight_for_height_standing(district, client_for, today):
    from tests.conftest import _person

    child = _person("Dimas", "M", today - timedelta(days=3 * 365), district.rt_ampel_timur)
    client = client_for(district.kader_ampel_timur)
    post = _child_post(weight="13,0", height="92,0", measured="lying")
    assert (
        client.post(url("package", person_uuid=child.uuid, package="child"), post).status_code
        == 302
    )
    page = client.get(url("person", person_uuid=child.uuid)).content.decode()
    assert 'id="chart-wfl"' not in page
    # Measured lying at three: the WHO height table takes it 0.7 cm shorter.
    assert 'data-value="13" data-length="91.3"' in page[page.index('id="chart-wfh"') :]


# ---------------------------------------------------------------- posyandu session


@pytest.fixture
def session_children(district, today):
    from tests.conftest import _person

    rt = district.rt_ampel_timur
    return {
        "wasted": _person("Anak Kurus", "F", today - timedelta(days=90), rt),
        "normal": _person("Anak Sehat", "M", today - timedelta(days=400), rt),
        "absent": _person("Anak Absen", "M", today - timedelta(days=700), rt),
    }


def _open(client, district, today):
    response = client.post(url("session_open", code="POS-AT"), {"on": today.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == url("session", code="POS-AT", on=today.isoformat())
    return PosyanduSession.objects.get(posyandu=district.pos_ampel_timur_f, date=today)


def test_a_kader_runs_a_session_row_by_row_and_closes_it(
    district, client_for, session_children, today
):
    client = client_for(district.kader_ampel_timur)
    session = _open(client, district, today)
    page = client.get(url("session", code="POS-AT", on=today.isoformat()))
    assert page.status_code == 200
    html = page.content.decode()
    for child in session_children.values():
        assert f'id="row-{child.pk}"' in html
    assert "data-session-table" in html
    # the length default follows age: lying under 24 months
    measured = {r.person.full_name: r.form.initial["measured"] for r in page.context["rows"]}
    assert measured["Anak Absen"] == "lying"  # 700 days
    assert measured["Rina Lestari"] == "standing"  # 30 months

    wasted = session_children["wasted"]
    row_url = url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=wasted.uuid)
    client_id = str(uuid.uuid4())
    data = {
        "client_id": client_id,
        "weight": "4,5",
        "height": "60,4",
        "measured": "lying",
        "muac": "",
    }
    response = client.post(row_url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith(f'<tr id="row-{wasted.pk}" data-row class="row-danger')
    assert re.search(
        r'<td class="cat cat-severe" data-label="[^"]+"><span class="cat-label">Gizi buruk</span>',
        row,
    )
    assert "Rujuk ke puskesmas" in row
    # the same row sent again (double Enter) is stored once
    client.post(row_url, data, HTTP_HX_REQUEST="true")
    assert Encounter.objects.filter(person=wasted, session=session).count() == 1
    assert Attendance.objects.get(session=session, person=wasted).present is True

    normal = session_children["normal"]
    bad = client.post(
        url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=normal.uuid),
        {"client_id": str(uuid.uuid4()), "weight": "abc", "measured": "standing"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 200
    assert 'value="abc"' in bad.content.decode()
    assert "harus berupa angka" in bad.content.decode()
    assert not Encounter.objects.filter(person=normal).exists()

    # attendance only, without measurements
    client.post(
        url("session_attendance", code="POS-AT", on=today.isoformat(), person_uuid=normal.uuid),
        {"present": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert Attendance.objects.get(session=session, person=normal).present is True

    closed = client.post(url("session_close", code="POS-AT", on=today.isoformat()))
    assert closed.status_code == 302
    after = client.get(closed["Location"].split("#")[0])
    tasks = after.context["tasks"]
    kinds = {(t.person_id, t.kind) for t in tasks}
    absent = session_children["absent"]
    assert (absent.pk, "home_visit") in kinds
    assert (wasted.pk, "refer") in kinds
    assert (normal.pk, "home_visit") not in kinds
    assert "Anak Absen" in after.content.decode()


def test_the_posyandu_page_opens_this_months_session(district, client_for, today):
    client = client_for(district.kader_ampel_timur)
    page = client.get(url("posyandu", code="POS-AT"))
    assert page.status_code == 200
    assert "Buka sesi bulan ini" in page.content.decode()
    _open(client, district, today)
    page = client.get(url("posyandu", code="POS-AT"))
    assert url("session", code="POS-AT", on=today.isoformat()) in page.content.decode()


# ---------------------------------------------------------------- work lists


def test_worklist_pages_render_print_and_export(district, client_for, session_children, today):
    client = client_for(district.kader_ampel_timur)
    page = client.get(url("worklist", code="POS-AT"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anak Absen" in html and "data-print" in html
    items = page.context["items"]
    assert [i.sort_key() for i in items] == sorted(i.sort_key() for i in items)
    excel = client.get(url("worklist_excel", code="POS-AT"))
    assert excel.status_code == 200
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert excel.content[:2] == b"PK"
    assert client.get(url("special", code="POS-AT")).status_code == 200
    for register in ("ibu", "bayi", "balita"):
        assert client.get(url("kohort", code="POS-AT", register=register)).status_code == 200
    kohort = client.get(url("kohort_excel", code="POS-AT", register="balita"))
    assert kohort.content[:2] == b"PK"
    assert client.get(url("kohort", code="POS-AT", register="lansia")).status_code == 404
    assert client.get(url("worklists"))["Location"] == url("worklist", code="POS-AT")


def test_a_long_worklist_is_shown_a_sheet_at_a_time(
    district, client_for, session_children, today, monkeypatch
):
    from ilp.care.views import worklists as views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client = client_for(district.kader_ampel_timur)
    day = today.strftime("%d-%m-%Y")
    first = client.get(url("worklist", code="POS-AT"), {"on": day})
    items = first.context["items"]
    assert len(items) > 3
    pages = -(-len(items) // 3)
    html = first.content.decode()
    assert f"Halaman 1 dari {pages} (baris 1–3)" in html
    persons = len({i.person.id for i in items})
    assert f"{len(items)} layanan untuk {persons} sasaran pada {day}" in html
    # Every item is counted in the head table, by kind and state.
    counts = first.context["counts"]
    assert sum(c["total"] for c in counts) == len(items)
    assert sum(c["overdue"] for c in counts) == sum(i.state == "overdue" for i in items)
    assert f"?on={day}&amp;page=2" in html  # the filters are kept from sheet to sheet
    second = client.get(url("worklist", code="POS-AT"), {"on": day, "page": 2})
    rows = second.context["rows"]
    assert [r["i"] for r in rows] == items[3:6]
    assert '<td data-label="No">4</td>' in second.content.decode()
    # A page number out of range shows the last sheet, not an error.
    last = client.get(url("worklist", code="POS-AT"), {"on": day, "page": 999})
    assert last.status_code == 200 and last.context["page"].number == pages


def test_special_lists_show_a_head_and_one_list_whole(district, client_for, today, monkeypatch):
    from ilp.care.models import Screening
    from ilp.care.views import worklists as views
    from tests.care import encounter

    post = district.pos_ampel_timur_f
    for person in (district.budi, district.siti, district.rina):
        enc = encounter(person, today, post, "adult", cluster="k3")
        Screening.objects.create(
            encounter=enc,
            person=person,
            date=today,
            instrument="bp",
            result_code="grade_2",
            label_code="bp_pnpk.class.grade_2",
            abnormal=True,
        )
    monkeypatch.setattr(views, "SPECIAL_HEAD", 1)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = client_for(district.kader_ampel_timur)
    overview = client.get(url("special", code="POS-AT"))
    section = next(s for s in overview.context["sections"] if s["code"] == "ht_tidak_terkendali")
    assert (section["count"], len(section["items"]), section["more"]) == (3, 1, 2)
    html = overview.content.decode()
    assert "… dan 2 lainnya: tampilkan semua" in html and "list=ht_tidak_terkendali" in html
    whole = client.get(url("special", code="POS-AT"), {"list": "ht_tidak_terkendali"})
    assert [s["code"] for s in whole.context["sections"]] == ["ht_tidak_terkendali"]
    assert "Halaman 1 dari 2 (baris 1–2)" in whole.content.decode()
    second = client.get(url("special", code="POS-AT"), {"list": "ht_tidak_terkendali", "page": 2})
    assert len(second.context["sections"][0]["items"]) == 1
    # An unknown list name shows the overview, not an error.
    other = client.get(url("special", code="POS-AT"), {"list": "bogus"})
    assert len(other.context["sections"]) == 6  # every special list, prediabetes included


# ---------------------------------------------------------------- permission matrix


def _pages(baby, today):
    day = today.isoformat()
    return [
        ("get", url("person", person_uuid=baby.uuid)),
        ("get", url("package", person_uuid=baby.uuid, package="child")),
        ("post", url("evaluate", person_uuid=baby.uuid, package="child")),
        ("get", url("growth_chart", person_uuid=baby.uuid, indicator="wfa")),
        ("get", url("posyandu", code="POS-AT")),
        ("get", url("session", code="POS-AT", on=day)),
        ("get", url("worklist", code="POS-AT")),
        ("get", url("special", code="POS-AT")),
        ("get", url("kohort", code="POS-AT", register="balita")),
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("kader_cemara", 404),  # kader of another posyandu: not in their area
        ("kader_ampel_barat", 404),  # same desa, other dusun
        ("camat_barat", 403),  # cross-sector: aggregates only
        ("kades_ampel", 403),
        ("ppa", 403),
        ("norole", 403),
    ],
)
def test_outsiders_cannot_open_care_pages(district, client_for, baby, today, persona, expected):
    client = client_for(getattr(district, persona))
    for method, target in _pages(baby, today):
        response = getattr(client, method)(target, {"weight": "4,5"} if method == "post" else {})
        assert response.status_code == expected, (persona, target)
        assert b"Ayu Lestari" not in response.content


def test_anonymous_users_go_to_the_login_page(district, client, baby, today):
    for method, target in _pages(baby, today):
        response = getattr(client, method)(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["kader_ampel_timur", "bidan_ampel", "pkm_barat"])
def test_the_area_team_can_open_care_pages(district, client_for, baby, today, persona):
    client = client_for(getattr(district, persona))
    PosyanduSession.objects.create(posyandu=district.pos_ampel_timur_f, date=today)
    for method, target in _pages(baby, today):
        response = getattr(client, method)(target)
        assert response.status_code == 200, (persona, target)


@pytest.mark.parametrize("persona", ["kader_cemara", "camat_barat"])
def test_denied_writes_change_nothing(district, client_for, baby, today, persona):
    session = PosyanduSession.objects.create(posyandu=district.pos_ampel_timur_f, date=today)
    client = client_for(getattr(district, persona))
    client.post(url("package", person_uuid=baby.uuid, package="child"), _child_post())
    client.post(
        url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=baby.uuid),
        {"client_id": str(uuid.uuid4()), "weight": "4,5", "measured": "lying"},
    )
    client.post(url("session_close", code="POS-AT", on=today.isoformat()))
    client.post(url("session_open", code="POS-AT"), {"on": (today - timedelta(days=1))})
    assert not Encounter.objects.exists()
    assert not Attendance.objects.exists()
    assert not Task.objects.exists()
    session.refresh_from_db()
    assert session.closed_at is None
    assert PosyanduSession.objects.count() == 1


def test_care_pages_speak_english_on_request(district, client_for, baby, today):
    client = client_for(district.kader_ampel_timur)
    PosyanduSession.objects.create(posyandu=district.pos_ampel_timur_f, date=today)
    session_url = url("session", code="POS-AT", on=today.isoformat())
    # An English browser alone does not switch a puskesmas computer to English...
    page = client.get(session_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Tutup sesi" in page and "Close session" not in page
    # ...the language switch does, and it sticks.
    client.post(reverse("set_language"), {"language": "en", "next": session_url})
    page = client.get(session_url).content.decode()
    assert "Weighing and measuring under-fives" in page
    assert "Close session" in page
    form = client.get(url("package", person_uuid=baby.uuid, package="child")).content.decode()
    assert "Weighing and measuring" in form and "DD-MM-YYYY" in form


def test_session_page_queries_do_not_grow_with_the_number_of_children(district, client_for, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import _person

    client = client_for(district.kader_ampel_timur)
    session = _open(client, district, today)
    target = url("session", code="POS-AT", on=today.isoformat())

    def weigh(n):
        for i in range(n):
            child = _person(
                f"Anak {i:02d}", "F", today - timedelta(days=100 + 30 * i), district.rt_ampel_timur
            )
            client.post(
                url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=child.uuid),
                {"client_id": str(uuid.uuid4()), "weight": "6,5", "measured": "lying"},
                HTTP_HX_REQUEST="true",
            )

    weigh(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    weigh(12)
    with CaptureQueriesContext(connection) as many:
        page = client.get(target)
    assert len(page.context["rows"]) == 16  # Rina plus 15 children
    assert Encounter.objects.filter(session=session).count() == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_closed_session_takes_no_more_rows(district, client_for, baby, today):
    client = client_for(district.kader_ampel_timur)
    session = _open(client, district, today)
    client.post(url("session_close", code="POS-AT", on=today.isoformat()))
    response = client.post(
        url("session_row", code="POS-AT", on=today.isoformat(), person_uuid=baby.uuid),
        {"client_id": str(uuid.uuid4()), "weight": "5,5", "measured": "lying"},
        HTTP_HX_REQUEST="true",
    )
    assert "Sesi sudah ditutup" in response.content.decode()
    client.post(
        url("session_attendance", code="POS-AT", on=today.isoformat(), person_uuid=baby.uuid),
        {"present": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert not Encounter.objects.filter(session=session).exists()
    assert not Attendance.objects.filter(session=session, present=True).exists()


def test_ticking_a_kspr_factor_sends_the_questionnaire(district, client_for, people):
    client = client_for(district.bidan_ampel)
    response = client.post(
        url("evaluate", person_uuid=people["pregnant"].uuid, package="anc"),
        {
            "on": timezone.localdate().isoformat(),
            "visit_number": "2",
            "height": "150",
            "kspr__breech": "on",
            "kspr__years_married": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'data-code="kspr"' in html
    # breech (8) + pregnant again under 2 years (4) + the card's starting 2 points
    assert 'KSPR</strong>: <span class="class-label">' in html
    untouched = client.post(
        url("evaluate", person_uuid=people["pregnant"].uuid, package="anc"),
        {"on": timezone.localdate().isoformat(), "visit_number": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-code="kspr"' not in untouched.content.decode()


def test_the_person_page_offers_no_package_to_a_role_that_could_not_save_it(
    district, client_for, people
):
    """The dinkes administrator records under no posyandu, pustu or puskesmas: the form's
    save would refuse, so the page offers no package (a kader of the posyandu does)."""
    baby = people["baby"]
    form_url = url("package", person_uuid=baby.uuid, package="child")
    html = client_for(district.dinkes).get(url("person", person_uuid=baby.uuid)).content.decode()
    assert form_url not in html
    html = (
        client_for(district.kader_ampel_timur)
        .get(url("person", person_uuid=baby.uuid))
        .content.decode()
    )
    assert form_url in html
