"""The demo district's specialist coaching: one programme of mother-and-child care and
referral, its sessions, participants, case reviews, test scores and recommendations.

``generate_programme(today=..., seed=...)`` (called by ``ilp.demo.coaching.generate_coaching``)
writes through the programme services, once (nothing when a programme exists):

- "Pendampingan KIA dan rujukan <year>": formed by the Dinkes two weeks before it starts,
  eleven months back, for a year; the obstetrician and the paediatrician logins; topics PONED,
  neonatal care and referral; every puskesmas of the district to cover;
- one session at every puskesmas but two (the programme is still running: e.g. "9 of 11
  visited"), spread over the months up to three days ago, and a second one at the demo
  puskesmas; each by one of the two specialists, alternately;
- participants: the puskesmas' staff logins and three to five named staff without a login;
  two case reviews (no personal identifier: an age, a gestation, what happened); a pre- and
  post-test per participant and topic (post = pre + about 14 points with noise; a few post
  tests missed);
- one or two recommendations per session, through the same course as a TPCB visit's
  (``coaching.follow_course``): answered by the puskesmas' staff login, judged and verified by
  the session's specialist.

As in ``ilp.demo.coaching``, rows are written "now" and then moved to the day they happened;
UUIDs are drawn from the seed."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from ilp.accounts.models import Role, User
from ilp.demo.coaching import (
    MONTHS_BACK,
    _backdate,
    _month_start,
    _Story,
    _weekday,
    follow_course,
    made_on,
)
from ilp.demo.generate import DEFAULT_SEED
from ilp.demo.geography import CITY_CODE
from ilp.demo.logins import DEMO_PUSKESMAS, puskesmas_login
from ilp.evaluation import programme_services as ps
from ilp.evaluation import services
from ilp.evaluation.models import Recommendation, RecState
from ilp.evaluation.programme_models import CoachingProgramme, CoachingSession, ProgrammeTopic
from ilp.evaluation.programme_selectors import programme_figures
from ilp.places.models import Facility, FacilityKind

SPECIALISTS = ("spesialis.obgyn", "spesialis.anak")
TOPICS = (
    ("poned", "Kegawatdaruratan obstetri dan neonatal dasar (PONED)"),
    ("neonatal", "Perawatan bayi baru lahir dan resusitasi neonatus"),
    ("rujukan", "Sistem rujukan maternal-neonatal"),
)
# Puskesmas of the district the programme has not reached yet (it is still running).
NOT_YET = 2
# Named staff without a login who take part (name, profession); drawn per session.
STAFF = (
    ("Bd. Sri Wahyuni", "bidan"),
    ("Bd. Baiq Rahmawati", "bidan"),
    ("Bd. Ni Made Ayu", "bidan"),
    ("Ns. Lalu Hendra", "perawat"),
    ("Ns. Dewi Anggraini", "perawat"),
    ("dr. Ahmad Fauzi", "dokter umum"),
    ("dr. Putu Santika", "dokter umum"),
    ("Bd. Rina Marlina", "bidan"),
)
# Cases discussed, without personal identifiers: (topic, summary, lessons).
CASES = (
    (
        "poned",
        "Ibu 34 tahun, G3P2, hamil 36 minggu, datang dengan tekanan darah 170/110 dan kejang "
        "di rumah; MgSO4 diberikan setelah 40 menit.",
        "Dosis awal MgSO4 disiapkan di ruang bersalin; latihan tim preeklamsia tiap triwulan.",
    ),
    (
        "poned",
        "Ibu 27 tahun, P2, perdarahan pascasalin 800 ml karena atonia; infus kedua terlambat "
        "dipasang.",
        "Kit perdarahan pascasalin lengkap di setiap ruang bersalin; peran tiap petugas dilatih.",
    ),
    (
        "neonatal",
        "Bayi laki-laki 2.100 gram lahir di pustu, hipotermia saat tiba di puskesmas dua jam "
        "kemudian.",
        "Metode kanguru sejak lahir dan saat perjalanan; termometer di setiap pustu.",
    ),
    (
        "neonatal",
        "Bayi perempuan cukup bulan tidak menangis saat lahir; ventilasi dimulai setelah tiga "
        "menit karena balon resusitasi tidak ditemukan.",
        "Alat resusitasi diperiksa setiap shift; menit emas dilatih bersama bidan desa.",
    ),
    (
        "rujukan",
        "Ibu 19 tahun, hamil pertama, partus lama di rumah; rujukan ke RS tertunda empat jam "
        "menunggu kendaraan desa.",
        "Daftar ambulans desa dan donor darah diperbarui; rujukan diberitahukan lewat SISRUTE.",
    ),
    (
        "rujukan",
        "Bayi 3 hari dengan ikterus dirujuk tanpa surat rujukan dan tanpa pemberitahuan ke RS.",
        "Format rujukan balik dan pemberitahuan sebelum berangkat dibahas di lokmin.",
    ),
)
# What a specialist asks of a puskesmas: (topic, what, why, owner role).
ASKS = (
    (
        "poned",
        "Latihan simulasi perdarahan pascasalin dan eklamsia setiap tiga bulan",
        "Tim ruang bersalin belum pernah berlatih bersama.",
        "k2",
    ),
    (
        "poned",
        "Lengkapi kit PONED (MgSO4, oksitosin, infus) dan periksa setiap shift",
        "Stok MgSO4 kosong saat sesi.",
        "kepala",
    ),
    (
        "neonatal",
        "Alat resusitasi neonatus siap pakai di ruang bersalin dan pustu",
        "Balon resusitasi bayi tidak lengkap.",
        "k2",
    ),
    (
        "neonatal",
        "Terapkan metode kanguru untuk bayi berat lahir rendah sebelum dan saat rujukan",
        "Dua kasus hipotermia bayi BBLR dibahas.",
        "k2",
    ),
    (
        "rujukan",
        "Perbarui daftar ambulans desa dan pendonor darah bersama desa",
        "Rujukan tertunda menunggu kendaraan.",
        "kepala",
    ),
    (
        "rujukan",
        "Umpan balik rujukan dari RS dicatat dan dibahas di lokmin",
        "Rujukan balik tidak tercatat di register.",
        "k1",
    ),
)


@dataclass
class ProgrammeSummary:
    sessions: int = 0
    visited: int = 0
    to_cover: int = 0
    participants: int = 0
    case_reviews: int = 0
    scores: int = 0
    mean_pre: float = 0.0
    mean_post: float = 0.0
    recommendations: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def programme_exists() -> bool:
    return CoachingProgramme.objects.exists()


def generate_programme(
    *,
    today: date,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> ProgrammeSummary | None:
    """The demo's specialist programme and its sessions (None when a programme exists)."""
    if programme_exists():
        return None
    started = time.perf_counter()
    story = _Story(random.Random(f"programme-{seed}"), today)  # noqa: S311 - demo data
    with transaction.atomic():
        dinkes = User.objects.get(username="dinkes")
        programme = form_programme(dinkes, story)
        sessions = hold_sessions(programme, story)
        recs = []
        for session in sessions:
            recs += recommend_at_session(session, story)
        for rec in recs:
            specialist = rec.session.specialist  # type: ignore[union-attr]
            follow_course(
                rec,
                story,
                judges=[specialist],
                verify_on=lambda day: day + timedelta(days=story.rng.randint(7, 21)),
                verify_note="Diverifikasi dari bukti yang dikirim puskesmas.",
            )
        _backdate(story, seed, label="programme")
    figures = programme_figures(programme)
    changes = [c for _t, c in figures.by_topic if c is not None]
    n = sum(c.n for c in changes) or 1
    summary = ProgrammeSummary(
        sessions=len(sessions),
        visited=figures.coverage.visited,
        to_cover=figures.coverage.total,
        participants=sum(s.participants.count() for s in sessions),
        case_reviews=sum(s.case_reviews.count() for s in sessions),
        scores=sum(c.n for c in changes),
        mean_pre=sum(c.mean_pre * c.n for c in changes) / n,
        mean_post=sum(c.mean_post * c.n for c in changes) / n,
        recommendations=len(recs),
        by_state={
            s: Recommendation.objects.filter(session__programme=programme, state=s).count()
            for s in RecState.values
        },
    )
    summary.seconds = time.perf_counter() - started
    if progress:
        progress(
            f"specialist programme: {summary.sessions} sessions, {summary.visited} of "
            f"{summary.to_cover} puskesmas ({summary.seconds:.1f} s)"
        )
    return summary


def form_programme(dinkes: User, story: _Story) -> CoachingProgramme:
    """The programme, from eleven months back for a year, formed two weeks before it starts."""
    start = _month_start(story.today, 1 - MONTHS_BACK)
    end = _month_start(story.today, 13 - MONTHS_BACK) - timedelta(days=1)
    puskesmas = Facility.objects.filter(
        kind=FacilityKind.PUSKESMAS, area__code__startswith=f"{CITY_CODE}."
    ).order_by("code")
    programme = ps.programme_save(
        user=dinkes,
        name=f"Pendampingan KIA dan rujukan {start.year}",
        start_date=start,
        end_date=end,
        specialists=User.objects.filter(username__in=SPECIALISTS, role=Role.SPECIALIST),
        puskesmas=puskesmas,
        topics=TOPICS,
    )
    formed = story.at(_weekday(start - timedelta(days=14)), 10)
    story.stamp(programme, created_at=formed, updated_at=formed)
    return programme


def hold_sessions(programme: CoachingProgramme, story: _Story) -> list[CoachingSession]:
    """A session at every puskesmas but NOT_YET, in a drawn order spread over the months up to
    three days ago, and a second one at the demo puskesmas; participants, cases and tests."""
    rng = story.rng
    puskesmas = list(programme.puskesmas.order_by("code"))
    rng.shuffle(puskesmas)
    covered = puskesmas[: max(1, len(puskesmas) - NOT_YET)]
    demo = next((f for f in covered if f.name == DEMO_PUSKESMAS), None)
    plan = covered + ([demo] if demo is not None else [])
    specialists = list(programme.specialists.order_by("username"))
    last = min(programme.end_date, story.today - timedelta(days=3))
    span = (last - programme.start_date).days
    sessions = []
    for n, place in enumerate(plan):
        day = programme.start_date + timedelta(days=span * n // len(plan) + rng.randint(0, 10))
        day = _weekday(min(day, last))
        if day > last:  # a weekend pushed past the last day
            day -= timedelta(days=3)
        specialist = specialists[n % len(specialists)]
        session = ps.session_create(
            user=specialist,
            programme=programme,
            puskesmas=place,
            specialist=specialist,
            session_date=day,
            notes="Sesi pendampingan di ruang bersalin dan poli KIA.",
        )
        moment = story.at(day, 16)
        story.stamp(session, created_at=moment, updated_at=moment)
        _take_part(session, specialist, story)
        sessions.append(session)
    return sorted(sessions, key=lambda s: (s.session_date, s.pk))


def _take_part(session: CoachingSession, specialist: User, story: _Story) -> None:
    """Participants, two case reviews and the tests of one session."""
    rng = story.rng
    staff = User.objects.filter(
        username=puskesmas_login(session.puskesmas.name), facility=session.puskesmas
    )
    others = rng.sample(STAFF, rng.randint(3, 5))
    participants = ps.session_participants_add(
        user=specialist, session=session, staff=staff, others=others
    )
    topics = {t.code: t for t in ProgrammeTopic.objects.filter(programme=session.programme)}
    moment = story.at(session.session_date, 13)
    for code, summary, lessons in rng.sample(CASES, 2):
        review = ps.case_review_add(
            user=specialist, session=session, topic=topics[code], summary=summary, lessons=lessons
        )
        story.stamp(review, created_at=moment)
    entries = []
    for participant in participants:
        for topic in topics.values():
            pre = min(95, max(10, round(rng.gauss(52, 12))))
            post = None if rng.random() < 0.08 else min(100, max(0, pre + round(rng.gauss(14, 9))))
            entries.append(ps.ScoreEntry(participant.pk, topic.pk, pre, post))
    ps.session_scores_set(user=specialist, session=session, entries=entries)


def recommend_at_session(session: CoachingSession, story: _Story) -> list[Recommendation]:
    """One or two of the specialist's recommendations, to a puskesmas role (at the demo
    puskesmas sometimes its staff login), due in 30 or 60 days."""
    rng = story.rng
    staff = User.objects.filter(
        username=puskesmas_login(session.puskesmas.name), facility=session.puskesmas
    ).first()
    recs = []
    for _topic, what, why, role in rng.sample(ASKS, rng.randint(1, 2)):
        to_staff = staff is not None and staff.cluster == role and rng.random() < 0.5
        content = services.RecommendationContent(
            what=what,
            why=why,
            owner_role="" if to_staff else role,
            owner_user=staff if to_staff else None,
            due_date=session.session_date + timedelta(days=rng.choice((30, 60))),
        )
        rec = ps.session_recommendation_create(
            user=session.specialist, session=session, content=content
        )
        recs.append(made_on(rec, session.session_date, story))
    return recs
