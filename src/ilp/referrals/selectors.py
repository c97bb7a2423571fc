"""Reads of referrals, scoped to the user (``ilp.accounts.access.referral_scope_q``): the
sending side's open list with the overdue ones marked, the receiving facility's incoming list
by urgency, one referral with its history, and the referrals the API lists.

Overdue: an answer is awaited within ``ILP_REFERRAL_ANSWER_HOURS`` hours of the decision to
refer for the urgent kinds (emergency, maternal, neonatal) and ``ILP_REFERRAL_ANSWER_DAYS``
days for the others (planned, back referral); a referral still unanswered past that is
overdue. Neither SISRUTE nor the programme sets an official figure (DOMAIN.md §6, open item
7), so both are settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    REFERRING_FACILITY_KINDS,
    can_receive_referrals,
    can_send_referrals,
    referral_scope_q,
    referral_sources_q,
)
from ilp.accounts.models import Role, User
from ilp.core.exceptions import NotFound
from ilp.places.models import Facility, FacilityKind
from ilp.referrals.models import (
    URGENCY_RANK,
    URGENT_KINDS,
    Referral,
    ReferralKind,
    ReferralState,
    step_label,
)
from ilp.standards import referral as rules

# Facilities a referral may go to (a posyandu is not a place to be referred to).
RECEIVING_KINDS = frozenset({FacilityKind.PUSTU, FacilityKind.PUSKESMAS, FacilityKind.HOSPITAL})
# States in which the sender still follows the referral (the answer not read yet).
OPEN_STATES = (
    ReferralState.CREATED,
    ReferralState.DEPARTED,
    ReferralState.RECEIVED,
    ReferralState.HANDLED,
    ReferralState.ANSWERED,
)
_WITH = ("person", "from_facility", "to_facility")


def answer_allowance(kind: str) -> timedelta:
    """How long an answer may take after the decision to refer, by kind (see the module
    docstring)."""
    if kind in URGENT_KINDS:
        return timedelta(hours=settings.ILP_REFERRAL_ANSWER_HOURS)
    return timedelta(days=settings.ILP_REFERRAL_ANSWER_DAYS)


def is_overdue(referral: Referral, now: datetime) -> bool:
    """Whether `referral` waits for its answer past its allowance."""
    if referral.state not in rules.AWAITING_RECEIVER:
        return False
    return now > referral.decided_at + answer_allowance(referral.kind)


def referrals_for(user: User) -> QuerySet[Referral]:
    """Every referral the user reads, with person and facilities joined."""
    return Referral.objects.filter(referral_scope_q(user)).select_related(*_WITH)


def referral_get(user: User, referral_uuid: Any) -> Referral:
    """One referral the user reads; NotFound otherwise (outside scope looks the same)."""
    try:
        found = (
            referrals_for(user)
            .select_related("previous", "created_by")
            .filter(uuid=referral_uuid)
            .first()
        )
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise NotFound(_("Rujukan tidak ditemukan."))
    return found


def referring_facilities(user: User) -> QuerySet[Facility]:
    """The active facilities the user sends referrals from (their own first in the form); a
    hospital's staff their hospital."""
    if not can_send_referrals(user):
        return Facility.objects.none()
    return Facility.objects.filter(
        referral_sources_q(user), kind__in=REFERRING_FACILITY_KINDS, is_active=True
    ).order_by("kind", "name")


def back_referral_initial(referral: Referral) -> dict[str, Any]:
    """The new-referral form's values for the back referral (rujuk balik) of `referral`: from
    the facility that received it, back to the one that sent it (a posyandu's referral goes
    back to its pustu: a posyandu receives none), the answer's diagnosis and plan."""
    target = referral.from_facility
    if target.kind not in RECEIVING_KINDS and target.parent is not None:
        target = target.parent
    return {
        "kind": ReferralKind.BACK,
        "from_facility": referral.to_facility_id,
        "to_facility": target.pk,
        "diagnosis_code": referral.answer_diagnosis_code or referral.diagnosis_code,
        "reason": referral.back_referral_plan or referral.answer_advice,
    }


def receiving_facilities() -> QuerySet[Facility]:
    """Facilities a referral may be sent to (inactive ones too: the service names them)."""
    return Facility.objects.filter(kind__in=RECEIVING_KINDS).order_by("-is_active", "kind", "name")


def onward_of(referral: Referral) -> Referral | None:
    """The leg a redirect of `referral` opened, if any."""
    return Referral.objects.filter(previous=referral).select_related(*_WITH).first()


def history(referral: Referral) -> QuerySet[Any]:
    """The referral's events in the order they happened, with who recorded them."""
    return referral.events.select_related("by").order_by("occurred_at", "pk")


def _outgoing_open(user: User) -> QuerySet[Referral]:
    found = referrals_for(user).filter(state__in=OPEN_STATES)
    if user.role != Role.DINKES_ADMIN:
        if not can_send_referrals(user):
            return found.none()
        found = found.filter(from_facility__in=Facility.objects.filter(referral_sources_q(user)))
    return found


def outgoing_open(user: User) -> list[Referral]:
    """The open referrals the user's side sent (from the facilities they record at), oldest
    decision first; for the dinkes administrator every open referral of the district."""
    return list(_outgoing_open(user).order_by("decided_at", "pk"))


def outgoing_open_count(user: User) -> int:
    """How many referrals `outgoing_open` lists."""
    return _outgoing_open(user).count()


def incoming(user: User) -> list[Referral]:
    """The referrals sent to the user's facility that wait for it (created, departed,
    received, handled): urgent kinds first, then planned, then back referrals, each oldest
    decision first."""
    if not can_receive_referrals(user):
        return []
    rank = Case(
        *[When(kind=kind, then=Value(value)) for kind, value in URGENCY_RANK.items()],
        default=Value(9),
        output_field=IntegerField(),
    )
    return list(
        Referral.objects.filter(
            to_facility_id=user.facility_id, state__in=sorted(rules.AWAITING_RECEIVER)
        )
        .select_related(*_WITH)
        .annotate(urgency=rank)
        .order_by("urgency", "decided_at", "pk")
    )


@dataclass(frozen=True)
class Step:
    """One step of the timeline: its label, when it happened (None: not yet), and the delay
    since the step before it (None when either end is unknown)."""

    field: str
    label: str
    at: datetime | None
    delay_name: str
    delay: timedelta | None


def timeline(referral: Referral) -> list[Step]:
    """The main-path steps with their times and the delay that ends at each."""
    stamps = referral.stamps()
    delays = rules.delays(stamps)  # type: ignore[arg-type]
    ending = {end: name for name, _start, end in rules.DELAYS}
    steps = []
    for field in rules.STEP_ORDER:
        delay_name = ending.get(field, "")
        steps.append(
            Step(
                field=field,
                label=step_label(field),
                at=stamps[field],  # type: ignore[arg-type]
                delay_name=delay_name,
                delay=delays.get(delay_name) if delay_name else None,
            )
        )
    return steps
