"""The whole referral loop in a browser (issue 12, Tests): a kader records a pregnant woman's
ANC visit at the posyandu with danger signs (KSPR: antepartum bleeding, severe
pre-eclampsia → KRST), the pustu midwife refers her to the puskesmas, the puskesmas receives
her and redirects her onward to the hospital, the hospital's staff receive, handle and answer
with a rujuk balik plan, the follow-up appears on the posyandu's (the kader's) work list, and
the referral pages show every step's time and the delays between them.

Every step goes through the pages (forms and buttons). The one-click "Rujuk" buttons on the
alerts and the hospital's home are built in parallel: the midwife opens the referral form by
its URL (``/rujukan/baru/?encounter=…``) and the hospital its incoming list.

Step times are entered as they happened (minutes apart, in the past) so the delays read as
real ones. Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped
when it is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.care.models import Encounter, Task
from ilp.people.models import Pregnancy
from ilp.referrals.models import Referral
from tests.browser import chromium_page, fits, login
from tests.browser import shot as _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "Kontrol tekanan darah tiap minggu di pustu; nifedipin 10 mg 3x1"


@pytest.fixture
def phone(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        # Fifteen logins and forms on a shared machine: a slow page is not a failure.
        page.set_default_timeout(30_000)
        page.set_default_navigation_timeout(30_000)
        yield page


def _at(minutes_ago: int) -> str:
    """A datetime-local value `minutes_ago` minutes before now (local time)."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    return (now - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M")


def _as(page, live_server, user) -> None:
    page.context.clear_cookies()
    login(page, live_server, user)


def _act(page, label: str, minutes_ago: int, **fields: str) -> None:
    """Open the action `label` on the referral page, fill its fields and time, submit."""
    form = page.locator(f"#referral-actions details:has(summary:text-is('{label}'))")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("input[name=occurred_at]").fill(_at(minutes_ago))
    form.locator("button.primary").click()
    page.wait_for_selector(".msg.success")


def _delays(page) -> dict[str, str]:
    """The timeline's rows: step id → the delay shown."""
    rows = page.locator(".referral-timeline tbody tr")
    out = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        out[row.get_attribute("id")] = row.locator("td").nth(2).inner_text().strip()
    return out


def test_kader_to_hospital_and_back_to_the_desa_work_list(phone, live_server, district):
    siti = district.siti
    # Siti's pregnancy is registered (week 30): the registry knows her as a pregnant woman.
    today = timezone.localdate()
    Pregnancy.objects.create(
        person=siti, lmp=today - timedelta(days=210), edd=today + timedelta(days=70)
    )
    # 1. The kader records Siti's ANC visit at Posyandu Melati: danger signs (KRST).
    login(phone, live_server, district.kader_ampel_timur)
    phone.goto(f"{live_server.url}/layanan/orang/{siti.uuid}/anc/")
    phone.select_option("[name=visit_number]", "3")
    phone.fill("[name=weight]", "62")
    phone.fill("[name=height]", "155")
    phone.fill("[name=sbp]", "150")
    phone.fill("[name=dbp]", "100")
    phone.check("[name=kspr__done]")
    phone.check("[name=kspr__antepartum_bleeding]")
    phone.check("[name=kspr__severe_preeclampsia]")
    phone.click("#package-form button.primary")
    phone.wait_for_load_state()
    _shot(phone, "loop_1_debug")
    encounter = Encounter.objects.get(person=siti, package="anc")
    assert encounter.facility == district.pos_ampel_timur_f
    assert any(a["level"] == "danger" for a in encounter.alerts)
    assert "KRST" in phone.inner_text("main")
    _shot(phone, "loop_1_kader_anc")

    # 2. The pustu midwife refers her from Pustu Ampel to Puskesmas Barat.
    _as(phone, live_server, district.bidan_ampel)
    phone.goto(f"{live_server.url}/rujukan/baru/?encounter={encounter.uuid}")
    assert "KRST" in phone.input_value("#id_reason")
    phone.select_option("#id_from_facility", label="Pustu Ampel")
    phone.select_option("#id_to_facility", label="Puskesmas Barat")
    phone.select_option("#id_kind", "maternal")
    phone.fill("#id_detected_at", _at(240))
    phone.fill("#id_decided_at", _at(200))
    phone.select_option("#id_transport", "desa_vehicle")
    phone.select_option("#id_accompanied_by", "midwife")
    phone.click("button.primary")
    phone.wait_for_selector("#referral-state")
    first = Referral.objects.get()
    assert (first.from_facility, first.to_facility) == (
        district.pustu_ampel_f,
        district.pkm_barat_f,
    )
    assert first.encounter == encounter
    _act(phone, "Catat keberangkatan", 180)
    assert phone.inner_text("#referral-state") == "Berangkat"

    # 3. The puskesmas finds her on its incoming list, receives her and redirects her onward
    #    to the hospital (no specialist for severe pre-eclampsia).
    _as(phone, live_server, district.pkm_barat)
    phone.goto(f"{live_server.url}/rujukan/masuk/")
    assert "Siti Aminah" in phone.inner_text(f"#rujukan-{first.uuid}")
    phone.click(f"#rujukan-{first.uuid} a")
    _act(phone, "Terima pasien", 150)
    _act(
        phone,
        "Alihkan",
        140,
        redirect_to=str(district.hospital_f.pk),
        end_reason="no_competence",
        note="Butuh SpOG dan MgSO4",
    )
    assert phone.inner_text("#referral-state") == "Dialihkan"
    onward = Referral.objects.get(previous=first)
    assert (onward.from_facility, onward.to_facility) == (
        district.pkm_barat_f,
        district.hospital_f,
    )
    phone.click(f"a[href='/rujukan/{onward.uuid}/']")
    phone.wait_for_selector("#referral-state")
    _act(phone, "Catat keberangkatan", 120)
    _shot(phone, "loop_3_puskesmas_onward")

    # 4. The hospital receives, handles and answers with a rujuk balik plan.
    _as(phone, live_server, district.rs_uji)
    phone.goto(f"{live_server.url}/rujukan/masuk/")
    assert "Siti Aminah" in phone.inner_text(f"#rujukan-{onward.uuid}")
    phone.click(f"#rujukan-{onward.uuid} a")
    _act(phone, "Terima pasien", 60)
    _act(phone, "Mulai tangani", 45)
    _act(
        phone,
        "Kirim jawaban",
        10,
        answer_diagnosis_code="O14.1",
        answer_care="MgSO4, nifedipin, observasi 3 hari",
        answer_advice="Kontrol ANC tiap minggu",
        back_referral_plan=PLAN,
    )
    assert phone.inner_text("#referral-state") == "Dijawab"
    assert PLAN in phone.inner_text("main")
    assert fits(phone)
    _shot(phone, "loop_4_hospital_answered")

    # 5. The follow-up is on the kader's work list (her dusun's posyandu)...
    _as(phone, live_server, district.kader_ampel_timur)
    phone.goto(f"{live_server.url}/layanan/kerja/POS-AT/?kind=rujuk-balik")
    table = phone.inner_text("table.worklist")
    assert "Siti Aminah" in table
    assert "Kontrol rujuk balik" in table
    assert "Rujuk balik dari RSUD Kota Uji" in table
    assert PLAN in table
    assert phone.locator("table.worklist a.referral-link").count() == 0  # not hers to read
    assert fits(phone)
    _shot(phone, "loop_5_kader_worklist")
    task = Task.objects.get(kind="back_referral")
    assert (task.person_id, task.status, task.source_referral) == (siti.pk, "open", onward.uuid)

    # ... and on the puskesmas' list, linked to the referral it sent, whose page shows the
    # delays of each step.
    _as(phone, live_server, district.pkm_barat)
    phone.goto(f"{live_server.url}/layanan/kerja/P5271010101/?kind=rujuk-balik")
    assert "Kontrol rujuk balik" in phone.inner_text("table.worklist")
    assert fits(phone)
    _shot(phone, "loop_6_puskesmas_worklist")
    phone.click("table.worklist a.referral-link")
    phone.wait_for_selector(".referral-timeline")
    delays = _delays(phone)
    assert delays["step-departed_at"] == "20 menit"  # decision → departure
    assert delays["step-received_at"] == "1 jam"  # departure → reception
    assert delays["step-handled_at"] == "15 menit"  # reception → handling
    assert delays["step-answered_at"] == "35 menit"  # handling → answer
    assert "Lanjutan dari rujukan yang dialihkan" in phone.inner_text("main")
    assert fits(phone)
    _shot(phone, "loop_7_delays")
    # The first leg: the pustu's decision, the journey and the redirect.
    phone.click("text=Pustu Ampel → Puskesmas Barat")
    phone.wait_for_selector(".referral-timeline")
    delays = _delays(phone)
    assert delays["step-decided_at"] == "40 menit"  # detection → decision
    assert delays["step-departed_at"] == "20 menit"
    assert delays["step-received_at"] == "30 menit"

    # 6. The kader visits her at home: the follow-up leaves every list.
    _as(phone, live_server, district.kader_ampel_timur)
    phone.goto(f"{live_server.url}/layanan/kerja/POS-AT/?kind=rujuk-balik")
    phone.click("table.worklist a:text('Catat kunjungan rumah')")
    phone.wait_for_selector("#package-form")
    phone.select_option("[name=visit_result]", "met")
    phone.click("#package-form button.primary")
    phone.wait_for_url(f"**/layanan/orang/{siti.uuid}/**")
    phone.goto(f"{live_server.url}/layanan/kerja/POS-AT/?kind=rujuk-balik")
    assert "Siti Aminah" not in phone.inner_text("main")
    task.refresh_from_db()
    assert (task.status, task.close_reason) == ("done", "service_recorded")
