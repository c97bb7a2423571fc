"""``GET /api/v1/recommendations``: the fields, the history, and the scope of every role."""

from __future__ import annotations

import pytest

from ilp.accounts.models import Role, User
from ilp.evaluation import services
from tests.api.helpers import assert_error, post_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/recommendations"


def test_list_with_history(client, district, rec):
    services.recommendation_act(
        user=district.pkm_barat, recommendation=rec, action="answer", note="Rencana"
    )
    client.force_login(district.dinkes)
    response = client.get(URL)
    assert response.status_code == 200
    (item,) = response.json()
    history = item.pop("history")
    assert item == {
        "id": str(rec.uuid),
        "facility": "P5271010101",
        "team": "Tim Barat",
        "visit_date": "2026-03-10",
        "source": {
            "kind": "visit",
            "id": str(rec.visit.uuid),
            "date": "2026-03-10",
            "team": "Tim Barat",
            "programme": None,
            "specialist": None,
        },
        "what": "Sweeping ibu hamil yang belum K1",
        "indicator": "k1",
        "quality_check": "",
        "why": "K1 jauh di bawah target",
        "checklist_item": None,
        "addressed_to": {"role": "k2", "user": None, "area": None},
        "state": "answered",
        "due": "2026-04-30",
    }
    assert [
        (h["by"], h["action"], h["from_state"], h["to_state"], h["note"], h["evidence"])
        for h in history
    ] == [
        ("tpcb", "create", "", "open", "", []),
        ("pkm_barat", "answer", "open", "answered", "Rencana", []),
    ]


@pytest.mark.parametrize(
    ("who", "status", "count"),
    [
        ("dinkes", 200, 1),
        ("tpcb", 200, 1),
        ("tpcb_other", 200, 0),
        ("pkm_barat", 200, 1),
        ("pkm_timur", 200, 0),
        ("bidan_ampel", 403, None),
        ("kader_ampel_timur", 403, None),
        # Cross-sector officials read only tasks addressed to their area: none here.
        ("camat_barat", 200, 0),
        ("kades_ampel", 200, 0),
        ("ppa", 403, None),
        ("norole", 403, None),
    ],
)
def test_scope_per_role(client, district, rec, tpcb_other, who, status, count):
    users = {
        "tpcb_other": tpcb_other,
        "pkm_timur": User.objects.create_user(
            username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
        ),
    }
    client.force_login(users.get(who) or getattr(district, who))
    response = client.get(URL)
    assert response.status_code == status
    if count is None:
        assert response.json()["error"]["code"] == "forbidden"
    else:
        assert len(response.json()) == count


def test_state_filter_and_bad_state(client, district, rec):
    client.force_login(district.dinkes)
    assert len(client.get(URL, {"state": "open"}).json()) == 1
    assert client.get(URL, {"state": "verified"}).json() == []
    assert client.get(URL, {"state": "closed"}).status_code == 422


def test_anonymous_gets_401(client, rec):
    assert client.get(URL).status_code == 401


def _act(client, rec, action, note=""):
    return post_json(client, f"{URL}/{rec.uuid}/actions", {"action": action, "note": note})


def test_state_changes_through_the_api(client, district, rec):
    client.force_login(district.pkm_barat)
    assert_error(
        _act(client, rec, "answer"),
        422,
        "invalid",
        {"note": ["Tulis catatannya (rencana, kemajuan atau alasan)."]},
    )
    response = _act(client, rec, "answer", "Rencana")
    assert response.status_code == 200
    assert response.json()["state"] == "answered"
    error = assert_error(_act(client, rec, "accept"), 403, "forbidden")
    assert error["message"] == "Hanya anggota tim kunjungan ini yang boleh melakukannya."

    client.force_login(district.tpcb)
    error = assert_error(_act(client, rec, "verify"), 409, "conflict")
    assert error["message"] == (
        "Tindakan ini tidak dapat dilakukan pada rekomendasi berstatus dijawab."
    )
    assert _act(client, rec, "accept").json()["state"] == "accepted"
    assert _act(client, rec, "verify").json()["state"] == "verified"
    error = assert_error(_act(client, rec, "send_back", "x"), 409, "conflict")
    assert error["message"] == "Rekomendasi yang sudah diverifikasi (ditutup) tidak dapat diubah."


def test_action_outside_scope_is_404_and_unknown_action_422(client, district, rec, tpcb_other):
    client.force_login(tpcb_other)
    assert_error(_act(client, rec, "accept"), 404, "not_found")
    client.force_login(district.tpcb)
    assert _act(client, rec, "close").status_code == 422
    client.force_login(district.kader_ampel_timur)
    assert_error(_act(client, rec, "answer", "x"), 403, "forbidden")
    rec.refresh_from_db()
    assert rec.state == "open"
