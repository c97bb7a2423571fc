"""Work-list pages (issue 8): the Excel work list in the reader's language, filters that
cannot be applied are errors, the puskesmas list grouped by desa and posyandu with what a home
visit needs, the district index as a tree, the task pages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ilp.care.models import Task
from ilp.people.models import Pregnancy

pytestmark = pytest.mark.django_db

ON = date(2025, 3, 10)


@pytest.fixture(autouse=True)
def care_urls(settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"


def url(name, **kwargs):
    return reverse(f"care:{name}", kwargs=kwargs)


@pytest.fixture
def listed(district):
    """Siti pregnant (K1 due), Budi with an overdue follow-up task."""
    Pregnancy.objects.create(person=district.siti, lmp=date(2025, 1, 1), edd=date(2025, 10, 8))
    Task.objects.create(
        person=district.budi,
        kind="follow_up",
        reason="Cek ulang tekanan darah",
        due_date=ON - timedelta(days=3),
        facility=district.pos_ampel_timur_f,
    )


def _cells(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_excel_work_list_shows_labels_not_codes(district, client_for, listed):
    client = client_for(district.kader_ampel_timur)
    response = client.get(url("worklist_excel", code="POS-AT"), {"on": "10-03-2025"})
    cells = _cells(response)
    for code in ("tindak-lanjut", "overdue", "due", "anc:K1", "skrining:PTM"):
        assert code not in cells
    assert {"Tindak lanjut", "Terlambat", "Jatuh tempo", "Pemeriksaan kehamilan (ANC) K1"} <= set(
        cells
    )
    assert "Skrining PTM" in cells
    assert "Layanan" in cells and "Sejak" in cells


def test_excel_work_list_in_english(district, client_for, listed):
    client = client_for(district.kader_ampel_timur)
    client.cookies["django_language"] = "en"  # what the language switch sets
    response = client.get(url("worklist_excel", code="POS-AT"), {"on": "10-03-2025"})
    cells = set(_cells(response))
    assert {"Follow-up", "Overdue", "Due", "Antenatal care (ANC) K1", "Service"} <= cells


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"on": "31-02-2025"}, "Tanggal “31-02-2025” tidak valid"),
        ({"on": "0001-01-01"}, "Tanggal “0001-01-01” di luar rentang yang masuk akal"),
        ({"cluster": "k9"}, "k9 bukan salah satu dari pilihan yang tersedia"),
        ({"kind": "sulap"}, "sulap bukan salah satu dari pilihan yang tersedia"),
    ],
)
def test_a_filter_that_cannot_be_applied_is_an_error(district, client_for, query, message):
    client = client_for(district.pkm_barat)
    for name in ("worklist", "worklist_excel"):
        response = client.get(url(name, code="P5271010101"), query)
        assert response.status_code == 400
        assert message in response.content.decode()


# ---------------------------------------------------------------- the puskesmas list


@pytest.fixture
def spread(district):
    """Children due for weighing in two desa of Puskesmas Barat, with address and phone."""
    from tests.care import resident

    a = resident(district, "Anak Ampel", "F", date(2024, 6, 1))
    a.address, a.phone = "Jl. Melati 3", "081234567890"
    a.save()
    b = resident(district, "Anak Batu", "M", date(2024, 7, 1), district.rt_batu)
    c = resident(district, "Anak Ampel Barat", "M", date(2024, 8, 1), district.rt_ampel_barat)
    return a, b, c


def test_puskesmas_list_grouped_by_desa_and_posyandu_with_contacts(district, client_for, spread):
    client = client_for(district.pkm_barat)
    page = client.get(url("worklist", code="P5271010101"), {"on": "10-03-2025", "kind": "timbang"})
    assert page.status_code == 200
    rows = page.context["rows"]
    order = [(r["i"].person.name) for r in rows]
    assert order == ["Anak Ampel Barat", "Rina Lestari", "Anak Ampel", "Anak Batu"]
    headers = [(r["group"].village, r["group"].posyandu) for r in rows if r["group"]]
    assert headers == [
        ("Ampel", "Posyandu Mawar"),
        ("Ampel", "Posyandu Melati"),
        ("Batu", "Posyandu Kenanga"),
    ]
    html = page.content.decode()
    assert "Desa Ampel · Posyandu Melati" in html
    assert 'Jl. Melati 3, RT 001 · <a href="tel:081234567890">081234567890</a>' in html


def test_puskesmas_excel_carries_desa_posyandu_and_contacts(district, client_for, spread):
    client = client_for(district.pkm_barat)
    response = client.get(
        url("worklist_excel", code="P5271010101"), {"on": "10-03-2025", "kind": "timbang"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    header = rows[0]
    assert header[:2] == ["Desa/kelurahan", "Posyandu"]
    assert header[-3:] == ["Alamat", "RT", "Telepon"]
    ampel = next(r for r in rows if r[4] == "Anak Ampel")
    assert (ampel[0], ampel[1], ampel[-3], ampel[-2], ampel[-1]) == (
        "Ampel",
        "Posyandu Melati",
        "Jl. Melati 3",
        "RT 001",
        "081234567890",
    )


def _same_queries(client, code, expected, assert_queries, grow):
    """The list page of `code` takes `expected` queries, and as many after `grow()` has added
    residents to the list."""
    client.get(url("worklist", code=code), {"on": "10-03-2025"})  # warm caches
    for step in (None, grow):
        if step is not None:
            step()
        with assert_queries(expected):
            client.get(url("worklist", code=code), {"on": "10-03-2025"})


def _more_children(district, rt):
    from tests.care import resident

    def grow():
        for n in range(5):
            resident(district, f"Anak Tambahan {n}", "F", date(2024, 1, 1 + n), rt)

    return grow


def test_puskesmas_page_query_count_does_not_grow_with_the_list(
    district, client_for, spread, django_assert_num_queries
):
    client = client_for(district.pkm_barat)
    grow = _more_children(district, district.rt_batu)
    _same_queries(client, "P5271010101", QUERIES_PUSKESMAS_PAGE, django_assert_num_queries, grow)


# Session and user (2), the facility and its scope (4), the list (persons, summaries, areas,
# pregnancies, screening, tasks …), the groups (2), the contacts (1), the audit (1).
QUERIES_PUSKESMAS_PAGE = 22


# ---------------------------------------------------------------- the district index


def test_district_index_is_a_tree_in_few_queries(district, client_for, django_assert_num_queries):
    client = client_for(district.dinkes)
    client.get(url("worklists"))
    with django_assert_num_queries(QUERIES_INDEX):
        page = client.get(url("worklists"))
    districts = page.context["districts"]
    tree = [
        (
            d.name,
            [
                (
                    n.facility.name,
                    [(c.facility.name, [g.facility.name for g in c.children]) for c in n.children],
                )
                for n in d.facilities
            ],
        )
        for d in districts
    ]
    assert tree == [
        (
            "Barat",
            [
                (
                    "Puskesmas Barat",
                    [
                        ("Pustu Ampel", ["Posyandu Mawar", "Posyandu Melati"]),
                        ("Pustu Batu", ["Posyandu Kenanga"]),
                    ],
                )
            ],
        ),
        ("Timur", [("Puskesmas Timur", [("Pustu Cemara", ["Posyandu Anggrek"])])]),
    ]
    html = page.content.decode()
    assert "Kecamatan Barat" in html and "Ampel Timur, Ampel" in html
    assert page.context["n_facilities"] == 9


def test_a_pustu_user_sees_its_own_branch(district, client_for):
    page = client_for(district.bidan_ampel).get(url("worklists"))
    [barat] = page.context["districts"]
    [pustu] = barat.facilities
    assert pustu.facility.name == "Pustu Ampel"
    assert [c.facility.name for c in pustu.children] == ["Posyandu Mawar", "Posyandu Melati"]


# Session and user (2), the user's area (1), the scope's dusun and desa (2), what the list
# facilities serve (1), the facilities with their areas (1): none per facility.
QUERIES_INDEX = 7


# ---------------------------------------------------------------- tasks


@pytest.fixture
def home_visit(district):
    from ilp.care.services import session_close, session_open

    kader = district.kader_ampel_timur
    session = session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=ON)
    session_close(actor=kader, session=session)
    return Task.objects.get(person=district.rina)


def test_task_page_shows_open_overdue_and_the_home_visit_action(district, client_for, home_visit):
    client = client_for(district.kader_ampel_timur)
    page = client.get(url("tasks", code="POS-AT"), {"on": "20-03-2025"})
    assert page.status_code == 200
    [row] = page.context["open_rows"]
    assert (row["t"], row["overdue"]) == (home_visit, True)
    form = url("package", person_uuid=district.rina.uuid, package="home_visit")
    assert row["action_url"] == form
    html = page.content.decode()
    assert "1 tugas terbuka, 1 terlambat" in html
    assert f'href="{form}"' in html
    # The home-visit form the action opens is for that person, at home.
    visit = client.get(form)
    assert visit.context["form"]["place_kind"].value() == "home"
    # The work list's line for the task links to the same form and to the close form.
    listed = client.get(url("worklist", code="POS-AT"), {"on": "20-03-2025"})
    [line] = [r for r in listed.context["rows"] if r["i"].item == "kunjungan-rumah"]
    assert line["action_url"] == form
    assert line["close_url"] == url("tasks", code="POS-AT") + f"#tugas-{home_visit.uuid}"


def test_task_closed_by_hand_moves_to_closed_with_who_and_why(district, client_for, home_visit):
    client = client_for(district.bidan_ampel)
    response = client.post(
        url("task_close", code="POS-AT", task_uuid=home_visit.uuid), {"outcome": "cancelled:moved"}
    )
    assert response.status_code == 302
    home_visit.refresh_from_db()
    assert (home_visit.status, home_visit.close_reason, home_visit.closed_by_id) == (
        "cancelled",
        "moved",
        district.bidan_ampel.pk,
    )
    # A task closed before closing recorded who and why (and the demo's) is shown too.
    from django.utils import timezone

    Task.objects.create(
        person=district.siti,
        kind="follow_up",
        reason="Cek ulang",
        due_date=ON,
        facility=district.pos_ampel_timur_f,
        status="done",
        closed_at=timezone.now(),
    )
    page = client.get(url("tasks", code="POS-AT"))
    assert page.context["open_rows"] == []
    assert [r["t"] for r in page.context["closed_rows"]][1:] == [home_visit]
    html = page.content.decode()
    assert "Pindah domisili" in html and "bidan_ampel" in html


def test_task_close_without_a_reason_is_refused_on_the_task(district, client_for, home_visit):
    client = client_for(district.bidan_ampel)
    response = client.post(
        url("task_close", code="POS-AT", task_uuid=home_visit.uuid), {"outcome": ""}
    )
    assert response.status_code == 400
    [row] = response.context["open_rows"]
    assert row["error"] == "Pilih alasan penutupan."
    assert f'id="err-{home_visit.uuid}"' in response.content.decode()
    home_visit.refresh_from_db()
    assert home_visit.status == "open"


def test_task_pages_are_scoped(district, client_for, home_visit):
    client = client_for(district.kader_cemara)
    assert client.get(url("tasks", code="POS-AT")).status_code == 404
    response = client.post(
        url("task_close", code="POS-AT", task_uuid=home_visit.uuid), {"outcome": "done:visited"}
    )
    assert response.status_code == 404
    home_visit.refresh_from_db()
    assert home_visit.status == "open"


def test_posyandu_page_query_count_does_not_grow_with_the_list(
    district, client_for, spread, django_assert_num_queries
):
    client = client_for(district.kader_ampel_timur)
    grow = _more_children(district, district.rt_ampel_timur)
    _same_queries(client, "POS-AT", QUERIES_POSYANDU_PAGE, django_assert_num_queries, grow)


# A posyandu list is not grouped (one dusun): no group queries, the contacts of the sheet (1).
QUERIES_POSYANDU_PAGE = 13


def test_work_list_reasons_in_the_readers_language(district, client_for, listed):
    """The reasons are codes rendered when shown: the same list reads in Indonesian with
    Indonesian dates and in English with English ones."""
    client = client_for(district.kader_ampel_timur)
    cells = set(_cells(client.get(url("worklist_excel", code="POS-AT"), {"on": "10-03-2025"})))
    assert "Kontak ANC K1 jatuh tempo sejak 1 Jan. 2025" in cells
    assert "Belum pernah skrining PTM" in cells
    client.cookies["django_language"] = "en"
    cells = set(_cells(client.get(url("worklist_excel", code="POS-AT"), {"on": "10-03-2025"})))
    assert "ANC contact K1 due since Jan. 1, 2025" in cells
    assert "Never screened (PTM)" in cells
    assert not {c for c in cells if "sejak" in c or "Belum" in c}
