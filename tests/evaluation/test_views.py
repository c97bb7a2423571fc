"""Pages of evaluation and coaching: who opens which page (every role), the forms' specific
messages, the loop through the pages, the Dinkes' open list (overdue first, filters)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.evaluation import services
from ilp.evaluation.models import Recommendation, RecState, TpcbTeam

pytestmark = pytest.mark.django_db

ROLES = [
    "dinkes",
    "tpcb",
    "tpcb_other",
    "pkm_barat",
    "pkm_timur",
    "bidan_ampel",
    "kader_ampel_timur",
    "camat_barat",
    "ppa",
    "norole",
]


@pytest.fixture
def people(district, tpcb_other):
    pkm_timur = User.objects.create_user(
        username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
    )
    found = {name: getattr(district, name, None) for name in ROLES}
    found.update(tpcb_other=tpcb_other, pkm_timur=pkm_timur)
    return found


# Status of each page for each role: 200 opens, 302 a redirect to the right list, 403 the
# role may not open this kind of page, 404 a record outside the user's scope.
PAGES = {
    "teams": {"dinkes": 200, "tpcb": 200, "tpcb_other": 200},
    "team": {"dinkes": 200, "tpcb": 200, "tpcb_other": 404},
    "visit": {"dinkes": 200, "tpcb": 200, "tpcb_other": 404, "pkm_barat": 200, "pkm_timur": 404},
    "puskesmas": {"pkm_barat": 200, "pkm_timur": 200},
    "open": {"dinkes": 200},
    "team_new": {"dinkes": 200},
}


def _url(page, team, visit):
    if page == "team":
        return f"/pembinaan/tim/{team.uuid}/"
    if page == "visit":
        return f"/pembinaan/kunjungan/{visit.uuid}/"
    return {
        "teams": "/pembinaan/tim/",
        "puskesmas": "/pembinaan/puskesmas/",
        "open": "/pembinaan/terbuka/",
        "team_new": "/pembinaan/tim/baru/",
    }[page]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("who", ROLES)
def test_who_opens_which_page(client, people, team, visit, rec, page, who):
    client.force_login(people[who])
    response = client.get(_url(page, team, visit))
    assert response.status_code == PAGES[page].get(who, 403)
    if response.status_code != 200:
        assert b"Sweeping ibu hamil" not in response.content


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("pkm_barat", "/pembinaan/puskesmas/"),
        ("tpcb", "/pembinaan/tim/"),
        ("kader_ampel_timur", None),
    ],
)
def test_index_sends_each_role_to_its_list(client, people, who, target):
    client.force_login(people[who])
    response = client.get("/pembinaan/")
    if target is None:
        assert response.status_code == 403
    else:
        assert (response.status_code, response["Location"]) == (302, target)


def test_teams_page_lists_puskesmas_without_team(client, district, team):
    client.force_login(district.dinkes)
    page = client.get("/pembinaan/tim/").content.decode()
    assert "Tim Barat" in page
    without = page.split("Puskesmas tanpa tim")[1]
    assert "Puskesmas Timur (P5271020101)" in without
    assert "Puskesmas Barat" not in without


def test_team_form_shows_the_service_message(client, district):
    client.force_login(district.dinkes)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        "/pembinaan/tim/baru/",
        {
            "name": "Tim Timur",
            "decree_number": "800/13",
            "decree_date": tomorrow.isoformat(),
            "members": [district.tpcb.pk],
            "lead": district.tpcb.pk,
            "puskesmas": [district.pkm_timur_f.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 422
    assert "Tanggal SK tidak boleh di masa depan." in response.content.decode()
    assert not TpcbTeam.objects.exists()


def test_team_created_through_the_page(client, district):
    client.force_login(district.dinkes)
    response = client.post(
        "/pembinaan/tim/baru/",
        {
            "name": "Tim Timur",
            "decree_number": "800/13",
            "decree_date": "2026-02-01",
            "members": [district.tpcb.pk],
            "lead": district.tpcb.pk,
            "puskesmas": [district.pkm_timur_f.pk],
        },
    )
    assert response.status_code == 302
    team = TpcbTeam.objects.get()
    assert (team.name, team.lead, team.is_active) == ("Tim Timur", district.tpcb, True)


def test_visit_form_without_puskesmas(client, district, team):
    client.force_login(district.tpcb)
    response = client.post(
        f"/pembinaan/tim/{team.uuid}/",
        {"planned_date": "2026-03-10", "members": [district.tpcb.pk]},
    )
    assert response.status_code == 422
    assert "Pilih puskesmas yang dikunjungi." in response.content.decode()


def test_recommendation_form_due_before_visit_keeps_the_input(client, district, visit):
    client.force_login(district.tpcb)
    response = client.post(
        f"/pembinaan/kunjungan/{visit.uuid}/rekomendasi/",
        {
            "what": "Validasi register kohort",
            "why": "Register ganda",
            "owner_role": "k2",
            "due_date": "2026-03-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Batas waktu tidak boleh sebelum tanggal kunjungan." in page
    assert "Validasi register kohort" in page
    assert not Recommendation.objects.exists()


def test_the_loop_through_the_pages(client, district, visit, rec):
    client.force_login(district.pkm_barat)
    page = client.get("/pembinaan/puskesmas/").content.decode()
    assert "Sweeping ibu hamil yang belum K1" in page
    assert 'value="answer"' in page and 'value="verify"' not in page
    url = f"/pembinaan/rekomendasi/{rec.uuid}/aksi/"
    response = client.post(url, {"action": "answer", "note": "", "back": "puskesmas"})
    assert response.status_code == 422
    assert "Tulis catatannya (rencana, kemajuan atau alasan)." in response.content.decode()
    response = client.post(url, {"action": "answer", "note": "Sweeping 2 Mei", "back": "puskesmas"})
    assert (response.status_code, response["Location"]) == (302, "/pembinaan/puskesmas/")
    # The puskesmas may not accept its own answer.
    response = client.post(url, {"action": "accept", "note": "", "back": "puskesmas"})
    assert response.status_code == 422
    assert "Hanya anggota tim kunjungan ini yang boleh melakukannya." in response.content.decode()

    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert 'value="accept"' in page and 'value="send_back"' in page
    assert "Sweeping 2 Mei" in page
    client.post(url, {"action": "accept", "back": "visit"})
    response = client.post(url, {"action": "verify", "back": "visit"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.state == RecState.VERIFIED
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert "Ubah rekomendasi" not in page
    response = client.post(
        f"/pembinaan/rekomendasi/{rec.uuid}/ubah/",
        {"what": "x", "why": "y", "owner_role": "k2", "due_date": "2026-04-30"},
    )
    assert response.status_code == 422
    assert (
        "Rekomendasi yang sudah diverifikasi (ditutup) tidak dapat diubah."
        in response.content.decode()
    )


def test_visit_page_shows_the_frozen_snapshot(client, district, visit):
    client.force_login(district.tpcb)
    response = client.post(f"/pembinaan/kunjungan/{visit.uuid}/selesai/")
    assert response.status_code == 302
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert "Bulan 3/2026, dibekukan saat kunjungan ditandai selesai." in page
    assert "Tandai selesai" not in page


def _rec(district, visit, what, due):
    return services.recommendation_create(
        user=district.tpcb,
        visit=visit,
        content=services.RecommendationContent(what=what, why="w", owner_role="k1", due_date=due),
    )


def test_open_list_overdue_first_and_filters(client, district, team, visit):
    today = timezone.localdate()
    _rec(district, visit, "Nanti", today + timedelta(days=30))
    _rec(district, visit, "Terlambat", max(visit.planned_date, today - timedelta(days=1)))
    _rec(district, visit, "Segera", today + timedelta(days=2))
    closed = _rec(district, visit, "Selesai", today + timedelta(days=1))
    Recommendation.objects.filter(pk=closed.pk).update(state=RecState.VERIFIED)
    client.force_login(district.dinkes)
    page = client.get("/pembinaan/terbuka/").content.decode()
    assert page.index("Terlambat") < page.index("Segera") < page.index("Nanti")
    assert "Selesai</a>" not in page
    other = services.team_create(
        user=district.dinkes,
        name="Tim Timur",
        decree_number="1",
        decree_date=date(2026, 1, 1),
        lead=district.tpcb,
        members=[district.tpcb],
        puskesmas=[district.pkm_timur_f],
    )
    response = client.get(f"/pembinaan/terbuka/?team={other.uuid}", HTTP_HX_REQUEST="true")
    part = response.content.decode()
    assert "<h1>" not in part
    assert "Tidak ada rekomendasi terbuka." in part
    part = client.get("/pembinaan/terbuka/?cluster=1", HTTP_HX_REQUEST="true").content.decode()
    assert "Tidak ada rekomendasi terbuka." in part


def test_open_list_pages_of_fifty_with_the_counts_of_all(
    client, district, team, visit, django_assert_num_queries
):
    today = timezone.localdate()
    overdue_day = max(visit.planned_date, today - timedelta(days=1))
    for i in range(3):
        _rec(district, visit, f"Lewat {i:02d}", overdue_day)
    for i in range(50):
        _rec(district, visit, f"Nanti {i:02d}", today + timedelta(days=10 + i))
    client.force_login(district.dinkes)
    client.get("/pembinaan/terbuka/")
    # the page costs the same whatever the number of rows (session, user, teams of the
    # filter, counts, one page of rows)
    with django_assert_num_queries(QUERIES_OPEN_LIST):
        first = client.get("/pembinaan/terbuka/").content.decode()
    assert "53 rekomendasi terbuka, 3 lewat batas waktu." in first
    assert "Halaman 1 dari 2" in first
    assert "Lewat 00" in first and "Nanti 46" in first and "Nanti 47" not in first
    second = client.get(f"/pembinaan/terbuka/?team={team.uuid}&page=2").content.decode()
    assert "Nanti 47" in second and "Nanti 49" in second and "Lewat 00" not in second
    assert f"team={team.uuid}&amp;page=1" in second  # the filter kept by the pager
    # a page past the end shows the last; nonsense shows the first
    assert "Nanti 49" in client.get("/pembinaan/terbuka/?page=99").content.decode()
    assert "Lewat 00" in client.get("/pembinaan/terbuka/?page=x").content.decode()


# session and user, the filter's teams, the counts, one page of rows (and the cluster labels
# read no query)
QUERIES_OPEN_LIST = 5


def test_pages_in_english(client, district, visit, rec):
    client.force_login(district.pkm_barat)
    client.cookies["django_language"] = "en"
    page = client.get("/pembinaan/puskesmas/").content.decode()
    assert "Recommendations for the puskesmas" in page
    response = client.post(
        f"/pembinaan/rekomendasi/{rec.uuid}/aksi/",
        {"action": "answer", "note": "", "back": "puskesmas"},
    )
    assert "Write the note (plan, progress or reason)." in response.content.decode()


def test_lists_cost_no_query_per_recommendation(client, district, visit, rec):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [
        (district.pkm_barat, "/pembinaan/puskesmas/"),
        (district.tpcb, f"/pembinaan/kunjungan/{visit.uuid}/"),
        (district.dinkes, "/pembinaan/terbuka/"),
    ]
    one = [queries(user, url) for user, url in urls]
    for n in range(3):
        _rec(district, visit, f"Tambahan {n}", date(2026, 5, 1))
    assert [queries(user, url) for user, url in urls] == one
