"""One uploaded file checked before anything is written: its name cleaned, its size within a
limit (judged before the bytes are read, and again on what was read), its kind read from its
content (``ilp.standards.file_types``, whatever its name or claimed type says) and its name's
extension matching that kind. Each refusal is a ``ValidationFailed`` naming the file, on the
form field the caller names. ``download_response`` serves a stored file back. Used by
evaluation evidence and protection attachments.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ilp.core.exceptions import ValidationFailed
from ilp.standards import file_types

NAME_LENGTH = 160


class Upload(Protocol):
    """What a service needs of an uploaded file (Django's ``UploadedFile`` has it)."""

    name: str | None
    size: int | None

    def read(self, size: int = ...) -> bytes: ...


@dataclass(frozen=True)
class Checked:
    """A file that passed the checks, ready to store."""

    name: str
    content_type: str
    data: bytes
    sha256: str


def refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def clean_name(name: str) -> str:
    """The file's own name without folders or control characters, at most 160 characters
    (its extension kept)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(base) > NAME_LENGTH:
        ext = file_types.extension(base)
        base = base[: NAME_LENGTH - len(ext)] + ext
    return base or "berkas"


def _too_large(field: str, name: str, size: int, limit: int) -> ValidationFailed:
    return refuse(
        field,
        _("Berkas %(name)s terlalu besar (%(size)s); paling besar %(max)s.")
        % {"name": name, "size": filesizeformat(size), "max": filesizeformat(limit)},
    )


def check_upload(
    upload: Upload,
    *,
    field: str,
    limit: int,
    kinds: Sequence[file_types.FileKind],
    wrong_kind: str,
) -> Checked:
    """The file read and checked, or ValidationFailed on `field`. `wrong_kind` is the
    (translated) message for content not of `kinds`, with ``%(name)s`` for the file's name."""
    name = clean_name(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise refuse(field, _("Berkas %(name)s kosong.") % {"name": name})
    if size > limit:
        raise _too_large(field, name, size, limit)
    data = upload.read(limit + 1)
    if not data:
        raise refuse(field, _("Berkas %(name)s kosong.") % {"name": name})
    if len(data) > limit:  # the declared size was wrong
        raise _too_large(field, name, len(data), limit)
    kind = file_types.detect(data)
    if kind is None or kind not in kinds:
        raise refuse(field, wrong_kind % {"name": name})
    if file_types.extension(name) not in kind.extensions:
        raise refuse(
            field,
            _("Isi berkas %(name)s adalah %(kind)s, tidak sesuai nama berkasnya.")
            % {"name": name, "kind": kind.code.upper()},
        )
    return Checked(name, kind.content_type, data, hashlib.sha256(data).hexdigest())


def download_response(data: bytes, *, name: str, content_type: str) -> HttpResponse:
    """A stored file served as an attachment with its content-checked type, never sniffed,
    never cached, never rendered by the browser in ILP's origin."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened by mistake in a tab, it runs nothing and reaches nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
