"""Attachments of a protection case (``Attachment``): add one, void one, list and open them.

Writes (``attachment_add``, ``attachment_void``) are for those who act on the case (its health
circle, or health staff holding a break-glass grant). A file is checked before anything is
written (``ilp.core.uploads``: PDF, JPEG or PNG by its content, at most
``settings.ILP_PROTECTION_ATTACHMENT_MAX_BYTES``, named for what it is), then sealed
(``ilp.core.sealed``) and stored with its case; a refused file saves nothing, its refusal is
audited, and the message names the file on the ``file`` field.

Reads: ``attachments_for`` lists what the user may open of a case they read (no bytes
loaded); ``attachment_for_user`` opens one, for a user entitled to its kind
(``may_read_attachment``) — anyone else, like an attachment that does not exist or is
voided, gets NotFound, and the refusal is audited against the case uuid asked for. Every
read, write and refusal is one ``audit_case`` row (never the file's name: names say things).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import may_act_on_case, may_read_attachment
from ilp.accounts.models import AuditAction, AuditPurpose, User
from ilp.core import sealed, uploads
from ilp.core.corrections import reason_check
from ilp.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from ilp.protection.audit import audit_case
from ilp.protection.models import Case
from ilp.protection.models_attachment import Attachment, AttachmentKind
from ilp.protection.selectors import cases_q
from ilp.standards import file_types

FIELD = "file"
ACCEPTED = (file_types.PDF, file_types.JPEG, file_types.PNG)


def max_bytes() -> int:
    return int(settings.ILP_PROTECTION_ATTACHMENT_MAX_BYTES)


def _audit(user: Any, action: str, ip: str | None, case: Any = None, **detail: Any) -> None:
    """One audit row of the case (`case`, or its uuid as ``case_uuid``) about an attachment."""
    case_uuid = detail.pop("case_uuid", None)
    purpose = detail.pop("purpose", None)
    audit_case(
        user=user,
        action=action,
        case=case,
        case_uuid=case_uuid,
        ip=ip,
        detail=detail,
        purpose=purpose,
    )


def _refuse_actor(user: User, case: Case, ip: str | None, what: str) -> None:
    if not may_act_on_case(user, case):
        _audit(user, AuditAction.DENIED, ip, case, what=what)
        raise PermissionDenied(_("Anda tidak menangani kasus ini."))


def attachment_add(
    *, user: User, case: Case, upload: uploads.Upload | None, kind: str, ip: str | None = None
) -> Attachment:
    """Check, seal and store one file of `case`; ValidationFailed (``kind`` or ``file``)
    and nothing stored when the kind is missing or the file is empty, too large or not a
    PDF/JPEG/PNG by its content (the refusal audited)."""
    _refuse_actor(user, case, ip, "attachment")
    try:
        if kind not in AttachmentKind.values:
            message = _("Pilih jenis lampiran.")
            raise ValidationFailed(message, fields={"kind": [message]})
        if upload is None:
            raise uploads.refuse(FIELD, _("Pilih berkas yang akan dilampirkan."))
        checked = uploads.check_upload(
            upload,
            field=FIELD,
            limit=max_bytes(),
            kinds=ACCEPTED,
            wrong_kind=_("Berkas %(name)s bukan PDF, JPEG atau PNG (dibaca dari isinya)."),
        )
    except ValidationFailed as exc:
        refused, size = sorted(exc.fields), getattr(upload, "size", None)
        _audit(user, AuditAction.DENIED, ip, case, what="attachment", refused=refused, size=size)
        raise
    with transaction.atomic():
        row = Attachment(
            case=case,
            kind=kind,
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=checked.sha256,
            sealed=sealed.seal(checked.data),
            uploaded_by=user,
            created_by=user,
            updated_by=user,
        )
        row.full_clean()
        row.save()
        _audit(
            user,
            AuditAction.CREATE,
            ip,
            case,
            what="attachment",
            attachment=str(row.uuid),
            kind=kind,
            size=row.size,
            sha256=row.sha256,
        )
    return row


def attachment_void(
    *,
    user: User,
    case: Case,
    attachment: Attachment,
    reason: str,
    note: str = "",
    ip: str | None = None,
) -> Attachment:
    """Void an attachment of `case` with a reason: the row stays (with its sealed file, for
    the record), it is no longer listed or served."""
    _refuse_actor(user, case, ip, "attachment_void")
    if attachment.case_id != case.pk:
        raise NotFound(_("Lampiran tidak ditemukan."))
    why = reason_check(reason, note)
    with transaction.atomic():
        done = Attachment.objects.filter(pk=attachment.pk, voided_at__isnull=True).update(
            voided_at=timezone.now(),
            voided_by=user,
            void_reason=why.code,
            void_note=why.note,
            updated_by=user,
            updated_at=timezone.now(),
        )
        if not done:
            raise Conflict(_("Lampiran ini sudah dibatalkan."))
        _audit(
            user,
            AuditAction.UPDATE,
            ip,
            case,
            what="attachment_void",
            attachment=str(attachment.uuid),
            reason=why.code,
        )
    attachment.refresh_from_db(fields=["voided_at", "voided_by", "void_reason", "void_note"])
    return attachment


# ---------------------------------------------------------------- reads


def attachments_for(user: Any, case: Case) -> list[Attachment]:
    """The case's attachments (not voided) the user may open, oldest first, without their
    sealed bytes (call after ``case_for_user``)."""
    rows = list(
        Attachment.objects.active()
        .filter(case=case)
        .defer("sealed")
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    )
    allowed = {k: may_read_attachment(user, case, k) for k in {a.kind for a in rows}}
    return [a for a in rows if allowed[a.kind]]


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def attachment_for_user(
    *, user: Any, case_uuid: Any, attachment_uuid: Any, ip: str | None = None
) -> tuple[Attachment, bytes]:
    """One attachment and its opened bytes, for a user entitled to it (audited); otherwise
    NotFound, the same answer as for one that does not exist, and the refusal audited."""
    case_key, key = _uuid(case_uuid), _uuid(attachment_uuid)
    found = (
        Attachment.objects.active()
        .filter(case__in=cases_q(user), case__uuid=case_key, uuid=key)
        .select_related("case")
        .first()
        if case_key and key
        else None
    )
    if found is None or not may_read_attachment(user, found.case, found.kind):
        asked = str(key) if key else ""
        what = "attachment"
        _audit(user, AuditAction.DENIED, ip, what=what, attachment=asked, case_uuid=case_key)
        raise NotFound(_("Lampiran tidak ditemukan, atau Anda tidak berhak membukanya."))
    data = sealed.unseal(found.sealed)
    if hashlib.sha256(data).hexdigest() != found.sha256:  # another row's file put in its place
        raise sealed.Unsealable(_("Berkas ini tidak sesuai dengan catatannya."))
    _audit(
        user,
        AuditAction.VIEW,
        ip,
        found.case,
        what="attachment",
        attachment=str(found.uuid),
        kind=found.kind,
        sha256=found.sha256,
        purpose=AuditPurpose.CARE,
    )
    return found, data
