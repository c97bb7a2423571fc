"""A planned visit re-planned (date, who goes) or cancelled with a reason by its team's
members: the history (who, when, what), the audit, the refusals (a done or cancelled visit,
a missing reason, someone outside the team), and the pages for every role."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.accounts.models import AuditEvent, Role, User
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.evaluation import services
from ilp.evaluation.models import CoachingVisit, VisitEvent, VisitState

pytestmark = pytest.mark.django_db

DONE = "Kunjungan yang sudah selesai tidak dapat diubah atau dibatalkan."
CANCELLED = "Kunjungan yang dibatalkan tidak dapat diubah."
NOT_TEAM = "Hanya anggota tim kunjungan ini yang boleh melakukannya."


def _events(visit):
    return [(e.action, e.by.username, e.note, e.detail) for e in visit.events.all()]


def test_replan_moves_the_date_and_who_goes_with_history(district, visit):
    services.visit_replan(
        user=district.tpcb,
        visit=visit,
        planned_date=date(2026, 3, 17),
        members=[district.tpcb, district.dinkes],
    )
    visit.refresh_from_db()
    assert visit.planned_date == date(2026, 3, 17)
    assert sorted(m.username for m in visit.members.all()) == ["dinkes", "tpcb"]
    replan = {
        "from": {"date": "2026-03-10", "members": ["tpcb"]},
        "to": {"date": "2026-03-17", "members": ["dinkes", "tpcb"]},
    }
    assert _events(visit) == [
        ("plan", "tpcb", "", {"date": "2026-03-10", "members": ["tpcb"]}),
        ("replan", "tpcb", "", replan),
    ]
    audit = AuditEvent.objects.filter(object_uuid=visit.uuid, action="update").get()
    assert audit.detail == {"replan": replan}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"planned_date": None}, "planned_date", "Isi tanggal kunjungan."),
        ({"members": []}, "members", "Pilih anggota tim yang berangkat."),
        ({"members": ["tpcb_other"]}, "members", "Yang berangkat harus anggota tim ini."),
    ],
)
def test_replan_bad_input(district, visit, tpcb_other, changes, field, message):
    values = {"planned_date": date(2026, 3, 17), "members": [district.tpcb]}
    values.update(changes)
    values["members"] = [tpcb_other if m == "tpcb_other" else m for m in values["members"]]
    with pytest.raises(ValidationFailed) as exc:
        services.visit_replan(user=district.tpcb, visit=visit, **values)
    assert exc.value.fields == {field: [message]}
    visit.refresh_from_db()
    assert visit.planned_date == date(2026, 3, 10)
    assert [e.action for e in visit.events.all()] == ["plan"]


def test_cancel_needs_a_reason_then_keeps_who_when_why(district, visit):
    with pytest.raises(ValidationFailed) as exc:
        services.visit_cancel(user=district.tpcb, visit=visit, reason="  ")
    assert exc.value.fields == {"reason": ["Tulis alasan pembatalan."]}
    services.visit_cancel(user=district.tpcb, visit=visit, reason="Banjir, jalan putus")
    visit.refresh_from_db()
    assert visit.state == VisitState.CANCELLED
    assert (visit.cancelled_by, visit.cancel_reason) == (district.tpcb, "Banjir, jalan putus")
    assert visit.cancelled_at is not None
    assert _events(visit)[-1] == ("cancel", "tpcb", "Banjir, jalan putus", {})
    audit = AuditEvent.objects.filter(object_uuid=visit.uuid, action="update").get()
    assert audit.detail == {"state": "cancelled", "reason": "Banjir, jalan putus"}


def test_a_cancelled_visit_takes_nothing_more(district, visit):
    services.visit_cancel(user=district.tpcb, visit=visit, reason="Banjir")
    tries = [
        (
            lambda: services.visit_replan(
                user=district.tpcb,
                visit=visit,
                planned_date=date(2026, 3, 20),
                members=[district.tpcb],
            ),
            CANCELLED,
        ),
        (lambda: services.visit_cancel(user=district.tpcb, visit=visit, reason="x"), CANCELLED),
        (
            lambda: services.visit_findings_set(user=district.tpcb, visit=visit, findings="x"),
            CANCELLED,
        ),
        (
            lambda: services.visit_mark_done(user=district.tpcb, visit=visit),
            "Kunjungan yang dibatalkan tidak dapat diselesaikan.",
        ),
        (
            lambda: services.recommendation_create(
                user=district.tpcb,
                visit=visit,
                content=services.RecommendationContent(
                    what="x", why="y", owner_role="k1", due_date=date(2026, 4, 1)
                ),
            ),
            "Kunjungan yang dibatalkan tidak menerima rekomendasi.",
        ),
    ]
    for attempt, message in tries:
        with pytest.raises(Conflict) as exc:
            attempt()
        assert str(exc.value.message) == message
    assert [e.action for e in visit.events.all()] == ["plan", "cancel"]
    assert not visit.recommendations.exists()


def test_a_done_visit_is_neither_replanned_nor_cancelled(district, visit):
    services.visit_mark_done(user=district.tpcb, visit=visit)
    for attempt in (
        lambda: services.visit_replan(
            user=district.tpcb, visit=visit, planned_date=date(2026, 3, 20), members=[]
        ),
        lambda: services.visit_cancel(user=district.tpcb, visit=visit, reason="x"),
    ):
        with pytest.raises(Conflict) as exc:
            attempt()
        assert str(exc.value.message) == DONE
    assert [e.action for e in visit.events.all()] == ["plan", "done"]


def test_a_visit_with_recommendations_is_not_cancelled(district, visit, rec):
    with pytest.raises(Conflict) as exc:
        services.visit_cancel(user=district.tpcb, visit=visit, reason="Banjir")
    assert str(exc.value.message) == (
        "Kunjungan yang sudah memiliki rekomendasi tidak dapat dibatalkan."
    )


def test_only_the_team_changes_its_visit(district, visit, tpcb_other):
    for user in (tpcb_other, district.pkm_barat, district.bidan_ampel):
        with pytest.raises(PermissionDenied) as exc:
            services.visit_cancel(user=user, visit=visit, reason="x")
        assert str(exc.value.message) == NOT_TEAM
        with pytest.raises(PermissionDenied):
            services.visit_replan(
                user=user, visit=visit, planned_date=date(2026, 3, 20), members=[district.tpcb]
            )
    assert CoachingVisit.objects.get(pk=visit.pk).state == VisitState.PLANNED


# ---------------------------------------------------------------- pages

EDIT = {
    "tpcb": 200,
    "dinkes": 200,  # a member of the fixture's team
    "tpcb_other": 404,
    "pkm_barat": 403,
    "pkm_timur": 403,
    "bidan_ampel": 403,
    "kader_ampel_timur": 403,
    "camat_barat": 403,
    "ppa": 403,
    "dpo": 403,
}


@pytest.fixture
def users(district, tpcb_other):
    found = {name: getattr(district, name, None) for name in EDIT}
    found["tpcb_other"] = tpcb_other
    found["pkm_timur"] = User.objects.create_user(
        username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
    )
    found["dpo"] = User.objects.create_user(
        username="dpo", role=Role.DATA_PROTECTION, area=district.city
    )
    return found


@pytest.mark.parametrize(("who", "status"), list(EDIT.items()))
def test_who_opens_and_posts_the_edit_page(client, users, visit, who, status):
    client.force_login(users[who])
    assert client.get(f"/pembinaan/kunjungan/{visit.uuid}/ubah/").status_code == status
    response = client.post(f"/pembinaan/kunjungan/{visit.uuid}/batal/", {"reason": "Banjir"})
    assert response.status_code == (302 if status == 200 else status)
    visit.refresh_from_db()
    assert visit.state == (VisitState.CANCELLED if status == 200 else VisitState.PLANNED)


def test_dinkes_outside_the_team_reads_but_does_not_change(client, district, team, visit):
    team.members.set([district.tpcb])
    client.force_login(district.dinkes)
    assert client.get(f"/pembinaan/kunjungan/{visit.uuid}/").status_code == 200
    response = client.get(f"/pembinaan/kunjungan/{visit.uuid}/ubah/")
    assert response.status_code == 403
    assert NOT_TEAM in response.content.decode()


def test_replan_and_cancel_through_the_pages(client, district, visit):
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert f'href="/pembinaan/kunjungan/{visit.uuid}/ubah/"' in page
    url = f"/pembinaan/kunjungan/{visit.uuid}/ubah/"
    response = client.post(url, {"planned_date": "", "members": [district.tpcb.pk]})
    assert response.status_code == 422
    assert "Isi tanggal kunjungan." in response.content.decode()
    response = client.post(url, {"planned_date": "2026-03-12", "members": [district.tpcb.pk]})
    assert response.status_code == 302
    response = client.post(f"/pembinaan/kunjungan/{visit.uuid}/batal/", {"reason": ""})
    assert response.status_code == 422
    assert "Tulis alasan pembatalan." in response.content.decode()
    client.post(f"/pembinaan/kunjungan/{visit.uuid}/batal/", {"reason": "Banjir, jalan putus"})
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert "<strong>Dibatalkan</strong>" in page and "Banjir, jalan putus" in page
    assert "dijadwalkan ulang: 2026-03-10 → 2026-03-12" in page
    assert "Tambah rekomendasi" not in page and "Tandai selesai" not in page
    assert "Simpan temuan" not in page
    response = client.get(url)
    assert response.status_code == 409
    assert CANCELLED in response.content.decode()
    team_page = client.get(f"/pembinaan/tim/{visit.team.uuid}/").content.decode()
    assert "dibatalkan" in team_page
    response = client.post(
        f"/pembinaan/kunjungan/{visit.uuid}/rekomendasi/",
        {"what": "x", "why": "y", "owner_role": "k1", "due_date": "2026-04-01"},
    )
    assert response.status_code == 422
    assert "Kunjungan yang dibatalkan tidak menerima rekomendasi." in response.content.decode()


def test_done_visit_edit_page_refused(client, district, visit):
    services.visit_mark_done(user=district.tpcb, visit=visit)
    client.force_login(district.tpcb)
    for response in (
        client.get(f"/pembinaan/kunjungan/{visit.uuid}/ubah/"),
        client.post(f"/pembinaan/kunjungan/{visit.uuid}/batal/", {"reason": "x"}),
    ):
        assert response.status_code == 409
        assert DONE in response.content.decode()
    assert not VisitEvent.objects.filter(action="cancel").exists()


def test_edit_page_in_english(client, district, visit):
    client.force_login(district.tpcb)
    client.cookies["django_language"] = "en"
    response = client.post(f"/pembinaan/kunjungan/{visit.uuid}/batal/", {"reason": ""})
    assert "Write the reason for cancelling." in response.content.decode()
