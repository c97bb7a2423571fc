"""Writes of death reviews (AMP-SR, ``ilp.evaluation.death_models``): open one when a death
is recorded (a hook of ``ilp.referrals.services_deaths.DEATH_RECORDED``), record the review
meeting, its avoidable factors and summary, and add its recommendations, which then follow the
loop of every recommendation (``services.recommendation_act``).

Only the district's reviewers write (``ilp.accounts.access.may_review_death``); bad input is
refused with a message on its field; every change is versioned with history and audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import may_review_death
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.core.corrections import Reason, record_change
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.core.models import CorrectionReason
from ilp.evaluation.death_models import DeathReview, ReviewState
from ilp.evaluation.models import Recommendation
from ilp.evaluation.services import RecommendationContent, _event
from ilp.places.models import AreaLevel, Facility, FacilityKind
from ilp.referrals.models import Death
from ilp.standards import deaths as rules


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _audit(
    user: User, action: str, obj: Any, person_id: int | None, detail: dict[str, Any]
) -> None:
    audit_record(
        user=user,
        action=action,
        object_type=obj._meta.model_name,
        object_uuid=obj.uuid,
        person_id=person_id,
        detail=detail,
    )


def _require_reviewer(user: User, review: DeathReview) -> None:
    if not may_review_death(user, review):
        raise PermissionDenied(
            _("Hanya Dinas Kesehatan atau TPCB kabupaten/kota ini yang mengkaji kematian ini.")
        )


def review_open(death: Death, user: User) -> DeathReview:
    """Open the review of a just-recorded death: its district (the kabupaten/kota of the
    person's desa) and the puskesmas serving that desa (the first by name when several)."""
    village = death.person.village
    district = village
    while district.level > AreaLevel.REGENCY and district.parent is not None:
        district = district.parent
    puskesmas = (
        Facility.objects.filter(kind=FacilityKind.PUSKESMAS, service_areas=village)
        .order_by("name", "pk")
        .first()
    )
    review = DeathReview.objects.create(
        death=death, district=district, puskesmas=puskesmas, created_by=user, updated_by=user
    )
    _audit(user, AuditAction.CREATE, review, death.person_id, {"death": str(death.uuid)})
    return review


def review_update(
    *,
    user: User,
    review: DeathReview,
    version: int,
    meeting_date: date | None,
    participants: str,
    factors: Iterable[str],
    summary: str,
) -> DeathReview:
    """Record the review meeting (date, participants), the avoidable factors (codes of
    ``ilp.standards.deaths.FACTORS``) and the summary; the review counts as done once its
    meeting date is set. Refused when changed since `version` (EditConflict)."""
    _require_reviewer(user, review)
    death = review.death
    if death.voided_at is not None:
        raise Conflict(_("Catatan kematian ini sudah dibatalkan; pengkajiannya ditutup."))
    codes = list(dict.fromkeys(factors))
    unknown = [c for c in codes if rules.factor_delay(c) is None]
    if unknown:
        raise _invalid(
            "factors", _("Faktor tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    participants = (participants or "").strip()
    summary = (summary or "").strip()
    if meeting_date is not None:
        died_on = timezone.localtime(death.died_at).date()
        if meeting_date > timezone.localdate():
            raise _invalid("meeting_date", _("Tanggal pengkajian tidak boleh di masa depan."))
        if meeting_date < died_on:
            raise _invalid(
                "meeting_date",
                _("Tanggal pengkajian tidak boleh sebelum kematian (%(date)s).")
                % {"date": formats.date_format(died_on)},
            )
        if not participants:
            raise _invalid("participants", _("Tulis siapa yang hadir dalam pengkajian."))
    elif codes or summary:
        raise _invalid(
            "meeting_date", _("Isi tanggal pengkajian untuk mencatat faktor dan ringkasannya.")
        )
    state = ReviewState.REVIEWED if meeting_date is not None else ReviewState.OPEN
    with transaction.atomic():
        changed = record_change(
            review,
            actor=user,
            changes={
                "meeting_date": meeting_date,
                "participants": participants,
                "factors": codes,
                "summary": summary,
                "state": state,
            },
            reason=Reason(CorrectionReason.NEW_INFORMATION),
            expected_version=version,
            conflict_fields=("meeting_date", "participants", "factors", "summary"),
        )
        if changed:
            _audit(user, AuditAction.UPDATE, review, death.person_id, {"fields": changed})
    return review


def review_recommendation_create(
    *, user: User, review: DeathReview, content: RecommendationContent
) -> Recommendation:
    """Add a recommendation to the review (its reviewers), addressed to the puskesmas of the
    person's area; it then follows the loop of every recommendation."""
    _require_reviewer(user, review)
    fields = content.fields(review)
    with transaction.atomic():
        rec = Recommendation(death_review=review, **fields, created_by=user, updated_by=user)
        rec.full_clean()
        rec.save()
        _event(rec, user, "create", "")
        _audit(
            user,
            AuditAction.CREATE,
            rec,
            review.death.person_id,
            {"death_review": str(review.uuid), "state": rec.state},
        )
    return rec
