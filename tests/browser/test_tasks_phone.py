"""On a 390 px phone: the district's work-list index is a tree that fits, a kader's task page
shows the absent child's home visit, its action opens the home-visit form at home, and the
visit recorded there closes the task (issue 8, "Tasks never close").

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.care.models import Task, TaskStatus
from ilp.care.services import session_close, session_open
from tests.browser import chromium_page, fits, login
from tests.browser import shot as _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(transactional_db, settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        yield page


def test_district_index_tree_fits_a_phone(phone, live_server, district):
    login(phone, live_server, district.dinkes)
    phone.goto(live_server.url + "/layanan/kerja/")
    phone.click("summary:has-text('Kecamatan Barat')")
    phone.click("summary:has-text('Puskesmas Barat')")
    phone.click("summary:has-text('Pustu Ampel')")
    assert phone.is_visible("text=Ampel Timur, Ampel")
    assert fits(phone)
    _shot(phone, "worklist_index_tree")


def test_home_visit_task_closed_from_the_phone(phone, live_server, district):
    kader = district.kader_ampel_timur
    day = timezone.localdate() - timedelta(days=10)
    session_close(
        actor=kader, session=session_open(actor=kader, posyandu=district.pos_ampel_timur_f, on=day)
    )
    task = Task.objects.get(person=district.rina)
    login(phone, live_server, kader)
    phone.goto(live_server.url + "/layanan/kerja/POS-AT/tugas/")
    row = phone.locator(f"#tugas-{task.uuid}")
    assert "Terlambat" in row.inner_text()
    assert fits(phone)
    _shot(phone, "tasks_open")
    row.locator("a:has-text('Catat kunjungan rumah')").click()
    phone.wait_for_selector("h1")
    assert phone.input_value("#id_place_kind") == "home"
    if phone.locator("#id_visit_result").count():
        phone.select_option("#id_visit_result", "met")
    phone.click("button.primary")
    phone.wait_for_load_state()
    task.refresh_from_db()
    assert (task.status, task.close_reason) == (TaskStatus.DONE, "service_recorded")
    phone.goto(live_server.url + "/layanan/kerja/POS-AT/tugas/")
    assert "Tidak ada tugas terbuka." in phone.inner_text("#terbuka")
    assert "Layanan yang dibutuhkan sudah dicatat" in phone.inner_text("#ditutup")
    assert fits(phone)
    _shot(phone, "tasks_closed")


def test_puskesmas_list_grouped_fits_a_phone(phone, live_server, district):
    from tests.care import resident

    a = resident(district, "Anak Ampel", "F", timezone.localdate() - timedelta(days=400))
    a.address, a.phone = "Jl. Melati 3", "081234567890"
    a.save()
    resident(
        district, "Anak Batu", "M", timezone.localdate() - timedelta(days=300), district.rt_batu
    )
    login(phone, live_server, district.pkm_barat)
    phone.goto(live_server.url + "/layanan/kerja/P5271010101/?kind=timbang")
    text = phone.inner_text("table.worklist")
    assert "Desa Ampel · Posyandu Melati" in text and "Desa Batu · Posyandu Kenanga" in text
    assert "Jl. Melati 3, RT 001 · 081234567890" in text
    assert fits(phone)
    _shot(phone, "puskesmas_list_grouped")
