"""``GET /api/v1/teams``, ``GET /api/v1/visits`` (and one visit), planning and marking a visit
done through the API, and the cross-sector addressee in ``addressed_to``. Who may call each
endpoint at all is in test_permissions.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.evaluation import services
from ilp.evaluation.models import CoachingVisit, VisitState
from tests.api.helpers import assert_error, post_json
from tests.evaluation.conftest import area_task

pytestmark = pytest.mark.django_db


def test_addressed_to_an_area_and_no_names_for_officials(client, district, rec_desa, rec_kec):
    services.recommendation_act(
        user=district.kades_ampel, recommendation=rec_desa, action="answer", note="Jadwal"
    )
    client.force_login(district.tpcb)
    items = {i["id"]: i for i in client.get("/api/v1/recommendations").json()}
    assert items[str(rec_desa.uuid)]["addressed_to"] == {
        "role": None,
        "user": None,
        "area": {"code": "52.71.01.1001", "kind": "desa", "name": "Ampel"},
    }
    assert items[str(rec_kec.uuid)]["addressed_to"]["area"] == {
        "code": "52.71.01",
        "kind": "kecamatan",
        "name": "Barat",
    }
    assert [h["by"] for h in items[str(rec_desa.uuid)]["history"]] == ["tpcb", "kades_ampel"]
    # The kepala desa sees his own name in the history, nobody else's.
    client.force_login(district.kades_ampel)
    (item,) = client.get("/api/v1/recommendations").json()
    assert [h["by"] for h in item["history"]] == [None, "kades_ampel"]
    client.force_login(district.camat_barat)
    by_id = {i["id"]: i for i in client.get("/api/v1/recommendations").json()}
    assert [h["by"] for h in by_id[str(rec_desa.uuid)]["history"]] == [None, None]


def test_teams(client, district, team):
    client.force_login(district.dinkes)
    assert client.get("/api/v1/teams").json() == [
        {
            "id": str(team.uuid),
            "name": "Tim Barat",
            "decree_number": "800/12/Dinkes/2026",
            "decree_date": "2026-01-05",
            "lead": "tpcb",
            "members": ["dinkes", "tpcb"],
            "puskesmas": ["P5271010101"],
            "active": True,
        }
    ]


def test_visits_and_one_visit(client, district, team, visit, rec, rec_desa):
    client.force_login(district.pkm_barat)
    expected = {
        "id": str(visit.uuid),
        "team_id": str(team.uuid),
        "team": "Tim Barat",
        "facility": "P5271010101",
        "planned_date": "2026-03-10",
        "state": "planned",
        "members": ["tpcb"],
        "findings": "",
    }
    assert client.get("/api/v1/visits").json() == [expected]
    one = client.get(f"/api/v1/visits/{visit.uuid}").json()
    recs = one.pop("recommendations")
    assert one == {**expected, "snapshot": None}
    assert [r["what"] for r in recs] == [rec.what, rec_desa.what]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"state": "planned"}, 1),
        ({"state": "done"}, 0),
        ({"puskesmas": "P5271010101"}, 1),
        ({"puskesmas": "P5271020101"}, 0),
        ({"team": "00000000-0000-0000-0000-000000000000"}, 0),
    ],
)
def test_visit_filters(client, district, team, visit, query, count):
    client.force_login(district.tpcb)
    assert len(client.get("/api/v1/visits", query).json()) == count


def test_visit_filter_bad_values_are_422(client, district, visit):
    client.force_login(district.tpcb)
    assert client.get("/api/v1/visits", {"state": "archived"}).status_code == 422
    assert client.get("/api/v1/visits", {"team": "nope"}).status_code == 422


def test_unknown_or_malformed_visit_is_404(client, district, visit):
    client.force_login(district.tpcb)
    for uuid in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        assert_error(client.get(f"/api/v1/visits/{uuid}"), 404, "not_found")
        assert_error(post_json(client, f"/api/v1/visits/{uuid}/done", {}), 404, "not_found")
    assert_error(
        post_json(client, "/api/v1/recommendations/not-a-uuid/actions", {"action": "accept"}),
        404,
        "not_found",
    )


def test_lists_cost_no_query_per_row(client, district, team, visit, rec):
    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(district.dinkes)
    urls = ["/api/v1/visits", "/api/v1/recommendations", f"/api/v1/visits/{visit.uuid}"]
    one = [queries(u) for u in urls]
    for n in range(3):
        services.visit_plan(
            user=district.tpcb,
            team=team,
            puskesmas=district.pkm_barat_f,
            planned_date=visit.planned_date + timedelta(days=n + 1),
            members=[district.tpcb, district.dinkes],
        )
        area_task(district, visit, district.batu, f"Tugas {n}")
    assert [queries(u) for u in urls] == one


def _plan(client, team, **over):
    body = {
        "team": str(team.uuid),
        "puskesmas": "P5271010101",
        "planned_date": "2026-04-14",
        "members": ["tpcb"],
        **over,
    }
    return post_json(client, "/api/v1/visits", body)


def test_plan_and_mark_done_through_the_api(client, district, team):
    client.force_login(district.tpcb)
    response = _plan(client, team)
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["members"], body["snapshot"]) == ("planned", ["tpcb"], None)
    visit = CoachingVisit.objects.get(uuid=body["id"])
    response = post_json(client, f"/api/v1/visits/{visit.uuid}/done", {})
    assert response.status_code == 200
    assert response.json()["state"] == "done"
    assert (response.json()["snapshot"]["year"], response.json()["snapshot"]["month"]) == (2026, 4)
    audits = AuditEvent.objects.filter(object_uuid=visit.uuid).order_by("at", "id")
    assert [(a.user, a.action, a.detail) for a in audits] == [
        (
            district.tpcb,
            "create",
            {
                "puskesmas": "P5271010101",
                "date": "2026-04-14",
                "members": ["tpcb"],
                "checklists": [],
            },
        ),
        (district.tpcb, "update", {"state": "done"}),
    ]
    error = assert_error(
        post_json(client, f"/api/v1/visits/{visit.uuid}/done", {}), 409, "conflict"
    )
    assert error["message"] == "Kunjungan ini sudah selesai."


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"puskesmas": "NOPE"}, "puskesmas", "Puskesmas tidak dikenal."),
        ({"puskesmas": "P5271020101"}, "puskesmas", "Puskesmas ini tidak dibina oleh tim ini."),
        (
            {"members": ["tpcb", "pkm_barat"]},
            "members",
            "Yang berangkat harus anggota tim ini: pkm_barat.",
        ),
        ({"members": []}, "members", "Pilih anggota tim yang berangkat."),
    ],
)
def test_plan_bad_input(client, district, team, over, field, message):
    client.force_login(district.tpcb)
    assert_error(_plan(client, team, **over), 422, "invalid", {field: [message]})
    assert not CoachingVisit.objects.exists()
    assert not AuditEvent.objects.filter(object_type="coachingvisit").exists()


def test_plan_malformed_date_is_422(client, district, team):
    client.force_login(district.tpcb)
    assert _plan(client, team, planned_date="14/04/2026").status_code == 422


def test_plan_and_done_by_those_not_in_the_team(client, district, team, visit, tpcb_other):
    client.force_login(tpcb_other)
    assert_error(_plan(client, team), 404, "not_found")
    assert_error(post_json(client, f"/api/v1/visits/{visit.uuid}/done", {}), 404, "not_found")
    client.force_login(district.pkm_barat)
    assert_error(_plan(client, team), 403, "forbidden")
    error = assert_error(
        post_json(client, f"/api/v1/visits/{visit.uuid}/done", {}), 403, "forbidden"
    )
    assert error["message"] == "Hanya anggota tim kunjungan ini yang boleh melakukannya."
    client.force_login(district.kades_ampel)
    assert_error(_plan(client, team), 403, "forbidden")
    assert_error(post_json(client, f"/api/v1/visits/{visit.uuid}/done", {}), 403, "forbidden")
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED
    assert CoachingVisit.objects.count() == 1


def test_a_visit_in_the_future_cannot_be_done(client, district, team):
    client.force_login(district.tpcb)
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    visit = _plan(client, team, planned_date=later).json()
    assert_error(
        post_json(client, f"/api/v1/visits/{visit['id']}/done", {}),
        422,
        "invalid",
        {"planned_date": ["Kunjungan yang tanggalnya belum tiba tidak dapat diselesaikan."]},
    )
