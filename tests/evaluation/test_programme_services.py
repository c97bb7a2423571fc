"""Writes of specialist coaching programmes: who may write, the specific message of each bad
input, the audit rows, the scores and figures, and a session's recommendations in the same
loop as a visit's (judged by the programme's specialists or the dinkes administrator)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ilp.accounts.models import AuditEvent, Role, User
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.evaluation import programme_selectors, programme_services, services
from ilp.evaluation.models import Recommendation, RecState
from ilp.evaluation.programme_figures import Coverage, ScoreChange
from ilp.evaluation.programme_models import SessionScore
from ilp.evaluation.programme_services import ScoreEntry

pytestmark = pytest.mark.django_db

RUNNER = "Hanya dokter spesialis program ini atau Dinas Kesehatan yang boleh melakukannya."


def _programme_kwargs(district, spog, **over):
    kwargs = {
        "user": district.dinkes,
        "name": "Pendampingan KIA 2026",
        "start_date": date(2026, 1, 1),
        "end_date": date(2026, 12, 31),
        "specialists": [spog],
        "puskesmas": [district.pkm_barat_f],
        "topics": [("poned", "PONED")],
    }
    kwargs.update(over)
    return kwargs


def test_programme_save_stores_and_audits(district, spog):
    programme = programme_services.programme_save(**_programme_kwargs(district, spog))
    assert programme.district == district.city
    assert list(programme.topics.values_list("code", "name")) == [("poned", "PONED")]
    event = AuditEvent.objects.get(object_uuid=programme.uuid)
    assert (event.action, event.object_type, event.user) == (
        "create",
        "coachingprogramme",
        district.dinkes,
    )
    assert event.detail == {
        "name": "Pendampingan KIA 2026",
        "period": ["2026-01-01", "2026-12-31"],
        "specialists": ["spog"],
        "puskesmas": ["P5271010101"],
        "topics": ["poned"],
        "active": True,
    }


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"name": " "}, "name", "Isi nama program."),
        ({"start_date": None}, "start_date", "Isi tanggal mulai program."),
        (
            {"end_date": date(2025, 12, 31)},
            "end_date",
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        ({"specialists": []}, "specialists", "Pilih paling sedikit satu dokter spesialis."),
        (
            {"specialists": "tpcb"},
            "specialists",
            "Bukan dokter spesialis kabupaten/kota Anda: tpcb.",
        ),
        ({"puskesmas": []}, "puskesmas", "Pilih puskesmas sasaran program."),
        (
            {"puskesmas": "hospital_f"},
            "puskesmas",
            "Hanya puskesmas di kabupaten/kota Anda yang dapat menjadi sasaran: RSUD Kota Uji.",
        ),
        ({"topics": []}, "topics", "Tulis paling sedikit satu topik."),
        (
            {"topics": [("PONED!", "PONED")]},
            "topics",
            "Tulis setiap topik sebagai \u201ckode | nama\u201d; kode huruf kecil, angka, - "
            "atau _: PONED!.",
        ),
        (
            {"topics": [("poned", "PONED"), ("poned", "Lagi")]},
            "topics",
            "Kode topik tidak boleh berulang.",
        ),
    ],
)
def test_programme_bad_input(district, spog, over, field, message):
    resolved = {
        key: [getattr(district, value)] if isinstance(value, str) and key != "name" else value
        for key, value in over.items()
    }
    with pytest.raises(ValidationFailed) as exc:
        programme_services.programme_save(**_programme_kwargs(district, spog, **resolved))
    assert exc.value.fields == {field: [message]}


@pytest.mark.parametrize("who", ["tpcb", "pkm_barat", "camat_barat", "spog"])
def test_only_dinkes_admin_forms_programmes(district, spog, who):
    user = spog if who == "spog" else getattr(district, who)
    with pytest.raises(PermissionDenied) as exc:
        programme_services.programme_save(**_programme_kwargs(district, spog, user=user))
    assert str(exc.value.message) == (
        "Hanya administrator Dinas Kesehatan yang mengelola program pendampingan."
    )


def test_topics_are_added_or_renamed_never_removed(district, spog, programme):
    kwargs = _programme_kwargs(district, spog, programme=programme)
    with pytest.raises(ValidationFailed) as exc:
        programme_services.programme_save(**kwargs)
    assert exc.value.fields == {
        "topics": ["Topik yang sudah ada tidak dapat dihapus: neonatal, rujukan."]
    }
    kwargs["topics"] = [
        ("poned", "PONED dasar"),
        ("neonatal", "Perawatan neonatal"),
        ("rujukan", "Rujukan"),
        ("anc", "ANC terpadu"),
    ]
    programme_services.programme_save(**kwargs)
    assert list(programme.topics.values_list("code", "name")) == [
        ("poned", "PONED dasar"),
        ("neonatal", "Perawatan neonatal"),
        ("rujukan", "Rujukan"),
        ("anc", "ANC terpadu"),
    ]


# ---------------------------------------------------------------- sessions


def _session(district, programme, user, **over):
    kwargs = {
        "user": user,
        "programme": programme,
        "puskesmas": district.pkm_barat_f,
        "specialist": user if user.role == Role.SPECIALIST else programme.specialists.first(),
        "session_date": date(2026, 3, 15),
    }
    kwargs.update(over)
    return programme_services.session_create(**kwargs)


def test_session_create_audits(district, programme, spog):
    session = _session(district, programme, spog)
    event = AuditEvent.objects.get(object_uuid=session.uuid)
    assert (event.action, event.object_type, event.user) == ("create", "coachingsession", spog)
    assert event.detail == {
        "programme": str(programme.uuid),
        "puskesmas": "P5271010101",
        "specialist": "spog",
        "date": "2026-03-15",
    }


def test_dinkes_admin_records_a_session_for_a_specialist(district, programme, spa):
    session = _session(district, programme, district.dinkes, specialist=spa)
    assert (session.specialist, session.created_by) == (spa, district.dinkes)


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"puskesmas": None}, "puskesmas", "Pilih puskesmas tempat sesi."),
        (
            {"puskesmas": "pustu_ampel_f"},
            "puskesmas",
            "Puskesmas ini bukan sasaran program ini.",
        ),
        ({"specialist": "sp_other"}, "specialist", "Dokter ini bukan spesialis program ini."),
        ({"specialist": "tpcb"}, "specialist", "Dokter ini bukan spesialis program ini."),
        ({"session_date": None}, "session_date", "Isi tanggal sesi."),
        (
            {"session_date": date(2025, 12, 31)},
            "session_date",
            "Tanggal sesi harus dalam masa program (2026-01-01 – 2026-12-31).",
        ),
        (
            {"session_date": date(2027, 1, 1)},
            "session_date",
            "Tanggal sesi harus dalam masa program (2026-01-01 – 2026-12-31).",
        ),
    ],
)
def test_session_bad_input(district, programme, spog, sp_other, over, field, message):
    people = {"sp_other": sp_other}
    resolved = {
        key: (people.get(value) or getattr(district, value)) if isinstance(value, str) else value
        for key, value in over.items()
    }
    with pytest.raises(ValidationFailed) as exc:
        _session(district, programme, spog, **resolved)
    assert exc.value.fields == {field: [message]}


def test_session_in_the_future_is_refused(district, spog):
    today = timezone.localdate()
    programme = programme_services.programme_save(
        **_programme_kwargs(district, spog, end_date=today + timedelta(days=30))
    )
    with pytest.raises(ValidationFailed) as exc:
        _session(district, programme, spog, session_date=today + timedelta(days=1))
    assert exc.value.fields == {"session_date": ["Tanggal sesi tidak boleh di masa depan."]}


def test_session_at_a_puskesmas_outside_the_programme(district, spog):
    programme = programme_services.programme_save(**_programme_kwargs(district, spog))
    with pytest.raises(ValidationFailed) as exc:
        _session(district, programme, spog, puskesmas=district.pkm_timur_f)
    assert exc.value.fields == {"puskesmas": ["Puskesmas ini bukan sasaran program ini."]}


@pytest.mark.parametrize("who", ["sp_other", "tpcb", "pkm_barat", "bidan_ampel", "camat_barat"])
def test_only_the_programmes_runners_record_sessions(district, programme, sp_other, who):
    user = sp_other if who == "sp_other" else getattr(district, who)
    with pytest.raises(PermissionDenied) as exc:
        _session(district, programme, user, specialist=programme.specialists.first())
    assert str(exc.value.message) == RUNNER


def test_inactive_programme_takes_no_session(district, spog, programme):
    programme.is_active = False
    programme.save()
    with pytest.raises(ValidationFailed) as exc:
        _session(district, programme, spog)
    assert exc.value.fields == {"programme": ["Program ini tidak aktif lagi."]}


# ---------------------------------------------------------------- participants, cases, scores


def test_participants_staff_of_the_puskesmas_once_and_named_staff(district, session, spog):
    added = programme_services.session_participants_add(
        user=spog, session=session, staff=[district.pkm_barat], others=[("Kadek", "perawat")]
    )
    assert [(p.user, p.name, p.profession) for p in added] == [(None, "Kadek", "perawat")]
    assert [p.display_name for p in session.participants.all()] == [
        "pkm_barat",
        "Ni Made Sari",
        "Kadek",
    ]
    assert AuditEvent.objects.filter(
        object_uuid=session.uuid, detail__participants_added=1
    ).exists()


def test_participant_from_another_facility_is_refused(district, session, spog):
    pkm_timur = User.objects.create_user(
        username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
    )
    with pytest.raises(ValidationFailed) as exc:
        programme_services.session_participants_add(
            user=spog, session=session, staff=[pkm_timur, district.bidan_ampel], others=[]
        )
    assert exc.value.fields == {"staff": ["Bukan staf puskesmas ini: pkm_timur, bidan_ampel."]}
    assert session.participants.count() == 2


@pytest.mark.parametrize(
    ("others", "field", "message"),
    [
        (
            [("Kadek", "")],
            "others",
            "Tulis setiap peserta tanpa akun sebagai \u201cnama | profesi\u201d.",
        ),
        ([], "staff", "Pilih atau tulis paling sedikit satu peserta."),
    ],
)
def test_participants_bad_input(district, session, spog, others, field, message):
    with pytest.raises(ValidationFailed) as exc:
        programme_services.session_participants_add(
            user=spog, session=session, staff=[], others=others
        )
    assert exc.value.fields == {field: [message]}


def test_case_review_without_identifiers(district, session, spog, programme):
    poned = programme.topics.get(code="poned")
    review = programme_services.case_review_add(
        user=spog,
        session=session,
        topic=poned,
        summary="Ibu G2P1 35 minggu, perdarahan antepartum, dirujuk 3 jam setelah tiba",
        lessons="Rujuk segera; pasang infus sebelum berangkat",
    )
    assert review.topic == poned
    assert AuditEvent.objects.filter(object_uuid=session.uuid, detail__topic="poned").exists()
    with pytest.raises(ValidationFailed) as exc:
        programme_services.case_review_add(
            user=spog,
            session=session,
            topic=poned,
            summary="Ny. X NIK 5271011203850001, perdarahan",
            lessons="Rujuk segera",
        )
    assert exc.value.fields == {
        "summary": ["Kajian kasus tidak boleh memuat NIK, nomor KK atau identitas lain."]
    }


def test_case_review_topic_of_another_programme(district, session, spog, spa):
    other = programme_services.programme_save(**_programme_kwargs(district, spa))
    with pytest.raises(ValidationFailed) as exc:
        programme_services.case_review_add(
            user=spog,
            session=session,
            topic=other.topics.get(),
            summary="Bayi BBLR",
            lessons="KMC",
        )
    assert exc.value.fields == {"topic": ["Pilih topik program ini."]}


def _ids(session, programme):
    staff, named = session.participants.all()
    topics = {t.code: t.pk for t in programme.topics.all()}
    return staff.pk, named.pk, topics


@pytest.mark.parametrize(("pre", "post", "which"), [(120, 80, "pre"), (40, -1, "post")])
def test_score_out_of_range_is_refused_on_its_field(
    district, session, spog, programme, pre, post, which
):
    staff, _named, topics = _ids(session, programme)
    entry = ScoreEntry(staff, topics["poned"], pre, post)
    with pytest.raises(ValidationFailed) as exc:
        programme_services.session_scores_set(user=spog, session=session, entries=[entry])
    assert exc.value.fields == {
        f"score-{staff}-{topics['poned']}-{which}": ["Nilai harus antara 0 dan 100."]
    }
    assert not SessionScore.objects.exists()


def test_score_of_a_participant_of_another_session_is_refused(district, session, spog, programme):
    other = _session(district, programme, spog, session_date=date(2026, 4, 1))
    programme_services.session_participants_add(
        user=spog, session=other, staff=[], others=[("Kadek", "perawat")]
    )
    (stranger,) = other.participants.all()
    entry = ScoreEntry(stranger.pk, programme.topics.first().pk, 50, 60)
    with pytest.raises(ValidationFailed) as exc:
        programme_services.session_scores_set(user=spog, session=session, entries=[entry])
    assert exc.value.fields == {"scores": ["Peserta ini tidak tercatat pada sesi ini."]}


def test_scores_are_saved_updated_and_audited(district, session, spog, programme):
    staff, named, topics = _ids(session, programme)
    saved = programme_services.session_scores_set(
        user=spog,
        session=session,
        entries=[
            ScoreEntry(staff, topics["poned"], 40, 70),
            ScoreEntry(named, topics["poned"], 60, None),
            ScoreEntry(named, topics["neonatal"], None, None),
        ],
    )
    assert saved == 2
    programme_services.session_scores_set(
        user=spog, session=session, entries=[ScoreEntry(named, topics["poned"], 60, 90)]
    )
    assert sorted(SessionScore.objects.values_list("participant", "pre", "post")) == sorted(
        [(staff, 40, 70), (named, 60, 90)]
    )
    details = list(
        AuditEvent.objects.filter(object_uuid=session.uuid, detail__has_key="scores")
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [{"scores": 2}, {"scores": 1}]


def test_score_range_is_a_database_constraint_too(session, programme):
    participant = session.participants.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionScore.objects.create(
            participant=participant, topic=programme.topics.first(), pre=120
        )


def test_programme_figures_hand_worked(district, programme, session, spog, spa):
    """Barat (15 March): pkm_barat poned 40→70, neonatal 50→90; Sari poned 60→80.
    Timur (1 April, spa): Kadek poned 30→40. Rujukan: no score.
    Poned: (40+60+30)/3 = 43.3 → (70+80+40)/3 = 63.3, change 20.0, n 3. Neonatal: 50→90, n 1.
    Barat: pkm_barat (40+50)/2 = 45 → (70+90)/2 = 80; Sari 60 → 80: pre 52.5, post 80.0.
    Timur: 30 → 40. Coverage: 2 of 2."""
    staff, named, topics = _ids(session, programme)
    programme_services.session_scores_set(
        user=spog,
        session=session,
        entries=[
            ScoreEntry(staff, topics["poned"], 40, 70),
            ScoreEntry(staff, topics["neonatal"], 50, 90),
            ScoreEntry(named, topics["poned"], 60, 80),
        ],
    )
    before = programme_selectors.programme_figures(programme)
    assert before.coverage == Coverage(1, 2, [district.pkm_timur_f.pk])
    timur = _session(
        district, programme, spa, puskesmas=district.pkm_timur_f, session_date=date(2026, 4, 1)
    )
    programme_services.session_participants_add(
        user=spa, session=timur, staff=[], others=[("Kadek", "perawat")]
    )
    (kadek,) = timur.participants.all()
    programme_services.session_scores_set(
        user=spa, session=timur, entries=[ScoreEntry(kadek.pk, topics["poned"], 30, 40)]
    )
    figures = programme_selectors.programme_figures(programme)
    assert figures.coverage == Coverage(2, 2, [])
    assert [(t.code, c) for t, c in figures.by_topic] == [
        ("poned", ScoreChange(3, 43.3, 63.3, 20.0)),
        ("neonatal", ScoreChange(1, 50.0, 90.0, 40.0)),
        ("rujukan", None),
    ]
    assert [(f.name, c) for f, c in figures.by_puskesmas] == [
        ("Puskesmas Barat", ScoreChange(2, 52.5, 80.0, 27.5)),
        ("Puskesmas Timur", ScoreChange(1, 30.0, 40.0, 10.0)),
    ]


# ---------------------------------------------------------------- recommendations


def test_recommendation_has_exactly_one_origin(district, session, visit):
    common = {"what": "x", "why": "y", "owner_role": "k2", "due_date": date(2026, 5, 1)}
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(visit=visit, session=session, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(**common)


def test_session_recommendation_origin_and_audit(district, session, session_rec, spog):
    assert (session_rec.origin, session_rec.puskesmas, session_rec.origin_date) == (
        session,
        district.pkm_barat_f,
        date(2026, 3, 15),
    )
    event = AuditEvent.objects.get(object_uuid=session_rec.uuid)
    assert (event.action, event.user, event.detail) == (
        "create",
        spog,
        {"session": str(session.uuid), "state": "open"},
    )


def test_session_recommendation_due_before_the_session(district, session, spog):
    content = services.RecommendationContent(
        what="x", why="y", owner_role="k2", due_date=date(2026, 3, 14)
    )
    with pytest.raises(ValidationFailed) as exc:
        programme_services.session_recommendation_create(
            user=spog, session=session, content=content
        )
    assert exc.value.fields == {"due_date": ["Batas waktu tidak boleh sebelum tanggal kunjungan."]}


def test_session_recommendation_owner_outside_the_puskesmas(district, session, spog):
    content = services.RecommendationContent(
        what="x", why="y", owner_user=district.bidan_ampel, due_date=date(2026, 5, 1)
    )
    with pytest.raises(ValidationFailed) as exc:
        programme_services.session_recommendation_create(
            user=spog, session=session, content=content
        )
    assert exc.value.fields == {"owner_user": ["Petugas yang dituju bukan staf puskesmas ini."]}


def test_session_recommendation_loop(district, session_rec, spa):
    """The puskesmas answers, another specialist of the programme sends it back, the
    puskesmas answers again, the dinkes administrator accepts and the specialist verifies."""
    act = services.recommendation_act
    act(user=district.pkm_barat, recommendation=session_rec, action="answer", note="Jadwal")
    act(user=spa, recommendation=session_rec, action="send_back", note="Tanpa pelatih")
    act(user=district.pkm_barat, recommendation=session_rec, action="answer", note="Pelatih RS")
    act(user=district.dinkes, recommendation=session_rec, action="accept")
    act(user=spa, recommendation=session_rec, action="verify")
    assert session_rec.state == RecState.VERIFIED
    assert [
        (e.by.username, e.action, e.from_state, e.to_state) for e in session_rec.events.all()
    ] == [
        ("spog", "create", "", "open"),
        ("pkm_barat", "answer", "open", "answered"),
        ("spa", "send_back", "answered", "sent_back"),
        ("pkm_barat", "answer", "sent_back", "answered"),
        ("dinkes", "accept", "answered", "accepted"),
        ("spa", "verify", "accepted", "verified"),
    ]


@pytest.mark.parametrize("who", ["sp_other", "tpcb", "pkm_barat"])
def test_session_recommendation_judged_only_by_the_programmes_runners(
    district, session_rec, sp_other, who
):
    services.recommendation_act(
        user=district.pkm_barat, recommendation=session_rec, action="answer", note="Jadwal"
    )
    user = sp_other if who == "sp_other" else getattr(district, who)
    with pytest.raises(PermissionDenied) as exc:
        services.recommendation_act(user=user, recommendation=session_rec, action="accept")
    assert str(exc.value.message) == RUNNER


@pytest.mark.parametrize("who", ["spog", "bidan_ampel", "dinkes", "pkm_timur"])
def test_session_recommendation_answered_only_by_its_puskesmas(district, session_rec, spog, who):
    users = {
        "spog": spog,
        "pkm_timur": User.objects.create_user(
            username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
        ),
    }
    user = users.get(who) or getattr(district, who)
    with pytest.raises(PermissionDenied) as exc:
        services.recommendation_act(
            user=user, recommendation=session_rec, action="answer", note="x"
        )
    assert str(exc.value.message) == (
        "Hanya staf puskesmas yang dituju yang boleh menjawab rekomendasi ini."
    )


def test_session_recommendation_edit_by_runner_only(district, session_rec, spa, sp_other):
    content = services.RecommendationContent(
        what="Latih ulang", why="Post-test rendah", owner_role="k2", due_date=date(2026, 6, 30)
    )
    services.recommendation_update(user=spa, recommendation=session_rec, content=content)
    session_rec.refresh_from_db()
    assert session_rec.due_date == date(2026, 6, 30)
    with pytest.raises(PermissionDenied):
        services.recommendation_update(user=sp_other, recommendation=session_rec, content=content)
