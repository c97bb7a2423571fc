"""The KtP/A pages on a 390 px phone: the case list, the form that opens a case and the case
page (puskesmas officer), and the partner's referral form. Uses the system Chromium at
/usr/bin/chromium; skipped when it is absent. Screenshots go to ILP_SCREENSHOT_DIR."""

from __future__ import annotations

import pytest

from ilp.protection import services
from ilp.protection.models import Partner, PartnerKind, PartnerMember
from tests.browser import chromium_page, fits, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        page.set_default_timeout(30_000)
        yield page


def test_case_pages_fit_a_phone(phone, live_server, district):
    d = district
    case = services.case_open(
        user=d.pkm_barat,
        arrival_route="walk_in",
        kinds=["physical", "psychological"],
        summary="Datang bersama ibunya, memar di lengan kiri dan punggung",
        victim={"person": d.siti, "disabilities": ["hearing"], "accommodations": ["sign_language"]},
    )
    login(phone, live_server, d.pkm_barat)
    phone.goto(f"{live_server.url}/perlindungan/")
    assert case.number in phone.inner_text("#cases")
    assert fits(phone)
    shot(phone, "protection-index")
    phone.goto(f"{live_server.url}/perlindungan/kasus/{case.uuid}/")
    assert "Siti Aminah" in phone.inner_text("#case-victims")
    phone.click("#case-actions summary >> text=Langkah penanganan")
    assert fits(phone)
    shot(phone, "protection-case")
    phone.goto(f"{live_server.url}/perlindungan/baru/")
    assert fits(phone)
    shot(phone, "protection-new")


def test_partner_referral_form_fits_a_phone(phone, live_server, district):
    d = district
    lpa = Partner.objects.create(name="LPA Kota Uji", kind=PartnerKind.LPA, area=d.city)
    PartnerMember.objects.create(user=d.ppa, partner=lpa)
    login(phone, live_server, d.ppa)
    phone.goto(f"{live_server.url}/perlindungan/baru/")
    phone.fill("#id_alias", "Anak B")
    phone.select_option("#id_sex", "F")
    phone.fill("#id_age_years", "8")
    phone.select_option("#id_village", str(d.batu.pk))
    assert fits(phone)
    shot(phone, "protection-partner-new")
    phone.click("button.primary")
    phone.wait_for_selector("#case-summary")
    assert "Anak B" in phone.inner_text("#case-victims")
    assert fits(phone)
