"""The demo district's coaching: TPCB teams, a year of visits and the recommendations they left.

``generate_coaching(today=..., seed=...)`` runs after the service history (the visits'
snapshots are read from its indicator counts) and writes, through the evaluation services
(their checks, audit rows and history rows):

- two TPCB teams formed by decree of the Kepala Dinas, "TPCB Wilayah Barat" (kecamatan
  Ampenan, Mataram, Sekarbela) and "TPCB Wilayah Timur" (Cakranegara, Selaparang); the
  puskesmas of Sandubaya (Babakan) waits for the decree's revision, so the Dinkes' list of
  puskesmas without a team shows one;
- visits from twelve months back to two months ahead: monthly to the demo logins' puskesmas
  (Ampenan) and to the first of the eastern team, every other month to the rest. Visits three
  days old or more are done: marked done on their date with the indicator snapshot of their
  month (``visit_mark_done``: computed from the demo's counts, nothing invented) and findings
  naming the lowest indicators; the rest are planned;
- the example checklist of every cluster (``checklist_seed_example``), published by the
  Dinkes ten days before the decree, so every visit takes version 1 when it is planned; each
  done visit's items answered on its day (mostly ya, some sebagian, tidak or tidak dinilai);
- one to three recommendations per done visit, on its lowest indicators (or a data-recording
  problem), addressed to the indicator's cluster, the head of the puskesmas or, at Ampenan, to
  the demo staff login; each then lives through a drawn course (answered, accepted and verified
  at the team's next visit; sent back and answered again; left unanswered past its due date …)
  cut at today, so every state is present, overdue ones included; at some visits one more on
  a checklist item answered tidak (``recommend_on_checklist``);
- a specialist coaching programme with its sessions, scores and recommendations
  (``ilp.demo.specialists``; written once, beside the teams).

The writes run "now"; afterwards each row's timestamps are moved to the day the story puts
them on (a visit's plan three weeks before it, its end on its date, each history event on its
day), and every UUID is drawn from the seed, so the same seed and `today` give the same rows.
The audit rows keep the generation's own time (they record what the generator did).

Composable: ``form_teams``, ``seed_checklists``, ``plan_visits``, ``answer_checklists``,
``hold_visit``, ``recommend``, ``recommend_on_checklist`` and ``live_through`` each do one
step, so later steps can be added beside them."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ilp.accounts.models import AuditEvent, Role, User
from ilp.demo.generate import DEFAULT_SEED
from ilp.demo.logins import (
    DEMO_PUSKESMAS,
    DemoLogin,
    coaching_login_specs,
    demo_login_specs,
    ensure_demo_logins,
    puskesmas_login,
)
from ilp.evaluation import services
from ilp.evaluation.models import (
    ChecklistAnswerCode,
    ChecklistItem,
    CoachingVisit,
    Recommendation,
    RecommendationEvent,
    RecState,
    TpcbTeam,
)
from ilp.evaluation.services_checklists import checklist_answer, checklist_seed_example
from ilp.monitoring.catalogue import load_catalogue
from ilp.places.models import AreaLevel, Facility, FacilityKind


@dataclass(frozen=True)
class TeamSpec:
    """A team by the kecamatan of the puskesmas it coaches, its lead and members (logins)."""

    name: str
    kecamatan: tuple[str, ...]
    lead: str
    members: tuple[str, ...]


TEAMS = (
    TeamSpec(
        "TPCB Wilayah Barat", ("52.71.01", "52.71.02", "52.71.04"), "tpcb",
        ("tpcb", "tpcb.kia", "dinkes"),
    ),
    TeamSpec(
        "TPCB Wilayah Timur", ("52.71.03", "52.71.05"), "tpcb.gizi",
        ("tpcb.gizi", "tpcb.ptm"),
    ),
)  # fmt: skip
MONTHS_BACK = 12
MONTHS_AHEAD = 2
# A visit this many days old or more is done; a more recent one is still to be written up.
DONE_AFTER_DAYS = 3

# What a team asks when an indicator is low (data, in the language the teams write in).
ASKS = {
    "k1": "Sweeping ibu hamil yang belum K1 bersama kader dan bidan pustu",
    "k4": "Kunjungan rumah ibu hamil yang putus ANC sebelum K4",
    "k6": "Jadwalkan ANC K5–K6 dengan dokter untuk ibu hamil trimester III",
    "kn1": "Kunjungan neonatal pertama dalam 48 jam untuk setiap persalinan",
    "kn_lengkap": "Pantau KN2–KN3 lewat kohort bayi; kunjungan rumah bayi yang belum",
    "kf_lengkap": "Kunjungan nifas KF2–KF4 dicatat di kohort ibu; kunjungan rumah yang belum",
    "idl": "Sweeping imunisasi anak yang belum lengkap di setiap posyandu",
    "baduta": "Daftar baduta yang belum imunisasi lanjutan; undang ke posyandu bulan depan",
    "ds": "Kader mengundang balita yang tidak datang ke posyandu; catat alasan tidak hadir",
    "skdn_nd": "Konseling gizi untuk balita yang tidak naik berat badannya dua bulan berturut",
    "ptm_15": "Posbindu PTM di setiap kelurahan; target skrining per bulan per pustu",
    "lansia_skrining": "Skrining lansia di posyandu lansia; jadwal per kelurahan",
    "hipertensi_pelayanan": "Daftar penderita hipertensi yang belum kontrol bulan ini; hubungi",
    "diabetes_pelayanan": "Daftar penderita diabetes yang belum cek gula darah bulan ini",
    "hipertensi_terkendali": "Tinjau kepatuhan minum obat penderita hipertensi tak terkendali",
    "diabetes_terkendali": "Edukasi diet dan obat untuk penderita diabetes tak terkendali",
}
# Recommendations without an indicator: what the team saw in the registers.
RECORDING_ASKS = (
    ("Perbarui kohort ibu setiap minggu", "Kohort ibu tertinggal tiga minggu dari register."),
    ("Lengkapi NIK penduduk baru di setiap posyandu", "Banyak balita baru belum ber-NIK."),
    ("Rapat lokmin bulanan dengan semua klaster", "Lokmin bulan lalu tidak terlaksana."),
    ("Rekap sasaran per kelurahan diperbarui", "Sasaran masih memakai angka tahun lalu."),
)
ANSWERS = (
    "Rencana: sweeping bersama kader minggu depan; daftar sasaran sudah dibuat.",
    "Sudah dijadwalkan di lokmin; penanggung jawab klaster ditunjuk.",
    "Kemajuan: separuh sasaran sudah dikunjungi, sisanya bulan ini.",
    "Sudah dikerjakan; rekap terlampir di register klaster.",
)
REANSWERS = (
    "Rencana diperbaiki: sasaran per kelurahan dan jadwal mingguan ditambahkan.",
    "Data dilengkapi: nama petugas dan tanggal kegiatan sudah dicatat.",
)
SEND_BACKS = (
    "Rencana belum menyebut sasaran dan jadwal; lengkapi.",
    "Belum ada bukti kegiatan; sertakan rekap atau daftar hadir.",
)
# How a team answers a checklist item (drawn with these weights) and what it notes.
CHECKLIST_ANSWERS = (
    (ChecklistAnswerCode.YES, 60),
    (ChecklistAnswerCode.PARTIAL, 18),
    (ChecklistAnswerCode.NO, 12),
    (ChecklistAnswerCode.NOT_ASSESSED, 10),
)
CHECKLIST_NOTES = {
    ChecklistAnswerCode.PARTIAL: "Baru sebagian; dibahas dengan penanggung jawab klaster.",
    ChecklistAnswerCode.NO: "Belum dilaksanakan saat kunjungan.",
    ChecklistAnswerCode.NOT_ASSESSED: "Petugas penanggung jawab tidak di tempat.",
}
# The course a recommendation takes after its visit (drawn; cut at today).
COURSES = (
    ("closed", 50),  # answered, accepted, verified at the team's next visit
    ("reworked", 15),  # answered, sent back, answered again, accepted, verified
    ("sent_back", 10),  # answered, sent back, not answered again
    ("waiting", 10),  # answered, the team has not judged it yet
    ("stalled", 15),  # never answered
)


@dataclass
class CoachingSummary:
    teams: int = 0
    visits: int = 0
    done: int = 0
    checklists: int = 0
    answers: int = 0
    recommendations: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    events: int = 0
    seconds: float = 0.0
    logins: list[DemoLogin] = field(default_factory=list)
    # The specialist programme (``ilp.demo.specialists``); None when one existed already.
    programme: Any = None


@dataclass
class _Story:
    """Rows written "now", and the moments the story puts them at (applied at the end)."""

    rng: random.Random
    today: date
    stamps: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    events: dict[int, datetime] = field(default_factory=dict)

    def at(self, day: date, hour: int | None = None) -> datetime:
        """A working-hours moment of `day` in the district's time zone."""
        hour = self.rng.randint(8, 14) if hour is None else hour
        moment = datetime.combine(day, dtime(hour, self.rng.randrange(0, 60, 5)))
        return timezone.make_aware(moment)

    def stamp(self, obj: Any, **moments: Any) -> None:
        self.stamps.append((obj, moments))


def coaching_exists() -> bool:
    return TpcbTeam.objects.exists()


def generate_coaching(
    *,
    today: date | None = None,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> CoachingSummary:
    """Teams, checklists, visits and recommendations of the demo district (nothing when a team
    exists), then the specialist programme (nothing when a programme exists)."""
    # Imported here: ilp.demo.specialists builds on this module's story and courses.
    from ilp.demo.specialists import generate_programme

    started = time.perf_counter()
    today = today or timezone.localdate()
    say = progress or (lambda message: None)
    summary = CoachingSummary(logins=ensure_demo_logins(coaching_login_specs()))
    if not coaching_exists():
        _generate_teams_and_visits(summary, today, seed, say)
    summary.programme = generate_programme(today=today, seed=seed, progress=say)
    summary.seconds = time.perf_counter() - started
    return summary


def _generate_teams_and_visits(
    summary: CoachingSummary, today: date, seed: int, say: Callable[[str], None]
) -> None:
    started = time.perf_counter()
    story = _Story(random.Random(f"coaching-{seed}"), today)  # noqa: S311 - demo data
    with transaction.atomic():
        dinkes = User.objects.get(username="dinkes")
        checklists = seed_checklists(dinkes, story)
        teams = form_teams(dinkes, story)
        visits = plan_visits(teams, story)
        say(f"{len(visits)} visits planned ({time.perf_counter() - started:.1f} s)")
        done = [v for v in visits if (today - v.planned_date).days >= DONE_AFTER_DAYS]
        by_puskesmas: dict[int, list[CoachingVisit]] = {}
        for visit in done:
            by_puskesmas.setdefault(visit.puskesmas_id, []).append(visit)
        answers = 0
        for visit in done:
            answers += len(answer_checklists(visit, story))
            hold_visit(visit, story)
        say(
            f"{len(done)} visits done, {answers} checklist answers, snapshots frozen "
            f"({time.perf_counter() - started:.1f} s)"
        )
        recs = 0
        for visit in done:
            later = [
                v for v in by_puskesmas[visit.puskesmas_id] if v.planned_date > visit.planned_date
            ]
            for rec in [*recommend(visit, story), *recommend_on_checklist(visit, story)]:
                live_through(rec, later, story)
                recs += 1
        recs += len(tasks_for_the_area(done, story))
        _backdate(story, seed)
        say(f"{recs} recommendations and their history ({time.perf_counter() - started:.1f} s)")
    summary.teams = len(teams)
    summary.checklists = len(checklists)
    summary.answers = answers
    summary.visits = len(visits)
    summary.done = len(done)
    summary.recommendations = recs
    visit_recs = Recommendation.objects.filter(visit__isnull=False)
    summary.by_state = {s: visit_recs.filter(state=s).count() for s in RecState.values}
    summary.overdue = visit_recs.filter(
        state__in=[RecState.OPEN, RecState.ANSWERED, RecState.ACCEPTED, RecState.SENT_BACK],
        due_date__lt=today,
    ).count()
    summary.events = RecommendationEvent.objects.filter(recommendation__visit__isnull=False).count()


def seed_checklists(dinkes: User, story: _Story) -> list[Any]:
    """The example checklist of every cluster as version 1, published by the Dinkes ten days
    before the teams' decree (so every visit of the year takes it when planned)."""
    versions = checklist_seed_example(user=dinkes)
    day = _weekday(_decree_date(story.today) - timedelta(days=10))
    moment = story.at(day, 9)
    for version in versions:
        story.stamp(version.checklist, created_at=moment, updated_at=moment)
        story.stamp(version, created_at=moment, updated_at=moment)
        for item in version.items.all():
            story.stamp(item, created_at=moment, updated_at=moment)
    return versions


def form_teams(dinkes: User, story: _Story) -> list[TpcbTeam]:
    """The district's teams, formed by the Kepala Dinas' decree in the month before the year of
    visits began."""
    decree = _decree_date(story.today)
    users = {u.username: u for u in User.objects.filter(username__in=_team_usernames())}
    teams = []
    for n, spec in enumerate(TEAMS, start=1):
        puskesmas = Facility.objects.filter(
            kind=FacilityKind.PUSKESMAS, area__parent__code__in=spec.kecamatan
        ).order_by("code")
        team = services.team_create(
            user=dinkes,
            name=spec.name,
            decree_number=f"800/{40 + n}/Dinkes/{decree.year}",
            decree_date=decree,
            lead=users[spec.lead],
            members=[users[m] for m in spec.members],
            puskesmas=puskesmas,
        )
        story.stamp(team, created_at=story.at(decree, 10), updated_at=story.at(decree, 10))
        teams.append(team)
    return teams


def _decree_date(today: date) -> date:
    return _weekday(_month_start(today, -MONTHS_BACK) - timedelta(days=20))


def _team_usernames() -> set[str]:
    return {m for spec in TEAMS for m in spec.members}


def plan_visits(teams: list[TpcbTeam], story: _Story) -> list[CoachingVisit]:
    """Each coached puskesmas' visits from MONTHS_BACK months ago to MONTHS_AHEAD ahead, on about
    the same day each time: monthly to the demo puskesmas and the first of every other team,
    every other month to the rest. Each planned three weeks before (yesterday at the latest)."""
    visits = []
    for t, team in enumerate(teams):
        members = list(team.members.order_by("username"))
        for p, puskesmas in enumerate(team.puskesmas.order_by("code")):
            monthly = puskesmas.name == DEMO_PUSKESMAS or (t > 0 and p == 0)
            day = story.rng.randint(4, 24)
            for offset in range(-MONTHS_BACK, MONTHS_AHEAD + 1):
                if not monthly and (offset + p) % 2:
                    continue
                month = _month_start(story.today, offset)
                when = _weekday(month.replace(day=min(28, max(1, day + story.rng.randint(-2, 2)))))
                going = [team.lead, *story.rng.sample([m for m in members if m != team.lead], 1)]
                visit = services.visit_plan(
                    user=team.lead, team=team, puskesmas=puskesmas, planned_date=when, members=going
                )
                planned = story.at(min(when - timedelta(days=21), story.today - timedelta(days=1)))
                story.stamp(visit, created_at=planned, updated_at=planned)
                visits.append(visit)
    return sorted(visits, key=lambda v: (v.planned_date, v.pk))


def answer_checklists(visit: CoachingVisit, story: _Story) -> list[Any]:
    """The team lead's answers to every item of the visit's checklists (while it is still
    planned: a done visit's answers are frozen), each drawn; on the visit's day."""
    rng = story.rng
    codes = [c for c, _w in CHECKLIST_ANSWERS]
    weights = [w for _c, w in CHECKLIST_ANSWERS]
    items = ChecklistItem.objects.filter(version__visits=visit).order_by("version_id", "position")
    answers = []
    moment = story.at(visit.planned_date, 11)
    for item in items:
        code = rng.choices(codes, weights)[0]
        answer = checklist_answer(
            user=visit.team.lead,
            visit=visit,
            item=item,
            answer=code,
            note=CHECKLIST_NOTES.get(code, ""),
        )
        story.stamp(answer, created_at=moment, updated_at=moment)
        answers.append(answer)
    return answers


def hold_visit(visit: CoachingVisit, story: _Story) -> CoachingVisit:
    """Mark the visit done (the snapshot of its month, frozen by the service) and write its
    findings: the lowest indicators of the snapshot."""
    member = visit.team.lead
    services.visit_mark_done(user=member, visit=visit)
    low = _lowest(visit.snapshot or {})
    findings = "Di bawah target bulan ini: " + "; ".join(
        f"{_name(row['code'])} {_pct(row['value'])} (target {_pct(row['target'])})"
        for row in low[:3]
    )
    if not low:
        findings = "Semua indikator yang tercatat di atas target."
    findings += ". Dibahas bersama kepala puskesmas dan penanggung jawab klaster."
    services.visit_findings_set(user=member, visit=visit, findings=findings)
    end = story.at(visit.planned_date, 15)
    story.stamp(visit, done_at=end, updated_at=end)
    return visit


def recommend(visit: CoachingVisit, story: _Story) -> list[Recommendation]:
    """One to three recommendations of a done visit: on two of its four lowest indicators, or
    on a recording problem, addressed to the indicator's cluster or the head (at the demo
    puskesmas sometimes to its staff login), due in 30, 45 or 60 days."""
    rng = story.rng
    low = _lowest(visit.snapshot or {})[:4]
    picked = rng.sample(low, min(len(low), rng.randint(1, 2)))
    staff = User.objects.filter(username=puskesmas_login(visit.puskesmas.name)).first()
    contents = []
    for row in picked:
        cluster = load_catalogue()[row["code"]].cluster
        to_staff = staff is not None and staff.cluster == f"k{cluster}" and rng.random() < 0.5
        contents.append(
            services.RecommendationContent(
                what=ASKS.get(row["code"], f"Rencana tindak lanjut untuk {_name(row['code'])}"),
                indicator=row["code"],
                why=(
                    "Jauh di bawah target saat kunjungan."
                    if row["value"] < row["target"] / 2
                    else "Di bawah target saat kunjungan."
                ),
                owner_role="" if to_staff else f"k{cluster}",
                owner_user=staff if to_staff else None,
                due_date=visit.planned_date + timedelta(days=rng.choice((30, 45, 60))),
            )
        )
    if not picked or rng.random() < 0.4:
        what, why = rng.choice(RECORDING_ASKS)
        contents.append(
            services.RecommendationContent(
                what=what,
                why=why,
                owner_role="kepala",
                due_date=visit.planned_date + timedelta(days=30),
            )
        )
    recs = []
    for content in contents:
        rec = services.recommendation_create(user=visit.team.lead, visit=visit, content=content)
        recs.append(made_on(rec, visit.planned_date, story))
    return recs


def recommend_on_checklist(visit: CoachingVisit, story: _Story) -> list[Recommendation]:
    """At about one done visit in three, one recommendation on an item of its checklists
    answered tidak, addressed to the item's cluster, due in 30 days."""
    missed = list(
        ChecklistItem.objects.filter(answers__visit=visit, answers__answer=ChecklistAnswerCode.NO)
        .select_related("version__checklist")
        .order_by("version_id", "position")
    )
    if not missed or story.rng.random() >= 0.35:
        return []
    item = story.rng.choice(missed)
    content = services.RecommendationContent(
        what=f"Tindak lanjuti butir {item.code} daftar tilik: {item.text}",
        checklist_item=item,
        indicator=item.indicator,
        why=f"Butir {item.code} dijawab tidak saat kunjungan.",
        owner_role=item.version.checklist.cluster,
        due_date=visit.planned_date + timedelta(days=30),
    )
    rec = services.recommendation_create(user=visit.team.lead, visit=visit, content=content)
    return [made_on(rec, visit.planned_date, story)]


def tasks_for_the_area(done: list[CoachingVisit], story: _Story) -> list[Recommendation]:
    """Tasks of the last two done visits to the demo puskesmas for the cross-sector logins: one
    for the camat of its kecamatan (left open) and one for the kepala desa of the demo desa,
    answered a week later and accepted by the team (a kecamatan meeting's follow-up). No
    random draw, so the visits' own courses stay as they were."""
    ampenan = [v for v in done if v.puskesmas.name == DEMO_PUSKESMAS][-2:]
    officials = User.objects.filter(role=Role.CROSS_SECTOR, username__in=_official_usernames())
    by_level = {u.area.level: u for u in officials.select_related("area") if u.area is not None}
    kades, camat = by_level.get(AreaLevel.VILLAGE), by_level.get(AreaLevel.DISTRICT)
    if len(ampenan) < 2 or kades is None or camat is None:
        return []
    older, newer = sorted(ampenan, key=lambda v: v.planned_date)
    made = []
    for visit, official, what in (
        (older, kades, "Gerakkan kader dan tokoh masyarakat untuk sweeping balita ke posyandu."),
        (newer, camat, "Bahas anggaran PMT lokal di rapat minggon kecamatan."),
    ):
        rec = services.recommendation_create(
            user=visit.team.lead,
            visit=visit,
            content=services.RecommendationContent(
                what=what,
                why="Tindak lanjut rapat lintas sektor kecamatan.",
                owner_area=official.area,
                due_date=visit.planned_date + timedelta(days=45),
            ),
        )
        made.append(made_on(rec, visit.planned_date, story))
    answer_day, accept_day = (
        older.planned_date + timedelta(days=7),
        older.planned_date + timedelta(days=12),
    )
    rec = made[0]
    for user, action, note, day in (
        (kades, "answer", "Jadwal sweeping disepakati di musyawarah desa.", answer_day),
        (older.team.lead, "accept", "", accept_day),
    ):
        if day >= story.today:
            break
        services.recommendation_act(user=user, recommendation=rec, action=action, note=note)
        story.events[rec.events.order_by("-pk").values_list("pk", flat=True)[0]] = story.at(day)
        story.stamp(rec, updated_at=story.at(day))
    return made


def _official_usernames() -> list[str]:
    return [s["username"] for s in demo_login_specs() if s["role"] == Role.CROSS_SECTOR]


def made_on(rec: Recommendation, day: date, story: _Story) -> Recommendation:
    """Put a new recommendation and its creation event on the afternoon of `day`."""
    made = story.at(day, 15)
    story.stamp(rec, created_at=made, updated_at=made)
    story.events.update(dict.fromkeys(rec.events.values_list("pk", flat=True), made))
    return rec


def live_through(rec: Recommendation, later: list[CoachingVisit], story: _Story) -> None:
    """Move the recommendation along a drawn course, each step on its day, up to yesterday:
    the puskesmas answers within three weeks, the team judges within ten days and verifies an
    accepted one at its next done visit (`later`: the puskesmas' done visits after this one)."""
    members = list(rec.visit.members.all()) if rec.visit is not None else []
    follow_course(
        rec,
        story,
        judges=members,
        verify_on=lambda day: next((v.planned_date for v in later if v.planned_date > day), None),
    )


def follow_course(
    rec: Recommendation,
    story: _Story,
    *,
    judges: list[User],
    verify_on: Callable[[date], date | None],
    verify_note: str = "Diverifikasi saat kunjungan; capaian dipantau.",
) -> None:
    """Walk a recommendation through a course drawn from COURSES, cut at today: its
    puskesmas' staff login answers, one of `judges` accepts or sends back, and verifies on the
    day `verify_on(last step's day)` gives (None: not yet)."""
    rng = story.rng
    course = rng.choices([c for c, _w in COURSES], [w for _c, w in COURSES])[0]
    staff = User.objects.filter(username=puskesmas_login(rec.puskesmas.name)).first()
    day = rec.origin_date
    steps: list[tuple[str, int, str]] = []
    if course != "stalled":
        steps.append(("answer", rng.randint(5, 20), rng.choice(ANSWERS)))
    if course in ("reworked", "sent_back"):
        steps.append(("send_back", rng.randint(3, 10), rng.choice(SEND_BACKS)))
    if course == "reworked":
        steps.append(("answer", rng.randint(5, 15), rng.choice(REANSWERS)))
    if course in ("closed", "reworked"):
        steps.append(("accept", rng.randint(3, 10), ""))
        steps.append(("verify", 0, verify_note))
    for action, days, note in steps:
        if action == "verify":
            nxt = verify_on(day)
            if nxt is None:
                return
            day = nxt
        else:
            day = day + timedelta(days=days)
        if day >= story.today:
            return
        user = staff if action == "answer" else rng.choice(judges)
        if user is None:
            return
        services.recommendation_act(user=user, recommendation=rec, action=action, note=note)
        moment = story.at(day)
        event = rec.events.order_by("-pk").values_list("pk", flat=True)[0]
        story.events[event] = moment
        story.stamp(rec, updated_at=moment)


def _backdate(story: _Story, seed: int, label: str = "coaching") -> None:
    """Put each row at the moment of the story and give it a UUID drawn from the seed (the audit
    rows follow the new UUID); a row without a UUID only gets its moments."""
    ids = random.Random(f"{label}-uuids-{seed}")  # noqa: S311 - demo data
    merged: dict[tuple[type[models.Model], int], tuple[Any, dict[str, Any]]] = {}
    for obj, moments in story.stamps:
        key = (type(obj), obj.pk)
        merged.setdefault(key, (obj, {}))[1].update(moments)
    for (model, pk), (obj, moments) in merged.items():
        if not hasattr(obj, "uuid"):
            model._default_manager.filter(pk=pk).update(**moments)
            continue
        new = uuid.UUID(int=ids.getrandbits(128), version=4)
        AuditEvent.objects.filter(object_uuid=obj.uuid).update(object_uuid=new)
        model._default_manager.filter(pk=pk).update(uuid=new, **moments)
    for pk, moment in story.events.items():
        RecommendationEvent.objects.filter(pk=pk).update(at=moment)


def _lowest(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's indicators below target (higher is better, some value recorded), the
    farthest below first."""
    catalogue = load_catalogue()
    rows = [
        r
        for r in snapshot.get("rows", [])
        if r["code"] in catalogue
        and catalogue[r["code"]].direction == "up"
        and r["value"]
        and r["target"]
        and r["value"] < r["target"]
    ]
    return sorted(rows, key=lambda r: (r["value"] / r["target"], r["code"]))


def _name(code: str) -> str:
    return load_catalogue()[code].name_id


def _pct(value: float) -> str:
    return f"{value:.1f} %".replace(".", ",")


def _month_start(today: date, offset: int) -> date:
    index = today.year * 12 + today.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def _weekday(day: date) -> date:
    """The day, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
