"""Evidence files of a recommendation's answer: checked before anything is written, stored in
the database with the answer's history row, read back only in the reader's scope.

A file is refused, with a message on the ``evidence`` field naming it, when it is empty, larger
than ``settings.ILP_EVIDENCE_MAX_BYTES``, not a PDF, JPEG, PNG or XLSX by its content
(``ilp.standards.file_types``, whatever its name or claimed type says), or named for another
kind than its content; more than ``settings.ILP_EVIDENCE_MAX_FILES`` files per answer are
refused as a whole. Why the database and not a folder: the files are few and small (an answer
carries at most a few MB), they are backed up and restored with the records they support, no
path or web server ever exposes them, and the download view is the only way out (scoped by
``recommendation_scope_q``, audited). The list pages never load the bytes (``defer("data")``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _

from ilp.accounts.access import recommendation_scope_q
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, AuditPurpose, User
from ilp.core import uploads
from ilp.core.exceptions import NotFound, ValidationFailed
from ilp.core.uploads import Checked, Upload
from ilp.evaluation.models import RecommendationEvent, RecommendationEvidence
from ilp.standards import file_types

FIELD = "evidence"


def max_bytes() -> int:
    return int(settings.ILP_EVIDENCE_MAX_BYTES)


def max_files() -> int:
    return int(settings.ILP_EVIDENCE_MAX_FILES)


def too_many() -> ValidationFailed:
    """The refusal of more files than an answer takes (also used by the view when Django
    itself stops reading a request with too many files)."""
    return uploads.refuse(
        FIELD, _("Paling banyak %(n)s berkas bukti per jawaban.") % {"n": max_files()}
    )


def check_files(files: Sequence[Upload]) -> list[Checked]:
    """Every file read and checked, or ValidationFailed on ``evidence`` for the first bad one.
    The size is judged before the bytes are read."""
    if len(files) > max_files():
        raise too_many()
    limit = max_bytes()
    wrong_kind = _("Berkas %(name)s bukan PDF, JPEG, PNG atau XLSX (dibaca dari isinya).")
    return [
        uploads.check_upload(
            upload, field=FIELD, limit=limit, kinds=file_types.KINDS, wrong_kind=wrong_kind
        )
        for upload in files
    ]


def store(event: RecommendationEvent, files: Sequence[Checked], user: User) -> None:
    """The checked files, attached to the answer's history row (within its transaction)."""
    RecommendationEvidence.objects.bulk_create(
        RecommendationEvidence(
            event=event,
            name=f.name,
            content_type=f.content_type,
            size=len(f.data),
            sha256=f.sha256,
            data=f.data,
            uploaded_by=user,
        )
        for f in files
    )


def evidence_get(user: User, uuid: str, *, ip: str | None = None) -> RecommendationEvidence:
    """One evidence file with its bytes, if the user reads its recommendation; the read is one
    audit event (who, which file, of which recommendation)."""
    found = (
        RecommendationEvidence.objects.filter(
            recommendation_scope_q(user, "event__recommendation__"), uuid=uuid
        )
        .select_related("event__recommendation")
        .first()
    )
    if found is None:
        raise NotFound(_("Berkas bukti tidak ditemukan."))
    audit_record(
        user=user,
        action=AuditAction.VIEW,
        object_type="recommendationevidence",
        object_uuid=found.uuid,
        ip=ip,
        detail={
            "recommendation": str(found.event.recommendation.uuid),
            "name": found.name,
            "sha256": found.sha256,
        },
        purpose=AuditPurpose.ADMINISTRATION,
    )
    return found
