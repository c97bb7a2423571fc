"""Every read of families and persons that leaves the app, scoped to the user.

Reads of personal records are audited here, so no view or endpoint can forget to: a detail
read logs a 'view', a search logs a 'search' with the ids it returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    can_view_personal_data,
    family_scope_q,
    person_in_scope,
    person_scope_q,
)
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


class SearchResults(list[Person]):
    """The persons found (at most the limit asked for), with `total`: how many match in all,
    counted up to `COUNT_CAP` (`capped` says there are more), so a page can say "20 of 25
    shown" when the list is cut."""

    def __init__(
        self, persons: Iterable[Person] = (), *, total: int | None = None, capped: bool = False
    ) -> None:
        super().__init__(persons)
        self.total = len(self) if total is None else total
        self.capped = capped

    @property
    def cut(self) -> bool:
        """More persons match than are listed."""
        return self.total > len(self)


# A word inside a name is searched from this many letters on: one or two letters occur in
# almost every name, so they search the start of the name only (an index range).
INSIDE_MIN_LENGTH = 3
# A cut list counts the rest up to here; past it the page says "more than 1000".
COUNT_CAP = 1000


def person_search(
    user: User, query: str, *, limit: int = SEARCH_LIMIT, ip: str | None = None
) -> SearchResults:
    """Find persons by NIK (16 digits), KK number (16 digits), ILP number or name.

    Digits search NIK and KK exactly; anything else is searched in the person's name (case-
    and accent-insensitive): names that start with it first, then names with it inside
    ("rohmah" finds "Siti Rohmah"), each by name, at most `limit`, with the true total."""
    _require_personal_access(user)
    text = (query or "").strip()
    if not text:
        return SearchResults()
    base = persons_visible(user).active().select_related("village", "hamlet", "family")
    digits = compact_number(text)
    if digits.isdigit() and len(digits) >= 6:
        if len(digits) == 16:
            by_nik = list(base.filter(nik=digits)[:limit])
            # Only families whose identity is in scope: a KK number of a family elsewhere
            # must not be confirmed through a member who lives here.
            by_kk = list(
                base.filter(family__kk_number=digits)
                .filter(family__in=_families_visible(user))
                .order_by("name_key")[:limit]
            )
            seen = {p.pk for p in by_nik}
            results = SearchResults((by_nik + [p for p in by_kk if p.pk not in seen])[:limit])
        else:
            results = SearchResults(base.filter(bpjs_number=digits)[:limit])
    elif text.upper().startswith("ILP"):
        results = SearchResults(base.filter(local_id=text.upper())[:limit])
    else:
        results = _name_search(user, name_key(text), limit)
    audit_record(
        user=user,
        action="search",
        object_type="person",
        ip=ip,
        person_ids=[p.pk for p in results],
        detail={"query_kind": _query_kind(text), "results": len(results)},
    )
    return results


def _name_search(user: User, key: str, limit: int) -> SearchResults:
    """Persons whose name starts with `key`, then those with `key` inside their name, each by
    name, at most `limit`; the total is counted only when the list is cut.

    The start of the name is asked as the range [key, key with its last letter bumped):
    PostgreSQL walks the (name_key, id) index in order under any collation, where a LIKE
    prefix uses an index only under "C", and a range gives the planner a sane row estimate.
    Under a linguistic collation a range can hold a few names that do not start with the key
    (punctuation sorts loosely), so the prefix is checked in Python on a doubled fetch.

    Inside the name is a LIKE '%key%' on name_key (already lower-case and accent-free, so a
    case-sensitive LIKE is right): on PostgreSQL the trigram GIN index person_name_trgm
    (migration people 0007) answers it without reading every name; SQLite (tests, demo)
    scans, which is quick at its sizes. The ids come first, the joined rows for just those
    ids last."""
    visible = persons_visible(user).active()
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    starting = visible.filter(name_key__gte=key, name_key__lt=upper)
    candidates = starting.order_by("name_key", "pk").values_list("pk", "name_key")[: limit * 2]
    ids = [pk for pk, found in candidates if found.startswith(key)][:limit]
    inside = len(key) >= INSIDE_MIN_LENGTH
    if inside and len(ids) < limit:
        ids += list(
            visible.filter(name_key__contains=key)
            .exclude(name_key__startswith=key)
            .order_by("name_key", "pk")
            .values_list("pk", flat=True)[: limit - len(ids)]
        )
    total, capped = len(ids), False
    if total >= limit:
        matching = (
            visible.filter(name_key__contains=key)
            if inside
            else starting.filter(name_key__startswith=key)
        )
        total = matching.order_by().values("pk")[: COUNT_CAP + 1].count()
        total, capped = min(total, COUNT_CAP), total > COUNT_CAP
    rows = Person.objects.select_related("village", "hamlet", "family").in_bulk(ids)
    return SearchResults([rows[pk] for pk in ids], total=total, capped=capped)


def _query_kind(text: str) -> str:
    digits = compact_number(text)
    if digits.isdigit() and len(digits) >= 6:
        return "number"
    return "local_id" if text.upper().startswith("ILP") else "name"


def _families_visible(user: User) -> QuerySet[Family]:
    return Family.objects.filter(family_scope_q(user))


# The address every page shows beside the person, read in the same query. The family,
# mother, voider and duplicate are read when a page shows them (one small query each, none
# when empty): joined in too, PostgreSQL planned a 12-table join on every read of a person
# (24 ms against 5 ms on the 500,000-person district).
DETAIL_RELATED = ("village", "hamlet", "rt", "village__parent")


def person_detail(
    user: User,
    person_uuid: UUID | str,
    *,
    ip: str | None = None,
    audit: bool = True,
    related: tuple[str, ...] = DETAIL_RELATED,
) -> Person:
    """One person the user may see, or NotFound (also when outside the scope). `audit=False`
    only for a page that records the read itself, in one event with everything it shows
    (the person page: the person, their family members and mother). `related`: the
    relations read in the same query."""
    _require_personal_access(user)
    try:
        person = persons_visible(user).select_related(*related).get(uuid=person_uuid)
    except (Person.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Penduduk tidak ditemukan di wilayah Anda.")) from exc
    if audit:
        audit_record(
            user=user,
            action="view",
            object_type="person",
            object_uuid=person.uuid,
            person_id=person.pk,
            ip=ip,
        )
    return person


def _family_get(user: User, family_uuid: UUID | str) -> Family:
    """The family, if the user sees its identity or at least one of its members."""
    _require_personal_access(user)
    not_found = NotFound(_("Keluarga tidak ditemukan di wilayah Anda."))
    try:
        family = Family.objects.select_related("village", "hamlet", "rt", "head").get(
            uuid=family_uuid
        )
    except (Family.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found from exc
    if not persons_visible(user).filter(family=family).exists():
        raise not_found
    return family


def family_detail(user: User, family_uuid: UUID | str, *, ip: str | None = None) -> Family:
    """One family whose identity (KK number, address, head) the user may see, to change it
    or add to it; NotFound when no member is visible, PermissionDenied when only members
    are (the family lives outside the user's area: see `family_view`)."""
    family = _family_get(user, family_uuid)
    if not _families_visible(user).filter(pk=family.pk).exists():
        raise PermissionDenied(
            _("Kepala keluarga ini di luar wilayah kerja Anda; anggota tidak dapat ditambahkan.")
        )
    audit_record(
        user=user,
        action="view",
        object_type="family",
        object_uuid=family.uuid,
        person_id=family.head_id,
        ip=ip,
    )
    return family


@dataclass
class FamilyView:
    """What a user may see of one family. `in_scope` False: the family's address or head is
    outside the user's area, so its KK number, address and head stay hidden and the members
    outside the area are only counted (`hidden_count`, "anggota di luar wilayah Anda")."""

    family: Family
    in_scope: bool
    members: list[Person]
    hidden_count: int

    @property
    def head(self) -> Person | None:
        return self.family.head if self.in_scope else None


def family_members(user: User, family: Family, scope: Q | None = None) -> list[Person]:
    """The members of `family` the user may see, head first, then by birth date (the caller
    audits what it shows). `scope`: the user's person_scope_q when already built."""
    scope = person_scope_q(user) if scope is None else scope
    members = list(
        Person.objects.filter(scope).active().filter(family=family).order_by("birth_date", "pk")
    )
    members.sort(key=lambda p: (p.relationship != "head", p.birth_date))
    return members


def family_scoped(user: User, family: Family) -> FamilyView:
    """`family` as the user may see it (nothing audited: the caller records the read with
    everything else its page shows). Two queries after the scope: the visible members, and
    the count of all members with whether the family itself is in scope."""
    scope = person_scope_q(user)
    members = family_members(user, family, scope)
    total, in_scope = (
        Family.objects.filter(pk=family.pk)
        .annotate(
            total=Count("members", filter=Q(members__voided_at__isnull=True)),
            in_scope=Exists(Family.objects.filter(family_scope_q(user, scope), pk=OuterRef("pk"))),
        )
        .values_list("total", "in_scope")
        .get()
    )
    return FamilyView(family, bool(in_scope), members, max(total - len(members), 0))


def family_view(user: User, family_uuid: UUID | str, *, ip: str | None = None) -> FamilyView:
    """One family as the user may see it (see `FamilyView`), or NotFound when no member is
    visible. One audit event names the family's head (when shown) and every member shown."""
    view = family_scoped(user, _family_get(user, family_uuid))
    audit_record(
        user=user,
        action="view",
        object_type="family",
        object_uuid=view.family.uuid,
        person_id=view.family.head_id if view.in_scope else None,
        person_ids=[m.pk for m in view.members],
        ip=ip,
        detail={"members_outside_scope": view.hidden_count} if view.hidden_count else None,
    )
    return view


def family_by_kk(user: User, kk_number: str) -> Family | None:
    """The active family with this KK number whose identity the user may see, or None."""
    return _families_visible(user).active().filter(kk_number=kk_number).first()


def visible_mother(user: User, person: Person) -> Person | None:
    """The person's mother if the user may see her (else the page says she lives outside
    the user's area, without her name)."""
    if person.mother_id is None or not person_in_scope(user, person.mother):
        return None
    return person.mother


def person_pregnancies(person: Person) -> list[Pregnancy]:
    """A person's pregnancy episodes, newest first (the caller has checked access)."""
    return list(person.pregnancies.order_by("-edd"))


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str
    text: str
    voided: str = ""  # the reason, when the record behind the entry was voided


def person_timeline(
    person: Person, pregnancies: list[Pregnancy] | None = None
) -> list[TimelineEntry]:
    """Dated events of a person's life cycle, newest first (birth, pregnancies, ...); events
    of voided records carry the reason (pages strike them through). `pregnancies`: the
    person's pregnancies when the caller has read them already."""
    entries = [TimelineEntry(person.birth_date, "birth", _("Lahir"))]
    for preg in pregnancies if pregnancies is not None else person_pregnancies(person):
        voided = str(preg.get_void_reason_display()) if preg.voided_at else ""
        if preg.lmp:
            entries.append(TimelineEntry(preg.lmp, "pregnancy", _("Mulai hamil (HPHT)"), voided))
        if preg.outcome_date:
            entries.append(
                TimelineEntry(
                    preg.outcome_date, "pregnancy_end", str(preg.get_outcome_display()), voided
                )
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


def record_of_visible_person(
    user: User,
    queryset: QuerySet[Any],
    record_uuid: UUID | str,
    *,
    object_type: str,
    not_found: str,
    ip: str | None = None,
) -> Any:
    """One record (a pregnancy, an encounter, a dose: any row with a ``person`` and a public
    ``uuid``) of a person the user may see, or NotFound with `not_found` (also outside the
    scope); the read is audited."""
    _require_personal_access(user)
    try:
        record = queryset.filter(person_scope_q(user, "person__")).get(uuid=record_uuid)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(not_found) from exc
    audit_record(
        user=user,
        action="view",
        object_type=object_type,
        object_uuid=record.uuid,
        person_id=record.person_id,
        ip=ip,
    )
    return record


def pregnancy_detail(user: User, pregnancy_uuid: UUID | str, *, ip: str | None = None) -> Pregnancy:
    """One pregnancy of a person the user may see, or NotFound (the read is audited)."""
    return record_of_visible_person(
        user,
        Pregnancy.objects.select_related("person"),
        pregnancy_uuid,
        object_type="pregnancy",
        not_found=_("Kehamilan tidak ditemukan di wilayah Anda."),
        ip=ip,
    )


def person_by_number(user: User, number: str) -> Person | None:
    """The active person the user may see with this ILP number or NIK (for naming the record
    a duplicate is merged into), or None."""
    text = (number or "").strip().upper()
    if not text:
        return None
    digits = compact_number(text)
    qs = persons_visible(user).active()
    if digits.isdigit() and len(digits) == 16:
        return qs.filter(nik=digits).first()
    return qs.filter(local_id=text).first()
