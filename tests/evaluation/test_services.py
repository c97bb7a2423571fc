"""Services of evaluation and coaching: each bad input with its exact message, the
recommendation's state machine (every invalid move refused), history and audit rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.evaluation import services
from ilp.evaluation.models import Recommendation, RecState

pytestmark = pytest.mark.django_db


def _team_kwargs(district, **over):
    kwargs = {
        "user": district.dinkes,
        "name": "Tim Timur",
        "decree_number": "800/13",
        "decree_date": date(2026, 2, 1),
        "lead": district.tpcb,
        "members": [district.tpcb],
        "puskesmas": [district.pkm_timur_f],
    }
    kwargs.update(over)
    return kwargs


def test_team_create_stores_members_puskesmas_and_audits(district):
    team = services.team_create(**_team_kwargs(district))
    assert list(team.members.values_list("username", flat=True)) == ["tpcb"]
    assert list(team.puskesmas.values_list("code", flat=True)) == ["P5271020101"]
    assert team.district == district.city
    event = AuditEvent.objects.get(object_uuid=team.uuid)
    assert (event.action, event.object_type, event.user) == ("create", "tpcbteam", district.dinkes)
    assert event.detail["puskesmas"] == ["P5271020101"]


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        (
            {"decree_date": "tomorrow"},
            "decree_date",
            "Tanggal SK tidak boleh di masa depan.",
        ),
        ({"lead": "dinkes"}, "lead", "Ketua tim harus salah satu anggota tim."),
        ({"members": []}, "members", "Tim perlu paling sedikit satu anggota."),
        (
            {"members": ["pkm_barat"]},
            "members",
            "Anggota tim harus staf Dinas Kesehatan atau analis TPCB: pkm_barat.",
        ),
        (
            {"puskesmas": ["pustu_ampel_f"]},
            "puskesmas",
            "Hanya puskesmas di kabupaten/kota Anda yang dapat dibina: Pustu Ampel.",
        ),
    ],
)
def test_team_bad_input(district, over, field, message):
    resolved = {}
    for key, value in over.items():
        if value == "tomorrow":
            resolved[key] = timezone.localdate() + timedelta(days=1)
        elif isinstance(value, list):
            resolved[key] = [getattr(district, v) for v in value]
        else:
            resolved[key] = getattr(district, value)
    with pytest.raises(ValidationFailed) as exc:
        services.team_create(**_team_kwargs(district, **resolved))
    assert exc.value.fields == {field: [message]}


@pytest.mark.parametrize("who", ["tpcb", "pkm_barat", "camat_barat", "kader_ampel_timur"])
def test_only_dinkes_admin_forms_teams(district, who):
    with pytest.raises(PermissionDenied) as exc:
        services.team_create(**_team_kwargs(district, user=getattr(district, who)))
    assert str(exc.value.message) == "Hanya administrator Dinas Kesehatan yang mengelola tim TPCB."


def test_team_update_changes_and_audits(district, team):
    services.team_update(
        user=district.dinkes,
        team=team,
        name="Tim Barat Raya",
        decree_number="800/12/Dinkes/2026",
        decree_date=date(2026, 1, 5),
        lead=district.tpcb,
        members=[district.tpcb],
        puskesmas=[district.pkm_barat_f, district.pkm_timur_f],
        is_active=True,
    )
    team.refresh_from_db()
    assert team.name == "Tim Barat Raya"
    assert sorted(team.puskesmas.values_list("code", flat=True)) == [
        "P5271010101",
        "P5271020101",
    ]
    assert AuditEvent.objects.filter(object_uuid=team.uuid, action="update").count() == 1


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"team": None}, "team", "Pilih tim yang berkunjung."),
        ({"puskesmas": None}, "puskesmas", "Pilih puskesmas yang dikunjungi."),
        ({"puskesmas": "pkm_timur_f"}, "puskesmas", "Puskesmas ini tidak dibina oleh tim ini."),
        ({"members": ["pkm_barat"]}, "members", "Yang berangkat harus anggota tim ini."),
    ],
)
def test_visit_bad_input(district, team, over, field, message):
    kwargs = {
        "user": district.tpcb,
        "team": team,
        "puskesmas": district.pkm_barat_f,
        "planned_date": date(2026, 3, 10),
        "members": [district.tpcb],
    }
    for key, value in over.items():
        if isinstance(value, list):
            kwargs[key] = [getattr(district, v) for v in value]
        else:
            kwargs[key] = getattr(district, value) if isinstance(value, str) else value
    with pytest.raises(ValidationFailed) as exc:
        services.visit_plan(**kwargs)
    assert exc.value.fields == {field: [message]}


def test_visit_planned_only_by_team_members(district, team, tpcb_other):
    with pytest.raises(PermissionDenied) as exc:
        services.visit_plan(
            user=tpcb_other,
            team=team,
            puskesmas=district.pkm_barat_f,
            planned_date=date(2026, 3, 10),
            members=[district.tpcb],
        )
    assert str(exc.value.message) == "Hanya anggota tim yang merencanakan kunjungannya."


def _content(district, **over):
    kwargs = {
        "what": "Perbaiki pencatatan",
        "indicator": "",
        "why": "Register tidak lengkap",
        "owner_role": "",
        "owner_user": district.pkm_barat,
        "due_date": date(2026, 3, 31),
    }
    kwargs.update(over)
    return services.RecommendationContent(**kwargs)


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        (
            {"due_date": date(2026, 3, 9)},
            "due_date",
            "Batas waktu tidak boleh sebelum tanggal kunjungan.",
        ),
        ({"due_date": None}, "due_date", "Isi batas waktu."),
        (
            {"owner_user": "bidan_ampel"},
            "owner_user",
            "Petugas yang dituju bukan staf puskesmas ini.",
        ),
        (
            {"owner_user": "tpcb"},
            "owner_user",
            "Petugas yang dituju bukan staf puskesmas ini.",
        ),
        (
            {"owner_user": None},
            "owner_role",
            "Tujukan rekomendasi ke satu peran puskesmas atau satu petugas.",
        ),
        (
            {"owner_role": "k2"},
            "owner_role",
            "Tujukan rekomendasi ke satu peran puskesmas atau satu petugas.",
        ),
        ({"indicator": "nope"}, "indicator", "Indikator tidak dikenal."),
        ({"why": " "}, "why", "Sebutkan alasannya: indikator, masalah mutu data atau keterangan."),
        ({"what": ""}, "what", "Tulis apa yang harus diubah."),
    ],
)
def test_recommendation_bad_input(district, visit, over, field, message):
    resolved = {
        k: getattr(district, v) if k == "owner_user" and isinstance(v, str) else v
        for k, v in over.items()
    }
    with pytest.raises(ValidationFailed) as exc:
        services.recommendation_create(
            user=district.tpcb, visit=visit, content=_content(district, **resolved)
        )
    assert exc.value.fields == {field: [message]}
    assert not Recommendation.objects.exists()


def test_due_date_on_the_visit_day_is_accepted(district, visit):
    rec = services.recommendation_create(
        user=district.tpcb, visit=visit, content=_content(district, due_date=date(2026, 3, 10))
    )
    assert rec.due_date == date(2026, 3, 10)


def test_the_whole_loop_with_history_and_audit(district, rec):
    services.recommendation_act(
        user=district.pkm_barat, recommendation=rec, action="answer", note="Rencana sweeping"
    )
    services.recommendation_act(
        user=district.tpcb, recommendation=rec, action="send_back", note="Tanpa jadwal"
    )
    services.recommendation_act(
        user=district.pkm_barat, recommendation=rec, action="answer", note="Jadwal 2 Mei"
    )
    services.recommendation_act(user=district.dinkes, recommendation=rec, action="accept")
    services.recommendation_act(user=district.tpcb, recommendation=rec, action="verify")
    rec.refresh_from_db()
    assert rec.state == RecState.VERIFIED
    history = list(
        rec.events.values_list("by__username", "action", "from_state", "to_state", "note")
    )
    assert history == [
        ("tpcb", "create", "", "open", ""),
        ("pkm_barat", "answer", "open", "answered", "Rencana sweeping"),
        ("tpcb", "send_back", "answered", "sent_back", "Tanpa jadwal"),
        ("pkm_barat", "answer", "sent_back", "answered", "Jadwal 2 Mei"),
        ("dinkes", "accept", "answered", "accepted", ""),
        ("tpcb", "verify", "accepted", "verified", ""),
    ]
    audits = AuditEvent.objects.filter(object_uuid=rec.uuid).order_by("at", "id")
    assert [(a.action, a.detail.get("action")) for a in audits] == [
        ("create", None),
        ("update", "answer"),
        ("update", "send_back"),
        ("update", "answer"),
        ("update", "accept"),
        ("update", "verify"),
    ]


# Every (state, action) pair the machine refuses, by who would otherwise be entitled.
INVALID = [
    ("open", "accept"),
    ("open", "send_back"),
    ("open", "verify"),
    ("answered", "verify"),
    ("accepted", "answer"),
    ("accepted", "accept"),
    ("accepted", "send_back"),
    ("sent_back", "accept"),
    ("sent_back", "send_back"),
    ("sent_back", "verify"),
]


@pytest.mark.parametrize(("state", "action"), INVALID)
def test_invalid_transitions_are_refused(district, rec, state, action):
    Recommendation.objects.filter(pk=rec.pk).update(state=state)
    rec.refresh_from_db()
    actor = district.pkm_barat if action == "answer" else district.tpcb
    with pytest.raises(Conflict) as exc:
        services.recommendation_act(user=actor, recommendation=rec, action=action, note="x")
    label = {
        "open": "terbuka",
        "answered": "dijawab",
        "accepted": "diterima",
        "sent_back": "dikembalikan",
    }[state]
    assert str(exc.value.message) == (
        f"Tindakan ini tidak dapat dilakukan pada rekomendasi berstatus {label}."
    )
    rec.refresh_from_db()
    assert rec.state == state
    assert rec.events.count() == 1


@pytest.mark.parametrize("action", ["answer", "accept", "send_back", "verify"])
def test_verified_recommendation_cannot_change(district, rec, action):
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.VERIFIED)
    rec.refresh_from_db()
    actor = district.pkm_barat if action == "answer" else district.tpcb
    with pytest.raises(Conflict) as exc:
        services.recommendation_act(user=actor, recommendation=rec, action=action, note="x")
    assert str(exc.value.message) == (
        "Rekomendasi yang sudah diverifikasi (ditutup) tidak dapat diubah."
    )


def test_verified_recommendation_cannot_be_edited(district, rec):
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.VERIFIED)
    rec.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        services.recommendation_update(
            user=district.tpcb, recommendation=rec, content=_content(district)
        )
    assert str(exc.value.message) == (
        "Rekomendasi yang sudah diverifikasi (ditutup) tidak dapat diubah."
    )
    rec.refresh_from_db()
    assert rec.what == "Sweeping ibu hamil yang belum K1"


def test_edit_before_verification_is_a_history_row(district, rec):
    services.recommendation_update(
        user=district.tpcb,
        recommendation=rec,
        content=_content(district, what="Sweeping bulanan"),
    )
    rec.refresh_from_db()
    assert (rec.what, rec.owner_user, rec.owner_role) == (
        "Sweeping bulanan",
        district.pkm_barat,
        "",
    )
    assert list(rec.events.values_list("action", "from_state", "to_state")) == [
        ("create", "", "open"),
        ("edit", "open", "open"),
    ]


@pytest.mark.parametrize(
    "who", ["bidan_ampel", "kader_ampel_timur", "camat_barat", "ppa", "tpcb", "dinkes"]
)
def test_answer_by_someone_not_entitled(district, rec, who):
    with pytest.raises(PermissionDenied) as exc:
        services.recommendation_act(
            user=getattr(district, who), recommendation=rec, action="answer", note="x"
        )
    assert str(exc.value.message) == (
        "Hanya staf puskesmas yang dituju yang boleh menjawab rekomendasi ini."
    )
    rec.refresh_from_db()
    assert rec.state == RecState.OPEN


def test_answer_by_another_puskesmas_is_refused(district, rec):
    from ilp.accounts.models import Role, User

    other = User.objects.create_user(
        username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
    )
    with pytest.raises(PermissionDenied):
        services.recommendation_act(user=other, recommendation=rec, action="answer", note="x")


@pytest.mark.parametrize("who", ["pkm_barat", "tpcb_other"])
def test_team_actions_only_by_the_visits_team(district, rec, tpcb_other, who):
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.ANSWERED)
    rec.refresh_from_db()
    user = tpcb_other if who == "tpcb_other" else getattr(district, who)
    with pytest.raises(PermissionDenied) as exc:
        services.recommendation_act(user=user, recommendation=rec, action="accept")
    assert str(exc.value.message) == "Hanya anggota tim kunjungan ini yang boleh melakukannya."


def test_answer_and_send_back_need_a_note(district, rec):
    with pytest.raises(ValidationFailed) as exc:
        services.recommendation_act(user=district.pkm_barat, recommendation=rec, action="answer")
    assert exc.value.fields == {"note": ["Tulis catatannya (rencana, kemajuan atau alasan)."]}
