"""A kader runs a posyandu session in a real browser: open the session, enter children with
the keyboard only (one of them wasted), see the alert, close the session and find the wasted
child and an absentee on the follow-up lists — on a desktop, and on a 390 px phone with five
children and two adults, where each person is a card that keeps the name and the result in
view, and the absent children become home-visit tasks.

Uses the system Chromium (/usr/bin/chromium); no browser is ever downloaded.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.chromium import care_page, requires_chromium

SHOTS = Path(os.environ.get("ILP_SCREENSHOT_DIR", "/tmp/ilp-screenshots"))

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def browser_page(settings):
    with care_page(settings, width=1400, height=1000) as page:
        yield page


def _child(name, sex, days, rt):
    from ilp.people.models import Person
    from ilp.people.names import name_key

    hamlet = rt.parent
    return Person.objects.create(
        local_id=f"ILPB{Person.objects.count() + 1:06d}",
        full_name=name,
        name_key=name_key(name),
        sex=sex,
        birth_date=timezone.localdate() - timedelta(days=days),
        rt=rt,
        hamlet=hamlet,
        village=hamlet.parent,
    )


def _type_row(page, weight, height, muac=""):
    """Type one row the way a kader does: value, Enter, value, Enter, …"""
    page.keyboard.type(weight)
    page.keyboard.press("Enter")
    page.keyboard.type(height)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # keep the lying/standing default
    page.keyboard.type(muac)
    page.keyboard.press("Enter")  # completes the row: saved by htmx, focus to the next row


def test_views_kader_session_with_a_wasted_child_in_the_browser(
    transactional_db, district, live_server, browser_page
):
    from playwright.sync_api import expect

    page = browser_page
    rt = district.rt_ampel_timur
    wasted = _child("Ani Kurus", "F", 90, rt)  # 4,5 kg and 60,4 cm lying: BB/PB gizi buruk
    boy = _child("Bima Kecil", "M", 400, rt)
    girl = _child("Citra Ceria", "F", 300, rt)
    absent = _child("Dodi Absen", "M", 700, rt)
    today = timezone.localdate()

    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "kader_ampel_timur")
    page.fill("input[name=password]", "pw-test-123")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/layanan/posyandu/POS-AT/")
    page.get_by_role("button", name="Buka sesi bulan ini").click()
    page.wait_for_url(f"**/layanan/posyandu/POS-AT/sesi/{today.isoformat()}/")

    # The first empty weight field has the focus: no mouse needed.
    first_weight = page.locator(f"#row-{wasted.pk} input[name=weight]")
    expect(first_weight).to_be_focused()
    # The live server shares one in-memory SQLite connection between its threads, so let
    # each row's save finish before the next one starts (a kader is not that fast anyway).
    saved = re.compile(r"\brow-saved\b")
    _type_row(page, "4,5", "60,4")
    expect(page.locator(f"#row-{boy.pk} input[name=weight]")).to_be_focused()
    expect(page.locator(f"#row-{wasted.pk}")).to_have_class(saved)
    _type_row(page, "9,6", "76,5", "14,5")
    expect(page.locator(f"#row-{boy.pk}")).to_have_class(saved)
    _type_row(page, "8,3", "71,0", "14")
    expect(page.locator(f"#row-{girl.pk}")).to_have_class(saved)
    expect(page.locator("#present-balita")).to_have_text("3")

    wasted_row = page.locator(f"#row-{wasted.pk}")
    expect(wasted_row.locator("td.cat").nth(2)).to_contain_text("Gizi buruk")
    expect(wasted_row.locator("td.cat-severe").first).to_be_visible()
    expect(wasted_row.locator(".alert-danger")).to_contain_text("Rujuk ke puskesmas")
    for child in (boy, girl):
        expect(page.locator(f"#row-{child.pk} td.cat").nth(2)).to_contain_text("Gizi baik")
    expect(page.locator(f"#row-{boy.pk} .saved")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "posyandu_session.png"), full_page=True)

    from ilp.care.models import Encounter

    assert Encounter.objects.filter(session__date=today).count() == 3

    page.get_by_role("button", name="Tutup sesi").click()
    page.wait_for_url(f"**/sesi/{today.isoformat()}/#tugas")
    tasks = page.locator("#tugas")
    expect(tasks.locator("tr", has_text="Ani Kurus")).to_contain_text("Rujuk ke puskesmas")
    expect(tasks.locator("tr", has_text="Dodi Absen")).to_contain_text("Kunjungan rumah")
    page.screenshot(path=str(SHOTS / "posyandu_session_closed.png"), full_page=True)

    # Home visits are due within a week: the kader's sheet for that day lists them.
    due = (today + timedelta(days=7)).isoformat()
    page.goto(f"{live_server.url}/layanan/kerja/POS-AT/?on={due}")
    work = page.locator("table.worklist")
    home_visits = work.locator("tr", has_text="Kunjungan rumah")
    expect(home_visits.filter(has_text="Dodi Absen")).to_have_count(1)
    expect(home_visits.filter(has_text="Dodi Absen")).to_contain_text("Tidak hadir di posyandu")
    follow_up = work.locator("tr", has_text="Tindak lanjut").filter(has_text="Ani Kurus")
    expect(follow_up).to_have_count(1)
    expect(follow_up).to_contain_text("Gizi buruk")
    assert absent.tasks.filter(kind="home_visit", status="open").count() == 1
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "worklist_print.png"), full_page=True)
    page.emulate_media(media="screen")

    # The child's care page draws her measurement on the WHO charts.
    page.goto(f"{live_server.url}/layanan/orang/{wasted.uuid}/")
    expect(page.locator("#chart-wfa circle.child-point")).to_have_count(1)
    expect(page.locator("#chart-lhfa polyline.sd-curve")).to_have_count(5)
    page.screenshot(path=str(SHOTS / "person_care.png"), full_page=True)

    # The package form with its instant results, for the record.
    page.goto(f"{live_server.url}/layanan/orang/{wasted.uuid}/child/")
    page.fill("#id_weight", "4,4")
    page.fill("#id_height", "60,5")
    expect(page.locator("#live-results")).to_contain_text("Gizi buruk")
    expect(page.locator("#live-results .alert-box")).to_contain_text("Rujuk ke puskesmas")
    page.screenshot(path=str(SHOTS / "package_child.png"), full_page=True)


@pytest.fixture
def phone_page(settings):
    with care_page(settings, width=390, height=844) as page:
        yield page


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-test-123")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def _in_view(page, locator) -> bool:
    """Whether the element is wholly inside the 390 × 844 viewport."""
    box = locator.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= 390
        and box["y"] + box["height"] <= 844
    )


def _run_phone_session(page, live_server, district):
    """Open today's session on a phone, enter five children and two adults, close it.
    Returns (today, the five, the absent children)."""
    from playwright.sync_api import expect

    rt = district.rt_ampel_timur
    five = [
        _child("Ani Kurus", "F", 90, rt),
        _child("Bima Kecil", "M", 400, rt),
        _child("Citra Ceria", "F", 300, rt),
        _child("Dimas Cilik", "M", 800, rt),
        _child("Eka Manis", "F", 1200, rt),
    ]
    absent = [_child("Yoga Absen", "M", 700, rt), district.rina]
    today = timezone.localdate()
    _login(page, live_server, "kader_ampel_timur")
    page.goto(f"{live_server.url}/layanan/posyandu/POS-AT/")
    page.get_by_role("button", name="Buka sesi bulan ini").click()
    page.wait_for_url(f"**/layanan/posyandu/POS-AT/sesi/{today.isoformat()}/")

    # A card per person, no sideways scrolling.
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, width
    first = page.locator(f"#row-{five[0].pk} input[name=weight]")
    expect(first).to_be_focused()
    saved = re.compile(r"\brow-saved\b")
    values = [
        ("4,5", "60,4", ""),
        ("9,6", "76,5", "14,5"),
        ("8,3", "71,0", "14"),
        ("11,5", "84,0", "15"),
        ("13,9", "96,0", "15,5"),
    ]
    for i, (child, (weight, height, muac)) in enumerate(zip(five, values, strict=True)):
        card = page.locator(f"#row-{child.pk}")
        expect(card.locator("input[name=weight]")).to_be_focused()
        # While typing, the child's name stays on screen with the field.
        assert _in_view(page, card.locator("th.who")), child.full_name
        _type_row(page, weight, height, muac)
        expect(card).to_have_class(saved)
        # ...and so does the result once saved.
        card.locator("td.status").scroll_into_view_if_needed()
        assert _in_view(page, card.locator("th.who")) and _in_view(
            page, card.locator("td.cat").nth(2)
        ), child.full_name
        if i == 0:
            expect(card.locator(".alert-danger")).to_contain_text("Rujuk ke puskesmas")
            page.screenshot(path=str(SHOTS / "posyandu_session_phone_card.png"))
    expect(page.locator("#present-balita")).to_have_text("5")

    # Two adults on the same screen: blood pressure, weight, the smoking question.
    for adult, (weight, sbp, dbp, smoking) in (
        (district.budi, ("70", "150", "95", "Ya")),
        (district.siti, ("55", "118", "76", "Tidak")),
    ):
        card = page.locator(f"#row-{adult.pk}")
        # Adults due for screening wait as a line; "Hadir" opens the card.
        card.locator("input[name=present]").click()
        expect(card.locator("input[name=present]")).to_be_checked(timeout=15_000)
        expect(card.locator("input[name=weight]")).to_be_visible(timeout=15_000)
        card.locator("input[name=weight]").click()
        page.keyboard.type(weight)
        page.keyboard.press("Enter")
        page.keyboard.type(sbp)
        page.keyboard.press("Enter")
        page.keyboard.type(dbp)
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # no waist measure
        page.keyboard.press("Enter")  # no glucose
        card.locator("select[name=smoking]").select_option(label=smoking)
        card.locator("select[name=smoking]").press("Enter")
        expect(card).to_have_class(saved)
        assert _in_view(page, card.locator("th.who"))
    budi = page.locator(f"#row-{district.budi.pk}")
    expect(budi.locator("td.status")).to_contain_text("Hipertensi derajat 1")
    expect(page.locator("#present-others")).to_have_text("2")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "posyandu_session_phone.png"), full_page=True)

    page.get_by_role("button", name="Tutup sesi").click()
    page.wait_for_url(f"**/sesi/{today.isoformat()}/#tugas")
    expect(page.locator("ul.messages")).to_contain_text(
        "Sesi ditutup. 2 balita tidak hadir: 2 menjadi tugas kunjungan rumah."
    )
    tasks = page.locator("#tugas")
    for child in absent:
        expect(tasks.locator("tr", has_text=child.full_name)).to_contain_text("Kunjungan rumah")
    expect(tasks.locator("tr", has_text="Ani Kurus")).to_contain_text("Rujuk ke puskesmas")
    page.screenshot(path=str(SHOTS / "posyandu_session_phone_closed.png"), full_page=True)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    return today, five, absent


def test_views_kader_session_on_a_phone_absent_children_become_home_visits(
    transactional_db, district, live_server, phone_page
):
    from ilp.care.models import Encounter, Task

    today, five, absent = _run_phone_session(phone_page, live_server, district)
    assert Encounter.objects.filter(session__date=today, package="child").count() == 5
    assert Encounter.objects.filter(session__date=today, package="adult").count() == 2
    home_visits = Task.objects.filter(kind="home_visit", status="open")
    assert sorted(home_visits.values_list("person_id", flat=True)) == sorted(p.pk for p in absent)
    assert not home_visits.filter(person__in=five).exists()


def test_views_recording_the_home_visit_closes_the_absent_childs_task(
    transactional_db, district, live_server, phone_page
):
    """After the session, the kader visits the absent child at home and records the visit on
    her phone: the home-visit task closes (who, when, which encounter) and leaves the list."""
    from playwright.sync_api import expect

    from ilp.care.models import Task

    page = phone_page
    today, _five, absent = _run_phone_session(page, live_server, district)
    child = absent[0]
    task = Task.objects.get(person=child, kind="home_visit")
    page.goto(f"{live_server.url}/layanan/orang/{child.uuid}/home_visit/")
    page.select_option("#id_place_kind", "home")
    page.select_option("#id_visit_result", "met")
    page.fill("#id_weight", "11,2")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    task.refresh_from_db()
    assert (task.status, task.closed_at is not None) == ("done", True)
    assert task.closed_by == district.kader_ampel_timur
    # The other absentee's visit is still to do.
    assert Task.objects.get(person=absent[1], kind="home_visit").status == "open"
    page.goto(
        f"{live_server.url}/layanan/kerja/POS-AT/?on={(today + timedelta(days=7)).isoformat()}"
    )
    visits = page.locator("table.worklist tr", has_text="Kunjungan rumah")
    expect(visits.filter(has_text=child.full_name)).to_have_count(0)
    expect(visits.filter(has_text=absent[1].full_name)).to_have_count(1)
    page.screenshot(path=str(SHOTS / "worklist_after_home_visit_phone.png"), full_page=True)
