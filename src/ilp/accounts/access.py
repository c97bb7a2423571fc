"""Access: the one module that answers "may this user see or do this here".

Every page declares its rule with :func:`role_required` (a predicate of this module) or is
marked :func:`public`; ``tests/accounts/test_access_rules.py`` walks the URL resolver and
fails for any view without a declared rule. Services and selectors ask the same predicates
(``require_*`` raise the domain error), so a page never offers what the service refuses.

Scope of personal data (every selector that returns persons filters with `person_scope_q`;
access is denied by default: no role, a protection partner outside their cases and a
cross-sector viewer see no person at all):

| role         | personal data                   | aggregates of        | records care at       |
| ------------ | ------------------------------- | -------------------- | --------------------- |
| dinkes_admin | whole district (user.area)      | whole district       | any facility          |
| tpcb         | whole district (user.area)      | whole district       | — (reads only)        |
| puskesmas    | desa of its working area        | that working area    | it, pustu, posyandu   |
| pustu        | its desa                        | its desa             | it and its posyandu   |
| kader        | dusun/RW served by the posyandu | those dusun/RW       | the posyandu          |
| protection   | only cases referred to them     | none                 | —                     |
| cross_sector | none                            | user.area (suppressed)| —                    |
| dpo          | none (reads the audit log only) | none                 | —                     |
| specialist   | none (coaching programmes only) | none                 | —                     |
| hospital     | only persons of its referrals   | none                 | — (answers referrals) |

Families: a family's identity (KK number, address, head) belongs to the area of its address;
a user sees it only when that address and its head are in scope (`family_in_scope`). A
member in scope of a family outside it sees the family as "anggota di luar wilayah Anda",
without identity, and may not add members to it; a person changes family only through the
audited move (`may_move_person`), which needs both the person and the family in scope.

Audit: the access history ("siapa membuka data saya") is read by the dinkes administrator
and the data-protection officer (`can_review_access`). Aggregates shown to cross-sector
viewers go through ``ilp.core.suppression`` (no count below 5, nor one recoverable by
subtraction).

Posyandu sessions are run by the posyandu's kader and by the pustu or puskesmas above it
(`may_run_session`); district roles may look at a posyandu's sessions (`may_view_posyandu`)
but do not run them.

Coaching (``ilp.evaluation``): the dinkes administrator forms TPCB teams (`can_manage_teams`)
and reads every recommendation of the district; a team's members (dinkes or TPCB staff) plan
its visits and accept, send back and verify its recommendations; a puskesmas' own staff answer
those addressed to it (`recommendation_scope_q`). A recommendation addressed to a kecamatan or
desa is answered by its camat or kepala desa (`can_answer_area_tasks`), who read nothing else
of coaching (a camat also reads those of the desa of his kecamatan). A TPCB analyst outside
the team, pustu, kader, protection and the data-protection officer: nothing. The coaching
checklists per cluster are edited (a new version published) by the dinkes administrator only
(`can_manage_checklists`) and read by district staff (`can_read_checklists`); a visit's
answers are recorded by its team's members.

Referrals (``ilp.referrals``): a referral is sent by staff who record at its sending facility
(`may_refer_from`: the kader of a posyandu, the pustu, the puskesmas, each for its own facility
and those below it) and acted on by the receiving facility's own staff (`may_receive`: pustu
or puskesmas staff of the to-facility). Each side reads the referrals it sends or receives
(`referral_scope_q`); the dinkes administrator reads every referral from or to a facility of
the district, and takes no step. Hospital staff (role ``hospital``, their facility a hospital)
receive and answer the referrals sent to their hospital and send its back referrals
(`is_hospital_staff`); they read nothing else of the registry. A referred person is read only
through a referral the user reads (`referred_person_q`: the referral page's summary of the
person, `may_refer_person` for a back referral), never through `person_scope_q`; the
receiving side sends the person back (`may_refer_back`) once the referral was handled. The
referred person's NIK is shown (API) to the receiving side and to users whose person scope
holds them (`may_see_referred_nik`). TPCB, protection, cross-sector and data-protection
roles: nothing.
The referral delay report (counts, shares and delays per facility and month; no person in it)
is read by the dinkes administrator and TPCB for every facility of the district, by a
puskesmas for itself and its pustu and posyandu, and by hospital staff for their hospital
(`can_view_referral_report`, `referral_report_facilities_q`); pustu, kader and the other roles
read none.

Maternal and perinatal deaths (``ilp.referrals`` records, ``ilp.evaluation`` reviews, AMP-SR):
a death is recorded (`may_record_death`) by puskesmas or pustu staff for a person of their area,
by hospital staff for a death at their hospital of a person their hospital received by referral
(`is_hospital_staff`), and by the dinkes administrator for any person of the district (the
guideline: unnotified after a month, the Dinkes enters it); the same people void one recorded
by mistake. Deaths are read (`death_scope_q`) by the dinkes administrator and TPCB (the
district), puskesmas and pustu staff (their area) and hospital staff (the deaths at their
hospital). The review (AMP-SR: meeting, avoidable factors, recommendations) is kept by the
district: dinkes administrator and TPCB (`can_review_deaths`); its recommendations are answered
by the staff of the puskesmas of the dead person's area, like any other. Kader, protection,
cross-sector and data-protection roles: no death record. Counts of deaths per area and year
(the monitoring family, ``ilp.monitoring.death_family``) are aggregates read like indicators
(`can_view_death_counts`, areas: `indicator_areas`), cross-sector viewers' suppressed; not by a
kader (a dusun's deaths are a named family).

Specialist coaching programmes: the dinkes administrator forms them; their specialists (role
``specialist``, which reads nothing else) record sessions and judge the sessions'
recommendations (`may_run_programme`).

Protection (``ilp.protection``, KtP/A cases, the most sensitive records): a case is opened by
trained puskesmas or pustu staff (`is_protection_health_staff`) or referred in by a partner
organisation's staff (role ``protection`` with a ``PartnerMember`` row: `is_partner_user`),
landing at the puskesmas as urgent. It is read (`case_scope_q`) by the health staff assigned
to it, by partner staff once it was referred to their organisation (or their organisation
referred it in) — without the clinical part unless the victim or guardian consented
(`sees_clinical`) — and by anyone else only after breaking the glass: health staff and the
dinkes administrator give a reason, recorded and shown to the case officer and the Dinkes
(`may_break_glass`, `can_review_break_glass`). Cases never appear in person pages, searches,
work lists, exports or dashboards: only counts, suppressed below 5. Kader, TPCB, cross-sector,
data-protection, specialist and hospital roles: no case. The health circle refers a case to a
partner, cancels that referral and records the duty to inform (`may_refer_case`); the partner's
staff acknowledge the referral and record its follow-up (`is_referral_partner`); a cancelled
referral no longer opens the case to the partner.

Corrections (`CorrectionRights`, `require_corrector`): a record is corrected or voided by its
author or by a *supervisor* of the facility it was recorded at — the pustu or puskesmas at or
above that facility (a posyandu's pustu and puskesmas; a pustu's puskesmas; the facility's own
pustu/puskesmas staff), or the district's dinkes admin — always for a person in the user's
scope. A kader corrects only what she recorded herself. A record without a recording
facility (imported, or registered by the dinkes) is supervised by the pustu/puskesmas whose
area holds the person. Read-only roles (TPCB, cross-sector, protection) correct nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ilp.accounts.audit import audit_record
from ilp.accounts.models import Role, User
from ilp.core.exceptions import ApplicationError, NotFound
from ilp.core.exceptions import PermissionDenied as DomainPermissionDenied
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind
from ilp.standards.referral import BACK_REFERRAL_AFTER

ViewFunc = Callable[..., HttpResponse]
Rule = Callable[[Any], bool]

PERSONAL_DATA_ROLES = frozenset(
    {Role.DINKES_ADMIN, Role.TPCB, Role.PUSKESMAS, Role.PUSTU, Role.KADER}
)
# Roles that register and edit families and persons, and record services (within scope).
REGISTRAR_ROLES = frozenset({Role.DINKES_ADMIN, Role.PUSKESMAS, Role.PUSTU, Role.KADER})
RECORDING_ROLES = REGISTRAR_ROLES
DISTRICT_ROLES = frozenset({Role.DINKES_ADMIN, Role.TPCB})
# Who runs a posyandu session: its kader, or the pustu/puskesmas above it.
SESSION_ROLES = frozenset({Role.KADER, Role.PUSTU, Role.PUSKESMAS})
# Who corrects records they did not write (see the module docstring).
SUPERVISOR_ROLES = frozenset({Role.DINKES_ADMIN, Role.PUSKESMAS, Role.PUSTU})
# Who reads the audit log: who opened whose record, when, from where, why.
AUDIT_REVIEW_ROLES = frozenset({Role.DINKES_ADMIN, Role.DATA_PROTECTION})
# Who sees aggregates only, so every count shown is suppressed below the threshold.
SUPPRESSED_AGGREGATE_ROLES = frozenset({Role.CROSS_SECTOR})

_NOTHING = Q(pk__in=[])


# ---------------------------------------------------------------- what a role may do at all


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def any_user(user: Any) -> bool:
    """Rule of pages every logged-in user may open (their home page)."""
    return _active(user)


def can_view_personal_data(user: Any) -> bool:
    """Whether the user's role reads person records at all."""
    return _active(user) and user.role in PERSONAL_DATA_ROLES


def can_use_second_factor(user: Any) -> bool:
    """Whether the user's role may turn on the second factor (district-wide roles)."""
    return _active(user) and user.role in DISTRICT_ROLES


def can_manage_users(user: Any) -> bool:
    """Whether the user resets other users' passwords and second factor and issues API tokens
    (the dinkes administrator; superusers use the admin)."""
    return _active(user) and user.role == Role.DINKES_ADMIN


def manageable_users(user: Any) -> QuerySet[User]:
    """The accounts a dinkes administrator may manage: everyone but superusers (who hold more
    rights than the administrator) and the administrator themself (own account page)."""
    if not can_manage_users(user):
        return User.objects.none()
    return User.objects.filter(is_superuser=False).exclude(pk=user.pk)


def can_review_access(user: Any) -> bool:
    """Whether the user reads the access history of persons (the dinkes administrator and
    the data-protection officer, each for the district of their account)."""
    return _active(user) and user.role in AUDIT_REVIEW_ROLES and user.area_id is not None


def aggregates_suppressed(user: Any) -> bool:
    """Whether the aggregates shown to the user hide counts below the threshold (viewers
    without personal-data access: the counts are their only view of residents)."""
    return getattr(user, "role", "") in SUPPRESSED_AGGREGATE_ROLES


def can_register(user: Any) -> bool:
    """Whether the user's role registers families and persons."""
    return _active(user) and user.role in REGISTRAR_ROLES


def can_record(user: Any) -> bool:
    """Whether the user's role records services for persons in scope."""
    return _active(user) and user.role in RECORDING_ROLES


# ---------------------------------------------------------------- whose data: areas and persons


def scope_villages(user: User) -> QuerySet[Area]:
    """The desa/kelurahan whose residents the user may see (for a kader: the desa of the
    dusun/RW their posyandu serves; use `scope_hamlets` for what a kader may see)."""
    if not can_view_personal_data(user):
        return Area.objects.none()
    if user.role in DISTRICT_ROLES:
        area = user.area
        if area is None:
            return Area.objects.none()
        return Area.objects.filter(level=AreaLevel.VILLAGE, code__startswith=f"{area.code}.")
    if user.role in (Role.PUSKESMAS, Role.PUSTU) and user.facility_id:
        return Area.objects.filter(level=AreaLevel.VILLAGE, served_by=user.facility_id)
    if user.role == Role.KADER and user.facility_id:
        return Area.objects.filter(
            level=AreaLevel.VILLAGE,
            children__served_by=user.facility_id,
        ).distinct()
    return Area.objects.none()


def scope_hamlets(user: User) -> QuerySet[Area]:
    """The dusun/RW the user may see and register people in."""
    if not can_view_personal_data(user):
        return Area.objects.none()
    if user.role == Role.KADER:
        if not user.facility_id:
            return Area.objects.none()
        return Area.objects.filter(level=AreaLevel.HAMLET, served_by=user.facility_id)
    return Area.objects.filter(level=AreaLevel.HAMLET, parent__in=scope_villages(user))


def person_scope_q(user: User, prefix: str = "") -> Q:
    """A filter over Person (or, with `prefix` like ``"person__"``, over rows that point to a
    person) that keeps only the persons the user may see."""
    if not can_view_personal_data(user):
        return _NOTHING
    if user.role == Role.KADER:
        if not user.facility_id:
            return _NOTHING
        return Q(**{f"{prefix}hamlet__served_by": user.facility_id})
    if user.role in DISTRICT_ROLES:
        area = user.area
        if area is None:
            return _NOTHING
        return Q(**{f"{prefix}village__code__startswith": f"{area.code}."})
    if user.role in (Role.PUSKESMAS, Role.PUSTU):
        if not user.facility_id:
            return _NOTHING
        # A literal id list (one small query) rather than a join through the working-area
        # table: PostgreSQL can then range-scan (village, name_key) per desa.
        villages = list(
            Area.objects.filter(level=AreaLevel.VILLAGE, served_by=user.facility_id).values_list(
                "id", flat=True
            )
        )
        return Q(**{f"{prefix}village_id__in": villages})
    return _NOTHING


def person_in_scope(user: User, person: Any) -> bool:
    """Whether the user may see `person` (one indexed query)."""
    from ilp.people.models import Person  # people builds on accounts: no import at load

    return Person.objects.filter(person_scope_q(user), pk=person.pk).exists()


def family_scope_q(user: User, scope: Q | None = None) -> Q:
    """A filter over Family keeping the families whose identity (KK number, address, head)
    the user may see: the family's address in scope, and its head (when known) too.
    `scope`: the user's `person_scope_q` when the caller has it already."""
    from ilp.people.models import Person  # people builds on accounts: no import at load

    scope = person_scope_q(user) if scope is None else scope
    if scope == _NOTHING:
        return _NOTHING
    # Family has the same address columns as Person, so one scope filter serves both.
    return scope & (Q(head__isnull=True) | Q(head__in=Person.objects.filter(scope)))


def family_in_scope(user: User, family: Any) -> bool:
    """Whether the user may see `family`'s identity and add members to it (one query)."""
    from ilp.people.models import Family  # people builds on accounts: no import at load

    return Family.objects.filter(family_scope_q(user), pk=family.pk).exists()


def may_move_person(user: User, person: Any, family: Any) -> bool:
    """Whether the user may move `person` into `family`: a registrar who sees both."""
    return can_register(user) and person_in_scope(user, person) and family_in_scope(user, family)


def aggregate_areas(user: User) -> QuerySet[Area]:
    """Areas whose aggregate figures the user may see (no personal data involved)."""
    if not _active(user):
        return Area.objects.none()
    if user.role in DISTRICT_ROLES or user.role == Role.CROSS_SECTOR:
        area = user.area
        if area is None:
            return Area.objects.none()
        return Area.objects.filter(Q(pk=area.pk) | Q(code__startswith=f"{area.code}."))
    if user.role in (Role.PUSKESMAS, Role.PUSTU, Role.KADER):
        return Area.objects.filter(Q(pk__in=scope_villages(user)) | Q(pk__in=scope_hamlets(user)))
    return Area.objects.none()


# Who reads indicator values (ilp.monitoring): staff for their working area, cross-sector
# viewers for theirs with small counts suppressed; protection and data-protection roles none.
INDICATOR_ROLES = PERSONAL_DATA_ROLES | {Role.CROSS_SECTOR}


def can_view_indicators(user: Any) -> bool:
    """Whether the user reads the indicator catalogue and values at all."""
    return _active(user) and user.role in INDICATOR_ROLES


def can_view_death_counts(user: Any) -> bool:
    """Whether the user reads the counts of maternal and infant deaths per area and year."""
    return can_view_indicators(user) and user.role != Role.KADER


def indicator_areas(user: User) -> QuerySet[Area]:
    """Areas whose indicator values the user may read: their aggregate areas
    (`aggregate_areas`), except a kader, who reads only the dusun/RW of their posyandu (the
    residents they may see by name; a desa's figures would add other posyandu's)."""
    if not can_view_indicators(user):
        return Area.objects.none()
    if user.role == Role.KADER:
        return scope_hamlets(user)
    return aggregate_areas(user)


# Data quality (``ilp.monitoring.quality``): the scorecard and the records behind its problems
# are read by the dinkes administrator and TPCB for the district and by a puskesmas for its own
# working area (every one of them also reads the persons there). Cross-sector viewers do not:
# the measures count records of single posyandu, and the records are personal data.
QUALITY_ROLES = frozenset({Role.DINKES_ADMIN, Role.TPCB, Role.PUSKESMAS})


def can_view_data_quality(user: Any) -> bool:
    """Whether the user reads the data-quality scorecard (and its records, in scope)."""
    if not _active(user) or user.role not in QUALITY_ROLES:
        return False
    return bool(user.facility_id) if user.role == Role.PUSKESMAS else user.area_id is not None


# Printable packs (``ilp.monitoring.lokmin``, ``ilp.monitoring.crosssector``). The monthly lokmin
# pack of a puskesmas is read by its own staff and the district roles (which puskesmas: its
# working area within `indicator_areas`); the cross-sector view and its quarterly pack by the
# camat and kepala desa for their own area, and by the district roles for any kecamatan or desa
# (to prepare the meeting). Pustu, kader and the other roles read neither.
LOKMIN_PACK_ROLES = DISTRICT_ROLES | {Role.PUSKESMAS}
CROSS_SECTOR_VIEW_ROLES = DISTRICT_ROLES | {Role.CROSS_SECTOR}


def can_view_lokmin_pack(user: Any) -> bool:
    """Whether the user reads monthly lokmin packs at all (which puskesmas: by area scope)."""
    return _active(user) and user.role in LOKMIN_PACK_ROLES


def can_view_cross_sector(user: Any) -> bool:
    """Whether the user reads the cross-sector indicator view and its quarterly pack."""
    return _active(user) and user.role in CROSS_SECTOR_VIEW_ROLES


# Targets (``ilp.monitoring.targets``): the district's sasaran proyeksi are uploaded by its
# dinkes administrator only (TPCB reads, it does not enter); a puskesmas' annual targets (its
# SK target kinerja) are set by the dinkes administrator for any puskesmas of the district
# and by the puskesmas' own staff for it. Every other role: no.
TARGET_ROLES = frozenset({Role.DINKES_ADMIN, Role.PUSKESMAS})


def can_upload_sasaran(user: Any) -> bool:
    """Whether the user uploads the district's projected sasaran (dinkes administrator)."""
    return _active(user) and user.role == Role.DINKES_ADMIN and user.area_id is not None


def can_set_puskesmas_targets(user: Any) -> bool:
    """Whether the user sets annual targets for some puskesmas (`target_puskesmas`)."""
    if not _active(user) or user.role not in TARGET_ROLES:
        return False
    return user.area_id is not None if user.role == Role.DINKES_ADMIN else bool(user.facility_id)


def target_puskesmas(user: User) -> QuerySet[Facility]:
    """The puskesmas whose annual targets the user sets."""
    if not can_set_puskesmas_targets(user):
        return Facility.objects.none()
    found = Facility.objects.filter(kind=FacilityKind.PUSKESMAS)
    if user.role == Role.DINKES_ADMIN and user.area is not None:
        code = user.area.code
        return found.filter(Q(area__code=code) | Q(area__code__startswith=f"{code}."))
    return found.filter(pk=user.facility_id or 0)


def area_in_scope(user: User, area: Area) -> bool:
    """Whether the user may register or see people living in `area` (a desa, dusun or RT)."""
    if area.level == AreaLevel.RT:
        area = area.parent
    if area.level == AreaLevel.HAMLET:
        return scope_hamlets(user).filter(pk=area.pk).exists()
    if area.level == AreaLevel.VILLAGE:
        if user.role == Role.KADER:
            return False
        return scope_villages(user).filter(pk=area.pk).exists()
    return False


# ---------------------------------------------------------------- where: facilities


def recording_facilities_q(user: User) -> Q:
    """Facilities the user records care at: their own and those below it (pustu → posyandu;
    puskesmas → pustu → posyandu); the district admin any facility of the district."""
    if not can_record(user):
        return _NOTHING
    if user.role == Role.DINKES_ADMIN and user.area is not None:
        code = user.area.code
        return Q(area__code__startswith=f"{code}.") | Q(area__code=code)
    if not user.facility_id:
        return _NOTHING
    if user.role == Role.KADER:
        return Q(pk=user.facility_id)
    return Q(pk=user.facility_id) | Q(parent=user.facility_id) | Q(parent__parent=user.facility_id)


def may_record_at(user: User, facility: Facility) -> bool:
    """Whether the user records care at `facility`."""
    if not can_record(user):
        return False
    # Their own facility needs no query (a session row asks this three times per save).
    own = user.facility_id is not None and facility.pk == user.facility_id
    if own and (user.role != Role.DINKES_ADMIN or user.area is None):
        return True
    if user.role == Role.KADER:
        return False  # a kader records at her own posyandu only (recording_facilities_q)
    return Facility.objects.filter(recording_facilities_q(user), pk=facility.pk).exists()


# Where a facility's staff record: the place kind of their own facility (and home visits).
PLACE_OF_FACILITY: dict[str, str] = {
    FacilityKind.POSYANDU: "posyandu",
    FacilityKind.PUSTU: "pustu",
    FacilityKind.PUSKESMAS: "puskesmas",
}
# Facility kinds each place kind of an encounter may be recorded under.
FACILITIES_OF_PLACE = {
    "posyandu": (FacilityKind.POSYANDU,),
    "pustu": (FacilityKind.PUSTU,),
    "puskesmas": (FacilityKind.PUSKESMAS,),
    "home": (FacilityKind.POSYANDU, FacilityKind.PUSTU, FacilityKind.PUSKESMAS),
}


def recording_facility(user: Any) -> Facility | None:
    """The facility a user's records go under when the user names none: their own posyandu,
    pustu or puskesmas. None for a role that records nowhere, or works at none of these (the
    dinkes administrator names the facility each time)."""
    if not can_record(user):
        return None
    facility: Facility | None = user.facility
    if facility is None or facility.kind not in PLACE_OF_FACILITY:
        return None
    return facility


def recording_place_kinds(user: Any) -> list[str]:
    """The places a user's own records are made at: their facility's kind, then home."""
    facility = recording_facility(user)
    if facility is None:
        return []
    return [PLACE_OF_FACILITY[facility.kind], "home"]


def place_fits_facility(place_kind: str, facility: Facility) -> bool:
    """Whether an encounter at `place_kind` may be recorded under `facility` (a posyandu
    encounter under a posyandu; a home visit under any of the three)."""
    return facility.kind in FACILITIES_OF_PLACE.get(place_kind, ())


def may_record_for(user: Any, person: Any, facility: Facility) -> bool:
    """Whether the user records care for `person` under `facility`: a recording role, the
    person in scope, and a facility the user works at (or above)."""
    return can_record(user) and person_in_scope(user, person) and may_record_at(user, facility)


def may_close_task(user: Any, task: Any) -> bool:
    """Whether the user closes `task`: the same rule as recording for its person under its
    facility (whoever may record the service that satisfies it)."""
    return may_record_for(user, task.person, task.facility)


def may_view_posyandu(user: User, posyandu: Facility) -> bool:
    """Whether the user may open the posyandu's pages (its sessions and their sasaran): its
    kader, or a role whose personal-data scope covers at least one dusun/RW it serves. A
    posyandu whose area straddles two scopes is open to both; its pages then list only the
    persons inside the viewer's own scope (the session selectors filter by scope)."""
    if posyandu.kind != FacilityKind.POSYANDU or not can_view_personal_data(user):
        return False
    if user.role == Role.KADER:
        return user.facility_id == posyandu.pk
    return posyandu.service_areas.filter(pk__in=scope_hamlets(user)).exists()


def may_run_session(user: User, posyandu: Facility) -> bool:
    """Whether the user opens, fills and closes the posyandu's sessions: its own kader, or
    the pustu/puskesmas above it (district roles look, but do not run sessions)."""
    return (
        can_record(user)
        and user.role in SESSION_ROLES
        and posyandu.kind == FacilityKind.POSYANDU
        and may_record_at(user, posyandu)
    )


# ---------------------------------------------------------------- corrections


class CorrectionRights:
    """Which records one user may correct or void: asked once per page for every record it
    shows (the facilities the user supervises are read once, in one query). The caller has
    checked that the record's person is in the user's scope (``person_detail``)."""

    def __init__(self, user: User) -> None:
        self.user_id = user.pk
        self.allowed = can_record(user)
        self.role = user.role
        self.facilities: frozenset[int] = frozenset()
        if self.allowed and user.role in (Role.PUSKESMAS, Role.PUSTU):
            self.facilities = frozenset(
                Facility.objects.filter(recording_facilities_q(user)).values_list("pk", flat=True)
            )

    def may(self, *, author_id: int | None, facility_id: int | None) -> bool:
        """Whether the user may correct a record written by `author_id` at `facility_id`
        (None: no recording facility known)."""
        if not self.allowed:
            return False
        if author_id is not None and author_id == self.user_id:
            return True
        if self.role == Role.DINKES_ADMIN:
            return True
        if self.role in (Role.PUSKESMAS, Role.PUSTU):
            return facility_id is None or facility_id in self.facilities
        return False


def may_correct(user: User, *, person: Any, author_id: int | None, facility_id: int | None) -> bool:
    """Whether `user` may correct or void a record of `person` (see CorrectionRights)."""
    return CorrectionRights(user).may(
        author_id=author_id, facility_id=facility_id
    ) and person_in_scope(user, person)


def require_corrector(
    user: User, *, person: Any, author_id: int | None, facility_id: int | None
) -> None:
    """Raise PermissionDenied unless `user` may correct the record (see CorrectionRights)."""
    if not can_record(user):
        raise DomainPermissionDenied(_("Peran Anda tidak boleh mengoreksi data."))
    require_person_in_scope(user, person)
    if not CorrectionRights(user).may(author_id=author_id, facility_id=facility_id):
        raise DomainPermissionDenied(
            _(
                "Hanya pencatat atau penyelianya (pustu, puskesmas, dinas kesehatan) yang "
                "boleh mengoreksi data ini."
            )
        )


# ---------------------------------------------------------------- for services: raise


def require_recorder(user: User) -> None:
    if not can_record(user):
        raise DomainPermissionDenied(_("Peran Anda tidak boleh mencatat pelayanan."))


def require_person_in_scope(user: User, person: Any) -> None:
    if not person_in_scope(user, person):
        raise DomainPermissionDenied(_("Penduduk ini di luar wilayah kerja Anda."))


def require_family_in_scope(user: User, family: Any) -> None:
    if not family_in_scope(user, family):
        raise DomainPermissionDenied(
            _("Kepala keluarga ini di luar wilayah kerja Anda; anggota tidak dapat ditambahkan.")
        )


def require_recording_facility(user: User, facility: Facility) -> None:
    if not may_record_at(user, facility):
        raise DomainPermissionDenied(_("Anda tidak bertugas di fasilitas ini."))


def require_recording_for(user: User, person: Any, facility: Facility | None) -> None:
    """Raise PermissionDenied unless the user records for `person` under `facility`
    (`may_record_for`), with the message of the first rule that fails. `facility` None: a
    record made under no facility (a past dose copied from the KIA book)."""
    require_recorder(user)
    require_person_in_scope(user, person)
    if facility is not None:
        require_recording_facility(user, facility)


def require_task_closer(user: User, task: Any) -> None:
    """Raise PermissionDenied unless the user may close `task` (`may_close_task`)."""
    require_recording_for(user, task.person, task.facility)


def require_session_runner(user: User, posyandu: Facility) -> None:
    require_recorder(user)
    if not may_run_session(user, posyandu):
        raise DomainPermissionDenied(_("Anda tidak bertugas di posyandu ini."))


# ---------------------------------------------------------------- evaluation and coaching


# TPCB teams (``ilp.evaluation``): the dinkes administrator forms them; their members are
# district staff (dinkes administrator or TPCB analysts). A team's members plan its visits and
# accept, send back and verify its recommendations; a puskesmas' own staff answer the
# recommendations addressed to it; the dinkes administrator reads every one of the district.
# Everyone else (pustu, kader, protection, a TPCB analyst outside the team): no; cross-sector
# officials only the tasks addressed to their area (below).
TEAM_MEMBER_ROLES = DISTRICT_ROLES


def can_manage_teams(user: Any) -> bool:
    """Whether the user forms and changes TPCB teams (the district's dinkes administrator)."""
    return _active(user) and user.role == Role.DINKES_ADMIN and user.area_id is not None


def can_use_coaching(user: Any) -> bool:
    """Whether the user opens the coaching pages at all: district staff (their teams),
    puskesmas staff (their own recommendations) and specialists (their programmes)."""
    return can_answer_recommendations(user) or can_join_teams(user) or is_specialist(user)


def can_join_teams(user: Any) -> bool:
    """Whether the user's role sits on TPCB teams (and opens the team pages)."""
    return _active(user) and user.role in TEAM_MEMBER_ROLES and user.area_id is not None


def can_answer_recommendations(user: Any) -> bool:
    """Whether the user answers recommendations for a puskesmas (its own staff)."""
    return _active(user) and user.role == Role.PUSKESMAS and bool(user.facility_id)


def is_team_member(user: Any, team: Any) -> bool:
    """Whether the user is one of the team's members (one query)."""
    return _active(user) and team.members.filter(pk=user.pk).exists()


def may_view_team(user: Any, team: Any) -> bool:
    """Whether the user opens the team's visits: its members and the dinkes administrator of
    its district."""
    if can_manage_teams(user) and team.district_id == user.area_id:
        return True
    return is_team_member(user, team)


def is_puskesmas_staff(user: Any, puskesmas: Facility) -> bool:
    """Whether the user works for the puskesmas (role puskesmas at that facility)."""
    return _active(user) and user.role == Role.PUSKESMAS and user.facility_id == puskesmas.pk


def may_view_visit(user: Any, visit: Any) -> bool:
    """Whether the user opens a coaching visit: the team's members and dinkes administrator,
    and the visited puskesmas' staff."""
    return is_puskesmas_staff(user, visit.puskesmas) or may_view_team(user, visit.team)


# Tasks for the cross-sector officials: a recommendation may be addressed to a kecamatan (its
# camat) or a desa (its kepala desa) of the visited puskesmas' working area. A cross-sector
# account reads only those addressed to its own area and, for a camat, also those addressed
# to the desa of his kecamatan (he coordinates the kepala desa); it answers only those
# addressed to its own area (the kepala desa answers his desa's). Nothing else of coaching.
AREA_TASK_LEVELS = (AreaLevel.DISTRICT, AreaLevel.VILLAGE)


def can_answer_area_tasks(user: Any) -> bool:
    """Whether the user reads and answers recommendations addressed to a cross-sector area
    (a camat or kepala desa whose account is scoped to a kecamatan or desa)."""
    return (
        _active(user)
        and user.role == Role.CROSS_SECTOR
        and user.area_id is not None
        and user.area.level in AREA_TASK_LEVELS
    )


def can_read_recommendations(user: Any) -> bool:
    """Whether the user reads some recommendations at all (the coaching roles, and the
    cross-sector officials theirs)."""
    return can_use_coaching(user) or can_answer_area_tasks(user)


def is_area_official(user: Any, area: Any) -> bool:
    """Whether the user is the cross-sector official of `area` (its camat or kepala desa)."""
    return can_answer_area_tasks(user) and user.area_id == area.pk


def recommendation_scope_q(user: Any, prefix: str = "") -> Q:
    """A filter over Recommendation (or rows pointing to one, with `prefix`) keeping what the
    user reads: the dinkes administrator all of the district's, a team member the team's (and,
    like the dinkes, those of the district's death reviews), puskesmas staff their puskesmas',
    a specialist those of their programmes' sessions, a camat those addressed to his kecamatan
    or its desa, a kepala desa those addressed to his desa."""
    if can_answer_area_tasks(user):
        own = Q(**{f"{prefix}owner_area_id": user.area_id})
        if user.area.level == AreaLevel.DISTRICT:
            return own | Q(**{f"{prefix}owner_area__parent_id": user.area_id})
        return own
    if not can_use_coaching(user):
        return _NOTHING
    if user.role == Role.PUSKESMAS:
        return (
            Q(**{f"{prefix}visit__puskesmas_id": user.facility_id})
            | Q(**{f"{prefix}session__puskesmas_id": user.facility_id})
            | Q(**{f"{prefix}death_review__puskesmas_id": user.facility_id})
        )
    if user.role == Role.SPECIALIST:
        return Q(**{f"{prefix}session__programme__specialists": user.pk})
    # The district's death reviews are kept by its dinkes and TPCB staff (`can_review_deaths`).
    member = Q(**{f"{prefix}visit__team__members": user.pk}) | Q(
        **{f"{prefix}death_review__district_id": user.area_id}
    )
    if can_manage_teams(user):
        return (
            member
            | Q(**{f"{prefix}visit__team__district_id": user.area_id})
            | Q(**{f"{prefix}session__programme__district_id": user.area_id})
        )
    return member


def can_manage_checklists(user: Any) -> bool:
    """Whether the user edits the district's coaching checklists (publishes new versions):
    the district's dinkes administrator."""
    return _active(user) and user.role == Role.DINKES_ADMIN and user.area_id is not None


def can_read_checklists(user: Any) -> bool:
    """Whether the user reads the district's checklists and their versions: the district
    staff who sit on TPCB teams (dinkes administrator, TPCB analysts)."""
    return can_join_teams(user)


# Routine evaluation (``ilp.evaluation.review``, ``.district_review``, ``.performance``): the
# monthly evaluation and the annual performance assessment of a puskesmas are read by the
# district's dinkes administrator (every puskesmas of the district), a TPCB team's members (the
# puskesmas their active teams coach) and a puskesmas' own staff (their own); the quarterly
# district review by the first two only. Pustu, kader, protection, cross-sector and
# data-protection roles: none (aggregates of a puskesmas, but its coaching is not theirs).


def can_view_evaluations(user: Any) -> bool:
    """Whether the user opens monthly evaluations and performance assessments at all (which
    puskesmas: `evaluation_puskesmas`)."""
    return can_join_teams(user) or can_answer_recommendations(user)


def can_view_district_review(user: Any) -> bool:
    """Whether the user opens the quarterly district review (district staff)."""
    return can_join_teams(user)


def evaluation_puskesmas(user: Any) -> QuerySet[Facility]:
    """The puskesmas whose evaluations the user reads (see above), by name."""
    found = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, is_active=True)
    if can_answer_recommendations(user):
        return found.filter(pk=user.facility_id)
    if not can_join_teams(user):
        return found.none()
    if can_manage_teams(user):
        code = user.area.code
        return found.filter(Q(area__code=code) | Q(area__code__startswith=f"{code}.")).order_by(
            "name", "pk"
        )
    coached = Facility.objects.filter(
        tpcb_teams__members=user.pk, tpcb_teams__is_active=True
    ).values("pk")
    return found.filter(pk__in=coached).order_by("name", "pk")


# ---------------------------------------------------------------- referrals


# Who sends referrals (from their facility or one below it) and who receives them (their own).
REFERRAL_SENDER_ROLES = frozenset({Role.KADER, Role.PUSTU, Role.PUSKESMAS})
REFERRAL_RECEIVER_ROLES = frozenset({Role.PUSTU, Role.PUSKESMAS, Role.HOSPITAL})
# Facilities a referral may start from: the primary-care network, and a hospital for its back
# referrals (rujuk balik) or onward referrals, sent by its own staff.
REFERRING_FACILITY_KINDS = frozenset(
    {FacilityKind.POSYANDU, FacilityKind.PUSTU, FacilityKind.PUSKESMAS, FacilityKind.HOSPITAL}
)


def is_hospital_staff(user: Any) -> bool:
    """Whether the user is staff of a hospital of the referral network (their facility a
    hospital): they read and act on referrals to and from it, nothing else of the registry."""
    return (
        _active(user)
        and user.role == Role.HOSPITAL
        and user.facility_id is not None
        and user.facility.kind == FacilityKind.HOSPITAL
    )


def can_use_referrals(user: Any) -> bool:
    """Whether the user opens the referral pages at all: facility staff who send or receive
    referrals, and the district's dinkes administrator (reads)."""
    if not _active(user):
        return False
    if user.role == Role.DINKES_ADMIN:
        return user.area_id is not None
    if user.role == Role.HOSPITAL:
        return is_hospital_staff(user)
    return user.role in REFERRAL_SENDER_ROLES and bool(user.facility_id)


def can_send_referrals(user: Any) -> bool:
    """Whether the user's role sends referrals (from some facility)."""
    if _active(user) and user.role == Role.HOSPITAL:
        return is_hospital_staff(user)
    return _active(user) and user.role in REFERRAL_SENDER_ROLES and bool(user.facility_id)


def can_receive_referrals(user: Any) -> bool:
    """Whether the user's role receives referrals (at their own facility)."""
    if _active(user) and user.role == Role.HOSPITAL:
        return is_hospital_staff(user)
    return _active(user) and user.role in REFERRAL_RECEIVER_ROLES and bool(user.facility_id)


def may_refer_from(user: Any, facility: Facility) -> bool:
    """Whether the user sends referrals from `facility`: a sending role that records there; a
    hospital's staff from their own hospital only (they record no care in the registry)."""
    if not can_send_referrals(user) or facility.kind not in REFERRING_FACILITY_KINDS:
        return False
    if user.role == Role.HOSPITAL:
        return bool(facility.pk == user.facility_id)
    return facility.kind != FacilityKind.HOSPITAL and may_record_at(user, facility)


def referral_sources_q(user: Any) -> Q:
    """A filter over Facility keeping those the user sends referrals from: the facilities they
    record at (their own and those below it), a hospital's staff their own hospital."""
    if not can_send_referrals(user):
        return _NOTHING
    if user.role == Role.HOSPITAL:
        return Q(pk=user.facility_id)
    return recording_facilities_q(user) & ~Q(kind=FacilityKind.HOSPITAL)


def referred_person_q(user: Any, prefix: str = "") -> Q:
    """A filter over Person (or rows pointing to one, with `prefix`) keeping the persons of the
    referrals the user reads (`referral_scope_q`): all a hospital's staff see of the registry."""
    from ilp.referrals.models import Referral  # referrals build on accounts: no import at load

    persons = Referral.objects.filter(referral_scope_q(user)).values("person_id")
    return Q(**{f"{prefix}pk__in": persons})


def may_receive(user: Any, referral: Any) -> bool:
    """Whether the user acts as the receiving side of `referral` (its to-facility's staff)."""
    return can_receive_referrals(user) and user.facility_id == referral.to_facility_id


def may_refer_back(user: Any, referral: Any) -> bool:
    """Whether the user sends a back referral (rujuk balik) of `referral`: its receiving
    facility's staff, once it was handled there (``standards.referral.BACK_REFERRAL_AFTER``),
    sending from that facility."""
    return (
        referral.state in BACK_REFERRAL_AFTER
        and may_receive(user, referral)
        and may_refer_from(user, referral.to_facility)
    )


def may_act_as_sender(user: Any, referral: Any) -> bool:
    """Whether the user acts as the sending side of `referral`."""
    return may_refer_from(user, referral.from_facility)


def may_refer_person(user: Any, person: Any) -> bool:
    """Whether the user refers `person`: a person in their scope; for a hospital's staff (who
    read no registry) a person referred to their hospital, whom they send back (rujuk balik)
    or onward."""
    if is_hospital_staff(user):
        from ilp.referrals.models import Referral  # referrals build on accounts

        found = Referral.objects.filter(person=person, to_facility_id=user.facility_id)
        return bool(found.exists())
    return person_in_scope(user, person)


def may_see_referred_nik(user: Any, referral: Any) -> bool:
    """Whether the user reading `referral` sees the referred person's NIK: the receiving
    side (they admit the person, and SATUSEHAT/BPJS identify a patient by it), or a user
    whose person scope holds the person. Others read the referral without it."""
    return may_receive(user, referral) or person_in_scope(user, referral.person)


def referral_scope_q(user: Any, prefix: str = "") -> Q:
    """A filter over Referral (or rows pointing to one, with `prefix`) keeping those the user
    reads: sent from a facility they record at, or sent to their own facility; the dinkes
    administrator every referral from or to a facility of the district."""
    if not can_use_referrals(user):
        return _NOTHING
    if user.role == Role.DINKES_ADMIN:
        code = user.area.code
        in_district = Q(area__code=code) | Q(area__code__startswith=f"{code}.")
        facilities = Facility.objects.filter(in_district).values("pk")
        return Q(**{f"{prefix}from_facility__in": facilities}) | Q(
            **{f"{prefix}to_facility__in": facilities}
        )
    if user.role == Role.HOSPITAL:
        return Q(**{f"{prefix}from_facility_id": user.facility_id}) | Q(
            **{f"{prefix}to_facility_id": user.facility_id}
        )
    sending = Facility.objects.filter(recording_facilities_q(user)).values("pk")
    return Q(**{f"{prefix}from_facility__in": sending}) | Q(
        **{f"{prefix}to_facility_id": user.facility_id}
    )


# The referral delay report: aggregates per facility (see the module docstring).
REFERRAL_REPORT_ROLES = DISTRICT_ROLES | {Role.PUSKESMAS}


def can_view_referral_report(user: Any) -> bool:
    """Whether the user reads the referral delay report (of `referral_report_facilities_q`)."""
    if not _active(user):
        return False
    if user.role == Role.HOSPITAL:
        return is_hospital_staff(user)
    if user.role in DISTRICT_ROLES:
        return user.area_id is not None
    return user.role in REFERRAL_REPORT_ROLES and bool(user.facility_id)


def referral_report_facilities_q(user: Any) -> Q:
    """A filter over Facility: the facilities whose rows of the delay report the user reads
    (district roles: the district's; a puskesmas: it, its pustu and posyandu; a hospital's
    staff: their hospital)."""
    if not can_view_referral_report(user):
        return _NOTHING
    if user.role in DISTRICT_ROLES:
        code = user.area.code
        return Q(area__code=code) | Q(area__code__startswith=f"{code}.")
    if user.role == Role.HOSPITAL:
        return Q(pk=user.facility_id)
    fid = user.facility_id
    return Q(pk=fid) | Q(parent=fid) | Q(parent__parent=fid)


# Specialist coaching programmes (``ilp.evaluation.programme_*``). The dinkes administrator
# forms a programme (specialists, topics, puskesmas to cover) and reads all of the district's;
# a specialist (role ``specialist``, scoped to the district by `area`) opens only the
# programmes they belong to. Sessions are recorded by the programme's specialists and by the
# dinkes administrator (entering a specialist's paper forms); a session's recommendations are
# written and judged (accepted, sent back, verified) by the same two, and answered by the
# session's puskesmas. The puskesmas' staff open the sessions held at their puskesmas (read
# only). TPCB analysts, pustu, kader, protection, cross-sector and dpo roles: nothing. A
# specialist reads no person record, indicator, team or visit (every other rule of this module
# names its roles, so the new role is refused everywhere else).


def is_specialist(user: Any) -> bool:
    """Whether the user is a coaching specialist of a district."""
    return _active(user) and user.role == Role.SPECIALIST and user.area_id is not None


def can_manage_programmes(user: Any) -> bool:
    """Whether the user forms and changes coaching programmes (the dinkes administrator)."""
    return can_manage_teams(user)


def can_use_programmes(user: Any) -> bool:
    """Whether the user opens the programme pages (list and detail)."""
    return can_manage_programmes(user) or is_specialist(user)


def can_write_recommendations(user: Any) -> bool:
    """Whether the user's role writes recommendations at all (TPCB team members, the dinkes
    administrator, specialists); which ones: ``services.ActionRights.may_edit``."""
    return can_join_teams(user) or is_specialist(user)


def can_view_sessions(user: Any) -> bool:
    """Whether the user opens session pages at all (which ones: `may_view_session`)."""
    return can_use_programmes(user) or can_answer_recommendations(user)


def programme_scope_q(user: Any) -> Q:
    """A filter over CoachingProgramme keeping the programmes the user opens."""
    if can_manage_programmes(user):
        return Q(district_id=user.area_id)
    if is_specialist(user):
        return Q(specialists=user.pk)
    return _NOTHING


def may_run_programme(user: Any, programme: Any) -> bool:
    """Whether the user records the programme's sessions, their participants, cases, scores
    and recommendations, and judges those recommendations: its specialists and the dinkes
    administrator of its district (one query for a specialist)."""
    if can_manage_programmes(user):
        return bool(programme.district_id == user.area_id)
    return is_specialist(user) and programme.specialists.filter(pk=user.pk).exists()


def may_view_session(user: Any, session: Any) -> bool:
    """Whether the user opens a session: whoever runs its programme and the staff of the
    puskesmas it was held at."""
    return is_puskesmas_staff(user, session.puskesmas) or may_run_programme(user, session.programme)


# ---------------------------------------------------------------- pages: declared rules


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the server saw it. X-Forwarded-For is not trusted here: a
    reverse proxy in front of ILP must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips)."""
    return request.META.get("REMOTE_ADDR") or None


PUBLIC = "public"


def public(view: ViewFunc) -> ViewFunc:
    """Mark a view that anyone may open (login page, language switch): the access-rule test
    then knows it was a decision, not an omission."""
    view.access_rule = PUBLIC  # type: ignore[attr-defined]
    return view


def role_required(check: Rule) -> Callable[[ViewFunc], ViewFunc]:
    """Let only logged-in users for whom `check(user)` holds use the view (deny by default);
    the rule is recorded on the view (``access_rule``) for the access-rule test.

    Also turns a domain error escaping the view into the matching page: NotFound → 404,
    PermissionDenied → 403, anything else → the error page with its status and message."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                audit_record(
                    user=request.user,
                    action="denied",
                    object_type="page",
                    ip=client_ip(request),
                    detail={"path": request.path},
                )
                raise DjangoPermissionDenied(_("Peran Anda tidak boleh membuka halaman ini."))
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc.message)) from exc
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except ApplicationError as exc:
                return render(
                    request, "error.html", {"message": exc.message}, status=exc.http_status
                )

        guarded = login_required(wrapped)
        guarded.access_rule = check  # type: ignore[attr-defined]
        return guarded

    return decorator


# ---------------------------------------------------------------- deaths (see the docstring)

DEATH_RECORDER_ROLES = frozenset({Role.DINKES_ADMIN, Role.PUSKESMAS, Role.PUSTU})


def can_record_deaths(user: Any) -> bool:
    """Whether the user's role records maternal and perinatal deaths at all (which persons:
    `may_record_death`)."""
    if _active(user) and user.role == Role.HOSPITAL:
        return is_hospital_staff(user)
    if not _active(user) or user.role not in DEATH_RECORDER_ROLES:
        return False
    return user.area_id is not None if user.role == Role.DINKES_ADMIN else bool(user.facility_id)


def can_review_deaths(user: Any) -> bool:
    """Whether the user keeps the district's death reviews (meeting, factors,
    recommendations): the dinkes administrator and TPCB analysts of the district."""
    return can_join_teams(user)


def can_view_deaths(user: Any) -> bool:
    """Whether the user opens the death pages at all (which deaths: `death_scope_q`)."""
    return can_record_deaths(user) or can_review_deaths(user)


def received_by_referral(user: Any, person: Any) -> bool:
    """Whether the hospital staff user's hospital received `person` by some referral."""
    from ilp.referrals.models import Referral  # referrals builds on accounts

    return (
        is_hospital_staff(user)
        and Referral.objects.filter(person_id=person.pk, to_facility_id=user.facility_id).exists()
    )


def may_record_death(user: Any, person: Any, facility: Facility | None = None) -> bool:
    """Whether the user records (or voids) the death of `person` at `facility` (None: not at
    a facility): see the module docstring."""
    if not can_record_deaths(user):
        return False
    if user.role == Role.HOSPITAL:
        at_own = facility is not None and facility.pk == user.facility_id
        return at_own and received_by_referral(user, person)
    return person_in_scope(user, person)


def death_scope_q(user: Any, prefix: str = "") -> Q:
    """A filter over Death (or rows pointing to one, with `prefix`) keeping those the user
    reads: their area's for district, puskesmas and pustu staff, their hospital's for
    hospital staff."""
    if not can_view_deaths(user):
        return _NOTHING
    if user.role == Role.HOSPITAL:
        return Q(**{f"{prefix}facility_id": user.facility_id})
    return person_scope_q(user, prefix=f"{prefix}person__")


def may_mark_deceased(user: Any, person: Any) -> bool:
    """Whether the user sets or clears `person`'s date of death as a death record's
    consequence (``ilp.people.corrections.person_set_deceased``): a death recorder who may
    record some death of the person (in scope, or received by referral at their hospital)."""
    if not can_record_deaths(user):
        return False
    if user.role == Role.HOSPITAL:
        return received_by_referral(user, person)
    return person_in_scope(user, person)


def may_review_death(user: Any, review: Any) -> bool:
    """Whether the user keeps `review` (its meeting, factors, recommendations; judges those
    recommendations): the dinkes and TPCB staff of its district."""
    return can_review_deaths(user) and review.district_id == user.area_id


# ---------------------------------------------------------------- protection (KtP/A cases)
# See the "Protection" paragraph of the module docstring. Helpers add their predicates at the
# end of this section.

# Who opens cases, screens and treats: trained staff of puskesmas and pustu.
PROTECTION_HEALTH_ROLES = frozenset({Role.PUSKESMAS, Role.PUSTU})
# Who may open a case outside their circle after giving a reason (break-glass).
BREAK_GLASS_ROLES = frozenset({Role.DINKES_ADMIN, Role.PUSKESMAS, Role.PUSTU})
# The states of a referral to a partner that let the partner's staff read the case.
PARTNER_READ_STATES = ("sent", "acknowledged", "followed_up")


def partner_id_of(user: Any) -> int | None:
    """The partner organisation a ``protection`` user works for (None: none, or another
    role). Cached on the user object for the request."""
    if not _active(user) or user.role != Role.PROTECTION:
        return None
    if not hasattr(user, "_partner_id"):
        from ilp.protection.models import PartnerMember  # protection builds on accounts

        user._partner_id = (
            PartnerMember.objects.filter(user_id=user.pk, partner__active=True)
            .values_list("partner_id", flat=True)
            .first()
        )
    partner_id: int | None = user._partner_id
    return partner_id


def is_protection_health_staff(user: Any) -> bool:
    """Whether the user is puskesmas or pustu staff (with a facility), who open, screen and
    treat KtP/A cases."""
    return _active(user) and user.role in PROTECTION_HEALTH_ROLES and bool(user.facility_id)


def is_partner_user(user: Any) -> bool:
    """Whether the user is staff of an active partner organisation (role protection)."""
    return partner_id_of(user) is not None


def can_use_protection(user: Any) -> bool:
    """Whether the user opens the protection pages at all: health staff, partner staff, and
    the dinkes administrator (district figures, break-glass review; a case only by breaking
    the glass)."""
    if not _active(user):
        return False
    if user.role == Role.DINKES_ADMIN:
        return user.area_id is not None
    return is_protection_health_staff(user) or is_partner_user(user)


def may_open_case(user: Any) -> bool:
    """Whether the user opens a new case: health staff for their puskesmas; partner staff by
    referring a person into health care (the case lands at the puskesmas as urgent)."""
    return is_protection_health_staff(user) or is_partner_user(user)


def case_scope_q(user: Any, prefix: str = "") -> Q:
    """A filter over Case (or rows pointing to one, with `prefix`) keeping the cases the user
    may read: health staff those they are assigned to, partner staff those referred to their
    organisation (or that it referred in), and anyone with a break-glass grant still valid."""
    from django.utils import timezone

    if not can_use_protection(user):
        return _NOTHING
    partner_id = partner_id_of(user)
    if partner_id is not None:
        # A referral cancelled (sent by mistake, declined) no longer opens the case.
        referred = {
            f"{prefix}referrals__partner_id": partner_id,
            f"{prefix}referrals__state__in": PARTNER_READ_STATES,
        }
        return Q(**referred) | Q(**{f"{prefix}referred_by_id": partner_id})
    grants = Q(
        **{
            f"{prefix}break_glass__user_id": user.pk,
            f"{prefix}break_glass__expires_at__gt": timezone.now(),
        }
    )
    assigned = Q(
        **{
            f"{prefix}assignments__user_id": user.pk,
            f"{prefix}assignments__removed_at__isnull": True,
        }
    )
    if user.role == Role.DINKES_ADMIN:
        return grants
    return assigned | grants


def in_case_circle(user: Any, case: Any) -> bool:
    """Whether the user is in the case's health circle (assigned, not removed)."""
    if not is_protection_health_staff(user):
        return False
    return bool(case.assignments.filter(user_id=user.pk, removed_at__isnull=True).exists())


def sees_clinical(user: Any, case: Any) -> bool:
    """Whether the user reads the case's clinical part (notes, examination, care, visum
    findings): its health circle and break-glass holders; partner staff only when the victim
    or guardian consented (``partner_may_read_clinical``)."""
    if is_partner_user(user):
        return bool(case.partner_may_read_clinical)
    return bool(can_use_protection(user))


def may_act_on_case(user: Any, case: Any) -> bool:
    """Whether the user records care, steps and parties on a case: its health circle, or
    health staff holding a break-glass grant (never the Dinkes or a partner)."""
    if not is_protection_health_staff(user):
        return False
    from ilp.protection.models import Case  # protection builds on accounts

    return Case.objects.filter(case_scope_q(user), pk=case.pk).exists()


def may_break_glass(user: Any) -> bool:
    """Whether the user may open a case outside their circle by giving a reason first
    (health staff and the dinkes administrator; never partners or other roles)."""
    if not _active(user) or user.role not in BREAK_GLASS_ROLES:
        return False
    return user.area_id is not None if user.role == Role.DINKES_ADMIN else bool(user.facility_id)


def can_review_break_glass(user: Any) -> bool:
    """Whether the user reads every break-glass of the district (the dinkes administrator)."""
    return _active(user) and user.role == Role.DINKES_ADMIN and user.area_id is not None


# KtP/A screening (``ilp.protection.services_screening``): trained puskesmas and pustu staff
# screen persons of their area (DOMAIN.md §5.1); the counts per area and month are aggregates
# read like the death counts (``ilp.monitoring.ktpa_screening_family``), never the answers.


def can_screen(user: Any) -> bool:
    """Whether the user screens for KtP/A at all (puskesmas and pustu staff; whom:
    `may_screen`)."""
    return is_protection_health_staff(user)


def may_screen(user: Any, person: Any) -> bool:
    """Whether the user screens `person` for KtP/A: puskesmas or pustu staff, the person in
    their scope."""
    return can_screen(user) and person_in_scope(user, person)


def can_view_screening_counts(user: Any) -> bool:
    """Whether the user reads the counts of KtP/A screenings per area and month (as the death
    counts: staff and cross-sector viewers, not a kader; areas: `indicator_areas`)."""
    return can_view_death_counts(user)


# Attachments of a case (ilp.protection.attachments). The kinds partner staff may read: the
# police's letter and the copy of the visum (their part of the case); photos of injuries, the
# consent form and other documents stay with the health circle.
PARTNER_ATTACHMENT_KINDS = frozenset({"police_letter", "visum_copy"})


def may_read_attachment(user: Any, case: Any, kind: str) -> bool:
    """Whether the user opens an attachment of `kind` of `case` (a case they read: call after
    ``case_scope_q``): health staff in its circle or holding a break-glass grant, the dinkes
    administrator by break-glass; partner staff only a police letter or a visum copy, and
    only of a case referred to their organisation (not cancelled)."""
    partner_id = partner_id_of(user)
    if partner_id is not None:
        return kind in PARTNER_ATTACHMENT_KINDS and bool(
            case.referrals.filter(partner_id=partner_id).exclude(state="cancelled").exists()
        )
    return can_use_protection(user) and sees_clinical(user, case)


# Visum et repertum (``ilp.protection.services_visum``): written by the case's health circle
# (`may_act_on_case`); the police partner reads that a letter exists, its number and its
# delivery; the findings and the letter itself only those who read the clinical part
# (`sees_clinical`). The letter's template is the dinkes administrator's.


def is_police_partner(user: Any) -> bool:
    """Whether the user is staff of a police partner (Unit PPA), who asked for the visum."""
    partner_id = partner_id_of(user)
    if partner_id is None:
        return False
    from ilp.protection.models import Partner, PartnerKind  # protection builds on accounts

    return Partner.objects.filter(pk=partner_id, kind=PartnerKind.POLICE).exists()


def sees_visum(user: Any, case: Any) -> bool:
    """Whether the user reads a case's visums (request, letter number, delivery): whoever
    reads the case, except partner staff other than the police without the victim's consent."""
    if is_partner_user(user):
        return is_police_partner(user) or sees_clinical(user, case)
    return can_use_protection(user)


def can_manage_visum_template(user: Any) -> bool:
    """Whether the user edits the district's visum letter template (the dinkes
    administrator)."""
    return _active(user) and user.role == Role.DINKES_ADMIN and user.area_id is not None


def is_referral_partner(user: Any, referral: Any) -> bool:
    """Whether the user is staff of the partner organisation a case was referred to, who
    acknowledges the referral ("Terima rujukan") and records its follow-up."""
    partner_id = partner_id_of(user)
    return partner_id is not None and referral.partner_id == partner_id


def may_refer_case(user: Any, case: Any) -> bool:
    """Whether the user refers a case to a partner, cancels such a referral, or records that
    the duty to inform was met: the case's health circle (`may_act_on_case`)."""
    return may_act_on_case(user, case)


def can_use_protection_api(user: Any) -> bool:
    """Whether the user calls the protection API (else 403): whoever may read some case —
    health staff, partner staff and the dinkes administrator (`can_use_protection`)."""
    return can_use_protection(user)


def break_glass_district_code(user: Any) -> str | None:
    """The code of the district whose cases the user may break into (None: none): the dinkes
    administrator's area, a health worker's district (the regency above their facility)."""
    if not may_break_glass(user):
        return None
    area = user.area if user.role == Role.DINKES_ADMIN else user.facility.area
    while area is not None and area.level > AreaLevel.REGENCY:
        area = area.parent
    return area.code if area is not None else None


def break_glass_cases_q(user: Any, prefix: str = "") -> Q:
    """A filter over Case (or rows pointing to one, with `prefix`) keeping the cases the user
    may break into: those handled by a puskesmas of their district."""
    code = break_glass_district_code(user)
    if code is None:
        return _NOTHING
    return Q(**{f"{prefix}facility__area__code": code}) | Q(
        **{f"{prefix}facility__area__code__startswith": f"{code}."}
    )


def sees_case_access_log(user: Any, case: Any) -> bool:
    """Whether the user reads who opened the case (its audit rows): its case officer."""
    return _active(user) and case.officer_id is not None and case.officer_id == user.pk


def can_view_protection_report(user: Any) -> bool:
    """Whether the user reads the district's monthly KtP/A speed report (counts and times
    only, small counts suppressed): the dinkes administrator and TPCB of the district."""
    return _active(user) and user.role in DISTRICT_ROLES and user.area_id is not None
