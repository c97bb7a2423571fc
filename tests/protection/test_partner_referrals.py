"""Referral of a case to a partner and its follow-up: the due day in working days around
real 2026 Indonesian holidays, who refers, acknowledges, follows up and cancels (everyone
else refused and logged), what the partner sees (its own referrals, no perpetrator, no
clinical note), overdue marks on the lists, and the duty to inform."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.protection import services, services_partner
from ilp.protection.models import (
    Case,
    CaseReferral,
    CaseStep,
    DutyToInform,
)
from ilp.protection.services_partner import follow_up_due

pytestmark = pytest.mark.django_db


def _local(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _audit(case: Case, action: str, what: str) -> int:
    return AuditEvent.objects.filter(
        object_type="protection_case", object_uuid=case.uuid, action=action, detail__what=what
    ).count()


def _old_case(prot, arrived: date) -> Case:
    """A case of Puskesmas Barat that arrived on `arrived` (its officer: pkm_barat)."""
    return services.case_open(
        user=prot.d.pkm_barat,
        arrival_route="walk_in",
        arrived_at=_local(arrived, 8),
        victim={"alias": "Anak B", "sex": "F", "age_years": 8},
    )


def _refer(prot, case=None, partner=None, **kw) -> CaseReferral:
    return services_partner.case_refer(
        user=prot.d.pkm_barat,
        case=case or prot.case,
        partner=partner or prot.lpa,
        aim=kw.pop("aim", "social"),
        **kw,
    )


# ---------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # Friday 29 May 2026, before Pancasila Day (Monday 1 June): Tue, Wed, Thu
        (date(2026, 5, 29), date(2026, 6, 4)),
        # Thursday 15 January, before Isra' Mi'raj (Friday 16 January): Mon, Tue, Wed
        (date(2026, 1, 15), date(2026, 1, 21)),
        # Friday 13 March, before Nyepi and Idul Fitri with their cuti bersama (18–24 March):
        # Mon 16, Tue 17, then Wednesday 25
        (date(2026, 3, 13), date(2026, 3, 25)),
        # an ordinary Monday: Thursday
        (date(2026, 2, 2), date(2026, 2, 5)),
        # a Sunday: Wed (Monday is the first day after it)
        (date(2026, 2, 1), date(2026, 2, 4)),
    ],
)
def test_follow_up_due_skips_weekends_holidays_and_cuti_bersama(sent, due):
    assert follow_up_due(_local(sent)) == due


def test_due_follows_the_setting(settings):
    settings.ILP_PROTECTION_FOLLOW_UP_WORKING_DAYS = 1
    # Friday 29 May: Tuesday 2 June (Monday is Pancasila Day)
    assert follow_up_due(_local(date(2026, 5, 29))) == date(2026, 6, 2)


def test_a_referral_on_the_friday_before_a_holiday_is_due_on_the_thursday(prot):
    case = _old_case(prot, date(2026, 5, 28))
    referral = _refer(prot, case, aim="legal", sent_at=_local(date(2026, 5, 29), 15))
    assert referral.follow_up_due == date(2026, 6, 4)
    assert referral.state == "sent"
    assert referral.overdue_on(date(2026, 6, 4)) is False
    assert referral.overdue_on(date(2026, 6, 5)) is True
    # a step of the case, and the case is in care
    step = CaseStep.objects.get(case=case, step="referred")
    assert step.at == referral.sent_at and step.note == "LPA Kota Uji"
    case.refresh_from_db()
    assert case.state == "in_care"
    assert _audit(case, "create", "referral") == 1


# ---------------------------------------------------------------- who refers


def test_only_the_health_circle_refers(prot):
    for outsider in (prot.pkm_timur, prot.pkm_barat2, prot.d.ppa, prot.d.dinkes):
        with pytest.raises(PermissionDenied) as exc:
            services_partner.case_refer(
                user=outsider, case=prot.case, partner=prot.lpa, aim="social"
            )
        assert exc.value.message == "Anda tidak menangani kasus ini."
    assert not CaseReferral.objects.exists()
    assert _audit(prot.case, "denied", "referral") == 4


def test_bad_referrals_are_refused_with_a_message(prot):
    with pytest.raises(ValidationFailed) as exc:
        _refer(prot, aim="financial")
    assert exc.value.fields == {"aim": ["Pilih jenis rujukan: medis, sosial atau hukum."]}
    prot.police.active = False
    prot.police.save()
    with pytest.raises(ValidationFailed) as exc:
        _refer(prot, partner=prot.police)
    assert exc.value.fields == {"partner": ["Pilih lembaga mitra yang aktif."]}
    _refer(prot)
    with pytest.raises(ValidationFailed) as exc:
        _refer(prot)
    assert exc.value.fields == {
        "partner": [
            "Kasus ini sudah dirujuk ke lembaga ini untuk jenis yang sama dan belum selesai."
        ]
    }
    # another aim to the same partner is another referral
    assert _refer(prot, aim="legal").aim == "legal"
    services.case_close(user=prot.d.pkm_barat, case=prot.case, note="selesai")
    with pytest.raises(ValidationFailed) as exc:
        _refer(prot, partner=prot.uptd)
    assert exc.value.fields == {"partner": ["Kasus sudah ditutup."]}


def test_the_refer_form_on_the_case_page(client, prot):
    client.force_login(prot.d.pkm_barat)
    url = f"/perlindungan/kasus/{prot.case.uuid}/"
    page = client.get(url).content.decode()
    assert "Rujuk ke lembaga mitra" in page and "Mitra menindaklanjuti dalam 3 hari kerja." in page
    bad = client.post(url + "rujuk-mitra/", {"refer-partner": prot.lpa.pk, "refer-aim": ""})
    assert bad.status_code == 422
    assert "Pilih jenis rujukan: medis, sosial atau hukum." in bad.content.decode()
    done = client.post(
        url + "rujuk-mitra/",
        {"refer-partner": prot.uptd.pk, "refer-aim": "legal", "refer-note": "Perlu pendampingan"},
    )
    assert done.status_code == 302
    referral = CaseReferral.objects.get()
    assert (referral.partner, referral.aim, referral.note) == (
        prot.uptd,
        "legal",
        "Perlu pendampingan",
    )
    page = client.get(url).content.decode()
    assert "UPTD PPA Kota Uji" in page and "Batalkan rujukan" in page
    assert "Terima rujukan" not in page  # that button is the partner's


def test_a_partner_may_not_post_a_referral(client, prot):
    client.force_login(prot.d.ppa)
    response = client.post(
        f"/perlindungan/kasus/{prot.case.uuid}/rujuk-mitra/",
        {"refer-partner": prot.lpa.pk, "refer-aim": "social"},
    )
    assert response.status_code == 403
    assert not CaseReferral.objects.exists()


# ---------------------------------------------------------------- what the partner sees


def test_a_partner_sees_only_the_cases_referred_to_it(client, prot):
    d = prot.d
    services.party_add(
        user=d.pkm_barat, case=prot.case, role="perpetrator", person=d.budi, alias=""
    )
    services.case_update_notes(
        user=d.pkm_barat,
        case=prot.case,
        clinical_notes="Hematom 3 cm lengan kiri",
        partner_may_read_clinical=False,
        version=prot.case.version,
    )
    url = f"/perlindungan/kasus/{prot.case.uuid}/"
    client.force_login(d.ppa)
    assert client.get(url).status_code == 404  # not referred yet
    _refer(prot, note="Mohon pendampingan psikososial")
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mohon pendampingan psikososial" in text and "Terima rujukan" in text
    assert "Budi" not in text and "Hematom" not in text and "Terduga pelaku" not in text
    assert "Pemberian informasi" not in text  # the duty to inform is the health side's
    assert "Batalkan rujukan" not in text and "Rujuk ke lembaga mitra</summary>" not in text
    # the other partner: not found, and the refusal is logged
    client.force_login(prot.ppa_uptd)
    before = _audit(prot.case, "denied", "case")
    assert client.get(url).status_code == 404
    assert _audit(prot.case, "denied", "case") == before + 1
    assert prot.case.number not in client.get("/perlindungan/").content.decode()


def test_a_partner_sees_its_own_referrals_of_a_case_not_the_others(client, prot):
    _refer(prot, partner=prot.lpa, note="untuk LPA")
    _refer(prot, partner=prot.uptd, aim="legal", note="untuk UPTD")
    client.force_login(prot.d.ppa)
    text = client.get(f"/perlindungan/kasus/{prot.case.uuid}/").content.decode()
    assert "untuk LPA" in text and "untuk UPTD" not in text
    assert "UPTD PPA Kota Uji" not in text


# ---------------------------------------------------------------- acknowledge and follow up


def test_the_partner_acknowledges_and_follows_up(client, prot):
    referral = _refer(prot)
    url = f"/perlindungan/kasus/{prot.case.uuid}/rujukan-mitra/{referral.uuid}/"
    client.force_login(prot.d.ppa)
    assert client.post(url + "terima/").status_code == 302
    referral.refresh_from_db()
    assert referral.state == "acknowledged" and referral.acknowledged_by == prot.d.ppa
    assert _audit(prot.case, "update", "referral_ack") == 1
    # twice: told, nothing changes
    again = client.post(url + "terima/", follow=True)
    assert "Rujukan ini sudah diterima." in again.content.decode()
    prefix = f"fu-{referral.uuid.hex[:12]}"
    bad = client.post(url + "tindak-lanjut/", {f"{prefix}-action": "other"})
    assert bad.status_code == 422
    assert "Tulis tindakan yang dilakukan." in bad.content.decode()
    when = timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M")  # this very minute
    done = client.post(
        url + "tindak-lanjut/",
        {f"{prefix}-action": "home_visit", f"{prefix}-at": when, f"{prefix}-note": "Korban aman"},
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "followed_up" and referral.follow_up_action == "home_visit"
    assert referral.follow_up_note == "Korban aman" and referral.followed_up_by == prot.d.ppa
    assert _audit(prot.case, "update", "referral_follow_up") == 1
    # the health circle reads it on the case page
    client.force_login(prot.d.pkm_barat)
    text = client.get(f"/perlindungan/kasus/{prot.case.uuid}/").content.decode()
    assert "Kunjungan rumah / penjangkauan: Korban aman" in text
    assert "Ditindaklanjuti" in text


def test_only_the_partner_it_went_to_acknowledges_or_follows_up(client, prot):
    referral = _refer(prot)
    _refer(prot, partner=prot.uptd, aim="legal")  # UPTD reads the case too
    with pytest.raises(PermissionDenied) as exc:
        services_partner.case_referral_acknowledge(user=prot.ppa_uptd, referral=referral)
    assert exc.value.message == "Rujukan ini bukan untuk lembaga Anda."
    with pytest.raises(PermissionDenied):
        services_partner.case_referral_follow_up(
            user=prot.ppa_uptd, referral=referral, action="contacted"
        )
    assert _audit(prot.case, "denied", "referral_ack") == 1
    assert _audit(prot.case, "denied", "referral_follow_up") == 1
    # over the web: the other partner 403, health staff 403 (the partner's button)
    url = f"/perlindungan/kasus/{prot.case.uuid}/rujukan-mitra/{referral.uuid}/terima/"
    client.force_login(prot.ppa_uptd)
    assert client.post(url).status_code == 403
    client.force_login(prot.d.pkm_barat)
    assert client.post(url).status_code == 403
    referral.refresh_from_db()
    assert referral.state == "sent"


def test_follow_up_without_acknowledging_first_acknowledges_too(prot):
    referral = _refer(prot)
    services_partner.case_referral_follow_up(
        user=prot.d.ppa, referral=referral, action="counselling"
    )
    referral.refresh_from_db()
    assert referral.state == "followed_up"
    assert referral.acknowledged_at == referral.followed_up_at
    with pytest.raises(ValidationFailed) as exc:
        services_partner.case_referral_follow_up(
            user=prot.d.ppa, referral=referral, action="counselling"
        )
    assert exc.value.fields == {"action": ["Tindak lanjut rujukan ini sudah dicatat."]}


def test_follow_up_time_not_before_sending(prot):
    referral = _refer(prot)
    with pytest.raises(ValidationFailed) as exc:
        services_partner.case_referral_follow_up(
            user=prot.d.ppa,
            referral=referral,
            action="contacted",
            at=referral.sent_at - timedelta(hours=1),
        )
    assert exc.value.fields == {"at": ["Waktu tidak boleh sebelum rujukan dikirim."]}


# ---------------------------------------------------------------- cancel


def test_cancel_needs_a_reason_and_ends_the_partners_view(client, prot):
    referral = _refer(prot)
    with pytest.raises(ValidationFailed) as exc:
        services_partner.case_referral_cancel(user=prot.d.pkm_barat, referral=referral, reason="")
    assert exc.value.fields == {"reason": ["Tulis alasan pembatalan."]}
    with pytest.raises(PermissionDenied):
        services_partner.case_referral_cancel(user=prot.pkm_timur, referral=referral, reason="x")
    client.force_login(prot.d.pkm_barat)
    prefix = f"cancel-{referral.uuid.hex[:12]}"
    done = client.post(
        f"/perlindungan/kasus/{prot.case.uuid}/rujukan-mitra/{referral.uuid}/batal/",
        {f"{prefix}-reason": "Salah lembaga"},
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "cancelled" and referral.cancel_reason == "Salah lembaga"
    assert _audit(prot.case, "update", "referral_cancel") == 1
    with pytest.raises(ValidationFailed):
        services_partner.case_referral_acknowledge(user=prot.d.ppa, referral=referral)
    client.force_login(prot.d.ppa)
    assert client.get(f"/perlindungan/kasus/{prot.case.uuid}/").status_code == 404


# ---------------------------------------------------------------- lists


def test_lists_show_the_referral_state_and_overdue_follow_ups(client, prot):
    late_case = _old_case(prot, date(2026, 5, 28))
    _refer(prot, late_case, sent_at=_local(date(2026, 5, 29)))  # due 4 June
    fresh = _refer(prot)
    client.force_login(prot.d.ppa)
    page = client.get("/perlindungan/").content.decode()
    assert late_case.number in page and prot.case.number in page
    late_row = page.split(f'id="case-{late_case.uuid}"')[1].split("</li>\n")[0]
    assert "Tindak lanjut terlambat" in late_row and "Dikirim" in late_row
    fresh_row = page.split(f'id="case-{prot.case.uuid}"')[1].split("</li>\n")[0]
    assert "Tindak lanjut terlambat" not in fresh_row
    assert "tindak lanjut paling lambat" in fresh_row
    services_partner.case_referral_follow_up(user=prot.d.ppa, referral=fresh, action="shelter")
    fresh_row = (
        client.get("/perlindungan/")
        .content.decode()
        .split(f'id="case-{prot.case.uuid}"')[1]
        .split("</li>\n")[0]
    )
    assert "Ditindaklanjuti" in fresh_row and "paling lambat" not in fresh_row
    # the health side's list marks it too
    client.force_login(prot.d.pkm_barat)
    assert "Tindak lanjut terlambat" in client.get("/perlindungan/").content.decode()


def test_the_case_list_costs_the_same_with_more_referred_cases(
    client, prot, django_assert_max_num_queries
):
    for _n in range(3):
        case = _old_case(prot, date(2026, 5, 28))
        _refer(prot, case)
    client.force_login(prot.d.ppa)
    client.get("/perlindungan/")  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get("/perlindungan/").status_code == 200


# ---------------------------------------------------------------- refer back


def test_a_case_referred_in_by_lpa_is_referred_back_to_it(client, prot):
    d = prot.d
    case = services.case_open(
        user=d.ppa,
        arrival_route="partner",
        victim={"alias": "Anak C", "sex": "F"},
        facility=d.pkm_barat_f,
    )
    services.case_take(user=prot.pkm_barat2, case=case)
    referral = services_partner.case_refer(
        user=prot.pkm_barat2, case=case, partner=prot.lpa, aim="social"
    )
    client.force_login(d.ppa)
    text = client.get(f"/perlindungan/kasus/{case.uuid}/").content.decode()
    assert f"referral-{referral.uuid}" in text and "Terima rujukan" in text


# ---------------------------------------------------------------- duty to inform


def test_duty_to_inform_is_recorded_by_the_health_circle(client, prot):
    d = prot.d
    with pytest.raises(ValidationFailed) as exc:
        services_partner.duty_to_inform_record(
            user=d.pkm_barat,
            case=prot.case,
            informed="police",
            informed_name="Unit PPA Polresta",
            method="written",
        )
    assert exc.value.fields == {"letter_number": ["Tulis nomor surat pemberitahuan."]}
    with pytest.raises(PermissionDenied):
        services_partner.duty_to_inform_record(
            user=prot.pkm_timur,
            case=prot.case,
            informed="police",
            informed_name="Unit PPA Polresta",
            method="oral",
        )
    client.force_login(d.pkm_barat)
    url = f"/perlindungan/kasus/{prot.case.uuid}/"
    bad = client.post(url + "informasi/", {"inform-informed": "uptd_ppa", "inform-method": "oral"})
    assert bad.status_code == 422
    assert "Tulis nama lembaga, unit atau petugas yang diberi tahu." in bad.content.decode()
    done = client.post(
        url + "informasi/",
        {
            "inform-informed": "uptd_ppa",
            "inform-informed_name": "UPTD PPA Kota Uji, Bu Rina",
            "inform-method": "oral",
        },
    )
    assert done.status_code == 302
    row = DutyToInform.objects.get()
    assert (row.informed, row.method, row.informed_by) == ("uptd_ppa", "oral", d.pkm_barat)
    assert _audit(prot.case, "create", "inform") == 1
    text = client.get(url).content.decode()
    assert "UPTD PPA Kota Uji, Bu Rina" in text and "Lisan" in text
