"""The KtP/A loop in a browser (issue 13, Tests): the LPA refers a child into health care,
the puskesmas sees the urgent case and takes it, examines her with a female chaperone and
the guardian's consent after recording the police's written request, issues the visum,
refers the case back to the LPA, and the LPA sees the referral and its follow-up due date —
but neither the clinical notes nor the visum findings.

Every step goes through the pages on a 390 px phone. Uses the system Chromium at
/usr/bin/chromium (never downloads a browser); skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ilp.protection.models import Case, CaseReferral, Visum
from tests.browser import chromium_page, fits, login
from tests.browser import shot as _shot
from tests.protection.conftest import prot  # noqa: F401  (the personas)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = "Robekan lama pada selaput dara, tanda infeksi menular seksual"
FINDINGS = "Memar 2 x 3 cm di paha kanan dalam"


@pytest.fixture
def phone(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        page.set_default_timeout(30_000)
        page.set_default_navigation_timeout(30_000)
        yield page


def _as(page, live_server, user) -> None:
    page.context.clear_cookies()
    login(page, live_server, user)


def _open(page, summary: str) -> None:
    page.click(f"summary:has-text('{summary}')")


def _form(page, action_end: str):
    return page.locator(f"form[action$='{action_end}']")


def test_lpa_refers_a_child_and_gets_the_case_back(phone, live_server, prot):  # noqa: F811
    d = prot.d
    # 1. The LPA refers a girl into health care.
    _as(phone, live_server, d.ppa)
    phone.goto(f"{live_server.url}/perlindungan/baru/")
    phone.fill("#id_alias", "Anak C")
    phone.select_option("#id_sex", "F")
    phone.fill("#id_age_years", "9")
    phone.select_option("#id_village", str(d.batu.pk))
    phone.check("input[name=kinds][value=sexual]")
    phone.fill("#id_summary", "Dilaporkan gurunya")
    phone.click("button.primary")
    phone.wait_for_selector("#case-summary")
    case = Case.objects.get(parties__alias="Anak C")
    assert case.urgent and case.referred_by == prot.lpa and case.officer is None

    # 2. The puskesmas sees the urgent case among its new ones and takes it.
    _as(phone, live_server, d.pkm_barat)
    phone.goto(f"{live_server.url}/perlindungan/")
    waiting = phone.inner_text("#cases-unassigned")
    assert case.number in waiting and "Mendesak" in waiting and "Anak C" not in waiting
    assert fits(phone)
    _shot(phone, "ktpa_loop_unassigned")
    phone.click(f"#cases-unassigned form[action*='{case.uuid}'] button")
    phone.wait_for_selector(".msg.success")
    case_url = f"{live_server.url}/perlindungan/kasus/{case.uuid}/"
    assert phone.url == case_url

    # 3. Clinical notes (not shared with partners: no consent).
    _open(phone, "Catatan klinis dan persetujuan berbagi")
    _form(phone, "/catatan/").locator("[name=clinical_notes]").fill(NOTES)
    _form(phone, "/catatan/").locator("button").click()
    phone.wait_for_selector(".msg.success")

    # 4. The police's written request, then the examination with a female chaperone.
    _open(phone, "Catat permintaan visum")
    request = _form(phone, "/visum/")
    request.locator("[name=request_number]").fill("B/77/XII/2026/Reskrim")
    request.locator("[name=request_date]").fill(timezone.localdate().isoformat())
    request.locator("[name=investigator_name]").fill("Bripka Sari")
    request.locator("[name=investigator_unit]").fill("Unit PPA Polresta")
    request.locator("button").click()
    phone.wait_for_selector(".msg.success")
    _open(phone, "Catat pemeriksaan")
    exam = _form(phone, "/periksa/")
    exam.locator("[name=chaperone_name]").fill("Bidan Rina")
    exam.locator("[name=chaperone_female]").check()
    exam.locator("[name=consent_by]").select_option("guardian")
    exam.locator("[name=consent_name]").fill("Ibu Anak C")
    exam.locator("[name=consent_at]").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    exam.locator("[name=findings]").fill(FINDINGS)
    exam.locator("button").click()
    phone.wait_for_selector(".msg.success")
    _open(phone, "Terbitkan surat visum")
    issue = _form(phone, "/terbitkan/")
    issue.locator("[name=letter_number]").fill("VER/09/XII/2026")
    issue.locator("[name=letter_date]").fill(timezone.localdate().isoformat())
    issue.locator("button").click()
    phone.wait_for_selector(".msg.success")
    visum = Visum.objects.get(case=case)
    assert visum.chaperone_female and visum.letter_number == "VER/09/XII/2026"

    # 5. Back to the LPA (social follow-up).
    _open(phone, "Rujuk ke lembaga mitra")
    refer = _form(phone, "/rujuk-mitra/")
    refer.locator("[name$=partner]").select_option(str(prot.lpa.pk))
    refer.locator("[name$=aim]").select_option("social")
    refer.locator("button").click()
    phone.wait_for_selector(".msg.success")
    referral = CaseReferral.objects.get(case=case, partner=prot.lpa)
    assert fits(phone)
    _shot(phone, "ktpa_loop_case_puskesmas")

    # 6. The LPA sees the referral and its follow-up, not the clinical part.
    _as(phone, live_server, d.ppa)
    phone.goto(case_url)
    section = phone.inner_text("#case-partner-referrals")
    assert referral.follow_up_due.strftime("%d-%m-%Y") in section
    page = phone.inner_text("main")
    assert NOTES not in page and FINDINGS not in page
    assert "VER/09/XII/2026" not in page or "Unduh PDF" not in page
    phone.click(f"form[action$='{referral.uuid}/terima/'] button")
    phone.wait_for_selector(".msg.success")
    referral.refresh_from_db()
    assert referral.state == "acknowledged"
    assert fits(phone)
    _shot(phone, "ktpa_loop_case_lpa")
