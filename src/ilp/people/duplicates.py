"""Likely-duplicate detection shown before a person is saved.

A candidate is an existing person with the same NIK, or with a similar name (rapidfuzz
token-sort ratio ≥ NAME_SIMILARITY on the normalised name) born on the same date in the same
desa. Blocking on (birth date, desa) keeps the fuzzy comparison to a handful of rows.

Existence checks (the NIK check while typing, a registration refused for a NIK or a similar
person) are rate-limited and audited here (see the section below).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from ilp.accounts.access import family_scope_q, person_scope_q
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, AuditEvent, AuditPurpose
from ilp.core.exceptions import ApplicationError
from ilp.people.models import Family, Person
from ilp.people.names import name_key

NAME_SIMILARITY = 85.0


def find_duplicates(
    *,
    nik: str | None,
    full_name: str,
    birth_date: date | None,
    village_id: int | None,
    exclude_pk: int | None = None,
) -> list[Person]:
    """Existing persons that are probably the same person as the one being registered."""
    found: dict[int, Person] = {}
    if nik:
        for p in Person.objects.active().filter(nik=nik).select_related("village"):
            found[p.pk] = p
    if birth_date and village_id:
        key = name_key(full_name)
        for p in (
            Person.objects.active()
            .filter(birth_date=birth_date, village_id=village_id)
            .select_related("village")
        ):
            if fuzz.token_sort_ratio(key, p.name_key) >= NAME_SIMILARITY:
                found[p.pk] = p
    if exclude_pk is not None:
        found.pop(exclude_pk, None)
    return list(found.values())


# ---------------------------------------------------------------- existence checks
#
# "Is this NIK registered?" is itself personal data: asked while typing or answered by a
# refused registration, it would tell anyone whether a person lives anywhere in the district.
# So every check is audited (user, time, address, purpose, the person found), limited per
# user and minute, and answers without identity: in the user's area, or outside it.

EXISTENCE_CHECKS_PER_MINUTE = 30


class TooManyChecks(ApplicationError):
    """More existence checks in the last minute than a person typing would make."""

    code = "too_many_checks"
    http_status = 429


@dataclass(frozen=True)
class NikExistence:
    found: bool
    in_scope: bool

    def message(self) -> str:
        """The answer shown to the user: never who holds the NIK."""
        if not self.found:
            return ""
        if self.in_scope:
            return _("NIK ini sudah terdaftar untuk penduduk lain.")
        return _("NIK sudah terdaftar di luar wilayah Anda.")


def _checks_per_minute() -> int:
    return int(getattr(settings, "ILP_EXISTENCE_CHECKS_PER_MINUTE", EXISTENCE_CHECKS_PER_MINUTE))


def require_check_allowed(user: Any) -> None:
    """Raise TooManyChecks when the user made the allowed number of existence checks in the
    last minute. The audit rows are the counter: shared by every server process."""
    since = timezone.now() - timedelta(minutes=1)
    user_pk: Any = getattr(user, "pk", None)  # None for a user without an account row
    done = AuditEvent.objects.filter(
        user_id=user_pk, action=AuditAction.CHECK, at__gte=since
    ).count()
    if done >= _checks_per_minute():
        raise TooManyChecks(
            _("Terlalu banyak pemeriksaan NIK dalam satu menit; tunggu sebentar lalu coba lagi.")
        )


def audit_existence_check(
    user: Any,
    *,
    what: str,
    person_ids: list[int],
    in_scope_ids: set[int],
    ip: str | None,
) -> None:
    """Record one existence check (`what`: ``nik`` or ``similar_person``) and whom it found."""
    audit_record(
        user=user,
        action=AuditAction.CHECK,
        object_type=what,
        person_ids=person_ids,
        ip=ip,
        purpose=AuditPurpose.REGISTRATION,
        detail={
            "found": len(person_ids),
            "outside_scope": len([p for p in person_ids if p not in in_scope_ids]),
        },
    )


def nik_existence(
    user: Any, nik: str, *, ip: str | None = None, exclude_pk: int | None = None
) -> NikExistence:
    """Whether an active person other than `exclude_pk` holds `nik`, and whether that person
    is in the user's area: rate-limited (TooManyChecks) and audited."""
    require_check_allowed(user)
    found = list(
        Person.objects.active().filter(nik=nik).exclude(pk=exclude_pk).values_list("pk", flat=True)
    )
    visible = set(
        Person.objects.filter(person_scope_q(user), pk__in=found).values_list("pk", flat=True)
    )
    audit_existence_check(user, what="nik", person_ids=found, in_scope_ids=visible, ip=ip)
    return NikExistence(found=bool(found), in_scope=bool(found) and len(visible) == len(found))


def kk_existence(
    user: Any, kk_number: str, *, ip: str | None = None, exclude_pk: int | None = None
) -> str:
    """The refusal for a KK number another active family holds ("" when free): says only
    whether that family is in the user's area; rate-limited and audited like a NIK check
    (the persons concerned: the family's head)."""
    found = list(
        Family.objects.active()
        .filter(kk_number=kk_number)
        .exclude(pk=exclude_pk)
        .values_list("pk", "head_id")
    )
    if not found:
        return ""
    require_check_allowed(user)
    visible = Family.objects.filter(family_scope_q(user), pk__in=[pk for pk, _h in found]).exists()
    heads = [h for _pk, h in found if h]
    audit_existence_check(
        user, what="kk", person_ids=heads, in_scope_ids=set(heads) if visible else set(), ip=ip
    )
    if visible:
        return _("Nomor KK ini sudah terdaftar.")
    return _("Nomor KK ini sudah terdaftar di luar wilayah Anda.")
