"""Attachments of a case: sealed at rest, served only to those entitled to their kind (404
and an audit row for everyone else), refused with a specific message when of a wrong type
or too large (nothing stored, the refusal audited), voided but never deleted."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from ilp.accounts.models import AuditEvent, Role, User
from ilp.core import sealed
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.protection import attachments
from ilp.protection.models import (
    Attachment,
    AttachmentKind,
    BreakGlass,
    CaseReferral,
    CaseReferralState,
)

pytestmark = pytest.mark.django_db

PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"memar lengan kiri korban " * 40
LETTER = b"%PDF-1.4\n% Surat permintaan visum No. B/123/XII/2026/Reskrim\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WRONG_KIND = "Berkas %s bukan PDF, JPEG atau PNG (dibaca dari isinya)."


def _file(name: str, data: bytes, claimed: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, claimed)


def _add(prot, name="luka.jpg", data=PHOTO, kind=AttachmentKind.INJURY_PHOTO, user=None):
    return attachments.attachment_add(
        user=user or prot.d.pkm_barat, case=prot.case, upload=_file(name, data), kind=kind
    )


def _url(case, a) -> str:
    return f"/perlindungan/kasus/{case.uuid}/lampiran/{a.uuid}/"


def _audit(case, action: str, **detail) -> int:
    rows = AuditEvent.objects.filter(
        object_type="protection_case", object_uuid=case.uuid, action=action
    )
    return sum(1 for r in rows if all(r.detail.get(k) == v for k, v in detail.items()))


def _refer(prot, partner, state=CaseReferralState.SENT) -> CaseReferral:
    return CaseReferral.objects.create(
        case=prot.case,
        partner=partner,
        aim="legal",
        state=state,
        sent_at=timezone.now(),
        follow_up_due=timezone.localdate() + timedelta(days=3),
    )


def test_the_file_is_sealed_in_the_database_and_opens_for_the_officer(client, prot):
    a = _add(prot)
    stored = bytes(Attachment.objects.values_list("sealed", flat=True).get(pk=a.pk))
    assert b"memar" not in stored and stored != PHOTO
    assert sealed.unseal(stored) == PHOTO
    a.refresh_from_db()
    assert (a.kind, a.name, a.size) == ("injury_photo", "luka.jpg", len(PHOTO))
    assert a.content_type == "image/jpeg"  # read from the content, not the claimed type
    assert a.sha256 == hashlib.sha256(PHOTO).hexdigest()
    assert a.uploaded_by == prot.d.pkm_barat
    assert _audit(prot.case, "create", what="attachment", attachment=str(a.uuid)) == 1

    client.force_login(prot.d.pkm_barat)
    got = client.get(_url(prot.case, a))
    assert got.status_code == 200
    assert got.content == PHOTO
    assert got["Content-Type"] == "image/jpeg"
    assert got["Content-Disposition"] == 'attachment; filename="luka.jpg"'
    assert "no-store" in got["Cache-Control"]
    assert got["X-Content-Type-Options"] == "nosniff"
    assert _audit(prot.case, "view", what="attachment", attachment=str(a.uuid)) == 1
    # the audit names neither the person nor the file
    row = AuditEvent.objects.filter(object_uuid=prot.case.uuid, action="view").last()
    assert row.person_id is None and "luka.jpg" not in str(row.detail)


def test_the_case_page_lists_the_attachments_and_the_upload_form(client, prot):
    a = _add(prot)
    client.force_login(prot.d.pkm_barat)
    page = client.get(f"/perlindungan/kasus/{prot.case.uuid}/").content.decode()
    assert f'href="{_url(prot.case, a)}"' in page
    assert "Foto luka: luka.jpg" in page
    assert 'enctype="multipart/form-data"' in page
    assert "paling besar 10,0\xa0MB" in page


def test_an_upload_through_the_page_is_stored(client, prot):
    client.force_login(prot.d.pkm_barat)
    got = client.post(
        f"/perlindungan/kasus/{prot.case.uuid}/lampiran/",
        {"kind": "police_letter", "file": _file("surat-polisi.pdf", LETTER)},
    )
    assert got.status_code == 302
    a = Attachment.objects.get(case=prot.case)
    assert (a.kind, a.name) == ("police_letter", "surat-polisi.pdf")
    assert a.content_type == "application/pdf"


@pytest.mark.parametrize(
    "who",
    [
        "kader_ampel_timur",
        "tpcb",
        "camat_barat",
        "kades_ampel",
        "pkm_timur",  # another puskesmas
        "pkm_barat2",  # the same puskesmas, not in the case's circle
        "bidan_ampel",
        "dinkes",  # without breaking the glass
        "ppa",  # a partner the case is not referred to
        "ppa_uptd",
        "dpo",
        "specialist",
        "rs_uji",  # hospital staff
        "norole",
    ],
)
def test_everyone_else_gets_404_and_the_refusal_is_audited(client, prot, who):
    extra = {
        "dpo": lambda: User.objects.create_user("dpo_t", password="x", role=Role.DATA_PROTECTION),
        "specialist": lambda: User.objects.create_user(
            "spog_t", password="x", role=Role.SPECIALIST
        ),
    }
    user = extra[who]() if who in extra else getattr(prot, who, None) or getattr(prot.d, who)
    a = _add(prot, "surat.pdf", LETTER, AttachmentKind.POLICE_LETTER)
    client.force_login(user)
    before = _audit(prot.case, "denied", what="attachment", attachment=str(a.uuid))
    got = client.get(_url(prot.case, a))
    assert got.status_code == 404
    assert LETTER not in got.content
    assert _audit(prot.case, "denied", what="attachment", attachment=str(a.uuid)) == before + 1
    denial = AuditEvent.objects.filter(object_uuid=prot.case.uuid, action="denied").last()
    assert denial.user == user and denial.person_id is None


def test_a_made_up_or_mismatched_address_is_404_like_a_refusal(client, prot):
    a = _add(prot)
    other = attachments.attachment_add(
        user=prot.pkm_timur,
        case=_other_case(prot),
        upload=_file("x.png", PNG),
        kind=AttachmentKind.OTHER,
    )
    client.force_login(prot.d.pkm_barat)
    # the right attachment under another case's address, and an unknown one
    mixed = f"/perlindungan/kasus/{other.case.uuid}/lampiran/{a.uuid}/"
    assert client.get(mixed).status_code == 404
    assert client.get(_url(prot.case, other)).status_code == 404


def _other_case(prot):
    from ilp.protection import services

    return services.case_open(
        user=prot.pkm_timur, arrival_route="walk_in", kinds=["psychological"], victim={"alias": "A"}
    )


def test_a_referred_partner_reads_the_police_letter_and_visum_only(client, prot):
    letter = _add(prot, "surat.pdf", LETTER, AttachmentKind.POLICE_LETTER)
    visum = _add(prot, "visum.pdf", LETTER, AttachmentKind.VISUM_COPY)
    photo = _add(prot)
    consent = _add(prot, "izin.png", PNG, AttachmentKind.CONSENT_FORM)
    _refer(prot, prot.lpa)
    client.force_login(prot.d.ppa)
    assert client.get(_url(prot.case, letter)).content == LETTER
    assert client.get(_url(prot.case, visum)).status_code == 200
    for refused in (photo, consent):
        assert client.get(_url(prot.case, refused)).status_code == 404
        assert _audit(prot.case, "denied", attachment=str(refused.uuid)) == 1
    page = client.get(f"/perlindungan/kasus/{prot.case.uuid}/").content.decode()
    assert "surat.pdf" in page and "visum.pdf" in page
    assert "luka.jpg" not in page and "izin.png" not in page
    assert "Tambah lampiran" not in page
    # consent to share the clinical notes does not open the photos
    prot.case.partner_may_read_clinical = True
    prot.case.save()
    assert client.get(_url(prot.case, photo)).status_code == 404


def test_a_cancelled_referral_or_a_partner_that_only_referred_in_reads_no_attachment(client, prot):
    letter = _add(prot, "surat.pdf", LETTER, AttachmentKind.POLICE_LETTER)
    _refer(prot, prot.lpa, CaseReferralState.CANCELLED)
    prot.case.referred_by = prot.uptd
    prot.case.save()
    for who in (prot.d.ppa, prot.ppa_uptd):
        client.force_login(who)
        assert client.get(_url(prot.case, letter)).status_code == 404


def test_break_glass_opens_the_attachments_for_the_time_of_the_grant(client, prot):
    photo = _add(prot)
    grant = BreakGlass.objects.create(
        case=prot.case,
        user=prot.pkm_timur,
        basis="urgent_care",
        reason="Korban datang ke IGD puskesmas kami",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    client.force_login(prot.pkm_timur)
    assert client.get(_url(prot.case, photo)).content == PHOTO
    grant.expires_at = timezone.now() - timedelta(minutes=1)
    grant.save()
    assert client.get(_url(prot.case, photo)).status_code == 404


def _refusal(prot, name, data, kind=AttachmentKind.INJURY_PHOTO) -> ValidationFailed:
    before = _audit(prot.case, "denied", what="attachment")
    with pytest.raises(ValidationFailed) as raised:
        _add(prot, name, data, kind)
    assert not Attachment.objects.exists()
    assert _audit(prot.case, "denied", what="attachment") == before + 1
    return raised.value


def test_a_wrong_type_is_refused_with_its_message_nothing_stored_and_audited(prot):
    gif = b"GIF89a" + b"\x00" * 40
    exc = _refusal(prot, "luka.jpg", gif)
    assert exc.fields == {"file": [WRONG_KIND % "luka.jpg"]}
    xlsx_named = _refusal(prot, "data.exe", b"MZ\x90\x00")
    assert xlsx_named.fields["file"] == [
        "Berkas data.exe bukan PDF, JPEG atau PNG (dibaca dari isinya)."
    ]
    exc = _refusal(prot, "luka.jpg", PNG)
    assert exc.fields == {"file": ["Isi berkas luka.jpg adalah PNG, tidak sesuai nama berkasnya."]}
    exc = _refusal(prot, "kosong.pdf", b"")
    assert exc.fields == {"file": ["Berkas kosong.pdf kosong."]}
    exc = _refusal(prot, "surat.pdf", LETTER, kind="selfie")
    assert exc.fields == {"kind": ["Pilih jenis lampiran."]}
    with override("en"):
        exc = _refusal(prot, "luka.jpg", gif)
    assert exc.fields == {
        "file": ["The file luka.jpg is not a PDF, JPEG or PNG (read from its content)."]
    }


def test_an_oversized_file_is_refused_with_its_message(prot, settings):
    big = PHOTO + b"\x00" * (10 * 1024 * 1024 - len(PHOTO) + 1)
    exc = _refusal(prot, "luka.jpg", big)
    too_big = "Berkas luka.jpg terlalu besar (10,0\xa0MB); paling besar 10,0\xa0MB."
    assert exc.fields == {"file": [too_big]}
    settings.ILP_PROTECTION_ATTACHMENT_MAX_BYTES = 2048
    exc = _refusal(prot, "luka.jpg", PHOTO + b"\x00" * 2048)
    too_big = "Berkas luka.jpg terlalu besar (3,0\xa0KB); paling besar 2,0\xa0KB."
    assert exc.fields == {"file": [too_big]}


def test_a_refused_upload_through_the_page_shows_the_message(client, prot):
    client.force_login(prot.d.pkm_barat)
    got = client.post(
        f"/perlindungan/kasus/{prot.case.uuid}/lampiran/",
        {"kind": "injury_photo", "file": _file("luka.jpg", b"GIF89a" + b"\x00" * 40)},
    )
    assert got.status_code == 422
    assert "Berkas luka.jpg bukan PDF, JPEG atau PNG (dibaca dari isinya)." in got.content.decode()
    assert not Attachment.objects.exists()
    got = client.post(f"/perlindungan/kasus/{prot.case.uuid}/lampiran/", {"kind": "injury_photo"})
    assert got.status_code == 422
    assert "Pilih berkas yang akan dilampirkan." in got.content.decode()


def test_only_those_who_act_on_the_case_attach(client, prot):
    with pytest.raises(PermissionDenied):
        _add(prot, user=prot.pkm_timur)
    assert _audit(prot.case, "denied", what="attachment") == 1
    assert not Attachment.objects.exists()
    client.force_login(prot.pkm_timur)
    got = client.post(
        f"/perlindungan/kasus/{prot.case.uuid}/lampiran/",
        {"kind": "injury_photo", "file": _file("luka.jpg", PHOTO)},
    )
    assert got.status_code == 404  # the case itself is not theirs to know
    client.force_login(prot.d.ppa)
    _refer(prot, prot.lpa)
    got = client.post(
        f"/perlindungan/kasus/{prot.case.uuid}/lampiran/",
        {"kind": "police_letter", "file": _file("surat.pdf", LETTER)},
    )
    assert got.status_code == 403
    assert not Attachment.objects.exists()


def test_voiding_keeps_the_row_and_stops_serving_it(client, prot):
    a = _add(prot)
    with pytest.raises(ValidationFailed) as raised:
        attachments.attachment_void(user=prot.d.pkm_barat, case=prot.case, attachment=a, reason="")
    assert raised.value.fields == {"reason": ["Pilih alasan koreksi."]}
    client.force_login(prot.d.pkm_barat)
    got = client.post(
        f"{_url(prot.case, a)}batal/", {"reason": "wrong_person", "note": "foto kasus lain"}
    )
    assert got.status_code == 302
    a.refresh_from_db()
    assert a.voided_at is not None and a.voided_by == prot.d.pkm_barat
    assert (a.void_reason, a.void_note) == ("wrong_person", "foto kasus lain")
    assert Attachment.objects.filter(pk=a.pk).exists()  # never deleted
    kept = Attachment.objects.values_list("sealed", flat=True).get(pk=a.pk)
    assert sealed.unseal(bytes(kept)) == PHOTO
    assert _audit(prot.case, "update", what="attachment_void", attachment=str(a.uuid)) == 1
    assert client.get(_url(prot.case, a)).status_code == 404
    assert "luka.jpg" not in client.get(f"/perlindungan/kasus/{prot.case.uuid}/").content.decode()
    with pytest.raises(Conflict):
        attachments.attachment_void(
            user=prot.d.pkm_barat, case=prot.case, attachment=a, reason="duplicate"
        )


def test_a_file_no_key_opens_is_a_message_not_a_server_error(client, prot, settings):
    settings.ILP_ATTACHMENT_KEYS = [sealed.new_key()]
    a = _add(prot)
    settings.ILP_ATTACHMENT_KEYS = [sealed.new_key()]
    client.force_login(prot.d.pkm_barat)
    got = client.get(_url(prot.case, a))
    assert got.status_code == 409
    assert "kunci enkripsinya tidak ada di server" in got.content.decode()
    assert PHOTO not in got.content


def test_another_rows_sealed_file_put_in_its_place_is_refused(client, prot):
    a, b = _add(prot), _add(prot, "surat.pdf", LETTER, AttachmentKind.POLICE_LETTER)
    Attachment.objects.filter(pk=a.pk).update(sealed=Attachment.objects.get(pk=b.pk).sealed)
    client.force_login(prot.d.pkm_barat)
    assert client.get(_url(prot.case, a)).status_code == 409


def test_the_partner_kinds_are_attachment_kinds():
    from ilp.accounts.access import PARTNER_ATTACHMENT_KINDS

    assert set(AttachmentKind.values) >= PARTNER_ATTACHMENT_KINDS


def test_reseal_moves_every_file_to_the_new_key(prot, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    old, new = sealed.new_key(), sealed.new_key()
    settings.ILP_ATTACHMENT_KEYS = [old]
    a, b = _add(prot), _add(prot, "surat.pdf", LETTER, AttachmentKind.POLICE_LETTER)
    attachments.attachment_void(user=prot.d.pkm_barat, case=prot.case, attachment=b, reason="typo")
    settings.ILP_ATTACHMENT_KEYS = [new, old]
    out = StringIO()
    call_command("reseal_attachments", stdout=out)
    assert "2 attachment(s) sealed again under the current key, 0 already were." in out.getvalue()
    settings.ILP_ATTACHMENT_KEYS = [new]
    rows = dict(Attachment.objects.values_list("pk", "sealed"))
    assert sealed.unseal(rows[a.pk]) == PHOTO and sealed.unseal(rows[b.pk]) == LETTER
    call_command("reseal_attachments", stdout=out)
    assert "0 attachment(s) sealed again under the current key, 2 already were." in out.getvalue()
    settings.ILP_ATTACHMENT_KEYS = [sealed.new_key()]  # the key lost
    with pytest.raises(CommandError, match=f"2 attachment.s. no configured key opens: {a.uuid}"):
        call_command("reseal_attachments", stdout=out)
