"""Writes of evaluation and coaching: teams, visits, recommendations and their state changes.

Every write checks the user's right (``ilp.accounts.access``), refuses bad input with a
specific message on the field (``ValidationFailed.fields``), runs in one transaction and is
audited; every change of a recommendation adds a ``RecommendationEvent`` row. A state change
is a conditional UPDATE on the state read (`_move`), so two people acting at once cannot both
move it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.accounts.access import (
    TEAM_MEMBER_ROLES,
    can_answer_recommendations,
    can_manage_teams,
    is_puskesmas_staff,
    is_team_member,
    may_run_programme,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.evaluation.models import (
    OWNER_ROLES,
    ChecklistItem,
    CoachingVisit,
    Recommendation,
    RecommendationEvent,
    RecState,
    TpcbTeam,
    VisitState,
)
from ilp.evaluation.programme_models import CoachingSession
from ilp.monitoring.catalogue import load_catalogue
from ilp.places.models import Facility, FacilityKind

# The recommendation's state machine: action → (states it may start from, state it ends in).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "answer": (
        frozenset({RecState.OPEN, RecState.ANSWERED, RecState.SENT_BACK}),
        RecState.ANSWERED,
    ),
    "accept": (frozenset({RecState.ANSWERED}), RecState.ACCEPTED),
    "send_back": (frozenset({RecState.ANSWERED}), RecState.SENT_BACK),
    "verify": (frozenset({RecState.ACCEPTED}), RecState.VERIFIED),
}
# The message of any change tried on a closed recommendation.
CLOSED = gettext_lazy("Rekomendasi yang sudah diverifikasi (ditutup) tidak dapat diubah.")
# A checklist item given as a recommendation's reason, or answered, that is not in the visit's
# checklist versions.
NOT_IN_VISIT_CHECKLIST = gettext_lazy("Butir ini bukan bagian dari daftar tilik kunjungan ini.")
# Who takes each action: the puskesmas answers; the visit's team (a session's: whoever runs its
# programme) judges.
PUSKESMAS_ACTIONS = frozenset({"answer"})
# The message when someone who does not run a specialist session's programme acts on it.
NOT_PROGRAMME_RUNNER = gettext_lazy(
    "Hanya dokter spesialis program ini atau Dinas Kesehatan yang boleh melakukannya."
)
TEAM_ACTIONS = frozenset({"accept", "send_back", "verify"})


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _audit(user: User, action: str, obj: Any, detail: dict[str, Any]) -> None:
    audit_record(
        user=user,
        action=action,
        object_type=obj._meta.model_name,
        object_uuid=obj.uuid,
        detail=detail,
    )


# ---------------------------------------------------------------- teams


def _team_checks(
    *,
    user: User,
    decree_date: date,
    lead: User,
    members: list[User],
    puskesmas: list[Facility],
) -> None:
    if not can_manage_teams(user):
        raise PermissionDenied(_("Hanya administrator Dinas Kesehatan yang mengelola tim TPCB."))
    if decree_date > timezone.localdate():
        raise _invalid("decree_date", _("Tanggal SK tidak boleh di masa depan."))
    if not members:
        raise _invalid("members", _("Tim perlu paling sedikit satu anggota."))
    outsiders = [m.username for m in members if m.role not in TEAM_MEMBER_ROLES]
    if outsiders:
        raise _invalid(
            "members",
            _("Anggota tim harus staf Dinas Kesehatan atau analis TPCB: %(names)s.")
            % {"names": ", ".join(outsiders)},
        )
    if lead.pk not in {m.pk for m in members}:
        raise _invalid("lead", _("Ketua tim harus salah satu anggota tim."))
    district = user.area.code if user.area else ""
    wrong = [
        f.name
        for f in puskesmas
        if f.kind != FacilityKind.PUSKESMAS
        or not (f.area.code == district or f.area.code.startswith(f"{district}."))
    ]
    if wrong:
        raise _invalid(
            "puskesmas",
            _("Hanya puskesmas di kabupaten/kota Anda yang dapat dibina: %(names)s.")
            % {"names": ", ".join(wrong)},
        )


def team_create(
    *,
    user: User,
    name: str,
    decree_number: str,
    decree_date: date,
    lead: User,
    members: Iterable[User],
    puskesmas: Iterable[Facility],
) -> TpcbTeam:
    """Form a TPCB team of the user's district."""
    members, puskesmas = list(members), list(puskesmas)
    _team_checks(
        user=user, decree_date=decree_date, lead=lead, members=members, puskesmas=puskesmas
    )
    with transaction.atomic():
        team = TpcbTeam(
            name=name.strip(),
            decree_number=decree_number.strip(),
            decree_date=decree_date,
            lead=lead,
            district=user.area,
            created_by=user,
            updated_by=user,
        )
        team.full_clean()
        team.save()
        team.members.set(members)
        team.puskesmas.set(puskesmas)
        _audit(user, AuditAction.CREATE, team, _team_detail(team, members, puskesmas))
    return team


def _team_detail(team: TpcbTeam, members: list[User], puskesmas: list[Facility]) -> dict[str, Any]:
    return {
        "name": team.name,
        "decree": team.decree_number,
        "lead": team.lead.username,
        "members": sorted(m.username for m in members),
        "puskesmas": sorted(f.code for f in puskesmas),
        "active": team.is_active,
    }


def team_update(
    *,
    user: User,
    team: TpcbTeam,
    name: str,
    decree_number: str,
    decree_date: date,
    lead: User,
    members: Iterable[User],
    puskesmas: Iterable[Facility],
    is_active: bool,
) -> TpcbTeam:
    """Change a team (its members, lead, puskesmas, decree; made inactive, never deleted)."""
    members, puskesmas = list(members), list(puskesmas)
    _team_checks(
        user=user, decree_date=decree_date, lead=lead, members=members, puskesmas=puskesmas
    )
    if team.district_id != user.area_id:
        raise PermissionDenied(_("Tim ini bukan tim kabupaten/kota Anda."))
    with transaction.atomic():
        team.name = name.strip()
        team.decree_number = decree_number.strip()
        team.decree_date = decree_date
        team.lead = lead
        team.is_active = is_active
        team.updated_by = user
        team.full_clean()
        team.save()
        team.members.set(members)
        team.puskesmas.set(puskesmas)
        _audit(user, AuditAction.UPDATE, team, _team_detail(team, members, puskesmas))
    return team


# ---------------------------------------------------------------- visits


def visit_plan(
    *,
    user: User,
    team: TpcbTeam | None,
    puskesmas: Facility | None,
    planned_date: date | None,
    members: Iterable[User],
) -> CoachingVisit:
    """Plan a team's visit to a puskesmas it coaches, with the members going."""
    if team is None:
        raise _invalid("team", _("Pilih tim yang berkunjung."))
    if puskesmas is None:
        raise _invalid("puskesmas", _("Pilih puskesmas yang dikunjungi."))
    if planned_date is None:
        raise _invalid("planned_date", _("Isi tanggal kunjungan."))
    if not is_team_member(user, team):
        raise PermissionDenied(_("Hanya anggota tim yang merencanakan kunjungannya."))
    if not team.is_active:
        raise _invalid("team", _("Tim ini tidak aktif lagi."))
    if not team.puskesmas.filter(pk=puskesmas.pk).exists():
        raise _invalid("puskesmas", _("Puskesmas ini tidak dibina oleh tim ini."))
    members = list(members)
    team_ids = set(team.members.values_list("pk", flat=True))
    if not members:
        raise _invalid("members", _("Pilih anggota tim yang berangkat."))
    if any(m.pk not in team_ids for m in members):
        raise _invalid("members", _("Yang berangkat harus anggota tim ini."))
    with transaction.atomic():
        visit = CoachingVisit(
            team=team,
            puskesmas=puskesmas,
            planned_date=planned_date,
            created_by=user,
            updated_by=user,
        )
        visit.full_clean()
        visit.save()
        visit.members.set(members)
        # Imported here: services_checklists builds on this module's helpers.
        from ilp.evaluation.services_checklists import visit_take_checklists

        taken = visit_take_checklists(visit)
        _audit(
            user,
            AuditAction.CREATE,
            visit,
            {
                "puskesmas": puskesmas.code,
                "date": planned_date.isoformat(),
                "checklists": sorted(f"{v.checklist.cluster} v{v.number}" for v in taken),
            },
        )
    return visit


def _require_visit_team(user: User, visit: CoachingVisit) -> None:
    if not is_team_member(user, visit.team):
        raise PermissionDenied(_("Hanya anggota tim kunjungan ini yang boleh melakukannya."))


def visit_findings_set(*, user: User, visit: CoachingVisit, findings: str) -> CoachingVisit:
    """Record what the visit found (the team's members)."""
    _require_visit_team(user, visit)
    with transaction.atomic():
        visit.findings = findings.strip()
        visit.updated_by = user
        visit.save(update_fields=["findings", "updated_by", "updated_at"])
        _audit(user, AuditAction.UPDATE, visit, {"findings": len(visit.findings)})
    return visit


def indicator_snapshot(user: User, puskesmas: Facility, year: int, month: int) -> dict[str, Any]:
    """The puskesmas' value, target and status of every catalogue indicator for the month,
    as `user` reads them (the puskesmas' own row of the overview)."""
    from ilp.monitoring.selectors import indicator_overview

    overview = indicator_overview(user, area_code=puskesmas.code, year=year, month=month)
    rows = [
        {"code": code, "value": r[0].value, "target": r[0].target, "status": r[0].status}
        for code, r in overview.items()
        if r
    ]
    return {"year": year, "month": month, "rows": rows}


def visit_mark_done(*, user: User, visit: CoachingVisit) -> CoachingVisit:
    """Mark the visit done and freeze the puskesmas' indicator values of the visit's month
    into it, so later data do not change what the team saw."""
    _require_visit_team(user, visit)
    if visit.state != VisitState.PLANNED:
        raise Conflict(_("Kunjungan ini sudah selesai."))
    if visit.planned_date > timezone.localdate():
        raise _invalid(
            "planned_date", _("Kunjungan yang tanggalnya belum tiba tidak dapat diselesaikan.")
        )
    snapshot = indicator_snapshot(
        user, visit.puskesmas, visit.planned_date.year, visit.planned_date.month
    )
    with transaction.atomic():
        moved = CoachingVisit.objects.filter(pk=visit.pk, state=VisitState.PLANNED).update(
            state=VisitState.DONE,
            snapshot=snapshot,
            done_at=timezone.now(),
            updated_by=user,
            updated_at=timezone.now(),
        )
        if not moved:
            raise Conflict(_("Kunjungan ini sudah selesai."))
        visit.refresh_from_db()
        _audit(user, AuditAction.UPDATE, visit, {"state": VisitState.DONE})
    return visit


# ---------------------------------------------------------------- recommendations


@dataclass(frozen=True)
class RecommendationContent:
    """What a recommendation says: what to change, why (an indicator code of the catalogue,
    a checklist item of the visit and/or a note), to whom (a puskesmas role or one of its
    staff) and by when."""

    what: str
    due_date: date | None
    indicator: str = ""
    why: str = ""
    owner_role: str = ""
    owner_user: User | None = None
    # The checklist item that shows it: one of the visit's checklist versions.
    checklist_item: ChecklistItem | None = None

    def fields(self, visit: CoachingVisit | CoachingSession) -> dict[str, Any]:
        """The model fields, or ValidationFailed with the first bad field's message.
        `visit`: where it is given, a TPCB visit or a specialist's session."""
        if not self.what.strip():
            raise _invalid("what", _("Tulis apa yang harus diubah."))
        if self.indicator and self.indicator not in load_catalogue():
            raise _invalid("indicator", _("Indikator tidak dikenal."))
        if self.checklist_item is not None and (
            # a specialist's session works through no checklist
            isinstance(visit, CoachingSession)
            or not visit.checklist_versions.filter(pk=self.checklist_item.version_id).exists()
        ):
            raise _invalid("checklist_item", str(NOT_IN_VISIT_CHECKLIST))
        if not self.indicator and not self.why.strip() and self.checklist_item is None:
            raise _invalid("why", _("Sebutkan alasannya: indikator atau keterangan."))
        if bool(self.owner_role) == (self.owner_user is not None):
            raise _invalid(
                "owner_role", _("Tujukan rekomendasi ke satu peran puskesmas atau satu petugas.")
            )
        if self.owner_role and self.owner_role not in dict(OWNER_ROLES):
            raise _invalid("owner_role", _("Peran puskesmas tidak dikenal."))
        if self.owner_user is not None and not is_puskesmas_staff(self.owner_user, visit.puskesmas):
            raise _invalid("owner_user", _("Petugas yang dituju bukan staf puskesmas ini."))
        if self.due_date is None:
            raise _invalid("due_date", _("Isi batas waktu."))
        if self.due_date < _origin_date(visit):
            raise _invalid("due_date", _("Batas waktu tidak boleh sebelum tanggal kunjungan."))
        return {
            "what": self.what.strip(),
            "indicator": self.indicator,
            "why": self.why.strip(),
            "owner_role": self.owner_role,
            "owner_user": self.owner_user,
            "due_date": self.due_date,
            "checklist_item": self.checklist_item,
        }


def _origin_date(origin: CoachingVisit | CoachingSession) -> date:
    if isinstance(origin, CoachingSession):
        return origin.session_date
    return origin.planned_date


def _require_author(user: User, rec: Recommendation) -> None:
    """Who writes and judges a recommendation: the visit's team, or whoever runs the
    session's programme (its specialists, the dinkes administrator)."""
    if rec.session is not None:
        if not may_run_programme(user, rec.session.programme):
            raise PermissionDenied(NOT_PROGRAMME_RUNNER)
        return
    _require_visit_team(user, rec.visit)  # type: ignore[arg-type]


def _event(
    rec: Recommendation, user: User, action: str, from_state: str, note: str = ""
) -> RecommendationEvent:
    return RecommendationEvent.objects.create(
        recommendation=rec,
        by=user,
        action=action,
        from_state=from_state,
        to_state=rec.state,
        note=note,
    )


def recommendation_create(
    *, user: User, visit: CoachingVisit, content: RecommendationContent
) -> Recommendation:
    """Add a recommendation to the visit (the team's members)."""
    _require_visit_team(user, visit)
    fields = content.fields(visit)
    with transaction.atomic():
        rec = Recommendation(visit=visit, **fields, created_by=user, updated_by=user)
        rec.full_clean()
        rec.save()
        _event(rec, user, "create", "")
        _audit(user, AuditAction.CREATE, rec, {"visit": str(visit.uuid), "state": rec.state})
    return rec


def recommendation_update(
    *, user: User, recommendation: Recommendation, content: RecommendationContent
) -> Recommendation:
    """Change what a recommendation says (the team's members; not once verified)."""
    rec = recommendation
    _require_author(user, rec)
    if rec.state == RecState.VERIFIED:
        raise Conflict(CLOSED)
    fields = content.fields(rec.origin)
    with transaction.atomic():
        changed = Recommendation.objects.filter(pk=rec.pk).exclude(state=RecState.VERIFIED)
        if not changed.update(**fields, updated_by=user, updated_at=timezone.now()):
            raise Conflict(CLOSED)
        rec.refresh_from_db()
        _event(rec, user, "edit", rec.state)
        _audit(user, AuditAction.UPDATE, rec, {"edited": True})
    return rec


class ActionRights:
    """Which recommendations one user may act on, read once per page (the teams the user
    belongs to in one query) so a list of recommendations costs no query per row."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.staff_of = user.facility_id if can_answer_recommendations(user) else None
        self.member_of = frozenset(user.tpcb_teams.values_list("pk", flat=True))

    @cached_property
    def runs_programmes(self) -> frozenset[int]:
        """The programmes whose sessions' recommendations the user judges (read only when a
        page shows one: pages of visits alone cost no query more)."""
        from ilp.evaluation.programme_selectors import programmes_run_by

        return frozenset(programmes_run_by(self.user).values_list("pk", flat=True))

    def _judges(self, rec: Recommendation) -> bool:
        if rec.session is not None:
            return rec.session.programme_id in self.runs_programmes
        return rec.visit.team_id in self.member_of  # type: ignore[union-attr]

    def allowed(self, rec: Recommendation) -> list[str]:
        """The actions the user may take on `rec` now (its state allows them and the user is
        entitled): the pages offer only these."""
        return [
            action
            for action, (sources, _target) in TRANSITIONS.items()
            if rec.state in sources
            and (
                rec.puskesmas_id == self.staff_of
                if action in PUSKESMAS_ACTIONS
                else self._judges(rec)
            )
        ]

    def may_edit(self, rec: Recommendation) -> bool:
        return rec.state != RecState.VERIFIED and self._judges(rec)


def recommendation_act(
    *, user: User, recommendation: Recommendation, action: str, note: str = ""
) -> Recommendation:
    """Move a recommendation along its state machine: the puskesmas answers (its plan or
    progress, a note required), the team accepts, sends back (a reason required) or verifies
    (closes) it."""
    rec = recommendation
    if action not in TRANSITIONS:
        raise _invalid("action", _("Tindakan tidak dikenal."))
    if action in PUSKESMAS_ACTIONS and not is_puskesmas_staff(user, rec.puskesmas):
        raise PermissionDenied(
            _("Hanya staf puskesmas yang dituju yang boleh menjawab rekomendasi ini.")
        )
    if action in TEAM_ACTIONS:
        _require_author(user, rec)
    sources, target = TRANSITIONS[action]
    if rec.state == RecState.VERIFIED:
        raise Conflict(CLOSED)
    if rec.state not in sources:
        raise Conflict(
            _("Tindakan ini tidak dapat dilakukan pada rekomendasi berstatus %(state)s.")
            % {"state": RecState(rec.state).label}
        )
    note = note.strip()
    if action in ("answer", "send_back") and not note:
        raise _invalid("note", _("Tulis catatannya (rencana, kemajuan atau alasan)."))
    with transaction.atomic():
        before = rec.state
        moved = Recommendation.objects.filter(pk=rec.pk, state=before).update(
            state=target, updated_by=user, updated_at=timezone.now()
        )
        if not moved:
            raise Conflict(_("Rekomendasi ini baru saja diubah orang lain; muat ulang halaman."))
        rec.refresh_from_db()
        _event(rec, user, action, before, note)
        _audit(user, AuditAction.UPDATE, rec, {"action": action, "from": before, "to": target})
    return rec
