"""On a 390 px phone: a kepala desa follows the link on his home page to "Tugas dari
pembinaan", reads the task a coaching team addressed to his desa (who wrote it shown by role,
never by name), answers it with his plan, and the page fits the screen throughout.

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.evaluation import services
from ilp.evaluation.models import Recommendation, RecState
from tests.browser import fits, login, test_pws_phone
from tests.browser import shot as _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

phone = test_pws_phone.phone  # the same 390x844 Chromium page


def _task_for_ampel(d) -> Recommendation:
    team = services.team_create(
        user=d.dinkes,
        name="Tim Barat",
        decree_number="800/12/Dinkes/2026",
        decree_date=date(2026, 1, 5),
        lead=d.tpcb,
        members=[d.tpcb],
        puskesmas=[d.pkm_barat_f],
    )
    visit = services.visit_plan(
        user=d.tpcb,
        team=team,
        puskesmas=d.pkm_barat_f,
        planned_date=date(2026, 3, 10),
        members=[d.tpcb],
    )
    return services.recommendation_create(
        user=d.tpcb,
        visit=visit,
        content=services.RecommendationContent(
            what="Gerakkan warga membawa balita ke posyandu setiap bulan",
            why="Rapat lintas sektor kecamatan: kunjungan posyandu turun",
            indicator="k1",
            owner_area=d.ampel,
            due_date=date(2026, 5, 31),
        ),
    )


def test_kepala_desa_answers_his_task_on_a_phone(phone, live_server, district):
    rec = _task_for_ampel(district)
    page = phone
    login(page, live_server, district.kades_ampel)
    page.click("a:has-text('Tugas dari pembinaan (1 terbuka)')")
    page.wait_for_selector("h1:has-text('Tugas dari pembinaan')")
    card = page.inner_text(f"#tugas-{rec.uuid}")
    assert "Gerakkan warga membawa balita" in card
    assert "Desa/Kelurahan Ampel" in card
    page.click(f"#tugas-{rec.uuid} summary")
    assert "Analis TPCB" in page.inner_text(f"#tugas-{rec.uuid} details")
    assert "tpcb" not in page.inner_text(f"#tugas-{rec.uuid} details")
    assert fits(page)
    _shot(page, "area_tasks_phone")
    page.fill(f"#note-{rec.uuid}", "Pengumuman di masjid dan posyandu keliling mulai Mei")
    page.click(f"#tugas-{rec.uuid} button:has-text('Kirim jawaban')")
    page.wait_for_selector("text=Rekomendasi diperbarui.")
    assert "dijawab" in page.inner_text(f"#tugas-{rec.uuid}")
    assert fits(page)
    _shot(page, "area_tasks_phone_answered")
    rec.refresh_from_db()
    assert rec.state == RecState.ANSWERED
