"""Checklist pages: who opens which (every role), the Dinkes' edit publishing versions (bad
input with its message and the input kept, an old version refused), an old version read-only,
the visit's checklist answered item by item (htmx and without), frozen once done, and a
recommendation citing an item (page and API)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.accounts.models import Role, User
from ilp.evaluation import services
from ilp.evaluation.models import ChecklistAnswer, ChecklistVersion, Recommendation
from ilp.evaluation.services_checklists import ItemDraft, checklist_publish

pytestmark = pytest.mark.django_db

ROLES = [
    "dinkes",
    "tpcb",
    "tpcb_other",
    "pkm_barat",
    "bidan_ampel",
    "kader_ampel_timur",
    "camat_barat",
    "ppa",
    "dpo",
    "norole",
]


@pytest.fixture
def people(district, tpcb_other):
    dpo = User.objects.create_user(username="dpo", role=Role.DATA_PROTECTION, area=district.city)
    found = {name: getattr(district, name, None) for name in ROLES}
    found.update(tpcb_other=tpcb_other, dpo=dpo)
    return found


READERS = {"dinkes": 200, "tpcb": 200, "tpcb_other": 200}


@pytest.mark.parametrize("who", ROLES)
def test_who_opens_the_checklist_pages(client, people, checklists, who):
    client.force_login(people[who])
    v1 = checklists["k1"]
    pages = {
        "/pembinaan/daftar-tilik/": READERS,
        f"/pembinaan/daftar-tilik/versi/{v1.uuid}/": READERS,
        "/pembinaan/daftar-tilik/k1/ubah/": {"dinkes": 200},
    }
    for url, allowed in pages.items():
        response = client.get(url)
        assert response.status_code == allowed.get(who, 403), url
        if response.status_code != 200:
            assert b"Lokmin bulanan" not in response.content
    page = client.get("/pembinaan/daftar-tilik/").content.decode()
    if who == "dinkes":
        assert "Ubah (terbitkan versi baru)" in page
    elif who in READERS:
        assert "Lokmin" not in page and "Ubah (terbitkan" not in page
    response = client.post("/pembinaan/daftar-tilik/contoh/")
    assert response.status_code == (302 if who == "dinkes" else 403)
    expected = 5 if who == "dinkes" else 2
    assert ChecklistVersion.objects.count() == expected


def test_list_shows_versions_and_the_example_offer(client, district):
    client.force_login(district.dinkes)
    page = client.get("/pembinaan/daftar-tilik/").content.decode()
    assert "Terbitkan contoh daftar tilik" in page
    assert page.count("Belum ada daftar tilik untuk klaster ini.") == 5
    client.post("/pembinaan/daftar-tilik/contoh/")
    page = client.get("/pembinaan/daftar-tilik/").content.decode()
    assert "Terbitkan contoh daftar tilik" not in page
    assert page.count("contoh awal dari ILP, untuk disesuaikan Dinas Kesehatan") == 10
    assert "Versi terbaru: 1 (6 butir)" in page


def _post_items(rows, base, note=""):
    data = {
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "base": str(base.uuid) if base else "",
        "note": note,
    }
    for n, row in enumerate(rows):
        code, text, *rest = row
        data[f"items-{n}-code"] = code
        data[f"items-{n}-text"] = text
        data[f"items-{n}-ORDER"] = str(n + 1)
        if rest and rest[0] == "retire":
            data[f"items-{n}-retire"] = "on"
    return data


def test_edit_publishes_a_new_version(client, district, checklists):
    client.force_login(district.dinkes)
    page = client.get("/pembinaan/daftar-tilik/k1/ubah/").content.decode()
    assert "Menyimpan menerbitkan versi 2; versi 1 tetap tersimpan" in page
    assert "Lokmin bulanan" in page
    data = _post_items(
        [("1.1", "Lokmin bulanan", "retire"), ("1.2", "PWS diperbarui"), ("1.3", "Data sasaran")],
        checklists["k1"],
        note="1.1 dipensiunkan",
    )
    data["items-2-ORDER"] = "0"  # moved to the top
    response = client.post("/pembinaan/daftar-tilik/k1/ubah/", data)
    assert (response.status_code, response["Location"]) == (302, "/pembinaan/daftar-tilik/")
    v2 = ChecklistVersion.objects.get(checklist__cluster="k1", number=2)
    assert [(i.code, i.text) for i in v2.items.all()] == [
        ("1.3", "Data sasaran"),
        ("1.2", "PWS diperbarui"),
    ]
    assert v2.note == "1.1 dipensiunkan"
    # The old version: read-only, said to be old, offered as the start of a new one.
    page = client.get(f"/pembinaan/daftar-tilik/versi/{checklists['k1'].uuid}/").content.decode()
    assert "Versi lama, hanya dapat dibaca. Versi terbaru: 2." in page
    assert "Lokmin bulanan" in page
    assert f"?dari={checklists['k1'].uuid}" in page
    page = client.get(
        f"/pembinaan/daftar-tilik/k1/ubah/?dari={checklists['k1'].uuid}"
    ).content.decode()
    assert "Butir diisi dari versi 1." in page and "Lokmin bulanan" in page
    assert f'value="{v2.uuid}"' in page  # the base stays the current version


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("1.1", "Lokmin"), ("1.2", "")], "Butir 1.2: isi butirnya kosong."),
        ([("1.1", "A"), ("1.1", "B")], "Nomor butir dipakai lebih dari sekali: 1.1."),
        ([("", "")], "Daftar tilik perlu paling sedikit satu butir."),
    ],
)
def test_edit_refusals_keep_the_input(client, district, checklists, rows, message):
    client.force_login(district.dinkes)
    response = client.post("/pembinaan/daftar-tilik/k1/ubah/", _post_items(rows, checklists["k1"]))
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    for code, text, *_rest in rows:
        assert f'value="{code}"' in page if code else True
        assert text in page
    assert ChecklistVersion.objects.filter(checklist__cluster="k1").count() == 1


def test_editing_an_old_version_through_the_page(client, district, checklists):
    checklist_publish(
        user=district.dinkes, cluster="k1", base=checklists["k1"], items=[ItemDraft("1.1", "X")]
    )
    client.force_login(district.dinkes)
    response = client.post(
        "/pembinaan/daftar-tilik/k1/ubah/", _post_items([("1.1", "Y")], checklists["k1"])
    )
    assert response.status_code == 422
    assert (
        "Versi 1 bukan versi terbaru (versi 2 sudah terbit); buka versi terbaru lalu ubah lagi."
        in response.content.decode()
    )
    assert ChecklistVersion.objects.filter(checklist__cluster="k1").count() == 2


def test_unknown_cluster_and_version(client, district, checklists):
    client.force_login(district.dinkes)
    assert client.get("/pembinaan/daftar-tilik/k9/ubah/").status_code == 404
    # A bad or foreign "start from" version: the current items, no error.
    for bad in ("zzz", "00000000-0000-0000-0000-000000000000", checklists["k2"].uuid):
        page = client.get(f"/pembinaan/daftar-tilik/k1/ubah/?dari={bad}")
        assert page.status_code == 200 and "Lokmin bulanan" in page.content.decode()
        assert "Butir diisi dari versi" not in page.content.decode()
    # A base that is not a version of the district: the form says so.
    data = _post_items([("1.1", "Y")], None)
    data["base"] = "00000000-0000-0000-0000-000000000000"
    response = client.post("/pembinaan/daftar-tilik/k1/ubah/", data)
    assert response.status_code == 422
    assert "Versi yang diubah tidak ditemukan; buka versi terbaru." in response.content.decode()
    missing = "/pembinaan/daftar-tilik/versi/00000000-0000-0000-0000-000000000000/"
    assert client.get(missing).status_code == 404


def _answer_url(visit, item):
    return f"/pembinaan/kunjungan/{visit.uuid}/tilik/{item.uuid}/"


def test_visit_page_shows_the_checklist_and_the_score(client, district, checklists, cl_visit):
    k2 = checklists["k2"]
    for code, answer in (("2.1", "yes"), ("2.2", "no"), ("2.3", "na")):
        services_answer(district, cl_visit, k2.items.get(code=code), answer)
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{cl_visit.uuid}/").content.decode()
    assert "Klaster 1 – Manajemen</strong> · versi 1" in page
    assert "Lokmin bulanan" in page and "Register kohort ibu lengkap" in page
    # K2: 1 yes of 2 assessed (the "tidak dinilai" is left out) = 50 %.
    assert (
        "50,0 %</strong> butir terpenuhi (1 ya dari 2 dinilai; "
        "sebagian: 0, tidak dinilai: 1, belum dijawab: 0)" in page
    )
    assert "belum ada butir yang dinilai" in page  # K1, nothing answered
    assert page.count('name="answer"') == 5 * 4


def services_answer(district, visit, item, answer, note=""):
    from ilp.evaluation.services_checklists import checklist_answer

    return checklist_answer(user=district.tpcb, visit=visit, item=item, answer=answer, note=note)


def test_answer_with_htmx_returns_the_item_and_the_score(client, district, checklists, cl_visit):
    item = checklists["k1"].items.get(code="1.2")
    client.force_login(district.tpcb)
    response = client.post(
        _answer_url(cl_visit, item),
        {"answer": "yes", "note": "sampai Februari"},
        HTTP_HX_REQUEST="true",
    )
    part = response.content.decode()
    assert response.status_code == 200
    assert part.startswith(f'<li class="tilik-item" id="butir-{item.uuid}">')
    assert 'value="yes" checked' in part and "sampai Februari" in part and "Tersimpan." in part
    assert f'<span id="skor-{checklists["k1"].uuid}" hx-swap-oob="true"><strong>100,0 %' in part
    saved = ChecklistAnswer.objects.get()
    assert (saved.item, saved.answer, saved.note) == (item, "yes", "sampai Februari")


def test_answer_without_htmx_redirects(client, district, checklists, cl_visit):
    item = checklists["k1"].items.get(code="1.1")
    client.force_login(district.tpcb)
    response = client.post(_answer_url(cl_visit, item), {"answer": "partial"})
    assert response.status_code == 302
    assert response["Location"] == f"/pembinaan/kunjungan/{cl_visit.uuid}/#butir-{item.uuid}"


def test_unknown_answer_code_keeps_the_note(client, district, checklists, cl_visit):
    item = checklists["k1"].items.get(code="1.1")
    client.force_login(district.tpcb)
    response = client.post(_answer_url(cl_visit, item), {"answer": "mungkin", "note": "catatan"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Pilih jawaban: ya, sebagian, tidak atau tidak dinilai." in page
    assert "catatan</textarea>" in page
    response = client.post(
        _answer_url(cl_visit, item), {"answer": "mungkin"}, HTTP_HX_REQUEST="true"
    )
    assert "Pilih jawaban: ya, sebagian, tidak atau tidak dinilai." in response.content.decode()
    assert not ChecklistAnswer.objects.exists()


def test_item_not_in_the_visits_version(client, district, checklists, cl_visit):
    newer = checklist_publish(
        user=district.dinkes, cluster="k1", base=checklists["k1"], items=[ItemDraft("1.1", "X")]
    )
    client.force_login(district.tpcb)
    for url in (
        _answer_url(cl_visit, newer.items.get()),
        f"/pembinaan/kunjungan/{cl_visit.uuid}/tilik/00000000-0000-0000-0000-000000000000/",
    ):
        response = client.post(url, {"answer": "yes"})
        assert response.status_code == 422
        assert (
            "Butir ini bukan bagian dari daftar tilik kunjungan ini." in response.content.decode()
        )
    assert not ChecklistAnswer.objects.exists()


def test_a_done_visit_shows_answers_read_only(client, district, checklists, cl_visit):
    item = checklists["k1"].items.get(code="1.1")
    services_answer(district, cl_visit, item, "yes", "ada notulen")
    services.visit_mark_done(user=district.tpcb, visit=cl_visit)
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{cl_visit.uuid}/").content.decode()
    assert 'name="answer"' not in page
    assert "Kunjungan selesai: jawaban dibekukan." in page
    assert "Jawaban: <strong>ya</strong> — ada notulen" in page
    message = "Kunjungan ini sudah selesai; jawaban daftar tiliknya dibekukan."
    response = client.post(_answer_url(cl_visit, item), {"answer": "no"})
    assert response.status_code == 409 and message in response.content.decode()
    response = client.post(_answer_url(cl_visit, item), {"answer": "no"}, HTTP_HX_REQUEST="true")
    part = response.content.decode()
    assert message in part and 'name="answer"' not in part
    assert ChecklistAnswer.objects.get().answer == "yes"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dinkes", 302),  # a member of the team (conftest)
        ("tpcb", 302),
        ("tpcb_other", 404),  # not in the team: the visit is out of scope
        ("pkm_barat", 403),  # sees the visit, does not answer
        ("bidan_ampel", 403),
        ("kader_ampel_timur", 403),
        ("camat_barat", 403),
        ("ppa", 403),
        ("dpo", 403),
        ("norole", 403),
    ],
)
def test_who_answers(client, people, checklists, cl_visit, who, status):
    item = checklists["k1"].items.get(code="1.1")
    client.force_login(people[who])
    response = client.post(_answer_url(cl_visit, item), {"answer": "yes"})
    assert response.status_code == status
    assert ChecklistAnswer.objects.count() == (1 if status == 302 else 0)


def test_puskesmas_reads_the_results_without_the_form(client, district, checklists, cl_visit):
    services_answer(district, cl_visit, checklists["k1"].items.get(code="1.1"), "no")
    client.force_login(district.pkm_barat)
    page = client.get(f"/pembinaan/kunjungan/{cl_visit.uuid}/").content.decode()
    assert "Jawaban: <strong>tidak</strong>" in page
    assert 'name="answer"' not in page


def test_visit_page_costs_no_query_per_item(client, district, checklists, cl_visit):
    client.force_login(district.tpcb)
    url = f"/pembinaan/kunjungan/{cl_visit.uuid}/"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for item in checklists["k2"].items.all():
        services_answer(district, cl_visit, item, "yes")
    assert queries() == one


def test_recommendation_cites_an_item_through_the_page_and_api(
    client, district, checklists, cl_visit
):
    item = checklists["k2"].items.get(code="2.2")
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{cl_visit.uuid}/").content.decode()
    assert f'<option value="{item.uuid}">2.2 Buku KIA diisi</option>' in page
    data = {"what": "Isi buku KIA", "owner_role": "k2", "due_date": "2026-04-30"}
    response = client.post(
        f"/pembinaan/kunjungan/{cl_visit.uuid}/rekomendasi/",
        data | {"checklist_item": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 422
    assert "Butir ini bukan bagian dari daftar tilik kunjungan ini." in response.content.decode()
    assert "Isi buku KIA" in response.content.decode()
    response = client.post(
        f"/pembinaan/kunjungan/{cl_visit.uuid}/rekomendasi/",
        data | {"checklist_item": str(item.uuid)},
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert rec.checklist_item == item
    page = client.get(f"/pembinaan/kunjungan/{cl_visit.uuid}/").content.decode()
    assert (
        "Alasan (butir daftar tilik): <strong>2.2</strong> Buku KIA diisi "
        "(Klaster 2 – Ibu dan Anak, versi 1)" in page
    )
    edit = client.get(f"/pembinaan/rekomendasi/{rec.uuid}/ubah/").content.decode()
    assert f'<option value="{item.uuid}" selected>' in edit
    (out,) = client.get("/api/v1/recommendations").json()
    assert out["checklist_item"] == {
        "cluster": "k2",
        "version": 1,
        "code": "2.2",
        "text": "Buku KIA diisi",
    }


def test_pages_in_english(client, district, checklists, cl_visit):
    client.force_login(district.tpcb)
    client.cookies["django_language"] = "en"
    page = client.get("/pembinaan/daftar-tilik/").content.decode()
    assert "Coaching checklists" in page
    page = client.get(f"/pembinaan/kunjungan/{cl_visit.uuid}/").content.decode()
    assert "not assessed" in page
    # The items are content, shown as the Dinkes wrote them.
    assert "Lokmin bulanan" in page


def test_checklist_list_costs_no_query_per_version(client, district, checklists):
    client.force_login(district.dinkes)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/pembinaan/daftar-tilik/").status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    base = checklists["k1"]
    for n in range(3):
        base = checklist_publish(
            user=district.dinkes, cluster="k1", base=base, items=[ItemDraft("1.1", f"v{n}")]
        )
    assert queries() == one
