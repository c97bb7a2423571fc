"""Reads of protection cases, always scoped to the user (``ilp.accounts.access.case_scope_q``)
and audited (``ilp.protection.audit``).

A case outside the user's scope is "not found" — the same answer as a case that does not
exist — and the refusal is audited with the uuid asked for. What a reader sees of a case is
cut here, not in templates: a partner gets no clinical part unless the victim or guardian
consented (`ilp.accounts.access.sees_clinical`), and the parties are listed by role so a page
never mixes one party's data into another's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    case_scope_q,
    in_case_circle,
    is_partner_user,
    is_protection_health_staff,
    partner_id_of,
    sees_clinical,
)
from ilp.accounts.models import AuditAction, AuditEvent
from ilp.core.exceptions import NotFound
from ilp.core.paging import span
from ilp.protection.audit import OBJECT_TYPE, audit_case
from ilp.protection.models import (
    BreakGlass,
    Case,
    CaseParty,
    CaseState,
    CaseStep,
    PartyRole,
)
from ilp.protection.selectors_partner import attach_referrals

PAGE_SIZE = 50


def cases_q(user: Any) -> QuerySet[Case]:
    """The cases the user may read (distinct: a case may match by several referrals)."""
    return Case.objects.filter(pk__in=Case.objects.filter(case_scope_q(user)).values("pk"))


def case_for_user(
    *, user: Any, case_uuid: Any, ip: str | None = None, purpose: str | None = None, what: str = ""
) -> Case:
    """The case `case_uuid` if the user may read it, the read audited; otherwise NotFound
    (whether it exists or not) and the refusal audited."""
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError:
        key = None
    case = (
        cases_q(user).select_related("facility", "officer", "referred_by").filter(uuid=key).first()
        if key
        else None
    )
    if case is None:
        audit_case(
            user=user,
            action=AuditAction.DENIED,
            case_uuid=key,
            ip=ip,
            detail={"what": what or "case"},
        )
        raise NotFound(_not_found_message())
    audit_case(
        user=user,
        action=AuditAction.VIEW,
        case=case,
        ip=ip,
        detail={"what": what or "case"},
        purpose=purpose,
    )
    return case


def _not_found_message() -> str:
    return _("Kasus tidak ditemukan, atau Anda tidak berhak membukanya.")


@dataclass
class CaseView:
    """What the user sees of one case: the case, its parties by role, its steps, and which
    parts the user reads (``clinical``) or may act on."""

    case: Case
    victims: list[CaseParty]
    perpetrators: list[CaseParty]
    steps: list[CaseStep]
    clinical: bool
    partner: bool
    in_circle: bool
    extra: dict[str, Any] = field(default_factory=dict)


def case_view(user: Any, case: Case) -> CaseView:
    """The case as `user` may see it (call after `case_for_user`)."""
    parties = list(
        CaseParty.objects.active()
        .filter(case=case)
        .select_related("person", "person__village", "guardian_person")
        .order_by("id")
    )
    clinical = sees_clinical(user, case)
    steps = list(CaseStep.objects.active().filter(case=case).select_related("created_by"))
    return CaseView(
        case=case,
        victims=[p for p in parties if p.role == PartyRole.VICTIM],
        perpetrators=[p for p in parties if p.role == PartyRole.PERPETRATOR],
        steps=steps,
        clinical=clinical,
        partner=is_partner_user(user),
        in_circle=in_case_circle(user, case),
    )


@dataclass(frozen=True)
class CasePage:
    rows: list[Case]
    total: int
    at: Any


def my_cases(user: Any, *, page: int = 1, closed: bool = False) -> CasePage:
    """The cases the user reads (assigned, referred to their organisation, or opened by
    break-glass), urgent and newest first; open ones unless `closed`."""
    qs = cases_q(user)
    qs = qs.filter(state=CaseState.CLOSED) if closed else qs.exclude(state=CaseState.CLOSED)
    total = qs.count()
    at = span(total, page, PAGE_SIZE)
    rows = list(
        qs.select_related("facility", "referred_by").order_by("-urgent", "-arrived_at", "-id")[
            at.start : at.stop
        ]
    )
    attach_referrals(user, rows)  # each row's referrals to partners, overdue marked
    return CasePage(rows=rows, total=total, at=at)


def unassigned_cases(user: Any) -> list[Case]:
    """Cases at the user's puskesmas that no officer took yet (a partner's referral, a
    pustu's case): number, arrival and urgency only — taking one puts the user in its circle."""
    if not is_protection_health_staff(user) or user.role != "puskesmas":
        return []
    return list(
        Case.objects.filter(facility_id=user.facility_id, officer__isnull=True)
        .exclude(state=CaseState.CLOSED)
        .select_related("referred_by")
        .order_by("-urgent", "arrived_at")[:PAGE_SIZE]
    )


def unassigned_case(user: Any, case_uuid: Any) -> Case | None:
    """One case of `unassigned_cases` (None if it is not one for the user)."""
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError:
        return None
    return next((c for c in unassigned_cases(user) if c.uuid == key), None)


def case_access_log(case: Case) -> QuerySet[AuditEvent]:
    """Every audit row of the case (who opened, changed or was refused it), newest first."""
    return (
        AuditEvent.objects.filter(object_type=OBJECT_TYPE, object_uuid=case.uuid)
        .select_related("user")
        .order_by("-at", "-id")
    )


def active_break_glass(user: Any, case: Case) -> BreakGlass | None:
    """The user's break-glass grant on the case still running, if any."""
    return (
        BreakGlass.objects.filter(case=case, user_id=user.pk, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def partner_of(user: Any) -> int | None:
    """The user's partner organisation id (None for other roles)."""
    return partner_id_of(user)
