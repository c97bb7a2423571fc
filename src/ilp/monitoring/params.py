"""Query values the monitoring pages share, parsed once at the edge: the month (``period``)
and an area or place code. A malformed value answers 400 with the reason."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.core.exceptions import BadParameter, NotFound, ValidationFailed
from ilp.monitoring import selectors

MAX_CODE = 64


def request_period(request: HttpRequest) -> tuple[int, int]:
    """The ``period`` query value as (year, month); the current month by default."""
    today = timezone.localdate()
    text = request.GET.get("period", "").strip() or f"{today.year:04d}-{today.month:02d}"
    try:
        return selectors.parse_period(text[:16], today)
    except ValidationFailed as exc:  # a bad query value: 400, with the reason
        raise BadParameter(str(exc.message), fields={"period": [str(exc.message)]}) from exc


def request_code(request: HttpRequest, name: str, default: Callable[[], str]) -> str:
    """An area or place code from the query (`default()`, the reader's own, when absent: read
    only then): 400 when it cannot be a code, 404 when there is none (an account without an
    area)."""
    code = request.GET.get(name, "").strip() or default()
    if len(code) > MAX_CODE or "\x00" in code:
        raise BadParameter(_("Kode wilayah tidak dikenal."), fields={name: ["too long"]})
    if not code:
        raise NotFound(_("Akun Anda belum terhubung dengan wilayah."))
    return code
