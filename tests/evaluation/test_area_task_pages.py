"""The pages of cross-sector tasks: the recommendation form offers the kecamatan and desa of
the puskesmas' working area (and warns not to name persons), the camat's and kepala desa's
"Tugas dari pembinaan" page (what it shows, the answer, the refusal kept on the page, the
query count), the link from their home page, and the English page."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.evaluation.models import Recommendation, RecState
from tests.evaluation.conftest import area_task

pytestmark = pytest.mark.django_db

TASKS = "/pembinaan/tugas/"


def test_the_form_offers_the_working_area_and_warns_about_names(client, district, visit):
    client.force_login(district.tpcb)
    response = client.get(f"/pembinaan/kunjungan/{visit.uuid}/")
    form = response.context["rec_form"]
    assert [str(a) for a in form.fields["owner_area"].queryset] == [
        "Kecamatan Barat",
        "Desa/Kelurahan Ampel",
        "Desa/Kelurahan Batu",
    ]
    assert "jangan menyebut nama warga atau petugas" in response.content.decode()


def test_a_task_for_the_desa_through_the_page(client, district, visit):
    client.force_login(district.tpcb)
    response = client.post(
        f"/pembinaan/kunjungan/{visit.uuid}/rekomendasi/",
        {
            "what": "Gerakkan warga ke posyandu",
            "why": "Kunjungan posyandu turun",
            "owner_area": district.ampel.pk,
            "due_date": "2026-05-31",
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert (rec.owner_area, rec.owner_role, rec.owner_user) == (district.ampel, "", None)
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    article = page[page.index(f'id="rek-{rec.uuid}"') :]
    article = " ".join(article[: article.index("</article>")].split())
    assert "ditujukan ke Desa/Kelurahan Ampel" in article


def test_a_task_with_two_owners_keeps_the_input(client, district, visit):
    client.force_login(district.tpcb)
    response = client.post(
        f"/pembinaan/kunjungan/{visit.uuid}/rekomendasi/",
        {
            "what": "Gerakkan warga ke posyandu",
            "why": "x",
            "owner_role": "k2",
            "owner_area": district.ampel.pk,
            "due_date": "2026-05-31",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert (
        "Tujukan rekomendasi ke peran/petugas puskesmas atau ke wilayah lintas sektor, "
        "tidak keduanya." in page
    )
    assert "Gerakkan warga ke posyandu" in page
    assert not Recommendation.objects.exists()


def test_the_kepala_desa_reads_and_answers_his_task(client, district, rec, rec_desa, rec_kec):
    services_answer = {"action": "answer", "note": "Jadwal per RT", "back": "tugas"}
    client.force_login(district.kades_ampel)
    page = client.get(TASKS).content.decode()
    assert "Gerakkan warga ke posyandu" in page
    assert "Anggarkan PMT" not in page and "Sweeping ibu hamil" not in page
    assert "Kirim jawaban" in page
    # The team's member who wrote it is shown by role, never by name.
    assert "Analis TPCB" in page and ">tpcb<" not in page and "· tpcb ·" not in page
    response = client.post(f"/pembinaan/rekomendasi/{rec_desa.uuid}/aksi/", services_answer)
    assert (response.status_code, response["Location"]) == (302, TASKS)
    rec_desa.refresh_from_db()
    assert rec_desa.state == RecState.ANSWERED
    page = client.get(TASKS).content.decode()
    assert "Anda · open → answered: Jadwal per RT" in page


def test_the_camat_follows_his_desa_and_answers_his_own(client, district, rec_desa, rec_kec):
    client.force_login(district.camat_barat)
    response = client.get(TASKS)
    rows = {r["rec"].what: (r["can_answer"], r["follow_only"]) for r in response.context["rows"]}
    assert rows == {
        "Gerakkan warga ke posyandu": (False, True),
        "Anggarkan PMT dari dana kecamatan": (True, False),
    }
    assert "Dijawab oleh kepala desa yang dituju; Anda dapat memantaunya." in (
        response.content.decode()
    )


def test_an_answer_without_a_note_stays_on_the_tasks_page(client, district, rec_desa):
    client.force_login(district.kades_ampel)
    response = client.post(
        f"/pembinaan/rekomendasi/{rec_desa.uuid}/aksi/",
        {"action": "answer", "note": " ", "back": "visit"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "<h1>Tugas dari pembinaan" in page
    assert "Tulis catatannya (rencana, kemajuan atau alasan)." in page
    assert not AuditEvent.objects.filter(object_uuid=rec_desa.uuid, action="update").exists()


def test_the_tasks_page_costs_no_query_per_task(client, district, visit, rec_desa):
    client.force_login(district.camat_barat)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(TASKS).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for n, area in enumerate([district.ampel, district.kec_barat, district.batu]):
        area_task(district, visit, area, f"Tugas {n}")
    assert queries() == one


def test_home_links_the_tasks_with_the_open_count(client, district, rec_desa, rec_kec):
    client.force_login(district.kades_ampel)
    page = client.get("/").content.decode()
    assert f'href="{TASKS}">Tugas dari pembinaan (1 terbuka)' in page
    Recommendation.objects.filter(pk=rec_desa.pk).update(state=RecState.VERIFIED)
    page = client.get("/").content.decode()
    assert f'href="{TASKS}">Tugas dari pembinaan</a>' in page
    client.force_login(district.camat_barat)
    assert "Tugas dari pembinaan (1 terbuka)" in client.get("/").content.decode()


def test_staff_homes_have_no_tasks_link(client, district, rec_desa):
    for user in (district.pkm_barat, district.dinkes):
        client.force_login(user)
        assert TASKS not in client.get("/").content.decode()


def test_the_tasks_page_in_english(client, district, rec_desa, settings):
    client.force_login(district.kades_ampel)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(TASKS).content.decode()
    assert "Tasks from coaching" in page
    assert "Send the answer" in page


def test_due_date_of_a_task_before_the_visit(client, district, visit):
    client.force_login(district.tpcb)
    response = client.post(
        f"/pembinaan/kunjungan/{visit.uuid}/rekomendasi/",
        {"what": "x", "why": "y", "owner_area": district.kec_barat.pk, "due_date": "2026-03-01"},
    )
    assert response.status_code == 422
    assert "Batas waktu tidak boleh sebelum tanggal kunjungan." in response.content.decode()
    assert date(2026, 3, 1) < visit.planned_date


def test_the_monthly_evaluation_names_the_addressed_kecamatan(client, district, rec_kec):
    today = timezone.localdate()
    client.force_login(district.dinkes)
    page = client.get(
        f"/pembinaan/evaluasi/{district.pkm_barat_f.code}/",
        {"period": f"{today.year}-{today.month:02d}"},
    ).content.decode()
    assert "Anggarkan PMT dari dana kecamatan" in page
    assert f'data-label="Ditujukan ke">{district.kec_barat}</td>' in page
