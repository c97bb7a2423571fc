"""Every read of families and persons that leaves the app, scoped to the user.

Reads of personal records are audited here, so no view or endpoint can forget to: a detail
read logs a 'view', a search logs a 'search' with the ids it returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import can_view_personal_data, person_scope_q
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.people.identity import compact_number
from ilp.people.models import Family, Person, Pregnancy
from ilp.people.names import name_key
from ilp.standards.lifestage import LABELS_ID, life_stages, main_life_stage

SEARCH_LIMIT = 20


def persons_visible(user: User) -> QuerySet[Person]:
    """All persons the user may see (unevaluated; callers add filters and ordering)."""
    return Person.objects.filter(person_scope_q(user))


def _require_personal_access(user: User) -> None:
    if not can_view_personal_data(user):
        raise PermissionDenied(_("Peran Anda tidak boleh melihat data perorangan."))


def person_search(
    user: User, query: str, *, limit: int = SEARCH_LIMIT, ip: str | None = None
) -> list[Person]:
    """Find persons by NIK (16 digits), KK number (16 digits), ILP number or name prefix.

    Digits search NIK and KK exactly; anything else is a prefix of the person's name
    (case- and accent-insensitive). Results are ordered by name, at most `limit`."""
    _require_personal_access(user)
    text = (query or "").strip()
    if not text:
        return []
    base = persons_visible(user).select_related("village", "hamlet", "family")
    digits = compact_number(text)
    if digits.isdigit() and len(digits) >= 6:
        if len(digits) == 16:
            by_nik = list(base.filter(nik=digits)[:limit])
            by_kk = list(base.filter(family__kk_number=digits).order_by("name_key")[:limit])
            seen = {p.pk for p in by_nik}
            results = by_nik + [p for p in by_kk if p.pk not in seen]
        else:
            results = list(base.filter(bpjs_number=digits)[:limit])
    elif text.upper().startswith("ILP"):
        results = list(base.filter(local_id=text.upper())[:limit])
    else:
        results = _name_prefix_search(user, name_key(text), limit)
    audit_record(
        user=user,
        action="search",
        object_type="person",
        ip=ip,
        detail={"query_kind": _query_kind(text), "result_ids": [p.pk for p in results]},
    )
    return results


def _name_prefix_search(user: User, key: str, limit: int) -> list[Person]:
    """Persons whose name starts with `key`, by name, at most `limit`.

    The SQL asks for the range [key, key with its last letter bumped): PostgreSQL walks the
    (name_key, id) index in order under any collation, where a LIKE prefix uses an index only
    under "C", and a range gives the planner a sane row estimate (range AND LIKE made it
    expect one row, fetch thousands and sort them). The ids come first, the joined rows for
    just those ids second. Under a linguistic collation a range can hold a few names that do
    not start with the key (punctuation sorts loosely), so the prefix is checked in Python
    on a doubled fetch."""
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    candidates = (
        persons_visible(user)
        .filter(name_key__gte=key, name_key__lt=upper)
        .order_by("name_key", "pk")
        .values_list("pk", "name_key")[: limit * 2]
    )
    ids = [pk for pk, found in candidates if found.startswith(key)][:limit]
    rows = Person.objects.select_related("village", "hamlet", "family").in_bulk(ids)
    return [rows[pk] for pk in ids]


def _query_kind(text: str) -> str:
    digits = compact_number(text)
    if digits.isdigit() and len(digits) >= 6:
        return "number"
    return "local_id" if text.upper().startswith("ILP") else "name"


def person_detail(user: User, person_uuid: UUID | str, *, ip: str | None = None) -> Person:
    """One person the user may see, or NotFound (also when outside the scope)."""
    _require_personal_access(user)
    try:
        person = (
            persons_visible(user)
            .select_related("village", "hamlet", "rt", "family", "mother", "village__parent")
            .get(uuid=person_uuid)
        )
    except (Person.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Penduduk tidak ditemukan di wilayah Anda.")) from exc
    audit_record(
        user=user,
        action="view",
        object_type="person",
        object_uuid=person.uuid,
        person_id=person.pk,
        ip=ip,
    )
    return person


def family_detail(user: User, family_uuid: UUID | str, *, ip: str | None = None) -> Family:
    """One family whose members the user may see, or NotFound."""
    _require_personal_access(user)
    try:
        family = Family.objects.select_related("village", "hamlet", "rt", "head").get(
            uuid=family_uuid
        )
    except (Family.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Keluarga tidak ditemukan di wilayah Anda.")) from exc
    if not persons_visible(user).filter(family=family).exists():
        raise NotFound(_("Keluarga tidak ditemukan di wilayah Anda."))
    audit_record(
        user=user,
        action="view",
        object_type="family",
        object_uuid=family.uuid,
        person_id=family.head_id,
        ip=ip,
    )
    return family


def family_members(user: User, family: Family) -> list[Person]:
    """The members of `family` the user may see, head first, then by birth date."""
    members = list(persons_visible(user).filter(family=family).order_by("birth_date", "pk"))
    members.sort(key=lambda p: (p.relationship != "head", p.birth_date))
    return members


def person_pregnancies(person: Person) -> list[Pregnancy]:
    """A person's pregnancy episodes, newest first (the caller has checked access)."""
    return list(person.pregnancies.order_by("-edd"))


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str
    text: str


def person_timeline(person: Person) -> list[TimelineEntry]:
    """Dated events of a person's life cycle, newest first (birth, pregnancies, ...)."""
    entries = [TimelineEntry(person.birth_date, "birth", _("Lahir"))]
    for preg in person_pregnancies(person):
        if preg.lmp:
            entries.append(TimelineEntry(preg.lmp, "pregnancy", _("Mulai hamil (HPHT)")))
        if preg.outcome_date:
            entries.append(
                TimelineEntry(preg.outcome_date, "pregnancy_end", str(preg.get_outcome_display()))
            )
    if person.deceased_on:
        entries.append(TimelineEntry(person.deceased_on, "death", _("Meninggal")))
    entries.sort(key=lambda e: e.on, reverse=True)
    return entries


def person_life_stage(person: Person, on: date | None = None) -> dict[str, object]:
    """The person's life stages on `on` (default today) with Indonesian labels."""
    on = on or timezone.localdate()
    stages = life_stages(person.birth_date, on)
    main = main_life_stage(person.birth_date, on)
    return {
        "stages": stages,
        "labels": [LABELS_ID[s] for s in stages],
        "main": main,
        "main_label": LABELS_ID.get(main, "") if main else "",
    }
