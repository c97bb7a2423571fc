"""Who sees and does what in coaching, for every role: each page under /pembinaan/ and each
API endpoint (lists, one visit, the state changes), the exact status, and that nothing
outside the role's scope appears. 403: the role may not use this kind of page or endpoint;
404: the record exists but lies outside the user's scope (the codebase does not tell missing
from unseen). The three recommendations of Tim Barat's visit to Puskesmas Barat: one to the
puskesmas' K2 cluster, one to desa Ampel (its kepala desa), one to kecamatan Barat (its
camat)."""

from __future__ import annotations

import pytest

from ilp.accounts.models import AuditEvent, Role, User
from ilp.evaluation.models import Recommendation, RecState
from tests.api.helpers import post_json

pytestmark = pytest.mark.django_db

# Persona → who: the dinkes administrator in the team (dinkes) and outside it (dinkes2), the
# team's TPCB analyst (tpcb) and one in no team (tpcb_other), Puskesmas Barat's and Timur's
# staff, a pustu midwife, a kader, the kepala desa of Ampel and the camat of Barat (addressed)
# and those of Batu and Timur (not), a protection partner, the data-protection officer and an
# account without a role.
ROLES = [
    "dinkes",
    "dinkes2",
    "tpcb",
    "tpcb_other",
    "pkm_barat",
    "pkm_timur",
    "bidan_ampel",
    "kader_ampel_timur",
    "kades_ampel",
    "camat_barat",
    "kades_batu",
    "camat_timur",
    "ppa",
    "dpo",
    "norole",
]
K2, DESA, KEC = "rec", "rec_desa", "rec_kec"
ALL = {K2, DESA, KEC}
OFFICIALS = {"kades_ampel", "camat_barat", "kades_batu", "camat_timur"}
# What each role reads of the three (None: the role reads no recommendation at all).
READS: dict[str, set[str] | None] = {
    "dinkes": ALL,
    "dinkes2": ALL,
    "tpcb": ALL,
    "tpcb_other": set(),
    "pkm_barat": ALL,
    "pkm_timur": set(),
    "kades_ampel": {DESA},
    "camat_barat": {DESA, KEC},
    "kades_batu": set(),
    "camat_timur": set(),
}


@pytest.fixture
def people(district, tpcb_other, officials):
    extra = {
        "dinkes2": User.objects.create_user(
            username="dinkes2", role=Role.DINKES_ADMIN, area=district.city
        ),
        "pkm_timur": User.objects.create_user(
            username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
        ),
        "dpo": User.objects.create_user(
            username="dpo", role=Role.DATA_PROTECTION, area=district.city
        ),
        "tpcb_other": tpcb_other,
        **officials,
    }
    return {name: extra.get(name) or getattr(district, name) for name in ROLES}


@pytest.fixture
def recs(rec, rec_desa, rec_kec):
    return {K2: rec, DESA: rec_desa, KEC: rec_kec}


# ---------------------------------------------------------------- pages

PAGES: dict[str, dict[str, int]] = {
    "index": {
        **dict.fromkeys(("dinkes", "dinkes2", "tpcb", "tpcb_other", "pkm_barat"), 302),
        "pkm_timur": 302,
        **dict.fromkeys(OFFICIALS, 302),
    },
    "teams": {"dinkes": 200, "dinkes2": 200, "tpcb": 200, "tpcb_other": 200},
    "team": {"dinkes": 200, "dinkes2": 200, "tpcb": 200, "tpcb_other": 404},
    "team_edit": {"dinkes": 200, "dinkes2": 200},
    "team_new": {"dinkes": 200, "dinkes2": 200},
    "visit": {
        "dinkes": 200,
        "dinkes2": 200,
        "tpcb": 200,
        "tpcb_other": 404,
        "pkm_barat": 200,
        "pkm_timur": 404,
    },
    "rec_edit": {"dinkes": 200, "dinkes2": 200, "tpcb": 200, "tpcb_other": 404},
    "puskesmas": {"pkm_barat": 200, "pkm_timur": 200},
    "open": {"dinkes": 200, "dinkes2": 200},
    "tasks": dict.fromkeys(OFFICIALS, 200),
}


def _page_url(page, team, visit, rec):
    return {
        "index": "/pembinaan/",
        "teams": "/pembinaan/tim/",
        "team": f"/pembinaan/tim/{team.uuid}/",
        "team_edit": f"/pembinaan/tim/{team.uuid}/ubah/",
        "team_new": "/pembinaan/tim/baru/",
        "visit": f"/pembinaan/kunjungan/{visit.uuid}/",
        "rec_edit": f"/pembinaan/rekomendasi/{rec.uuid}/ubah/",
        "puskesmas": "/pembinaan/puskesmas/",
        "open": "/pembinaan/terbuka/",
        "tasks": "/pembinaan/tugas/",
    }[page]


# Which recommendations each page shows a role that opens it.
def _shown_on(page: str, who: str) -> set[str]:
    if page in ("visit", "puskesmas", "open"):
        return READS.get(who) or set()
    if page == "tasks":
        return READS[who]
    if page == "rec_edit":
        return {K2}
    return set()


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("who", ROLES)
def test_pages_for_every_role(client, people, team, visit, recs, page, who):
    client.force_login(people[who])
    response = client.get(_page_url(page, team, visit, recs[K2]))
    assert response.status_code == PAGES[page].get(who, 403)
    content = response.content.decode()
    shown = _shown_on(page, who) if response.status_code == 200 else set()
    for key, rec in recs.items():
        assert (rec.what in content) == (key in shown), (key, content[:200])


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("dinkes", "/pembinaan/tim/"),
        ("tpcb_other", "/pembinaan/tim/"),
        ("pkm_barat", "/pembinaan/puskesmas/"),
        ("kades_ampel", "/pembinaan/tugas/"),
        ("camat_timur", "/pembinaan/tugas/"),
    ],
)
def test_index_sends_each_role_to_its_page(client, people, who, target):
    client.force_login(people[who])
    response = client.get("/pembinaan/")
    assert (response.status_code, response["Location"]) == (302, target)


# Answering each recommendation: done (the page redirects back to the user's list, the API
# answers 200), refused because the user is not the addressee though the recommendation is in
# their scope (the page shows the refusal beside it: 422; the API 403), the role reads no
# recommendation (403), or it lies outside the user's scope (404).
DONE, REFUSED = "done", "refused"
ANSWERS = {
    K2: {"pkm_barat"},
    DESA: {"kades_ampel"},
    KEC: {"camat_barat"},
}
# The team's judgement: its members (the dinkes administrator in the team too).
JUDGES = {"dinkes", "tpcb"}
PAGE_STATUS = {DONE: 302, REFUSED: 422}
API_STATUS = {DONE: 200, REFUSED: 403}


def _outcome(key: str, who: str, entitled: set[str]) -> str | int:
    reads = READS.get(who)
    if reads is None:
        return 403  # the role reads no recommendation at all
    if key not in reads:
        return 404
    return DONE if who in entitled else REFUSED


REFUSALS = {
    "answer": {
        K2: "Hanya staf puskesmas yang dituju yang boleh menjawab rekomendasi ini.",
        DESA: "Hanya camat atau kepala desa yang dituju yang boleh menjawab tugas ini.",
        KEC: "Hanya camat atau kepala desa yang dituju yang boleh menjawab tugas ini.",
    },
    "judge": "Hanya anggota tim kunjungan ini yang boleh melakukannya.",
}


@pytest.mark.parametrize("key", [K2, DESA, KEC])
@pytest.mark.parametrize("who", ROLES)
def test_answer_through_the_page(client, people, recs, key, who):
    rec = recs[key]
    client.force_login(people[who])
    response = client.post(
        f"/pembinaan/rekomendasi/{rec.uuid}/aksi/",
        {"action": "answer", "note": "Rencana", "back": "visit"},
    )
    outcome = _outcome(key, who, ANSWERS[key])
    assert response.status_code == PAGE_STATUS.get(outcome, outcome)
    rec.refresh_from_db()
    changed = AuditEvent.objects.filter(object_uuid=rec.uuid, action="update")
    content = response.content.decode()
    if outcome == DONE:
        assert rec.state == RecState.ANSWERED
        audit = changed.get()
        assert (audit.user, audit.detail) == (
            people[who],
            {"action": "answer", "from": "open", "to": "answered"},
        )
        place = (
            "/pembinaan/tugas/" if who in OFFICIALS else f"/pembinaan/kunjungan/{rec.visit.uuid}/"
        )
        assert response["Location"] == place
        return
    assert rec.state == RecState.OPEN
    assert not changed.exists()
    if outcome == REFUSED:
        assert REFUSALS["answer"][key] in content
        # An official's refusal comes back on their tasks page, never on the visit page.
        title = "Tugas dari pembinaan" if who in OFFICIALS else "Kunjungan pembinaan"
        assert f"<h1>{title}" in content
        shown = {k for k, r in recs.items() if r.what in content}
        assert shown == (READS[who] if who in OFFICIALS else ALL)
    else:
        assert rec.what not in content


@pytest.mark.parametrize("who", ROLES)
def test_accept_through_the_page(client, people, recs, who):
    rec = recs[DESA]
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.ANSWERED)
    client.force_login(people[who])
    response = client.post(
        f"/pembinaan/rekomendasi/{rec.uuid}/aksi/", {"action": "accept", "back": "visit"}
    )
    outcome = _outcome(DESA, who, JUDGES)
    assert response.status_code == PAGE_STATUS.get(outcome, outcome)
    rec.refresh_from_db()
    assert rec.state == (RecState.ACCEPTED if outcome == DONE else RecState.ANSWERED)
    if outcome == REFUSED:
        assert REFUSALS["judge"] in response.content.decode()
    audits = AuditEvent.objects.filter(object_uuid=rec.uuid, action="update").count()
    assert audits == (1 if outcome == DONE else 0)


# ---------------------------------------------------------------- API

API_LISTS = {
    "teams": {"dinkes": 1, "dinkes2": 1, "tpcb": 1, "tpcb_other": 0},
    "visits": {
        "dinkes": 1,
        "dinkes2": 1,
        "tpcb": 1,
        "tpcb_other": 0,
        "pkm_barat": 1,
        "pkm_timur": 0,
    },
}


@pytest.mark.parametrize("who", ROLES)
def test_api_recommendations_for_every_role(client, people, recs, who):
    client.force_login(people[who])
    response = client.get("/api/v1/recommendations")
    reads = READS.get(who)
    if reads is None:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
        return
    assert response.status_code == 200
    assert {item["id"] for item in response.json()} == {str(recs[k].uuid) for k in reads}


@pytest.mark.parametrize("kind", list(API_LISTS))
@pytest.mark.parametrize("who", ROLES)
def test_api_teams_and_visits_for_every_role(client, people, team, recs, kind, who):
    client.force_login(people[who])
    response = client.get(f"/api/v1/{kind}")
    count = API_LISTS[kind].get(who)
    if count is None:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
        return
    assert response.status_code == 200
    assert len(response.json()) == count


VISIT_DETAIL = {"dinkes": 200, "dinkes2": 200, "tpcb": 200, "tpcb_other": 404, "pkm_barat": 200}


@pytest.mark.parametrize("who", ROLES)
def test_api_one_visit_for_every_role(client, people, visit, recs, who):
    client.force_login(people[who])
    response = client.get(f"/api/v1/visits/{visit.uuid}")
    expected = VISIT_DETAIL.get(who, 404 if who == "pkm_timur" else 403)
    assert response.status_code == expected
    if expected == 200:
        assert {r["id"] for r in response.json()["recommendations"]} == {
            str(r.uuid) for r in recs.values()
        }
    else:
        assert "Gerakkan warga" not in response.content.decode()


@pytest.mark.parametrize("key", [K2, DESA, KEC])
@pytest.mark.parametrize("who", ROLES)
def test_api_answer_for_every_role(client, people, recs, key, who):
    rec = recs[key]
    client.force_login(people[who])
    response = post_json(
        client,
        f"/api/v1/recommendations/{rec.uuid}/actions",
        {"action": "answer", "note": "Rencana"},
    )
    outcome = _outcome(key, who, ANSWERS[key])
    expected = API_STATUS.get(outcome, outcome)
    assert response.status_code == expected
    rec.refresh_from_db()
    changed = AuditEvent.objects.filter(object_uuid=rec.uuid, action="update")
    if expected == 200:
        assert response.json()["state"] == "answered"
        assert changed.get().user == people[who]
    else:
        assert rec.state == RecState.OPEN
        assert not changed.exists()
        assert rec.what not in response.content.decode()
        if outcome == REFUSED:
            assert response.json()["error"]["message"] == REFUSALS["answer"][key]


@pytest.mark.parametrize("who", ROLES)
def test_api_verify_for_every_role(client, people, recs, who):
    rec = recs[KEC]
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.ACCEPTED)
    client.force_login(people[who])
    response = post_json(
        client, f"/api/v1/recommendations/{rec.uuid}/actions", {"action": "verify"}
    )
    outcome = _outcome(KEC, who, JUDGES)
    expected = API_STATUS.get(outcome, outcome)
    assert response.status_code == expected
    rec.refresh_from_db()
    assert rec.state == (RecState.VERIFIED if expected == 200 else RecState.ACCEPTED)
    audits = AuditEvent.objects.filter(object_uuid=rec.uuid, action="update").count()
    assert audits == (1 if expected == 200 else 0)
