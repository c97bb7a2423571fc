"""Writes of specialist coaching programmes: the programme (dinkes administrator), its
sessions, their participants, case reviews, test scores and recommendations (whoever runs the
programme: its specialists, the dinkes administrator; ``may_run_programme``).

As in ``ilp.evaluation.services``: the right is checked first, bad input is refused with a
message on the field, each write is one transaction and audited. A session's recommendation is
an ordinary ``Recommendation`` (``session`` set) and then moves through
``services.recommendation_act`` like a visit's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import can_manage_programmes, may_run_programme
from ilp.accounts.models import AuditAction, Role, User
from ilp.core.exceptions import PermissionDenied
from ilp.evaluation.models import Recommendation
from ilp.evaluation.programme_models import (
    SCORE_MAX,
    SCORE_MIN,
    CaseReview,
    CoachingProgramme,
    CoachingSession,
    ProgrammeTopic,
    SessionParticipant,
    SessionScore,
)
from ilp.evaluation.services import (
    NOT_PROGRAMME_RUNNER,
    RecommendationContent,
    _audit,
    _event,
    _invalid,
)
from ilp.places.models import Facility, FacilityKind

TOPIC_CODE = re.compile(r"^[a-z0-9_-]{1,32}$")
# A case summary carries no personal identifier: a 16-digit number is a NIK or KK number.
IDENTITY_NUMBER = re.compile(r"\d{16}")


# ---------------------------------------------------------------- programmes


def _programme_checks(
    *,
    user: User,
    name: str,
    start_date: date | None,
    end_date: date | None,
    specialists: list[User],
    puskesmas: list[Facility],
    topics: list[tuple[str, str]],
) -> None:
    if not can_manage_programmes(user):
        raise PermissionDenied(
            _("Hanya administrator Dinas Kesehatan yang mengelola program pendampingan.")
        )
    if not name.strip():
        raise _invalid("name", _("Isi nama program."))
    if start_date is None:
        raise _invalid("start_date", _("Isi tanggal mulai program."))
    if end_date is None:
        raise _invalid("end_date", _("Isi tanggal selesai program."))
    if end_date < start_date:
        raise _invalid("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    if not specialists:
        raise _invalid("specialists", _("Pilih paling sedikit satu dokter spesialis."))
    wrong = [
        s.username for s in specialists if s.role != Role.SPECIALIST or s.area_id != user.area_id
    ]
    if wrong:
        raise _invalid(
            "specialists",
            _("Bukan dokter spesialis kabupaten/kota Anda: %(names)s.")
            % {"names": ", ".join(wrong)},
        )
    if not puskesmas:
        raise _invalid("puskesmas", _("Pilih puskesmas sasaran program."))
    district = user.area.code if user.area else ""
    outside = [
        f.name
        for f in puskesmas
        if f.kind != FacilityKind.PUSKESMAS
        or not (f.area.code == district or f.area.code.startswith(f"{district}."))
    ]
    if outside:
        raise _invalid(
            "puskesmas",
            _("Hanya puskesmas di kabupaten/kota Anda yang dapat menjadi sasaran: %(names)s.")
            % {"names": ", ".join(outside)},
        )
    if not topics:
        raise _invalid("topics", _("Tulis paling sedikit satu topik."))
    codes = [code for code, _name in topics]
    bad = [code for code, topic_name in topics if not TOPIC_CODE.match(code) or not topic_name]
    if bad:
        raise _invalid(
            "topics",
            _(
                "Tulis setiap topik sebagai “kode | nama”; kode huruf kecil, angka, - "
                "atau _: %(codes)s."
            )
            % {"codes": ", ".join(bad)},
        )
    if len(set(codes)) != len(codes):
        raise _invalid("topics", _("Kode topik tidak boleh berulang."))


def _set_topics(programme: CoachingProgramme, topics: list[tuple[str, str]]) -> None:
    """Add new topics and rename existing ones; a topic is never removed (scores and cases
    refer to it), so leaving one out is refused."""
    existing = {t.code: t for t in programme.topics.all()}
    dropped = sorted(set(existing) - {code for code, _name in topics})
    if dropped:
        raise _invalid(
            "topics",
            _("Topik yang sudah ada tidak dapat dihapus: %(codes)s.")
            % {"codes": ", ".join(dropped)},
        )
    for code, name in topics:
        topic = existing.get(code)
        if topic is None:
            ProgrammeTopic.objects.create(programme=programme, code=code, name=name)
        elif topic.name != name:
            topic.name = name
            topic.save(update_fields=["name"])


def _programme_detail(programme: CoachingProgramme) -> dict[str, Any]:
    return {
        "name": programme.name,
        "period": [programme.start_date.isoformat(), programme.end_date.isoformat()],
        "specialists": sorted(programme.specialists.values_list("username", flat=True)),
        "puskesmas": sorted(programme.puskesmas.values_list("code", flat=True)),
        "topics": list(programme.topics.values_list("code", flat=True)),
        "active": programme.is_active,
    }


def programme_save(
    *,
    user: User,
    programme: CoachingProgramme | None = None,
    name: str,
    start_date: date | None,
    end_date: date | None,
    specialists: Iterable[User],
    puskesmas: Iterable[Facility],
    topics: Iterable[tuple[str, str]],
    is_active: bool = True,
) -> CoachingProgramme:
    """Form a programme of the user's district (`programme` None) or change one: its name,
    period, specialists, puskesmas to cover and topics (``(code, name)``; added or renamed,
    never removed). Made inactive, never deleted."""
    specialists, puskesmas, topics = list(specialists), list(puskesmas), list(topics)
    _programme_checks(
        user=user,
        name=name,
        start_date=start_date,
        end_date=end_date,
        specialists=specialists,
        puskesmas=puskesmas,
        topics=topics,
    )
    if programme is not None and programme.district_id != user.area_id:
        raise PermissionDenied(_("Program ini bukan program kabupaten/kota Anda."))
    with transaction.atomic():
        creating = programme is None
        if programme is None:
            programme = CoachingProgramme(district=user.area, created_by=user)
        programme.name = name.strip()
        programme.start_date = start_date  # type: ignore[assignment]
        programme.end_date = end_date  # type: ignore[assignment]
        programme.is_active = is_active
        programme.updated_by = user
        programme.full_clean()
        programme.save()
        programme.specialists.set(specialists)
        programme.puskesmas.set(puskesmas)
        _set_topics(programme, topics)
        action = AuditAction.CREATE if creating else AuditAction.UPDATE
        _audit(user, action, programme, _programme_detail(programme))
    return programme


# ---------------------------------------------------------------- sessions


def _require_runner(user: User, programme: CoachingProgramme) -> None:
    if not may_run_programme(user, programme):
        raise PermissionDenied(NOT_PROGRAMME_RUNNER)


def session_create(
    *,
    user: User,
    programme: CoachingProgramme,
    puskesmas: Facility | None,
    specialist: User | None,
    session_date: date | None,
    notes: str = "",
) -> CoachingSession:
    """Record a session held by one of the programme's specialists at one of its puskesmas
    within its period."""
    _require_runner(user, programme)
    if not programme.is_active:
        raise _invalid("programme", _("Program ini tidak aktif lagi."))
    if puskesmas is None:
        raise _invalid("puskesmas", _("Pilih puskesmas tempat sesi."))
    if not programme.puskesmas.filter(pk=puskesmas.pk).exists():
        raise _invalid("puskesmas", _("Puskesmas ini bukan sasaran program ini."))
    if specialist is None:
        raise _invalid("specialist", _("Pilih dokter spesialis yang membina."))
    if not programme.specialists.filter(pk=specialist.pk).exists():
        raise _invalid("specialist", _("Dokter ini bukan spesialis program ini."))
    if session_date is None:
        raise _invalid("session_date", _("Isi tanggal sesi."))
    if not programme.start_date <= session_date <= programme.end_date:
        raise _invalid(
            "session_date",
            _("Tanggal sesi harus dalam masa program (%(start)s – %(end)s).")
            % {"start": programme.start_date.isoformat(), "end": programme.end_date.isoformat()},
        )
    if session_date > timezone.localdate():
        raise _invalid("session_date", _("Tanggal sesi tidak boleh di masa depan."))
    with transaction.atomic():
        session = CoachingSession(
            programme=programme,
            puskesmas=puskesmas,
            specialist=specialist,
            session_date=session_date,
            notes=notes.strip(),
            created_by=user,
            updated_by=user,
        )
        session.full_clean()
        session.save()
        _audit(
            user,
            AuditAction.CREATE,
            session,
            {
                "programme": str(programme.uuid),
                "puskesmas": puskesmas.code,
                "specialist": specialist.username,
                "date": session_date.isoformat(),
            },
        )
    return session


def session_participants_add(
    *,
    user: User,
    session: CoachingSession,
    staff: Iterable[User],
    others: Iterable[tuple[str, str]],
) -> list[SessionParticipant]:
    """Add participants: ILP users of the session's puskesmas (one already listed is not
    added twice) and staff without a login (``(name, profession)``)."""
    _require_runner(user, session.programme)
    staff, others = list(staff), [(n.strip(), p.strip()) for n, p in others]
    outsiders = [u.username for u in staff if u.facility_id != session.puskesmas_id]
    if outsiders:
        raise _invalid(
            "staff",
            _("Bukan staf puskesmas ini: %(names)s.") % {"names": ", ".join(outsiders)},
        )
    if any(not name or not profession for name, profession in others):
        raise _invalid("others", _("Tulis setiap peserta tanpa akun sebagai “nama | profesi”."))
    if not staff and not others:
        raise _invalid("staff", _("Pilih atau tulis paling sedikit satu peserta."))
    present = set(session.participants.filter(user__isnull=False).values_list("user_id", flat=True))
    with transaction.atomic():
        added = [
            SessionParticipant.objects.create(session=session, user=u)
            for u in staff
            if u.pk not in present
        ]
        added += [
            SessionParticipant.objects.create(session=session, name=name, profession=profession)
            for name, profession in others
        ]
        _audit(user, AuditAction.UPDATE, session, {"participants_added": len(added)})
    return added


def case_review_add(
    *,
    user: User,
    session: CoachingSession,
    topic: ProgrammeTopic | None,
    summary: str,
    lessons: str,
) -> CaseReview:
    """Add a case discussed at the session: summary (no personal identifiers), topic, lessons."""
    _require_runner(user, session.programme)
    if topic is None or topic.programme_id != session.programme_id:
        raise _invalid("topic", _("Pilih topik program ini."))
    if not summary.strip():
        raise _invalid("summary", _("Tulis ringkasan kasus."))
    if IDENTITY_NUMBER.search(summary) or IDENTITY_NUMBER.search(lessons):
        raise _invalid(
            "summary", _("Kajian kasus tidak boleh memuat NIK, nomor KK atau identitas lain.")
        )
    if not lessons.strip():
        raise _invalid("lessons", _("Tulis pelajaran yang diambil."))
    with transaction.atomic():
        review = CaseReview.objects.create(
            session=session,
            topic=topic,
            summary=summary.strip(),
            lessons=lessons.strip(),
            created_by=user,
        )
        _audit(user, AuditAction.UPDATE, session, {"case_review": review.pk, "topic": topic.code})
    return review


@dataclass(frozen=True)
class ScoreEntry:
    """The pre- and post-test of one participant on one topic (None: not taken)."""

    participant_id: int
    topic_id: int
    pre: int | None
    post: int | None

    def field(self, which: str) -> str:
        """The name of the form field that holds it (for the message on that field)."""
        return f"score-{self.participant_id}-{self.topic_id}-{which}"


def session_scores_set(
    *, user: User, session: CoachingSession, entries: Iterable[ScoreEntry]
) -> int:
    """Record the pre- and post-tests (0–100) of the session's participants on the
    programme's topics; a pair left empty is not stored. Returns how many pairs were saved."""
    _require_runner(user, session.programme)
    entries = list(entries)
    participants = set(session.participants.values_list("pk", flat=True))
    topics = set(session.programme.topics.values_list("pk", flat=True))
    for entry in entries:
        if entry.participant_id not in participants:
            raise _invalid("scores", _("Peserta ini tidak tercatat pada sesi ini."))
        if entry.topic_id not in topics:
            raise _invalid("scores", _("Topik ini bukan topik program ini."))
        for which, value in (("pre", entry.pre), ("post", entry.post)):
            if value is not None and not SCORE_MIN <= value <= SCORE_MAX:
                raise _invalid(
                    entry.field(which),
                    _("Nilai harus antara %(low)s dan %(high)s.")
                    % {"low": SCORE_MIN, "high": SCORE_MAX},
                )
    with transaction.atomic():
        saved = 0
        for entry in entries:
            if entry.pre is None and entry.post is None:
                SessionScore.objects.filter(
                    participant_id=entry.participant_id, topic_id=entry.topic_id
                ).update(pre=None, post=None)
                continue
            SessionScore.objects.update_or_create(
                participant_id=entry.participant_id,
                topic_id=entry.topic_id,
                defaults={"pre": entry.pre, "post": entry.post},
            )
            saved += 1
        _audit(user, AuditAction.UPDATE, session, {"scores": saved})
    return saved


def session_recommendation_create(
    *, user: User, session: CoachingSession, content: RecommendationContent
) -> Recommendation:
    """Add a recommendation to the session (whoever runs the programme); it then follows the
    same loop as a visit's (``services.recommendation_act``)."""
    _require_runner(user, session.programme)
    fields = content.fields(session)
    with transaction.atomic():
        rec = Recommendation(session=session, **fields, created_by=user, updated_by=user)
        rec.full_clean()
        rec.save()
        _event(rec, user, "create", "")
        _audit(user, AuditAction.CREATE, rec, {"session": str(session.uuid), "state": rec.state})
    return rec
