"""On a 390 px phone: a TPCB member works through the visit's checklist item by item (htmx
saves each answer and updates the cluster's score), the page never scrolls sideways, and the
answers are there after a reload (issue 11, checklists).

Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser import fits, login, shot
from tests.browser.test_pws_phone import phone  # noqa: F401  (the PWS pages' phone fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(d):
    from ilp.evaluation import services
    from ilp.evaluation.services_checklists import checklist_seed_example

    checklist_seed_example(user=d.dinkes)
    team = services.team_create(
        user=d.dinkes,
        name="Tim Barat",
        decree_number="800/12",
        decree_date=date(2026, 1, 5),
        lead=d.tpcb,
        members=[d.tpcb],
        puskesmas=[d.pkm_barat_f],
    )
    return services.visit_plan(
        user=d.tpcb,
        team=team,
        puskesmas=d.pkm_barat_f,
        planned_date=date(2026, 3, 10),
        members=[d.tpcb],
    )


def test_team_answers_the_checklist_on_a_phone(district, live_server, phone):  # noqa: F811
    page = phone
    visit = _visit(district)
    k1 = visit.checklist_versions.get(checklist__cluster="k1")
    first, second = list(k1.items.all()[:2])
    login(page, live_server, district.tpcb)
    page.goto(f"{live_server.url}/pembinaan/kunjungan/{visit.uuid}/")
    assert page.locator("#daftar-tilik h2").inner_text() == "Daftar tilik"
    assert fits(page)
    item = page.locator(f"#butir-{first.uuid}")
    item.get_by_label("ya", exact=True).check()
    item.locator("textarea").fill("Notulen ada")
    item.get_by_role("button", name="Simpan jawaban").click()
    saved = page.locator(f"#butir-{first.uuid} [role=status]")
    assert saved.inner_text() == "Tersimpan."
    other = page.locator(f"#butir-{second.uuid}")
    other.get_by_label("tidak", exact=True).check()
    other.get_by_role("button", name="Simpan jawaban").click()
    page.locator(f"#butir-{second.uuid} [role=status]").wait_for()
    # K1: 1 yes of 2 assessed, 4 of the example's 6 items not answered yet.
    score = page.locator(f"#skor-{k1.uuid}")
    assert score.inner_text() == (
        "50,0 % butir terpenuhi (1 ya dari 2 dinilai; sebagian: 0, tidak dinilai: 0, "
        "belum dijawab: 4)"
    )
    assert fits(page)
    shot(page, "checklist-visit-390")
    page.reload()
    assert page.locator(f"#butir-{first.uuid} input[value=yes]").is_checked()
    assert page.locator(f"#butir-{first.uuid} textarea").input_value() == "Notulen ada"
    assert page.locator(f"#butir-{second.uuid} input[value=no]").is_checked()


def test_dinkes_publishes_a_version_on_a_phone(district, live_server, phone):  # noqa: F811
    from ilp.evaluation.models import ChecklistVersion

    page = phone
    _visit(district)
    login(page, live_server, district.dinkes)
    page.goto(f"{live_server.url}/pembinaan/daftar-tilik/")
    assert fits(page)
    shot(page, "checklist-list-390")
    page.locator("#klaster-k4").get_by_role("link", name="Ubah (terbitkan versi baru)").click()
    assert page.locator("h1").inner_text().startswith("Ubah daftar tilik")
    assert fits(page)
    page.fill("#id_items-4-code", "4.5")
    page.fill("#id_items-4-text", "Pasien TB mangkir dilacak dalam 7 hari.")
    page.check("#id_items-0-retire")
    page.fill("#id_note", "4.1 dipensiunkan, 4.5 ditambah")
    shot(page, "checklist-edit-390")
    page.get_by_role("button", name="Terbitkan versi baru").click()
    page.wait_for_url(f"{live_server.url}/pembinaan/daftar-tilik/")
    assert "Versi 2 diterbitkan" in page.locator(".msg").first.inner_text()
    v2 = ChecklistVersion.objects.get(checklist__cluster="k4", number=2)
    assert [i.code for i in v2.items.all()] == ["4.2", "4.3", "4.4", "4.5"]
