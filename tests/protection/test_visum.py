"""Visum et repertum: only on a written police request, a female chaperone for a female
victim, consent of the victim or guardian, the letter after the examination, its delivery,
the chain of custody (append-only), the letter as PDF from the Dinkes' template, and who
sees what of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.protection import services_visum as sv
from ilp.protection.models import CaseParty, CaseReferral, CaseStep, PartyRole, Step
from ilp.protection.models_visum import CustodyEntry, Visum, VisumState, VisumTemplate

NO_REQUEST = (
    "Visum hanya dibuat atas permintaan tertulis penyidik: isi nomor dan tanggal surat permintaan."
)
CHAPERONE_NAME = "Korban perempuan diperiksa dengan pendamping perempuan: tulis nama pendamping."
CHAPERONE_FEMALE = "Korban perempuan diperiksa dengan pendamping petugas perempuan."
CONSENT_BY = "Pemeriksaan hanya dengan persetujuan: pilih siapa yang menyetujui (korban atau wali)."
CONSENT_NAME = "Tulis nama korban atau wali yang menyetujui pemeriksaan."
CONSENT_AT = "Isi waktu persetujuan diberikan."


def _victim(prot) -> CaseParty:
    return CaseParty.objects.get(case=prot.case, role=PartyRole.VICTIM)


def _request_fields(prot, **over):
    today = timezone.localdate()
    fields = {
        "party": over.pop("party") if "party" in over else _victim(prot),
        "kind": "physical",
        "request_number": "B/123/XII/2026/Reskrim",
        "request_date": today,
        "investigator_name": "Bripka Sari",
        "investigator_unit": "Unit PPA Polres Kota Uji",
    }
    fields.update(over)
    return fields


def _request(prot, **over) -> Visum:
    return sv.visum_request_record(
        user=prot.d.pkm_barat, case=prot.case, **_request_fields(prot, **over)
    )


def _exam_fields(**over):
    now = timezone.now()
    fields = {
        "chaperone_name": "Bidan Rina",
        "chaperone_female": True,
        "consent_by": "victim",
        "consent_name": "Siti",
        "consent_at": now,
        "findings": "Memar 3 x 4 cm di lengan kiri atas.",
        "examined_at": now,
    }
    fields.update(over)
    return fields


def _examined(prot) -> Visum:
    return sv.visum_examine(user=prot.d.pkm_barat, visum=_request(prot), **_exam_fields())


def _issued(prot) -> Visum:
    return sv.visum_issue(
        user=prot.d.pkm_barat,
        visum=_examined(prot),
        letter_number="VER/01/XII/2026",
        letter_date=timezone.localdate(),
    )


def _url(name, prot, visum=None):
    kwargs = {"case_uuid": prot.case.uuid}
    if visum is not None:
        kwargs["visum_uuid"] = visum.uuid
    return reverse(f"protection:{name}", kwargs=kwargs)


# ---------------------------------------------------------------- the police request


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"request_number": ""}, "request_number", NO_REQUEST),
        ({"request_number": "   "}, "request_number", NO_REQUEST),
        ({"request_date": None}, "request_date", NO_REQUEST),
        ({"investigator_name": ""}, "investigator_name", "Tulis nama penyidik yang meminta visum."),
        (
            {"investigator_unit": ""},
            "investigator_unit",
            "Tulis kesatuan penyidik yang meminta visum (mis. Unit PPA Polres).",
        ),
        ({"kind": "dental"}, "kind", "Pilih jenis visum: fisik atau psikiatrikum."),
        ({"party": None}, "party", "Pilih korban kasus ini."),
        (
            {"request_date": timezone.localdate() + timedelta(days=2)},
            "request_date",
            "Tanggal surat permintaan tidak boleh di masa depan.",
        ),
    ],
)
def test_a_bad_request_is_refused_on_its_field_and_saves_nothing(prot, over, field, message):
    with pytest.raises(ValidationFailed) as exc:
        _request(prot, **over)
    assert exc.value.fields == {field: [message]}
    assert not Visum.objects.exists()


def test_a_request_received_before_its_date_is_refused(prot):
    with pytest.raises(ValidationFailed) as exc:
        _request(
            prot,
            request_date=timezone.localdate(),
            received_at=timezone.now() - timedelta(days=3),
        )
    assert exc.value.fields == {
        "received_at": ["Surat permintaan tidak dapat diterima sebelum tanggal suratnya."]
    }


def test_a_perpetrator_is_not_visum_ed_as_victim(prot):
    perp = CaseParty.objects.create(case=prot.case, role=PartyRole.PERPETRATOR, alias="X")
    with pytest.raises(ValidationFailed) as exc:
        _request(prot, party=perp)
    assert exc.value.fields == {"party": ["Pilih korban kasus ini."]}


def test_one_visum_of_a_kind_per_victim_but_psychiatric_besides(prot):
    _request(prot)
    with pytest.raises(ValidationFailed) as exc:
        _request(prot)
    assert exc.value.fields == {"kind": ["Visum jenis ini sudah tercatat untuk korban ini."]}
    assert _request(prot, kind="psychiatric").kind == "psychiatric"


def test_the_request_form_without_request_shows_the_message_and_saves_nothing(client, prot):
    client.force_login(prot.d.pkm_barat)
    resp = client.post(
        _url("visum_request", prot),
        {
            "party": str(_victim(prot).uuid),
            "kind": "physical",
            "request_number": "",
            "investigator_name": "Bripka Sari",
            "investigator_unit": "Unit PPA",
        },
    )
    assert resp.status_code == 422
    form = resp.context["visum_error"]["form"]
    assert form.errors["request_number"] == [NO_REQUEST]
    assert NO_REQUEST in resp.content.decode()
    assert not Visum.objects.exists()


# ---------------------------------------------------------------- who may write


def test_outside_the_circle_nobody_writes_and_the_refusal_is_logged(prot):
    for who in (prot.pkm_barat2, prot.pkm_timur, prot.d.dinkes, prot.d.ppa):
        with pytest.raises(PermissionDenied):
            sv.visum_request_record(user=who, case=prot.case, **_request_fields(prot))
        assert AuditEvent.objects.filter(
            user=who,
            action="denied",
            object_uuid=prot.case.uuid,
            detail__what="visum_request",
        ).exists()
    assert not Visum.objects.exists()


def test_a_partner_posting_a_request_is_refused_and_logged(client, prot):
    CaseReferral.objects.create(
        case=prot.case,
        partner=prot.lpa,
        aim="legal",
        sent_at=timezone.now(),
        follow_up_due=timezone.localdate(),
    )
    client.force_login(prot.d.ppa)
    resp = client.post(_url("visum_request", prot), {"request_number": "1"})
    assert resp.status_code == 403
    assert AuditEvent.objects.filter(user=prot.d.ppa, action="denied").exists()
    assert not Visum.objects.exists()


def test_another_puskesmas_gets_404_and_is_logged(client, prot):
    visum = _request(prot)
    client.force_login(prot.pkm_timur)
    resp = client.post(_url("visum_examine", prot, visum), {"findings": "x"})
    assert resp.status_code == 404
    assert AuditEvent.objects.filter(
        user=prot.pkm_timur, action="denied", detail__what="visum_examine"
    ).exists()
    visum.refresh_from_db()
    assert visum.state == VisumState.REQUESTED


# ---------------------------------------------------------------- the examination


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"chaperone_name": ""}, "chaperone_name", CHAPERONE_NAME),
        ({"chaperone_female": False}, "chaperone_female", CHAPERONE_FEMALE),
        ({"consent_by": ""}, "consent_by", CONSENT_BY),
        ({"consent_name": ""}, "consent_name", CONSENT_NAME),
        ({"consent_at": None}, "consent_at", CONSENT_AT),
        ({"findings": ""}, "findings", "Tulis temuan pemeriksaan."),
        (
            {"examined_at": timezone.now() + timedelta(days=1)},
            "examined_at",
            "Waktu tidak boleh di masa depan.",
        ),
    ],
)
def test_a_bad_examination_is_refused_and_saves_nothing(prot, over, field, message):
    visum = _request(prot)
    with pytest.raises(ValidationFailed) as exc:
        sv.visum_examine(user=prot.d.pkm_barat, visum=visum, **_exam_fields(**over))
    assert exc.value.fields == {field: [message]}
    visum.refresh_from_db()
    assert visum.state == VisumState.REQUESTED
    assert visum.findings == "" and visum.examined_at is None
    assert not CaseStep.objects.filter(case=prot.case, step=Step.EXAMINATION).exists()


def test_a_male_victim_needs_no_female_chaperone(prot):
    boy = CaseParty.objects.create(case=prot.case, role=PartyRole.VICTIM, alias="Anak A", sex="M")
    visum = _request(prot, party=boy)
    done = sv.visum_examine(
        user=prot.d.pkm_barat,
        visum=visum,
        **_exam_fields(chaperone_name="", chaperone_female=False, consent_by="guardian"),
    )
    assert done.state == VisumState.EXAMINED


def test_the_examination_form_shows_the_chaperone_message(client, prot):
    visum = _request(prot)
    client.force_login(prot.d.pkm_barat)
    resp = client.post(
        _url("visum_examine", prot, visum),
        {
            "consent_by": "victim",
            "consent_name": "Siti",
            "consent_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "findings": "Memar",
        },
    )
    assert resp.status_code == 422
    assert resp.context["visum_error"]["form"].errors["chaperone_name"] == [CHAPERONE_NAME]
    assert CHAPERONE_NAME in resp.content.decode()
    visum.refresh_from_db()
    assert visum.state == VisumState.REQUESTED


# ---------------------------------------------------------------- issue, deliver: the order


def test_no_letter_before_the_examination(prot):
    visum = _request(prot)
    with pytest.raises(ValidationFailed) as exc:
        sv.visum_issue(
            user=prot.d.pkm_barat,
            visum=visum,
            letter_number="V/1",
            letter_date=timezone.localdate(),
        )
    assert exc.value.fields == {
        "letter_number": ["Surat visum diterbitkan sesudah pemeriksaan dicatat."]
    }
    visum.refresh_from_db()
    assert visum.state == VisumState.REQUESTED and visum.letter_number == ""


@pytest.mark.parametrize(
    ("number", "day", "field", "message"),
    [
        ("", 0, "letter_number", "Isi nomor surat visum."),
        ("V/1", None, "letter_date", "Isi tanggal surat visum."),
        ("V/1", 3, "letter_date", "Tanggal surat tidak boleh di masa depan."),
        ("V/1", -3, "letter_date", "Tanggal surat tidak boleh sebelum pemeriksaan."),
    ],
)
def test_a_bad_letter_is_refused(prot, number, day, field, message):
    visum = _examined(prot)
    letter_date = None if day is None else timezone.localdate() + timedelta(days=day)
    with pytest.raises(ValidationFailed) as exc:
        sv.visum_issue(
            user=prot.d.pkm_barat, visum=visum, letter_number=number, letter_date=letter_date
        )
    assert exc.value.fields == {field: [message]}
    visum.refresh_from_db()
    assert visum.state == VisumState.EXAMINED


def test_no_delivery_before_the_letter(prot):
    visum = _examined(prot)
    with pytest.raises(ValidationFailed) as exc:
        sv.visum_deliver(user=prot.d.pkm_barat, visum=visum, delivered_to="Bripka Sari")
    assert exc.value.fields == {"delivered_to": ["Surat visum harus diterbitkan lebih dulu."]}
    visum = _issued_from(prot, visum)
    with pytest.raises(ValidationFailed) as exc:
        sv.visum_deliver(user=prot.d.pkm_barat, visum=visum, delivered_to=" ")
    assert exc.value.fields == {"delivered_to": ["Tulis nama penerima surat visum di kepolisian."]}


def _issued_from(prot, visum):
    return sv.visum_issue(
        user=prot.d.pkm_barat,
        visum=visum,
        letter_number="VER/01/XII/2026",
        letter_date=timezone.localdate(),
    )


def test_the_full_flow_through_the_pages(client, prot):
    client.force_login(prot.d.pkm_barat)
    now = timezone.localtime()
    resp = client.post(
        _url("visum_request", prot),
        {
            "party": str(_victim(prot).uuid),
            "kind": "physical",
            "request_number": "B/123/XII/2026",
            "request_date": now.strftime("%Y-%m-%d"),
            "investigator_name": "Bripka Sari",
            "investigator_unit": "Unit PPA Polres Kota Uji",
        },
    )
    assert resp.status_code == 302
    visum = Visum.objects.get()
    assert visum.state == VisumState.REQUESTED
    resp = client.post(
        _url("visum_examine", prot, visum),
        {
            "examiner": str(prot.d.pkm_barat.pk),
            "chaperone_name": "Bidan Rina",
            "chaperone_female": "on",
            "consent_by": "victim",
            "consent_name": "Siti",
            "consent_at": now.strftime("%Y-%m-%dT%H:%M"),
            "findings": "Memar 3 x 4 cm di lengan kiri atas.",
        },
    )
    assert resp.status_code == 302, resp.context["visum_error"]["form"].errors
    resp = client.post(
        _url("visum_issue", prot, visum),
        {"letter_number": "VER/01/XII/2026", "letter_date": now.strftime("%Y-%m-%d")},
    )
    assert resp.status_code == 302
    resp = client.post(_url("visum_deliver", prot, visum), {"delivered_to": "Bripka Sari"})
    assert resp.status_code == 302
    visum.refresh_from_db()
    assert visum.state == VisumState.DELIVERED
    assert visum.examiner == prot.d.pkm_barat and visum.chaperone_female
    assert visum.letter_number == "VER/01/XII/2026" and visum.delivered_to == "Bripka Sari"
    steps = set(CaseStep.objects.filter(case=prot.case).values_list("step", flat=True))
    assert {Step.EXAMINATION, Step.VISUM_ISSUED} <= steps
    whats = set(
        AuditEvent.objects.filter(
            object_uuid=prot.case.uuid, action__in=["create", "update"]
        ).values_list("detail__what", flat=True)
    )
    assert {"visum_request", "visum_examine", "visum_issue", "visum_deliver"} <= whats
    assert visum.history.exists()  # its changes are kept
    page = client.get(_url("detail", prot)).content.decode()
    assert "VER/01/XII/2026" in page and "Memar 3 x 4 cm" in page
    assert "Bripka Sari" in page


# ---------------------------------------------------------------- who sees what


def _refer(prot, partner):
    CaseReferral.objects.create(
        case=prot.case,
        partner=partner,
        aim="legal",
        sent_at=timezone.now(),
        follow_up_due=timezone.localdate(),
    )


def test_the_police_sees_the_letter_number_and_delivery_but_no_findings(
    client, prot, django_user_model
):
    from ilp.protection.models import PartnerMember

    police_user = django_user_model.objects.create_user(
        username="polisi", password="x", role="protection", area=prot.d.city
    )
    PartnerMember.objects.create(user=police_user, partner=prot.police)
    _refer(prot, prot.police)
    visum = _issued(prot)
    sv.visum_deliver(user=prot.d.pkm_barat, visum=visum, delivered_to="Bripka Sari")
    client.force_login(police_user)
    page = client.get(_url("detail", prot)).content.decode()
    assert "VER/01/XII/2026" in page and "Bripka Sari" in page
    assert "Memar 3 x 4 cm" not in page
    assert client.get(_url("visum_letter", prot, visum)).status_code == 403
    assert AuditEvent.objects.filter(
        user=police_user, action="denied", detail__what="visum_letter"
    ).exists()
    # With the victim's consent the findings are shared.
    prot.case.partner_may_read_clinical = True
    prot.case.save()
    page = client.get(_url("detail", prot)).content.decode()
    assert "Memar 3 x 4 cm" in page


def test_lpa_sees_no_visum_without_consent(client, prot):
    _refer(prot, prot.lpa)
    _issued(prot)
    client.force_login(prot.d.ppa)
    page = client.get(_url("detail", prot)).content.decode()
    assert 'id="visum"' not in page
    assert "VER/01/XII/2026" not in page


# ---------------------------------------------------------------- the letter and its template


def test_the_letter_renders_as_pdf_from_the_default_template(client, prot):
    visum = _issued(prot)
    html = sv.fill(sv.template_body(None, "physical"), {"temuan": "X"})
    assert "PRO JUSTITIA" in html
    client.force_login(prot.d.pkm_barat)
    resp = client.get(_url("visum_letter", prot, visum))
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        user=prot.d.pkm_barat, action="export", detail__what="visum_letter"
    ).exists()


def test_the_letter_uses_the_districts_template(client, prot, monkeypatch):
    from ilp.protection import selectors_visum

    sv.template_save(
        user=prot.d.dinkes,
        kind="physical",
        body="SURAT KHUSUS KOTA UJI {nomor_surat} untuk {nama_korban}: {temuan} <b>",
    )
    visum = _issued(prot)
    html = str(selectors_visum.letter_html(visum))
    assert "SURAT KHUSUS KOTA UJI VER/01/XII/2026 untuk Siti" in html
    assert "Memar 3 x 4 cm" in html and "&lt;b&gt;" in html
    from ilp.protection import views_visum

    seen = []
    real = views_visum.html_to_pdf

    def capture(html):
        seen.append(html)
        return real(html)

    monkeypatch.setattr(views_visum, "html_to_pdf", capture)
    client.force_login(prot.d.pkm_barat)
    resp = client.get(_url("visum_letter", prot, visum))
    assert resp.content.startswith(b"%PDF")
    assert "SURAT KHUSUS KOTA UJI VER/01/XII/2026 untuk Siti" in seen[0]
    assert "PRO JUSTITIA" not in seen[0]  # the district's own text, not the built-in one


def test_no_letter_before_it_is_issued(client, prot):
    visum = _examined(prot)
    client.force_login(prot.d.pkm_barat)
    assert client.get(_url("visum_letter", prot, visum)).status_code == 404


def test_template_edit_is_the_dinkes_only(client, prot):
    url = reverse("protection:visum_template")
    for who in (prot.d.pkm_barat, prot.d.ppa, prot.d.tpcb):
        client.force_login(who)
        assert client.get(url).status_code == 403
        assert client.post(url, {"kind": "physical", "body": "x"}).status_code == 403
    assert not VisumTemplate.objects.exists()
    client.force_login(prot.d.dinkes)
    resp = client.get(url)
    assert resp.status_code == 200 and "PRO JUSTITIA" in resp.content.decode()
    resp = client.post(url, {"kind": "physical", "body": "Nomor {nomor_surat}\n{temuan}"})
    assert resp.status_code == 302
    resp = client.post(url, {"kind": "physical", "body": "V2 {nomor_surat}"})
    rows = list(VisumTemplate.objects.order_by("version").values_list("version", "active"))
    assert rows == [(1, False), (2, True)]
    assert sv.template_body(prot.d.city, "physical") == "V2 {nomor_surat}"


@pytest.mark.parametrize(
    ("body", "start"),
    [
        ("Nomor {nomor_surat} {nama_pelaku}", "Tanda isian {nama_pelaku} tidak dikenal."),
        ("{temuan.__class__}", "Tanda isian {temuan.__class__} tidak dikenal."),
        ("{temuan!r}", "Tanda isian {temuan!r} tidak dikenal."),
        ("{temuan:>40}", "Tanda isian {temuan:>40} tidak dikenal."),
        ("Nomor {nomor_surat", "Kurung kurawal tidak berpasangan"),
        ("", "Isi surat tidak boleh kosong."),
    ],
)
def test_an_unknown_placeholder_is_refused(client, prot, body, start):
    client.force_login(prot.d.dinkes)
    resp = client.post(reverse("protection:visum_template"), {"kind": "physical", "body": body})
    assert resp.status_code == 422
    [message] = resp.context["form"].errors["body"]
    assert message.startswith(start)
    assert not VisumTemplate.objects.exists()


# ---------------------------------------------------------------- chain of custody


def test_custody_is_logged_and_append_only(prot):
    visum = _issued(prot)
    row = sv.custody_add(
        user=prot.d.pkm_barat,
        visum=visum,
        item="Pakaian korban (1 kantong)",
        handed_by="Bidan Rina",
        handed_to="Bripka Sari",
    )
    with pytest.raises(ValidationFailed) as exc:
        sv.custody_add(user=prot.d.pkm_barat, visum=visum, item="", handed_by="A", handed_to="B")
    assert exc.value.fields == {"item": ["Tulis barang bukti yang diserahkan."]}
    with pytest.raises(ValidationFailed) as exc:
        sv.custody_add(user=prot.d.pkm_barat, visum=visum, item="Swab", handed_by="A", handed_to="")
    assert exc.value.fields == {"handed_to": ["Tulis siapa yang menerima barang bukti."]}
    with pytest.raises(PermissionDenied):
        sv.custody_add(user=prot.pkm_timur, visum=visum, item="X", handed_by="A", handed_to="B")
    assert CustodyEntry.objects.count() == 1
    row.note = "diubah"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        CustodyEntry.objects.filter(pk=row.pk).update(note="x")
    with pytest.raises(TypeError):
        CustodyEntry.objects.all().delete()
    assert CustodyEntry.objects.get().note == ""


def test_a_mistaken_visum_is_voided_not_deleted(prot):
    visum = _request(prot)
    with pytest.raises(ValidationFailed) as exc:
        sv.visum_void(user=prot.d.pkm_barat, visum=visum, reason="other")
    assert exc.value.fields == {"note": ["Tulis alasan pembatalan."]}
    sv.visum_void(user=prot.d.pkm_barat, visum=visum, reason="duplicate")
    assert Visum.objects.filter(voided_at__isnull=False).count() == 1
    assert not Visum.objects.active().exists()
    _request(prot)  # a new one of the same kind may be recorded again
