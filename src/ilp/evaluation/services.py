"""Writes of evaluation and coaching: teams, visits (planned, re-planned, cancelled, done
with the frozen indicator and data-quality snapshot), recommendations and their state changes
(an answer with its evidence files, ``ilp.evaluation.evidence``).

Every write checks the user's right (``ilp.accounts.access``), refuses bad input with a
specific message on the field (``ValidationFailed.fields``), runs in one transaction and is
audited; every change of a recommendation adds a ``RecommendationEvent`` row. A state change
is a conditional UPDATE on the state read, so two people acting at once cannot both move it.
Every change of a visit adds a ``VisitEvent`` row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.accounts.access import (
    AREA_TASK_LEVELS,
    TEAM_MEMBER_ROLES,
    can_answer_area_tasks,
    can_answer_recommendations,
    can_manage_teams,
    is_area_official,
    is_puskesmas_staff,
    is_team_member,
    may_review_death,
    may_run_programme,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.core.exceptions import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from ilp.core.uploads import Upload
from ilp.evaluation import evidence
from ilp.evaluation.death_models import DeathReview
from ilp.evaluation.models import (
    OWNER_ROLES,
    ChecklistItem,
    CoachingVisit,
    Recommendation,
    RecommendationEvent,
    RecState,
    TpcbTeam,
    VisitAction,
    VisitEvent,
    VisitState,
    review_date,
)
from ilp.evaluation.programme_models import CoachingSession
from ilp.monitoring import quality
from ilp.monitoring.catalogue import load_catalogue
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind

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
# The messages of a change tried on a visit that is no longer planned.
VISIT_DONE = gettext_lazy("Kunjungan yang sudah selesai tidak dapat diubah atau dibatalkan.")
VISIT_CANCELLED = gettext_lazy("Kunjungan yang dibatalkan tidak dapat diubah.")


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
    members = _visit_members(team, members)
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
        detail = {"date": planned_date.isoformat(), "members": _usernames(members)}
        VisitEvent.objects.create(visit=visit, by=user, action=VisitAction.PLAN, detail=detail)
        _audit(
            user,
            AuditAction.CREATE,
            visit,
            {
                "puskesmas": puskesmas.code,
                **detail,
                "checklists": sorted(f"{v.checklist.cluster} v{v.number}" for v in taken),
            },
        )
    return visit


def _visit_members(team: TpcbTeam, members: Iterable[User]) -> list[User]:
    members = list(members)
    team_ids = set(team.members.values_list("pk", flat=True))
    if not members:
        raise _invalid("members", _("Pilih anggota tim yang berangkat."))
    if any(m.pk not in team_ids for m in members):
        raise _invalid("members", _("Yang berangkat harus anggota tim ini."))
    return members


def _usernames(users: Iterable[User]) -> list[str]:
    return sorted(u.username for u in users)


def _require_visit_team(user: User, visit: CoachingVisit) -> None:
    if not is_team_member(user, visit.team):
        raise PermissionDenied(_("Hanya anggota tim kunjungan ini yang boleh melakukannya."))


def _require_planned(visit: CoachingVisit) -> None:
    if visit.state == VisitState.DONE:
        raise Conflict(VISIT_DONE)
    if visit.state == VisitState.CANCELLED:
        raise Conflict(VISIT_CANCELLED)


def visit_replan(
    *, user: User, visit: CoachingVisit, planned_date: date | None, members: Iterable[User]
) -> CoachingVisit:
    """Move a planned visit to another date and/or change who goes (the team's members; not
    once done or cancelled)."""
    _require_visit_team(user, visit)
    _require_planned(visit)
    if planned_date is None:
        raise _invalid("planned_date", _("Isi tanggal kunjungan."))
    members = _visit_members(visit.team, members)
    before = {
        "date": visit.planned_date.isoformat(),
        "members": _usernames(visit.members.all()),
    }
    after = {"date": planned_date.isoformat(), "members": _usernames(members)}
    with transaction.atomic():
        moved = CoachingVisit.objects.filter(pk=visit.pk, state=VisitState.PLANNED).update(
            planned_date=planned_date, updated_by=user, updated_at=timezone.now()
        )
        if not moved:
            raise Conflict(_("Kunjungan ini baru saja diubah orang lain; muat ulang halaman."))
        visit.refresh_from_db()
        visit.members.set(members)
        detail = {"from": before, "to": after}
        VisitEvent.objects.create(visit=visit, by=user, action=VisitAction.REPLAN, detail=detail)
        _audit(user, AuditAction.UPDATE, visit, {"replan": detail})
    return visit


def visit_cancel(*, user: User, visit: CoachingVisit, reason: str) -> CoachingVisit:
    """Cancel a planned visit, with the reason (the team's members; not once done). The
    visit stays, shown as cancelled; it takes no recommendation."""
    _require_visit_team(user, visit)
    _require_planned(visit)
    reason = reason.strip()
    if not reason:
        raise _invalid("reason", _("Tulis alasan pembatalan."))
    if visit.recommendations.exists():
        raise Conflict(_("Kunjungan yang sudah memiliki rekomendasi tidak dapat dibatalkan."))
    now = timezone.now()
    with transaction.atomic():
        moved = CoachingVisit.objects.filter(pk=visit.pk, state=VisitState.PLANNED).update(
            state=VisitState.CANCELLED,
            cancelled_at=now,
            cancelled_by=user,
            cancel_reason=reason,
            updated_by=user,
            updated_at=now,
        )
        if not moved:
            raise Conflict(_("Kunjungan ini baru saja diubah orang lain; muat ulang halaman."))
        visit.refresh_from_db()
        VisitEvent.objects.create(visit=visit, by=user, action=VisitAction.CANCEL, note=reason)
        _audit(user, AuditAction.UPDATE, visit, {"state": VisitState.CANCELLED, "reason": reason})
    return visit


def visit_findings_set(*, user: User, visit: CoachingVisit, findings: str) -> CoachingVisit:
    """Record what the visit found (the team's members; not on a cancelled visit)."""
    _require_visit_team(user, visit)
    if visit.state == VisitState.CANCELLED:
        raise Conflict(VISIT_CANCELLED)
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


def quality_month(day: date) -> tuple[int, int]:
    """The data-quality month a visit on `day` reviews: the last complete month before it
    (the month the puskesmas' lokmin reviews; a month still running would read its posyandu
    sessions and late entries as missing)."""
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def quality_snapshot(user: User, puskesmas: Facility, year: int, month: int) -> dict[str, Any]:
    """The puskesmas' data-quality measures (its own row of the scorecard) and its ranked
    problems (its own and its posyandu's) for the month, as codes and numbers, as `user`
    reads them (``ilp.monitoring.quality``)."""
    card = quality.scorecard(user, area_code=puskesmas.code, year=year, month=month)
    measures = [
        {"code": m.code, "value": m.value, "n": m.n, "d": m.d, "status": m.status}
        for m in card.top.cells
    ]
    problems = [
        {
            "code": p.code,
            "params": p.params,
            "status": p.status,
            "place_code": p.place_code,
            "place_name": p.place_name,
            "value": p.value,
            "severity": p.severity,
        }
        # The puskesmas' own row first among the rows ranked (the scorecard ranks its
        # posyandu rows only), every problem and warning kept.
        for p in quality.problems_of(
            quality.Scorecard(card.top, [card.top, *card.rows], card.year, card.month),
            limit=len(quality.MEASURES) * (1 + len(card.rows)),
        )
    ]
    return {"year": year, "month": month, "measures": measures, "problems": problems}


def visit_snapshot(user: User, visit: CoachingVisit) -> dict[str, Any]:
    """The indicator values of the visit's month and the data quality of the month before,
    as `user` reads them now (frozen into the visit when it is marked done). The quality part
    is None when the user reads no data quality of the puskesmas."""
    day = visit.planned_date
    snapshot = indicator_snapshot(user, visit.puskesmas, day.year, day.month)
    try:
        snapshot["quality"] = quality_snapshot(user, visit.puskesmas, *quality_month(day))
    except ApplicationError:
        snapshot["quality"] = None
    return snapshot


def visit_mark_done(*, user: User, visit: CoachingVisit) -> CoachingVisit:
    """Mark the visit done and freeze the puskesmas' indicator values of the visit's month
    and its data quality of the month before into it, so later data do not change what the
    team saw."""
    _require_visit_team(user, visit)
    if visit.state == VisitState.CANCELLED:
        raise Conflict(_("Kunjungan yang dibatalkan tidak dapat diselesaikan."))
    if visit.state != VisitState.PLANNED:
        raise Conflict(_("Kunjungan ini sudah selesai."))
    if visit.planned_date > timezone.localdate():
        raise _invalid(
            "planned_date", _("Kunjungan yang tanggalnya belum tiba tidak dapat diselesaikan.")
        )
    snapshot = visit_snapshot(user, visit)
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
        VisitEvent.objects.create(visit=visit, by=user, action=VisitAction.DONE)
        _audit(user, AuditAction.UPDATE, visit, {"state": VisitState.DONE})
    return visit


# ---------------------------------------------------------------- recommendations


@dataclass(frozen=True)
class RecommendationContent:
    """What a recommendation says: what to change, why (an indicator code of the catalogue, a
    data-quality check of ``quality.MEASURES``, a checklist item of the visit and/or a note),
    to whom (a puskesmas role, one of its staff, or a kecamatan/desa of its working area: a
    task for the camat or kepala desa) and by when."""

    what: str
    due_date: date | None
    indicator: str = ""
    why: str = ""
    quality_check: str = ""
    owner_role: str = ""
    owner_user: User | None = None
    # The checklist item that shows it: one of the visit's checklist versions.
    checklist_item: ChecklistItem | None = None
    owner_area: Area | None = None

    def fields(self, visit: CoachingVisit | CoachingSession | DeathReview) -> dict[str, Any]:
        """The model fields, or ValidationFailed with the first bad field's message.
        `visit`: where it is given, a TPCB visit, a specialist's session or a death review."""
        if visit.puskesmas is None:
            raise _invalid(
                "owner_role",
                _("Desa orang ini tidak dilayani puskesmas; rekomendasi tidak dapat dituju."),
            )
        if not self.what.strip():
            raise _invalid("what", _("Tulis apa yang harus diubah."))
        if self.indicator and self.indicator not in load_catalogue():
            raise _invalid("indicator", _("Indikator tidak dikenal."))
        if self.quality_check and self.quality_check not in quality.MEASURES:
            raise _invalid("quality_check", _("Pemeriksaan mutu data tidak dikenal."))
        if self.checklist_item is not None and (
            # a specialist's session and a death review work through no checklist
            not isinstance(visit, CoachingVisit)
            or not visit.checklist_versions.filter(pk=self.checklist_item.version_id).exists()
        ):
            raise _invalid("checklist_item", str(NOT_IN_VISIT_CHECKLIST))
        if (
            not self.indicator
            and not self.quality_check
            and not self.why.strip()
            and self.checklist_item is None
        ):
            raise _invalid(
                "why", _("Sebutkan alasannya: indikator, masalah mutu data atau keterangan.")
            )
        if self.owner_area is not None:
            _check_owner_area(self, self.owner_area, visit.puskesmas)
        elif bool(self.owner_role) == (self.owner_user is not None):
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
            "quality_check": self.quality_check,
            "why": self.why.strip(),
            "owner_role": self.owner_role,
            "owner_user": self.owner_user,
            "owner_area": self.owner_area,
            "due_date": self.due_date,
            "checklist_item": self.checklist_item,
        }


def _origin_date(origin: CoachingVisit | CoachingSession | DeathReview) -> date:
    if isinstance(origin, CoachingSession):
        return origin.session_date
    if isinstance(origin, DeathReview):
        return review_date(origin)
    return origin.planned_date


def _require_author(user: User, rec: Recommendation) -> None:
    """Who writes and judges a recommendation: the visit's team, or whoever runs the
    session's programme (its specialists, the dinkes administrator), the district's
    reviewers of a death review (dinkes, TPCB)."""
    if rec.death_review is not None:
        if not may_review_death(user, rec.death_review):
            raise PermissionDenied(
                _("Hanya Dinas Kesehatan atau TPCB kabupaten/kota ini yang boleh melakukannya.")
            )
        return
    if rec.session is not None:
        if not may_run_programme(user, rec.session.programme):
            raise PermissionDenied(NOT_PROGRAMME_RUNNER)
        return
    _require_visit_team(user, rec.visit)  # type: ignore[arg-type]


def served_areas_q(puskesmas: Facility) -> Q:
    """A filter over Area keeping the cross-sector areas a recommendation to `puskesmas` may
    be addressed to: the desa of its working area and the kecamatan holding them."""
    return Q(level=AreaLevel.VILLAGE, served_by=puskesmas) | Q(
        level=AreaLevel.DISTRICT, children__served_by=puskesmas
    )


def _check_owner_area(content: RecommendationContent, area: Area, puskesmas: Facility) -> None:
    """A cross-sector owner: alone, a kecamatan or desa, within the puskesmas' working area."""
    if content.owner_role or content.owner_user is not None:
        raise _invalid(
            "owner_area",
            _(
                "Tujukan rekomendasi ke peran/petugas puskesmas atau ke wilayah lintas sektor, "
                "tidak keduanya."
            ),
        )
    if area.level not in AREA_TASK_LEVELS:
        raise _invalid(
            "owner_area",
            _("Wilayah lintas sektor yang dituju harus kecamatan atau desa/kelurahan."),
        )
    if not Area.objects.filter(served_areas_q(puskesmas), pk=area.pk).exists():
        raise _invalid(
            "owner_area",
            _("%(area)s di luar wilayah kerja puskesmas ini.") % {"area": area},
        )


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
    """Add a recommendation to the visit (the team's members; not to a cancelled visit)."""
    _require_visit_team(user, visit)
    if visit.state == VisitState.CANCELLED:
        raise Conflict(_("Kunjungan yang dibatalkan tidak menerima rekomendasi."))
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
        self.official_of = user.area_id if can_answer_area_tasks(user) else None
        self.member_of = frozenset(user.tpcb_teams.values_list("pk", flat=True))

    @cached_property
    def runs_programmes(self) -> frozenset[int]:
        """The programmes whose sessions' recommendations the user judges (read only when a
        page shows one: pages of visits alone cost no query more)."""
        from ilp.evaluation.programme_selectors import programmes_run_by

        return frozenset(programmes_run_by(self.user).values_list("pk", flat=True))

    def _judges(self, rec: Recommendation) -> bool:
        if rec.death_review_id is not None:
            return may_review_death(self.user, rec.death_review)
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
            and (self._answers(rec) if action in PUSKESMAS_ACTIONS else self._judges(rec))
        ]

    def _answers(self, rec: Recommendation) -> bool:
        # A task for a kecamatan or desa is answered by its camat or kepala desa only.
        if rec.owner_area_id is not None:
            return rec.owner_area_id == self.official_of
        return rec.puskesmas_id == self.staff_of

    def may_edit(self, rec: Recommendation) -> bool:
        return rec.state != RecState.VERIFIED and self._judges(rec)


def recommendation_act(
    *,
    user: User,
    recommendation: Recommendation,
    action: str,
    note: str = "",
    files: Sequence[Upload] = (),
) -> Recommendation:
    """Move a recommendation along its state machine: the puskesmas answers (its plan or
    progress, a note required, evidence `files` optional; a task for a kecamatan or desa: its
    camat or kepala desa), the team accepts, sends back (a reason required) or verifies
    (closes) it. The answer and its files are saved together or not at all."""
    rec = recommendation
    if action not in TRANSITIONS:
        raise _invalid("action", _("Tindakan tidak dikenal."))
    if action in PUSKESMAS_ACTIONS and rec.owner_area is not None:
        if not is_area_official(user, rec.owner_area):
            raise PermissionDenied(
                _("Hanya camat atau kepala desa yang dituju yang boleh menjawab tugas ini.")
            )
    elif action in PUSKESMAS_ACTIONS and not is_puskesmas_staff(user, rec.puskesmas):
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
    if files and action != "answer":
        raise _invalid(evidence.FIELD, _("Berkas bukti hanya dilampirkan pada jawaban puskesmas."))
    checked = evidence.check_files(files)
    with transaction.atomic():
        before = rec.state
        moved = Recommendation.objects.filter(pk=rec.pk, state=before).update(
            state=target, updated_by=user, updated_at=timezone.now()
        )
        if not moved:
            raise Conflict(_("Rekomendasi ini baru saja diubah orang lain; muat ulang halaman."))
        rec.refresh_from_db()
        event = _event(rec, user, action, before, note)
        evidence.store(event, checked, user)
        detail: dict[str, Any] = {"action": action, "from": before, "to": target}
        if checked:
            detail["evidence"] = [{"name": f.name, "sha256": f.sha256} for f in checked]
        _audit(user, AuditAction.UPDATE, rec, detail)
    return rec
