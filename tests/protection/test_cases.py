"""Cases: who opens them, who reads them (everyone else: 404 and an audit row), parties
with roles kept apart, steps in time, and the partner's referral in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.protection import services
from ilp.protection.models import Case, CaseStep, Step

pytestmark = pytest.mark.django_db


def _denied(case: Case) -> int:
    return AuditEvent.objects.filter(
        object_type="protection_case", object_uuid=case.uuid, action="denied"
    ).count()


def test_opener_is_officer_and_reads_the_case(client, prot):
    d = prot.d
    case = prot.case
    assert case.officer == d.pkm_barat
    assert case.number.startswith(f"KTPA-{timezone.localdate().year}-")
    assert case.retain_until.year == timezone.localdate(case.arrived_at).year + 18
    client.force_login(d.pkm_barat)
    page = client.get(f"/perlindungan/kasus/{case.uuid}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Siti Aminah" in text
    assert "Juru bahasa isyarat" in text
    assert AuditEvent.objects.filter(
        object_type="protection_case", object_uuid=case.uuid, action="view", user=d.pkm_barat
    ).exists()
    # the read names no person: the case stays out of the person's access history
    assert not AuditEvent.objects.filter(
        object_type="protection_case", person_id=d.siti.pk
    ).exists()


@pytest.mark.parametrize(
    "who",
    [
        "pkm_timur",
        "pkm_barat2",
        "bidan_ampel",
        "kader_ampel_timur",
        "tpcb",
        "dinkes",
        "ppa",
        "ppa_uptd",
        "camat_barat",
        "rs_uji",
        "norole",
    ],
)
def test_everyone_outside_the_circle_gets_404_and_is_logged(client, prot, who):
    user = getattr(prot, who, None) or getattr(prot.d, who)
    client.force_login(user)
    before = _denied(prot.case)
    page = client.get(f"/perlindungan/kasus/{prot.case.uuid}/")
    assert page.status_code in (403, 404)
    assert "Siti" not in page.content.decode()
    if page.status_code == 404:
        assert _denied(prot.case) == before + 1


def test_a_case_list_shows_only_own_cases(client, prot):
    client.force_login(prot.pkm_timur)
    page = client.get("/perlindungan/")
    assert page.status_code == 200
    assert prot.case.number not in page.content.decode()
    client.force_login(prot.d.pkm_barat)
    assert prot.case.number in client.get("/perlindungan/").content.decode()


def test_guardian_may_not_be_a_perpetrator(prot):
    d = prot.d
    services.party_add(user=d.pkm_barat, case=prot.case, role="perpetrator", person=d.budi)
    with pytest.raises(ValidationFailed) as exc:
        services.party_add(
            user=d.pkm_barat, case=prot.case, role="victim", person=d.rina, guardian_person=d.budi
        )
    assert exc.value.fields == {
        "guardian_person": ["Terduga pelaku tidak boleh menjadi wali korban."]
    }


def test_perpetrator_who_is_a_victims_guardian_is_refused(prot):
    d = prot.d
    services.party_add(
        user=d.pkm_barat, case=prot.case, role="victim", person=d.rina, guardian_person=d.budi
    )
    with pytest.raises(ValidationFailed) as exc:
        services.party_add(user=d.pkm_barat, case=prot.case, role="perpetrator", person=d.budi)
    assert "wali korban" in exc.value.fields["person"][0]


def test_party_form_shows_the_guardian_message_and_keeps_the_case(client, prot):
    d = prot.d
    services.party_add(user=d.pkm_barat, case=prot.case, role="perpetrator", person=d.budi)
    client.force_login(d.pkm_barat)
    page = client.post(
        f"/perlindungan/kasus/{prot.case.uuid}/pihak/",
        {"role": "victim", "alias": "Anak", "guardian_nik": d.budi.nik},
    )
    assert page.status_code == 422
    assert "Terduga pelaku tidak boleh menjadi wali korban." in page.content.decode()


def test_step_in_the_future_or_before_arrival_is_refused(prot):
    d = prot.d
    with pytest.raises(ValidationFailed) as exc:
        services.step_record(
            user=d.pkm_barat,
            case=prot.case,
            step=Step.FIRST_CONTACT,
            at=timezone.now() + timedelta(hours=2),
        )
    assert exc.value.fields == {"at": ["Waktu tidak boleh di masa depan."]}
    with pytest.raises(ValidationFailed) as exc:
        services.step_record(
            user=d.pkm_barat,
            case=prot.case,
            step=Step.FIRST_CONTACT,
            at=prot.case.arrived_at - timedelta(hours=1),
        )
    assert exc.value.fields == {"at": ["Waktu tidak boleh sebelum kasus datang."]}
    services.step_record(user=d.pkm_barat, case=prot.case, step=Step.FIRST_CONTACT)
    with pytest.raises(ValidationFailed):
        services.step_record(user=d.pkm_barat, case=prot.case, step=Step.FIRST_CONTACT)
    prot.case.refresh_from_db()
    assert prot.case.state == "in_care"


def test_outsider_may_not_write(prot):
    with pytest.raises(PermissionDenied):
        services.step_record(user=prot.pkm_timur, case=prot.case, step=Step.EXAMINATION)
    assert _denied(prot.case) == 1


def test_partner_refers_a_child_in_and_the_puskesmas_takes_it(client, prot):
    d = prot.d
    client.force_login(d.ppa)
    page = client.post(
        "/perlindungan/baru/",
        {
            "alias": "Anak A",
            "sex": "F",
            "age_years": "9",
            "village": d.batu.pk,
            "kinds": ["sexual"],
            "occurred_place": "home",
            "summary": "Dilaporkan guru",
        },
    )
    assert page.status_code == 302
    case = Case.objects.get(parties__alias="Anak A")
    assert case.urgent and case.arrival_route == "partner" and case.referred_by == prot.lpa
    assert case.facility == d.pkm_barat_f and case.officer is None
    # the partner reads what it referred
    assert client.get(f"/perlindungan/kasus/{case.uuid}/").status_code == 200
    # the puskesmas sees it among the new cases, takes it and becomes its officer
    client.force_login(prot.pkm_barat2)
    home = client.get("/perlindungan/").content.decode()
    assert case.number in home and "Anak A" not in home
    assert client.post(f"/perlindungan/kasus/{case.uuid}/ambil/").status_code == 302
    case.refresh_from_db()
    assert case.officer == prot.pkm_barat2
    # the other puskesmas can not take it
    client.force_login(prot.pkm_timur)
    assert client.post(f"/perlindungan/kasus/{case.uuid}/ambil/").status_code == 404


def test_partner_sees_no_clinical_notes_without_consent(client, prot):
    d = prot.d
    services.case_update_notes(
        user=d.pkm_barat,
        case=prot.case,
        clinical_notes="Hematom 3 cm lengan kiri",
        partner_may_read_clinical=False,
        version=prot.case.version,
    )
    case = Case.objects.get(pk=prot.case.pk)
    case.referred_by = prot.lpa  # as if LPA had referred it in
    case.save()
    client.force_login(d.ppa)
    text = client.get(f"/perlindungan/kasus/{case.uuid}/").content.decode()
    assert "Hematom" not in text
    services.case_update_notes(
        user=d.pkm_barat,
        case=case,
        clinical_notes="Hematom 3 cm lengan kiri",
        partner_may_read_clinical=True,
        version=case.version,
    )
    assert "Hematom" in client.get(f"/perlindungan/kasus/{case.uuid}/").content.decode()


def test_steps_are_timed(prot):
    assert list(CaseStep.objects.filter(case=prot.case).values_list("step", flat=True)) == [
        "arrival"
    ]
