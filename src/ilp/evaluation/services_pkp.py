"""Writes of the Penilaian Kinerja Puskesmas scheme: the dinkes administrator sets a year's
thresholds and indicator weights (``PkpScheme`` and its ``PkpWeight`` rows). A past year's
scheme is frozen, so its assessment stays what it was; a weight row is never deleted (an
indicator taken out of the scheme keeps its row with weight 0). Audited."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import can_manage_teams
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.evaluation.models import PkpScheme, PkpWeight
from ilp.monitoring.catalogue import load_catalogue
from ilp.standards import performance as rules

MAX_WEIGHT = 100


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _percent(field: str, value: Decimal | float | str | None) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise _invalid(field, _("Isi angka persen, misalnya 91.")) from None
    if not number.is_finite():
        raise _invalid(field, _("Isi angka persen, misalnya 91."))
    return number


def pkp_scheme_save(
    *,
    user: User,
    year: int,
    baik_min: Decimal | float | str | None,
    cukup_min: Decimal | float | str | None,
    weights: Mapping[str, int | None],
) -> PkpScheme:
    """Store the district's scheme of `year` (the current year or a later one)."""
    if not can_manage_teams(user):
        raise PermissionDenied(
            _("Hanya administrator Dinas Kesehatan yang mengatur penilaian kinerja puskesmas.")
        )
    if year < timezone.localdate().year:
        raise _invalid(
            "year", _("Skema tahun yang sudah lewat tidak dapat diubah: penilaiannya tetap.")
        )
    baik, cukup = _percent("baik_min", baik_min), _percent("cukup_min", cukup_min)
    if not rules.thresholds_valid(float(baik), float(cukup)):
        raise _invalid(
            "cukup_min",
            _("Batas bawah cukup harus di atas 0 dan di bawah batas baik (paling tinggi 100)."),
        )
    catalogue = load_catalogue()
    unknown = sorted(set(weights) - set(catalogue))
    if unknown:
        raise _invalid(
            "weights", _("Indikator tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    clean: dict[str, int] = {}
    for code in catalogue:
        weight = weights.get(code) or 0
        if not 0 <= weight <= MAX_WEIGHT:
            raise _invalid(
                f"w_{code}",
                _("Bobot harus 0 sampai %(max)s.") % {"max": MAX_WEIGHT},
            )
        clean[code] = weight
    if not any(clean.values()):
        raise _invalid("weights", _("Beri bobot pada paling sedikit satu indikator."))
    with transaction.atomic():
        scheme, created = PkpScheme.objects.select_for_update().get_or_create(
            district=user.area,
            year=year,
            defaults={
                "baik_min": baik,
                "cukup_min": cukup,
                "created_by": user,
                "updated_by": user,
            },
        )
        if not created:
            scheme.baik_min, scheme.cukup_min, scheme.updated_by = baik, cukup, user
            scheme.full_clean()
            scheme.save(update_fields=["baik_min", "cukup_min", "updated_by", "updated_at"])
        existing = {w.indicator: w for w in scheme.weights.all()}
        for code, weight in clean.items():
            row = existing.get(code)
            if row is None:
                if weight:
                    PkpWeight.objects.create(scheme=scheme, indicator=code, weight=weight)
            elif row.weight != weight:
                row.weight = weight
                row.save(update_fields=["weight"])
        audit_record(
            user=user,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="pkpscheme",
            object_uuid=scheme.uuid,
            detail={
                "year": year,
                "baik_min": str(baik),
                "cukup_min": str(cukup),
                "weights": {c: w for c, w in clean.items() if w},
            },
        )
    return scheme
