"""On a 390 px phone: the puskesmas answers a recommendation with a photo of its register as
evidence (a wrong file first: the message beside the answer, the note kept), the team member
sees the file in the history; the team member re-plans a visit and cancels another with its
reason; the live data-quality values load on a planned visit. No page scrolls sideways.

Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.evaluation import services
from ilp.evaluation.models import RecommendationEvidence, VisitState
from tests.browser import fits, login, shot
from tests.browser.test_pws_phone import phone  # noqa: F401  (the phone fixture)
from tests.evaluation import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(district):
    team = services.team_create(
        user=district.dinkes,
        name="Tim Barat",
        decree_number="800/12",
        decree_date=date(2026, 1, 5),
        lead=district.tpcb,
        members=[district.tpcb],
        puskesmas=[district.pkm_barat_f],
    )
    return services.visit_plan(
        user=district.tpcb,
        team=team,
        puskesmas=district.pkm_barat_f,
        planned_date=date(2026, 3, 10),
        members=[district.tpcb],
    )


def test_answer_with_evidence_on_a_phone(district, live_server, phone):  # noqa: F811
    page = phone
    visit = _visit(district)
    rec = services.recommendation_create(
        user=district.tpcb,
        visit=visit,
        content=services.RecommendationContent(
            what="Lengkapi register kohort ibu",
            quality_check="no_nik",
            owner_role="k2",
            due_date=date(2026, 4, 30),
        ),
    )
    login(page, live_server, district.pkm_barat)
    page.goto(live_server.url + "/pembinaan/puskesmas/")
    page.fill(f"#note-{rec.uuid}", "Register sudah dilengkapi")
    page.set_input_files(
        f"#files-{rec.uuid}",
        files=[{"name": "register.pdf", "mimeType": "application/pdf", "buffer": b"MZ"}],
    )
    page.click("button[value=answer]")
    card = page.locator(f"#rek-{rec.uuid}")
    assert "Berkas register.pdf bukan PDF, JPEG, PNG atau XLSX (dibaca dari isinya)." in (
        card.inner_text()
    )
    assert page.input_value(f"#note-{rec.uuid}") == "Register sudah dilengkapi"
    assert fits(page)
    shot(page, "coaching-answer-refused-390")
    page.set_input_files(
        f"#files-{rec.uuid}",
        files=[{"name": "register.png", "mimeType": "image/png", "buffer": files.PNG}],
    )
    page.click("button[value=answer]")
    page.wait_for_url(live_server.url + "/pembinaan/puskesmas/")
    assert RecommendationEvidence.objects.get().name == "register.png"
    page.click(f"#rek-{rec.uuid} summary")
    assert page.locator(f"#rek-{rec.uuid} .evidence a").inner_text() == "register.png"
    assert fits(page)
    shot(page, "coaching-answer-evidence-390")

    page.context.clear_cookies()
    login(page, live_server, district.tpcb)
    page.goto(live_server.url + f"/pembinaan/kunjungan/{visit.uuid}/")
    page.locator("#potret .msg.warning").wait_for()  # loaded by htmx after the page
    assert "Nilai langsung, belum dibekukan" in page.locator("#potret").inner_text()
    assert "Penduduk tanpa NIK" in page.locator("#potret").inner_text()
    page.click(f"#rek-{rec.uuid} summary")
    with page.expect_download() as download:
        page.click(f"#rek-{rec.uuid} .evidence a")
    assert download.value.suggested_filename == "register.png"
    assert fits(page)
    shot(page, "coaching-visit-live-390")


def test_replan_and_cancel_on_a_phone(district, live_server, phone):  # noqa: F811
    page = phone
    visit = _visit(district)
    login(page, live_server, district.tpcb)
    page.goto(live_server.url + f"/pembinaan/kunjungan/{visit.uuid}/")
    page.click("text=Jadwalkan ulang atau batalkan")
    assert fits(page)
    shot(page, "coaching-visit-edit-390")
    page.fill("#id_planned_date", "2026-03-12")
    page.click("text=Simpan jadwal")
    page.wait_for_url(live_server.url + f"/pembinaan/kunjungan/{visit.uuid}/")
    page.click("text=Jadwalkan ulang atau batalkan")
    page.click("button:has-text('Batalkan kunjungan')")
    assert "Tulis alasan pembatalan." in page.locator("main").inner_text()
    page.fill("#id_reason", "Banjir, jalan putus")
    page.click("button:has-text('Batalkan kunjungan')")
    page.wait_for_url(live_server.url + f"/pembinaan/kunjungan/{visit.uuid}/")
    assert "Banjir, jalan putus" in page.locator(".msg.warning").inner_text()
    visit.refresh_from_db()
    assert (visit.state, visit.planned_date) == (VisitState.CANCELLED, date(2026, 3, 12))
    page.click("text=Riwayat kunjungan")
    assert fits(page)
    shot(page, "coaching-visit-cancelled-390")
