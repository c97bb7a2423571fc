"""Pages of specialist coaching programmes: who opens and posts to which page (every role),
what the pages show (coverage, score tables, the session's recommendations), the forms'
specific messages, the recommendation loop through the pages, query counts, and the API."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.accounts.models import Role, User
from ilp.evaluation import programme_services, services
from ilp.evaluation.models import Recommendation, RecState
from ilp.evaluation.programme_models import CaseReview, CoachingSession, SessionScore

pytestmark = pytest.mark.django_db

ROLES = [
    "dinkes",
    "tpcb",
    "spog",
    "sp_other",
    "pkm_barat",
    "pkm_timur",
    "bidan_ampel",
    "kader_ampel_timur",
    "camat_barat",
    "ppa",
    "dpo",
    "norole",
]


@pytest.fixture
def people(district, spog, sp_other):
    found = {name: getattr(district, name, None) for name in ROLES}
    found.update(
        spog=spog,
        sp_other=sp_other,
        pkm_timur=User.objects.create_user(
            username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
        ),
        dpo=User.objects.create_user(username="dpo", role=Role.DATA_PROTECTION, area=district.city),
    )
    return found


# 200 opens, 403 the role may not open this kind of page, 404 a record outside the scope.
PAGES = {
    "programmes": {"dinkes": 200, "spog": 200, "sp_other": 200},
    "programme_new": {"dinkes": 200},
    "programme": {"dinkes": 200, "spog": 200, "sp_other": 404},
    "programme_edit": {"dinkes": 200},
    "session": {"dinkes": 200, "spog": 200, "sp_other": 404, "pkm_barat": 200, "pkm_timur": 404},
}


def _url(page, programme, session):
    return {
        "programmes": "/pembinaan/program/",
        "programme_new": "/pembinaan/program/baru/",
        "programme": f"/pembinaan/program/{programme.uuid}/",
        "programme_edit": f"/pembinaan/program/{programme.uuid}/ubah/",
        "session": f"/pembinaan/sesi/{session.uuid}/",
    }[page]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("who", ROLES)
def test_who_opens_which_page(client, people, programme, session, session_rec, page, who):
    client.force_login(people[who])
    response = client.get(_url(page, programme, session))
    assert response.status_code == PAGES[page].get(who, 403)
    if response.status_code != 200:
        assert b"Pendampingan KIA" not in response.content
        assert b"perdarahan pascapersalinan" not in response.content


# Posting to a session: the specialists of its programme and the dinkes administrator; the
# puskesmas reads its session but writes nothing there (403); others 403 / 404.
POSTS = {"dinkes": 302, "spog": 302, "sp_other": 404}


@pytest.mark.parametrize("who", ROLES)
def test_who_adds_a_case_review(client, people, session, programme, who):
    client.force_login(people[who])
    topic = programme.topics.get(code="poned")
    response = client.post(
        f"/pembinaan/sesi/{session.uuid}/kasus/",
        {"topic": topic.pk, "summary": "Bayi asfiksia", "lessons": "Resusitasi"},
    )
    assert response.status_code == POSTS.get(who, 403)
    assert CaseReview.objects.count() == (1 if response.status_code == 302 else 0)


@pytest.mark.parametrize("who", ROLES)
def test_who_records_a_session(client, people, district, programme, spog, who):
    client.force_login(people[who])
    response = client.post(
        f"/pembinaan/program/{programme.uuid}/",
        {"session_date": "2026-04-01", "puskesmas": district.pkm_timur_f.pk, "specialist": spog.pk},
    )
    assert response.status_code == POSTS.get(who, 403)
    assert CoachingSession.objects.count() == (1 if response.status_code == 302 else 0)


@pytest.mark.parametrize("who", ROLES)
def test_who_forms_a_programme(client, people, district, spog, who):
    client.force_login(people[who])
    response = client.post(
        "/pembinaan/program/baru/",
        {
            "name": "Program X",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "specialists": [spog.pk],
            "puskesmas": [district.pkm_barat_f.pk],
            "topics": "poned | PONED",
        },
    )
    assert response.status_code == (302 if who == "dinkes" else 403)


def test_index_sends_a_specialist_to_the_programmes(client, spog):
    client.force_login(spog)
    assert client.get("/pembinaan/").url == "/pembinaan/program/"


@pytest.mark.parametrize(
    "path",
    [
        "/pembinaan/tim/",
        "/pembinaan/puskesmas/",
        "/pembinaan/terbuka/",
        "/penduduk/cari/",
        "/pws/",
        "/pws/mutu-data/",
        "/",
    ],
)
def test_a_specialist_opens_no_other_page(client, spog, path):
    client.force_login(spog)
    status = client.get(path).status_code
    assert status == (200 if path == "/" else 403)


def test_programme_page_shows_coverage_and_score_tables(client, district, programme, session):
    staff, named = session.participants.all()
    topics = {t.code: t.pk for t in programme.topics.all()}
    programme_services.session_scores_set(
        user=district.dinkes,
        session=session,
        entries=[
            programme_services.ScoreEntry(staff.pk, topics["poned"], 40, 70),
            programme_services.ScoreEntry(named.pk, topics["poned"], 61, 80),
        ],
    )
    client.force_login(district.dinkes)
    page = client.get(f"/pembinaan/program/{programme.uuid}/").content.decode()
    assert "1 dari 2 puskesmas dikunjungi" in page
    assert "Belum dikunjungi: Puskesmas Timur" in page
    # poned: (40+61)/2 = 50.5 → (70+80)/2 = 75.0, change +24.5 (2 participants).
    assert (
        '<td data-label="Topik">PONED</td><td data-label="Peserta">2</td>\n'
        '<td data-label="Rerata pre-test">50,5</td>\n'
        '<td data-label="Rerata post-test">75,0</td>\n'
        '<td data-label="Perubahan">+24,5</td>'
    ) in page
    listing = client.get("/pembinaan/program/").content.decode()
    assert "1 dari 2 puskesmas dikunjungi" in listing


def test_session_form_refusal_on_the_field(client, district, programme, sp_other):
    client.force_login(district.dinkes)
    response = client.post(
        f"/pembinaan/program/{programme.uuid}/",
        {"session_date": "2025-06-01", "puskesmas": district.pkm_barat_f.pk},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors == {"specialist": ["Pilih dokter spesialis yang membina."]}


def test_scores_form_on_a_phone_refuses_120_on_its_field(client, district, session, programme):
    staff, named = session.participants.all()
    poned = programme.topics.get(code="poned")
    client.force_login(district.dinkes)
    response = client.post(
        f"/pembinaan/sesi/{session.uuid}/nilai/",
        {f"score-{staff.pk}-{poned.pk}-pre": "120", f"score-{staff.pk}-{poned.pk}-post": "80"},
    )
    assert response.status_code == 422
    assert response.context["scores_form"].errors == {
        f"score-{staff.pk}-{poned.pk}-pre": ["Nilai harus antara 0 dan 100."]
    }
    assert not SessionScore.objects.exists()
    response = client.post(
        f"/pembinaan/sesi/{session.uuid}/nilai/",
        {f"score-{staff.pk}-{poned.pk}-pre": "45", f"score-{named.pk}-{poned.pk}-post": "80"},
    )
    assert response.status_code == 302
    assert sorted(SessionScore.objects.values_list("participant", "pre", "post")) == sorted(
        [(staff.pk, 45, None), (named.pk, None, 80)]
    )


def test_participants_form_names_with_profession(client, district, session):
    client.force_login(district.dinkes)
    response = client.post(
        f"/pembinaan/sesi/{session.uuid}/peserta/", {"others": "Kadek | perawat\nWayan"}
    )
    assert response.status_code == 422
    assert response.context["participants_form"].errors == {
        "others": ["Tulis setiap peserta tanpa akun sebagai \u201cnama | profesi\u201d."]
    }
    response = client.post(
        f"/pembinaan/sesi/{session.uuid}/peserta/", {"others": "Kadek | perawat"}
    )
    assert response.status_code == 302
    assert session.participants.filter(name="Kadek", profession="perawat").exists()


def test_the_loop_through_the_pages(client, district, session, spog):
    """The specialist adds a recommendation on the session page; the puskesmas finds it in its
    list and answers; the specialist accepts and verifies it from the session page; the dinkes
    sees it in the open list while open, beside the programme's name."""
    client.force_login(spog)
    response = client.post(
        f"/pembinaan/sesi/{session.uuid}/rekomendasi/",
        {
            "what": "Drill HPP tiap bulan",
            "why": "Post-test PONED rendah",
            "owner_role": "k2",
            "due_date": "2026-05-31",
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(session=session)
    client.force_login(district.dinkes)
    open_page = client.get("/pembinaan/terbuka/").content.decode()
    assert "Drill HPP tiap bulan" in open_page
    assert "Pendampingan KIA dan rujukan 2026" in open_page
    assert f"/pembinaan/sesi/{session.uuid}/#rek-{rec.uuid}" in open_page
    client.force_login(district.pkm_barat)
    listing = client.get("/pembinaan/puskesmas/").content.decode()
    assert "Drill HPP tiap bulan" in listing
    assert "sesi spesialis" in listing
    response = client.post(
        f"/pembinaan/rekomendasi/{rec.uuid}/aksi/",
        {"action": "answer", "note": "Jadwal drill", "back": "puskesmas"},
    )
    assert response.url == "/pembinaan/puskesmas/"
    client.force_login(spog)
    for action in ("accept", "verify"):
        response = client.post(
            f"/pembinaan/rekomendasi/{rec.uuid}/aksi/", {"action": action, "back": "session"}
        )
        assert response.url == f"/pembinaan/sesi/{session.uuid}/"
    rec.refresh_from_db()
    assert rec.state == RecState.VERIFIED


def test_refused_action_shows_the_session_page_again(client, district, session_rec, session):
    client.force_login(district.pkm_barat)
    response = client.post(
        f"/pembinaan/rekomendasi/{session_rec.uuid}/aksi/",
        {"action": "answer", "note": "", "back": "session"},
    )
    assert response.status_code == 422
    assert response.context["session"] == session
    assert "Tulis catatannya (rencana, kemajuan atau alasan)." in response.content.decode()


def test_specialist_edits_a_session_recommendation(client, session_rec, session, spog):
    client.force_login(spog)
    url = f"/pembinaan/rekomendasi/{session_rec.uuid}/ubah/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"what": "Drill HPP", "why": "Post-test", "owner_role": "k2", "due_date": "2026-06-30"}
    )
    assert response.url == f"/pembinaan/sesi/{session.uuid}/"


def test_session_page_query_count(
    client, district, session, session_rec, programme, django_assert_num_queries
):
    staff, named = session.participants.all()
    poned = programme.topics.get(code="poned")
    programme_services.session_scores_set(
        user=district.dinkes,
        session=session,
        entries=[programme_services.ScoreEntry(staff.pk, poned.pk, 40, 70)],
    )
    client.force_login(district.dinkes)
    url = f"/pembinaan/sesi/{session.uuid}/"
    client.get(url)
    # 16: evidence files of the history (prefetched without bytes) and the camat/desa choices
    # of the recommendation form (the areas the puskesmas serves) since 14.
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_programme_page_query_count(
    client, district, programme, session, django_assert_num_queries
):
    client.force_login(district.dinkes)
    url = f"/pembinaan/program/{programme.uuid}/"
    client.get(url)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------- API


@pytest.mark.parametrize(
    ("who", "status", "count"),
    [
        ("dinkes", 200, 1),
        ("spog", 200, 1),
        ("sp_other", 200, 0),
        ("tpcb", 200, 0),
        ("pkm_barat", 200, 1),
        ("pkm_timur", 200, 0),
        ("bidan_ampel", 403, None),
        ("kader_ampel_timur", 403, None),
        # a camat reads the tasks addressed to his area: none of a session's
        ("camat_barat", 200, 0),
        ("ppa", 403, None),
        ("dpo", 403, None),
        ("norole", 403, None),
    ],
)
def test_api_scope_of_session_recommendations(client, people, session_rec, who, status, count):
    client.force_login(people[who])
    response = client.get("/api/v1/recommendations")
    assert response.status_code == status
    if count is not None:
        assert len(response.json()) == count


def test_api_names_the_session_as_source(client, district, session, session_rec, spog):
    client.force_login(spog)
    (item,) = client.get("/api/v1/recommendations").json()
    assert (item["facility"], item["team"], item["visit_date"]) == ("P5271010101", None, None)
    assert item["source"] == {
        "kind": "session",
        "id": str(session.uuid),
        "date": "2026-03-15",
        "team": None,
        "programme": "Pendampingan KIA dan rujukan 2026",
        "specialist": "spog",
    }


def test_api_action_by_the_programmes_specialist(client, district, session_rec, spa, sp_other):
    services.recommendation_act(
        user=district.pkm_barat, recommendation=session_rec, action="answer", note="Rencana"
    )
    url = f"/api/v1/recommendations/{session_rec.uuid}/actions"
    client.force_login(sp_other)
    response = client.post(url, {"action": "accept"}, content_type="application/json")
    assert response.status_code == 404
    client.force_login(spa)
    response = client.post(url, {"action": "accept"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["state"] == "accepted"


def test_recommendation_for_a_date_before_the_session_via_the_page(client, district, session):
    client.force_login(district.dinkes)
    response = client.post(
        f"/pembinaan/sesi/{session.uuid}/rekomendasi/",
        {"what": "x", "why": "y", "owner_role": "k2", "due_date": str(date(2026, 3, 1))},
    )
    assert response.status_code == 422
    assert response.context["rec_form"].errors == {
        "due_date": ["Batas waktu tidak boleh sebelum tanggal kunjungan."]
    }


def test_specialist_home_page_leads_to_the_programmes(client, spog):
    client.force_login(spog)
    page = client.get("/").content.decode()
    assert "Program pendampingan saya" in page
    assert 'href="/pembinaan/program/"' in page
    assert "Cari penduduk" not in page


def test_open_list_filtered_by_team_leaves_session_recommendations_out(
    client, district, rec, session_rec, team
):
    client.force_login(district.dinkes)
    everything = client.get("/pembinaan/terbuka/").content.decode()
    assert "Sweeping ibu hamil" in everything
    assert "Latih ulang manajemen perdarahan" in everything
    by_team = client.get(f"/pembinaan/terbuka/?team={team.uuid}").content.decode()
    assert "Sweeping ibu hamil" in by_team
    assert "Latih ulang manajemen perdarahan" not in by_team


def test_puskesmas_list_with_a_session_recommendation_query_count(
    client, district, rec, session_rec, django_assert_num_queries
):
    client.force_login(district.pkm_barat)
    client.get("/pembinaan/puskesmas/")
    # 6 after ev-evidence: the evidence files of the history (prefetched, no bytes).
    with django_assert_num_queries(6):
        page = client.get("/pembinaan/puskesmas/").content.decode()
    assert "Sweeping ibu hamil" in page
    assert "Latih ulang manajemen perdarahan" in page
