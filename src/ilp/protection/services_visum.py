"""Writes of visum et repertum: record the police request, the examination, the issued letter
and its delivery, the evidence handed over; and the letter template the Dinkes adjusts.

A visum is made only on a written request of a police investigator (DOMAIN.md §5.2 [S28]):
no request number and date, no visum. A female victim is examined with a female chaperone
present [S28]; the examination needs the consent of the victim or the guardian (who, name,
when). The letter is issued after the examination, then delivered. Only the case's health
circle writes (``may_act_on_case``); every write and refusal is audited
(``ilp.protection.audit``); bad input is refused with a specific message on its field and
nothing is saved. The examination and the issued letter are timed steps of the case
(``Step.EXAMINATION``, ``Step.VISUM_ISSUED``).

The letter's body has named placeholders (``PLACEHOLDERS``); a template naming another is
refused. The letter is an Indonesian legal document: it is filled in Indonesian whatever the
reader's language.
"""

from __future__ import annotations

import string
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.accounts.access import can_manage_visum_template, in_case_circle
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.core.models import CorrectionReason
from ilp.places.models import Area, AreaLevel
from ilp.protection.audit import audit_case
from ilp.protection.models import Case, CaseParty, CaseState, CaseStep, PartyRole, Sex, Step
from ilp.protection.models_visum import (
    ConsentBy,
    CustodyEntry,
    Visum,
    VisumKind,
    VisumState,
    VisumTemplate,
)
from ilp.protection.services import (
    _atomic_keeping_denials,
    _invalid,
    _require_actor,
    _when,
)

# The placeholders a letter template may name, and what each is filled with.
PLACEHOLDERS: dict[str, Any] = {
    "nomor_surat": gettext_lazy("nomor surat visum"),
    "tanggal_surat": gettext_lazy("tanggal surat visum"),
    "jenis_visum": gettext_lazy("jenis visum (fisik / psikiatrikum)"),
    "nomor_kasus": gettext_lazy("nomor register kasus"),
    "puskesmas": gettext_lazy("puskesmas yang memeriksa"),
    "pemeriksa": gettext_lazy("nama pemeriksa"),
    "nomor_permintaan": gettext_lazy("nomor surat permintaan penyidik"),
    "tanggal_permintaan": gettext_lazy("tanggal surat permintaan"),
    "penyidik": gettext_lazy("nama penyidik"),
    "kesatuan": gettext_lazy("kesatuan penyidik"),
    "waktu_pemeriksaan": gettext_lazy("waktu pemeriksaan"),
    "nama_korban": gettext_lazy("nama korban"),
    "jenis_kelamin_korban": gettext_lazy("jenis kelamin korban"),
    "umur_korban": gettext_lazy("umur korban"),
    "pendamping": gettext_lazy("nama pendamping pemeriksaan"),
    "persetujuan": gettext_lazy("siapa yang menyetujui pemeriksaan dan namanya"),
    "temuan": gettext_lazy("temuan pemeriksaan"),
}

# The built-in letter, used until the Dinkes saves its own (an Indonesian legal document).
DEFAULT_BODY = {
    VisumKind.PHYSICAL: (
        "PRO JUSTITIA\n"
        "VISUM ET REPERTUM\n"
        "Nomor: {nomor_surat}\n\n"
        "Yang bertanda tangan di bawah ini, {pemeriksa}, dokter pada {puskesmas}, atas "
        "permintaan tertulis penyidik {penyidik} dari {kesatuan} dengan surat nomor "
        "{nomor_permintaan} tanggal {tanggal_permintaan}, telah melakukan pemeriksaan pada "
        "{waktu_pemeriksaan} terhadap korban:\n"
        "Nama: {nama_korban}\n"
        "Jenis kelamin: {jenis_kelamin_korban}\n"
        "Umur: {umur_korban}\n\n"
        "Pemeriksaan dilakukan dengan persetujuan {persetujuan}, didampingi {pendamping}.\n\n"
        "HASIL PEMERIKSAAN\n"
        "{temuan}\n\n"
        "Demikian visum et repertum ini dibuat dengan sebenarnya berdasarkan keilmuan yang "
        "sebaik-baiknya, mengingat sumpah jabatan, untuk dipergunakan sebagaimana mestinya.\n\n"
        "{tanggal_surat}"
    ),
    VisumKind.PSYCHIATRIC: (
        "PRO JUSTITIA\n"
        "VISUM ET REPERTUM PSIKIATRIKUM\n"
        "Nomor: {nomor_surat}\n\n"
        "Yang bertanda tangan di bawah ini, {pemeriksa}, pada {puskesmas}, atas permintaan "
        "tertulis penyidik {penyidik} dari {kesatuan} dengan surat nomor {nomor_permintaan} "
        "tanggal {tanggal_permintaan}, telah melakukan pemeriksaan psikiatrik pada "
        "{waktu_pemeriksaan} terhadap:\n"
        "Nama: {nama_korban}\n"
        "Jenis kelamin: {jenis_kelamin_korban}\n"
        "Umur: {umur_korban}\n\n"
        "Pemeriksaan dilakukan dengan persetujuan {persetujuan}, didampingi {pendamping}.\n\n"
        "HASIL PEMERIKSAAN PSIKIATRIK\n"
        "{temuan}\n\n"
        "Demikian visum et repertum psikiatrikum ini dibuat dengan sebenarnya, mengingat "
        "sumpah jabatan, untuk dipergunakan sebagaimana mestinya.\n\n"
        "{tanggal_surat}"
    ),
}


def _no_request() -> str:
    return _(
        "Visum hanya dibuat atas permintaan tertulis penyidik: isi nomor dan tanggal surat "
        "permintaan."
    )


def _req(field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(field, message)
    return value


def _audit(user: User, case: Case, what: str, visum: Visum, ip: str | None, **more: Any) -> None:
    audit_case(
        user=user,
        action=AuditAction.CREATE if what == "visum_request" else AuditAction.UPDATE,
        case=case,
        ip=ip,
        detail={"what": what, "visum": str(visum.uuid), **more},
    )


def _step(user: User, case: Case, step: str, at: datetime) -> None:
    CaseStep.objects.create(case=case, step=step, at=at, created_by=user, updated_by=user)
    if case.state == CaseState.OPEN:
        Case.objects.filter(pk=case.pk, state=CaseState.OPEN).update(state=CaseState.IN_CARE)


def _arrival(case: Case) -> datetime:
    """The case's arrival to the minute: the forms give times to the minute, so a time in
    the minute the case arrived is not "before" it."""
    return case.arrived_at.replace(second=0, microsecond=0)


def _locked(visum: Visum) -> Visum:
    locked: Visum = (
        Visum.objects.select_for_update().select_related("case", "party").get(pk=visum.pk)
    )
    return locked


@_atomic_keeping_denials
def visum_request_record(
    *,
    user: User,
    case: Case,
    party: CaseParty | None,
    kind: str,
    request_number: str,
    request_date: date | None,
    investigator_name: str,
    investigator_unit: str,
    received_at: datetime | None = None,
    ip: str | None = None,
) -> Visum:
    """Record a police investigator's written request for a visum of a victim of `case`."""
    _require_actor(user, case, ip, "visum_request")
    if case.state == CaseState.CLOSED:
        raise _invalid("request_number", _("Kasus sudah ditutup."))
    request_number = _req("request_number", request_number, _no_request())
    if request_date is None:
        raise _invalid("request_date", _no_request())
    investigator_name = _req(
        "investigator_name", investigator_name, _("Tulis nama penyidik yang meminta visum.")
    )
    investigator_unit = _req(
        "investigator_unit",
        investigator_unit,
        _("Tulis kesatuan penyidik yang meminta visum (mis. Unit PPA Polres)."),
    )
    if kind not in VisumKind.values:
        raise _invalid("kind", _("Pilih jenis visum: fisik atau psikiatrikum."))
    if (
        party is None
        or party.case_id != case.pk
        or party.role != PartyRole.VICTIM
        or party.is_voided
    ):
        raise _invalid("party", _("Pilih korban kasus ini."))
    received_at = _when("received_at", received_at)
    if request_date > timezone.localdate():
        raise _invalid("request_date", _("Tanggal surat permintaan tidak boleh di masa depan."))
    if timezone.localdate(received_at) < request_date:
        raise _invalid(
            "received_at", _("Surat permintaan tidak dapat diterima sebelum tanggal suratnya.")
        )
    if Visum.objects.active().filter(party=party, kind=kind).exists():
        raise _invalid("kind", _("Visum jenis ini sudah tercatat untuk korban ini."))
    visum = Visum(
        case=case,
        party=party,
        kind=kind,
        request_number=request_number,
        request_date=request_date,
        investigator_name=investigator_name,
        investigator_unit=investigator_unit,
        received_at=received_at,
        created_by=user,
        updated_by=user,
    )
    visum.full_clean()
    visum.save()
    _audit(user, case, "visum_request", visum, ip, kind=kind)
    return visum


def _needs_female_chaperone(party: CaseParty) -> bool:
    """A female victim (or one whose sex is not recorded) is examined with a female chaperone
    present, DOMAIN.md §5.2 [S28]."""
    return party.sex != Sex.MALE


@_atomic_keeping_denials
def visum_examine(
    *,
    user: User,
    visum: Visum,
    chaperone_name: str = "",
    chaperone_female: bool = False,
    consent_by: str = "",
    consent_name: str = "",
    consent_at: datetime | None = None,
    findings: str = "",
    examined_at: datetime | None = None,
    examiner: User | None = None,
    ip: str | None = None,
) -> Visum:
    """Record the examination: who examined and when, the chaperone, the consent of the
    victim or guardian, and the findings."""
    case = visum.case
    _require_actor(user, case, ip, "visum_examine")
    visum = _locked(visum)
    if visum.is_voided:
        raise _invalid("findings", _("Visum ini sudah dibatalkan."))
    if visum.state != VisumState.REQUESTED:
        raise _invalid("findings", _("Pemeriksaan visum ini sudah dicatat."))
    if consent_by not in ConsentBy.values:
        raise _invalid(
            "consent_by",
            _(
                "Pemeriksaan hanya dengan persetujuan: pilih siapa yang menyetujui "
                "(korban atau wali)."
            ),
        )
    consent_name = _req(
        "consent_name", consent_name, _("Tulis nama korban atau wali yang menyetujui pemeriksaan.")
    )
    if consent_at is None:
        raise _invalid("consent_at", _("Isi waktu persetujuan diberikan."))
    consent_at = _when("consent_at", consent_at, not_before=_arrival(case))
    chaperone_name = chaperone_name.strip()
    if _needs_female_chaperone(visum.party):
        if not chaperone_name:
            raise _invalid(
                "chaperone_name",
                _("Korban perempuan diperiksa dengan pendamping perempuan: tulis nama pendamping."),
            )
        if not chaperone_female:
            raise _invalid(
                "chaperone_female",
                _("Korban perempuan diperiksa dengan pendamping petugas perempuan."),
            )
    findings = _req("findings", findings, _("Tulis temuan pemeriksaan."))
    examined_at = _when("examined_at", examined_at, not_before=_arrival(case))
    if consent_at > examined_at:
        raise _invalid("consent_at", _("Persetujuan diberikan sebelum pemeriksaan."))
    examiner = examiner or user
    if examiner.pk != user.pk and not in_case_circle(examiner, case):
        raise _invalid("examiner", _("Pemeriksa harus petugas yang menangani kasus ini."))
    visum.examiner = examiner
    visum.examined_at = examined_at
    visum.chaperone_name = chaperone_name
    visum.chaperone_female = bool(chaperone_female) and bool(chaperone_name)
    visum.consent_by = consent_by
    visum.consent_name = consent_name
    visum.consent_at = consent_at
    visum.findings = findings
    visum.state = VisumState.EXAMINED
    visum.updated_by = user
    visum.full_clean()
    visum.save()
    _step(user, case, Step.EXAMINATION, examined_at)
    _audit(user, case, "visum_examine", visum, ip)
    return visum


@_atomic_keeping_denials
def visum_issue(
    *,
    user: User,
    visum: Visum,
    letter_number: str,
    letter_date: date | None,
    ip: str | None = None,
) -> Visum:
    """Issue the visum letter (its number and date), only once the examination is recorded."""
    case = visum.case
    _require_actor(user, case, ip, "visum_issue")
    visum = _locked(visum)
    if visum.is_voided:
        raise _invalid("letter_number", _("Visum ini sudah dibatalkan."))
    if visum.state == VisumState.REQUESTED:
        raise _invalid("letter_number", _("Surat visum diterbitkan sesudah pemeriksaan dicatat."))
    if visum.state != VisumState.EXAMINED:
        raise _invalid("letter_number", _("Surat visum ini sudah diterbitkan."))
    letter_number = _req("letter_number", letter_number, _("Isi nomor surat visum."))
    if letter_date is None:
        raise _invalid("letter_date", _("Isi tanggal surat visum."))
    if letter_date > timezone.localdate():
        raise _invalid("letter_date", _("Tanggal surat tidak boleh di masa depan."))
    assert visum.examined_at is not None  # noqa: S101 - examined state has its time
    if letter_date < timezone.localdate(visum.examined_at):
        raise _invalid("letter_date", _("Tanggal surat tidak boleh sebelum pemeriksaan."))
    visum.letter_number = letter_number
    visum.letter_date = letter_date
    visum.issued_by = user
    visum.state = VisumState.ISSUED
    visum.updated_by = user
    visum.full_clean()
    visum.save()
    _step(user, case, Step.VISUM_ISSUED, timezone.now())
    _audit(user, case, "visum_issue", visum, ip)
    return visum


@_atomic_keeping_denials
def visum_deliver(
    *,
    user: User,
    visum: Visum,
    delivered_to: str,
    delivered_at: datetime | None = None,
    ip: str | None = None,
) -> Visum:
    """Record the letter handed to the police (to whom, when)."""
    case = visum.case
    _require_actor(user, case, ip, "visum_deliver")
    visum = _locked(visum)
    if visum.is_voided:
        raise _invalid("delivered_to", _("Visum ini sudah dibatalkan."))
    if visum.state in (VisumState.REQUESTED, VisumState.EXAMINED):
        raise _invalid("delivered_to", _("Surat visum harus diterbitkan lebih dulu."))
    if visum.state == VisumState.DELIVERED:
        raise _invalid("delivered_to", _("Surat visum ini sudah diserahkan."))
    delivered_to = _req(
        "delivered_to", delivered_to, _("Tulis nama penerima surat visum di kepolisian.")
    )
    delivered_at = _when("delivered_at", delivered_at)
    assert visum.letter_date is not None  # noqa: S101 - issued state has its date
    if timezone.localdate(delivered_at) < visum.letter_date:
        raise _invalid(
            "delivered_at", _("Waktu penyerahan tidak boleh sebelum tanggal surat visum.")
        )
    visum.delivered_to = delivered_to
    visum.delivered_at = delivered_at
    visum.state = VisumState.DELIVERED
    visum.updated_by = user
    visum.full_clean()
    visum.save()
    _audit(user, case, "visum_deliver", visum, ip)
    return visum


@_atomic_keeping_denials
def custody_add(
    *,
    user: User,
    visum: Visum,
    item: str,
    handed_by: str,
    handed_to: str,
    at: datetime | None = None,
    note: str = "",
    ip: str | None = None,
) -> CustodyEntry:
    """Add one hand-over of evidence to the visum's chain of custody (never changed later)."""
    case = visum.case
    _require_actor(user, case, ip, "visum_custody")
    if visum.is_voided:
        raise _invalid("item", _("Visum ini sudah dibatalkan."))
    item = _req("item", item, _("Tulis barang bukti yang diserahkan."))
    handed_by = _req("handed_by", handed_by, _("Tulis siapa yang menyerahkan barang bukti."))
    handed_to = _req("handed_to", handed_to, _("Tulis siapa yang menerima barang bukti."))
    if handed_by.casefold() == handed_to.casefold():
        raise _invalid("handed_to", _("Penyerah dan penerima barang bukti harus orang berbeda."))
    at = _when("at", at, not_before=_arrival(case))
    row = CustodyEntry(
        visum=visum,
        item=item,
        handed_by=handed_by,
        handed_to=handed_to,
        at=at,
        note=note.strip(),
        recorded_by=user,
    )
    row.full_clean()
    row.save()
    _audit(user, case, "visum_custody", visum, ip)
    return row


@_atomic_keeping_denials
def visum_void(
    *, user: User, visum: Visum, reason: str, note: str = "", ip: str | None = None
) -> Visum:
    """Void a visum recorded by mistake (with a reason; "other" needs a note). A letter
    already delivered is not voided: the police hold it."""
    case = visum.case
    _require_actor(user, case, ip, "visum_void")
    visum = _locked(visum)
    if visum.is_voided:
        raise _invalid("reason", _("Visum ini sudah dibatalkan."))
    if visum.state == VisumState.DELIVERED:
        raise _invalid(
            "reason", _("Surat visum sudah diserahkan kepada penyidik: tidak dapat dibatalkan.")
        )
    if reason not in CorrectionReason.values:
        raise _invalid("reason", _("Pilih alasan pembatalan."))
    note = note.strip()
    if reason == CorrectionReason.OTHER and not note:
        raise _invalid("note", _("Tulis alasan pembatalan."))
    visum.voided_at = timezone.now()
    visum.voided_by = user
    visum.void_reason = reason
    visum.void_note = note[:255]
    visum.updated_by = user
    visum.save()
    _audit(user, case, "visum_void", visum, ip, reason=reason)
    return visum


# ---------------------------------------------------------------- the letter and its template


def placeholder_error(body: str) -> str | None:
    """Why `body` is not a valid letter template (None when it is): braces that do not pair,
    or a placeholder that is not one of ``PLACEHOLDERS`` (written plainly as ``{name}``)."""
    if not body.strip():
        return _("Isi surat tidak boleh kosong.")
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError:
        return _(
            "Kurung kurawal tidak berpasangan: tulis tanda isian seperti {nama_korban}, atau "
            "{{ dan }} untuk kurung kurawal biasa."
        )
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + ("!" + conversion if conversion else "")
            shown += (":" + spec if spec else "") + "}"
            return _("Tanda isian %(name)s tidak dikenal. Yang dapat dipakai: %(known)s.") % {
                "name": shown,
                "known": ", ".join("{" + k + "}" for k in PLACEHOLDERS),
            }
    return None


def fill(body: str, values: dict[str, str]) -> SafeString:
    """The letter's HTML: `body` with its placeholders filled, every part escaped, lines and
    paragraphs kept (a template that fails ``placeholder_error`` is shown as written)."""
    if placeholder_error(body) is not None:
        return mark_safe(linebreaks(escape(body)))  # noqa: S308 - escaped just now
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(body):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return mark_safe(linebreaks(escape("".join(out))))  # noqa: S308 - escaped just now


def district_of(area: Area | None) -> Area | None:
    """The kabupaten/kota of `area` (itself when it is one)."""
    while area is not None and area.level > AreaLevel.REGENCY and area.parent_id is not None:
        area = area.parent
    return area


def active_template(area: Area | None, kind: str) -> VisumTemplate | None:
    """The district's template in force for `kind` (None: the built-in default is used)."""
    if area is None:
        return None
    return VisumTemplate.objects.filter(area=area, kind=kind, active=True).first()


def template_body(area: Area | None, kind: str) -> str:
    """The body of the letter for `kind` in the district `area`."""
    found = active_template(area, kind)
    return found.body if found is not None else DEFAULT_BODY[VisumKind(kind)]


@transaction.atomic
def template_save(*, user: User, kind: str, body: str, ip: str | None = None) -> VisumTemplate:
    """Save a new version of the district's visum letter (the dinkes administrator); the
    previous version stays, no longer in force."""
    if not can_manage_visum_template(user):
        audit_record(
            user=user,
            action=AuditAction.DENIED,
            object_type="visum_template",
            ip=ip,
            detail={"kind": kind},
        )
        raise PermissionDenied(_("Hanya administrator Dinas Kesehatan yang mengubah templat."))
    if kind not in VisumKind.values:
        raise _invalid("kind", _("Pilih jenis visum: fisik atau psikiatrikum."))
    body = body.replace("\r\n", "\n").strip()
    problem = placeholder_error(body)
    if problem is not None:
        raise ValidationFailed(problem, fields={"body": [problem]})
    area = user.area
    rows = VisumTemplate.objects.select_for_update().filter(area=area, kind=kind)
    last = rows.order_by("-version").first()
    rows.filter(active=True).update(active=False, updated_by=user, updated_at=timezone.now())
    row = VisumTemplate(
        area=area,
        kind=kind,
        body=body,
        version=(last.version + 1) if last is not None else 1,
        active=True,
        created_by=user,
        updated_by=user,
    )
    row.full_clean(validate_constraints=False)
    row.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        object_type="visum_template",
        object_uuid=row.uuid,
        ip=ip,
        detail={"kind": kind, "version": row.version},
    )
    return row
