"""Reads of who opened protection cases: a case's access log for its officer, the district's
break-glass list for the Dinkes, and the officer's cases opened by break-glass since the
officer last opened them.

The access log lists the case's audit rows (``selectors.case_access_log``) and marks the
rows made under a break-glass grant (the grant itself, and the reads while it ran) with its
basis and reason. None of these reads shows case content: a number, a name, a time, a
basis and a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.accounts.access import (
    break_glass_cases_q,
    can_review_break_glass,
    is_protection_health_staff,
)
from ilp.accounts.models import AuditAction, AuditEvent
from ilp.core.paging import Span, span
from ilp.protection.audit import OBJECT_TYPE, audit_case
from ilp.protection.models import BreakGlass, Case
from ilp.protection.selectors import case_access_log

LOG_PAGE_SIZE = 20
GLASS_PAGE_SIZE = 50
# A grant's own audit row is written just after the grant: match reads from a second before.
_SLACK = timedelta(seconds=1)

# What an audit row of a case was about (``detail["what"]``), in the reader's language.
WHAT_LABELS: dict[str, Any] = {
    "case": _("halaman kasus"),
    "break_glass": _("akses darurat"),
    "party": _("pihak kasus"),
    "step": _("langkah penanganan"),
    "notes": _("catatan klinis"),
    "assign": _("petugas kasus"),
    "close": _("penutupan kasus"),
    "take": _("pengambilan kasus"),
    "break_glass_list": _("daftar akses darurat"),
}


@dataclass(frozen=True)
class LogRow:
    """One row of a case's access log."""

    event: AuditEvent
    what: str
    refused: bool
    grant: BreakGlass | None


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    total: int
    at: Span


def _what(event: AuditEvent) -> str:
    code = str((event.detail or {}).get("what") or "")
    label = WHAT_LABELS.get(code)
    return str(label) if label is not None else code


def _grant_of(event: AuditEvent, grants: list[BreakGlass]) -> BreakGlass | None:
    """The grant the event was made under: named in its detail, or running at its time."""
    named = (event.detail or {}).get("grant")
    for g in grants:
        if named is not None and g.pk == named:
            return g
    if named is not None or event.action == AuditAction.DENIED:
        return None
    return next(
        (
            g
            for g in grants
            if g.user_id == event.user_id and g.created_at - _SLACK <= event.at <= g.expires_at
        ),
        None,
    )


def access_log_page(case: Case, *, page: int = 1) -> LogPage:
    """One page of who opened, changed or was refused the case, newest first (three
    queries: the count, the rows with their users, the case's grants)."""
    qs = case_access_log(case).select_related("user__facility")
    total = qs.count()
    at = span(total, page, LOG_PAGE_SIZE)
    events = list(qs[at.start : at.stop])
    grants = list(BreakGlass.objects.filter(case=case).order_by("created_at")) if events else []
    rows = [
        LogRow(
            event=e,
            what=_what(e),
            refused=e.action == AuditAction.DENIED,
            grant=_grant_of(e, grants),
        )
        for e in events
    ]
    return LogPage(rows=rows, total=total, at=at)


@dataclass(frozen=True)
class GlassPage:
    rows: list[BreakGlass]
    total: int
    at: Span


def district_break_glass(user: Any, *, page: int = 1, ip: str | None = None) -> GlassPage:
    """Every break-glass of the user's district (the Dinkes), newest first: who, which case
    number, when, until when, basis, reason; the read audited. Empty for anyone else."""
    if not can_review_break_glass(user):
        return GlassPage(rows=[], total=0, at=span(0, 1, GLASS_PAGE_SIZE))
    audit_case(user=user, action=AuditAction.VIEW, ip=ip, detail={"what": "break_glass_list"})
    qs = BreakGlass.objects.filter(break_glass_cases_q(user, "case__"))
    total = qs.count()
    at = span(total, page, GLASS_PAGE_SIZE)
    rows = list(
        qs.select_related("user", "user__facility", "case", "case__facility").order_by(
            "-created_at", "-id"
        )[at.start : at.stop]
    )
    return GlassPage(rows=rows, total=total, at=at)


def opened_since_last_visit(user: Any) -> list[BreakGlass]:
    """The break-glass grants on the cases the user is officer of made since the user last
    opened the case (one query; at most 50, newest first)."""
    if not is_protection_health_staff(user):
        return []
    last_visit = (
        AuditEvent.objects.filter(
            object_type=OBJECT_TYPE,
            object_uuid=OuterRef("case__uuid"),
            user_id=user.pk,
            action=AuditAction.VIEW,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    return list(
        BreakGlass.objects.filter(case__officer_id=user.pk)
        .exclude(user_id=user.pk)
        .annotate(seen=Subquery(last_visit))
        .filter(Q(seen__isnull=True) | Q(created_at__gt=F("seen")))
        .select_related("case", "user")
        .order_by("-created_at", "-id")[:50]
    )


def running_grants(user: Any) -> list[BreakGlass]:
    """The user's own break-glass grants still running (to go back to those cases)."""
    return list(
        BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=timezone.now())
        .select_related("case")
        .order_by("-expires_at")[:20]
    )
