"""Break-glass: opening a KtP/A case from outside its circle, a basis and a reason first.

Who: health staff (puskesmas, pustu) and the dinkes administrator (`may_break_glass`), for a
case of their district (`break_glass_cases_q`), asked for by its register number. An unknown
number and a case outside the user's district get the same answer, so nothing tells whether
a case exists elsewhere; partners and other roles may not ask at all.

Which basis a case accepts (`allowed_bases`) — the rule chosen for ILP:

- "urgent care need" (``urgent_care``) only for health staff, who give the care, and only on
  a case that is not closed: a victim may come back at night to another puskesmas;
- a closed case is only kept (18 years), and DOMAIN.md §5.2 [S27] says such a record is
  "opened only with written consent of patient/guardian or on court request": it accepts only
  ``consent`` or ``court_order``. The dinkes administrator gives no care, so the same two
  bases are the only ones open to them on any case;
- ``consent`` and ``court_order`` need the number of the letter (``document``).

The reason is required. A grant lasts ``ILP_PROTECTION_BREAK_GLASS_HOURS`` (default 24); then
the case is closed to the user again until they give a reason anew. The grant and every
refused attempt are audited (``ilp.protection.audit``, detail ``what: break_glass``): the case
officer sees them in the case's access log, the Dinkes on its break-glass page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    break_glass_cases_q,
    case_scope_q,
    is_protection_health_staff,
    may_break_glass,
)
from ilp.accounts.models import AuditAction
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.protection.audit import audit_case
from ilp.protection.models import BreakGlass, BreakGlassBasis, Case, CaseState

# The bases that need the number of a letter (the consent form, the court's request).
DOCUMENT_BASES = frozenset({BreakGlassBasis.CONSENT, BreakGlassBasis.COURT_ORDER})
WHAT = "break_glass"


def grant_hours() -> int:
    """How long a grant lasts (``ILP_PROTECTION_BREAK_GLASS_HOURS``, at least one hour)."""
    return max(1, int(getattr(settings, "ILP_PROTECTION_BREAK_GLASS_HOURS", 24)))


def allowed_bases(user: Any, case: Case) -> list[str]:
    """The bases on which `user` may open `case` (see the module docstring)."""
    if case.state != CaseState.CLOSED and is_protection_health_staff(user):
        return [BreakGlassBasis.URGENT_CARE, BreakGlassBasis.CONSENT, BreakGlassBasis.COURT_ORDER]
    return [BreakGlassBasis.CONSENT, BreakGlassBasis.COURT_ORDER]


def reason_missing_message() -> str:
    """The message for a break-glass without reason (a test holds it)."""
    return _("Tuliskan alasan Anda membuka kasus ini. Tanpa alasan, kasus tidak dibuka.")


def not_found_message() -> str:
    """The one answer for an unknown number and a case the user may not break into."""
    return _("Tidak ada kasus dengan nomor ini di kabupaten/kota Anda.")


@dataclass(frozen=True)
class Opened:
    """The case asked for and the grant given (None: the user already reads the case)."""

    case: Case
    grant: BreakGlass | None


def _basis_errors(user: Any, case: Case, basis: str) -> list[str]:
    if basis not in BreakGlassBasis.values:
        return [_("Pilih dasar membuka kasus ini.")]
    if basis in allowed_bases(user, case):
        return []
    if case.state == CaseState.CLOSED:
        return [
            _(
                "Kasus ini sudah ditutup: hanya dapat dibuka dengan persetujuan tertulis "
                "korban/wali atau permintaan pengadilan."
            )
        ]
    return [
        _(
            "Dinas kesehatan tidak memberi pelayanan: kasus hanya dapat dibuka dengan "
            "persetujuan tertulis korban/wali atau permintaan pengadilan."
        )
    ]


def _errors(user: Any, case: Case, basis: str, reason: str, document: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if basis_errors := _basis_errors(user, case, basis):
        errors["basis"] = basis_errors
    if not reason:
        errors["reason"] = [reason_missing_message()]
    elif len(reason) > 500:
        errors["reason"] = [_("Alasan paling panjang 500 huruf.")]
    if basis in DOCUMENT_BASES and not document:
        errors["document"] = [_("Tuliskan nomor surat persetujuan atau permintaan pengadilan.")]
    elif len(document) > 120:
        errors["document"] = [_("Nomor surat paling panjang 120 huruf.")]
    return errors


def break_glass_open(
    *,
    user: Any,
    number: str,
    basis: str = "",
    reason: str = "",
    document: str = "",
    ip: str | None = None,
) -> Opened:
    """Open the case numbered `number` for `user` outside its circle: check the basis, the
    reason and the document, record the grant (until now + the grant hours) and audit it. A
    user who already reads the case gets it without a grant. Refusals are audited and raise
    ValidationFailed on the field at fault (nothing saved) or PermissionDenied (role)."""
    if not may_break_glass(user):
        audit_case(user=user, action=AuditAction.DENIED, ip=ip, detail={"what": WHAT})
        raise PermissionDenied(_("Peran Anda tidak boleh membuka kasus di luar tim penanganan."))
    number = (number or "").strip()
    if not number:
        message = _("Tuliskan nomor register kasus.")
        raise ValidationFailed(message, fields={"number": [message]})
    case = Case.objects.filter(break_glass_cases_q(user), number__iexact=number[:24]).first()
    if case is None:
        audit_case(
            user=user,
            action=AuditAction.DENIED,
            ip=ip,
            detail={"what": WHAT, "refused": ["number"], "number": number[:24]},
        )
        raise ValidationFailed(not_found_message(), fields={"number": [not_found_message()]})
    if Case.objects.filter(case_scope_q(user), pk=case.pk).exists():
        return Opened(case=case, grant=None)
    reason = (reason or "").strip()
    document = (document or "").strip()
    errors = _errors(user, case, basis or "", reason, document)
    if errors:
        audit_case(
            user=user,
            action=AuditAction.DENIED,
            case=case,
            ip=ip,
            detail={"what": WHAT, "refused": sorted(errors), "basis": basis or ""},
        )
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, fields=errors)
    with transaction.atomic():
        grant = BreakGlass(
            case=case,
            user=user,
            basis=basis,
            reason=reason,
            document=document if basis in DOCUMENT_BASES else "",
            expires_at=timezone.now() + timedelta(hours=grant_hours()),
            created_by=user,
        )
        grant.full_clean()
        grant.save()
        audit_case(
            user=user,
            action=AuditAction.VIEW,
            case=case,
            ip=ip,
            detail={"what": WHAT, "basis": basis, "grant": grant.pk},
        )
    return Opened(case=case, grant=grant)
