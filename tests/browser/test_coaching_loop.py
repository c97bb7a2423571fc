"""The coaching loop in a browser (issue 11): a TPCB member plans a visit to Puskesmas Barat
and marks it done (the indicator snapshot of the month frozen: D/S 0 of 3 balita weighed),
records a finding and a recommendation on D/S; the kader then weighs a child (through the care
services: D/S 1 of 3); the puskesmas staff answers the recommendation on a 390 px phone; the
team accepts and verifies it; the Dinkes finds no open recommendation left and, on the visit,
the recommendation closed with D/S moved from 0 % to 33,3 %.

Each step is one helper so later steps (evidence files with the answer) change only theirs.
Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ilp.care.services import encounter_record
from ilp.evaluation import services
from ilp.monitoring.services import indicators_rebuild
from tests.browser import chromium_page, fits, login, shot
from tests.care import resident
from tests.monitoring import refresh_pending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHAT = "Kader mengundang balita yang tidak datang ke posyandu"
ANSWER = "Rencana: kader mengunjungi rumah balita yang tidak datang minggu ini."


@pytest.fixture
def page(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(1280, 900) as page:
        yield page


@pytest.fixture
def team(district):
    """Tim Barat (decree last month), lead the TPCB analyst, coaching Puskesmas Barat; three
    balita in desa Ampel (Rina and two more), none weighed this month."""
    resident(district, "Anak Satu", "F", timezone.localdate() - timedelta(days=400))
    district.anak_dua = resident(
        district, "Anak Dua", "M", timezone.localdate() - timedelta(days=700)
    )
    indicators_rebuild()
    return services.team_create(
        user=district.dinkes,
        name="Tim Barat",
        decree_number="800/12/Dinkes/2026",
        decree_date=timezone.localdate() - timedelta(days=30),
        lead=district.tpcb,
        members=[district.tpcb],
        puskesmas=[district.pkm_barat_f],
    )


def _as(page, live_server, user, width: int = 1280) -> None:
    """Log out whoever is in and log `user` in, at this viewport width."""
    page.context.clear_cookies()
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    login(page, live_server, user)


def _card(page):
    return page.locator("article.card", has_text=WHAT)


def plan_and_hold_visit(page, live_server, team, today: date) -> None:
    """The team member plans today's visit, marks it done and writes the finding."""
    page.goto(live_server.url + "/pembinaan/")
    page.click("text=Tim Barat")
    page.select_option("#id_puskesmas", label="Puskesmas Barat")
    page.fill("#id_planned_date", today.isoformat())
    page.check("input[name=members]")
    page.click("button:has-text('Rencanakan')")
    assert "Kunjungan pembinaan: Puskesmas Barat" in page.locator("h1").inner_text()
    page.click("text=Tandai selesai dan bekukan potret indikator")
    assert "potret indikator dibekukan" in page.inner_text("body")
    ds = page.locator("tr", has_text="Balita ditimbang (D/S)")
    assert ds.locator("td").nth(1).inner_text() == "0,0 %"
    assert ds.locator("td").nth(3).inner_text().startswith("Di bawah target")
    page.fill("#id_findings", "D/S 0 dari 3 balita bulan ini; kader belum mengundang.")
    page.click("button:has-text('Simpan temuan')")
    assert page.input_value("#id_findings").startswith("D/S 0 dari 3")


def recommend_on_ds(page, due: date) -> None:
    """The team member adds a recommendation on D/S, addressed to Klaster 2."""
    page.fill("#id_what", WHAT)
    page.select_option("#id_indicator", "ds")
    page.fill("#id_why", "Tidak ada balita ditimbang bulan ini.")
    page.select_option("#id_owner_role", "k2")
    page.fill("#id_due_date", due.isoformat())
    page.click("button:has-text('Tambahkan')")
    assert "Rekomendasi ditambahkan." in page.inner_text("body")
    card = _card(page)
    assert "terbuka" in card.inner_text()
    assert "ditujukan ke Klaster 2 – Ibu dan Anak" in card.inner_text()


def weigh_a_child(district, today: date) -> None:
    """After the visit the kader weighs Anak Dua at Posyandu Melati (the care service)."""
    encounter_record(
        actor=district.kader_ampel_timur,
        person=district.anak_dua,
        on=today,
        package="child",
        place_kind="posyandu",
        facility=district.pos_ampel_timur_f,
        values={"weight": 11.5, "height": 85.0, "measured": "standing"},
        confirm_unusual=True,
    )
    refresh_pending()


def answer(page, note: str) -> None:
    """The puskesmas staff answers the recommendation on its list (the step evidence files
    join later)."""
    card = _card(page)
    card.locator("textarea[name=note]").fill(note)
    card.locator("button[value=answer]").click()
    assert "Rekomendasi diperbarui." in page.inner_text("body")


def team_acts(page, action: str, state: str) -> None:
    card = _card(page)
    card.locator(f"button[value={action}]").click()
    assert "Rekomendasi diperbarui." in page.inner_text("body")
    assert state in _card(page).inner_text()


def test_visit_recommendation_answer_verify_and_movement(district, team, live_server, page):
    today = timezone.localdate()
    _as(page, live_server, district.tpcb)
    plan_and_hold_visit(page, live_server, team, today)
    recommend_on_ds(page, today + timedelta(days=30))
    visit_url = page.url
    shot(page, "coaching-visit-team")

    weigh_a_child(district, today)

    _as(page, live_server, district.pkm_barat, width=390)
    page.goto(live_server.url + "/pembinaan/")
    assert page.locator("h1").inner_text() == "Rekomendasi untuk puskesmas"
    card = _card(page)
    assert "terbuka" in card.inner_text()
    assert "ditujukan ke Klaster 2 – Ibu dan Anak" in card.inner_text()
    assert fits(page)
    answer(page, ANSWER)
    assert "dijawab" in _card(page).inner_text()
    assert fits(page)
    shot(page, "coaching-answered-390")

    _as(page, live_server, district.tpcb)
    page.goto(visit_url)
    _card(page).locator("summary").click()  # the answer is in the history
    assert ANSWER in _card(page).inner_text()
    team_acts(page, "accept", "diterima")
    team_acts(page, "verify", "diverifikasi (ditutup)")
    assert _card(page).locator("form").count() == 0  # closed: no action left

    _as(page, live_server, district.dinkes)
    page.goto(live_server.url + "/pembinaan/")
    page.click("text=Rekomendasi terbuka")
    assert "Tidak ada rekomendasi terbuka." in page.inner_text("#open-rows")
    page.goto(live_server.url + "/pembinaan/")
    page.click("text=Tim Barat")
    page.click(f"a[href='{visit_url.removeprefix(live_server.url)}']")
    card = _card(page)
    text = card.inner_text()
    assert "diverifikasi (ditutup)" in text
    assert "saat kunjungan 0,0 %, sekarang 33,3 % (+33,3)" in text
    card.locator("summary").click()
    steps = [li.inner_text() for li in card.locator("li").all()]
    assert [s.split(" · ")[-1].split(":")[0] for s in steps] == [
        "— → terbuka",
        "terbuka → dijawab",
        "dijawab → diterima",
        "diterima → diverifikasi (ditutup)",
    ]
    shot(page, "coaching-closed-dinkes")
