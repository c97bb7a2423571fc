"""Who opens the routine-evaluation pages, role by role: the dinkes administrator every
puskesmas of the district; a TPCB member the puskesmas their teams coach (one in no team:
none); puskesmas staff their own; pustu, kader, cross-sector, protection, data-protection,
role-less users and specialists (even of a programme coaching the puskesmas) nothing (403);
anonymous users go to the login page. A puskesmas outside the reader's answers 404, as an
unknown one does."""

from __future__ import annotations

import pytest

from ilp.accounts.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db

BARAT = "P5271010101"
TIMUR = "P5271020101"
PAGES = {
    "index": "/pembinaan/evaluasi/",
    "monthly": f"/pembinaan/evaluasi/{BARAT}/",
    "monthly_timur": f"/pembinaan/evaluasi/{TIMUR}/",
    "quarter": "/pembinaan/tinjauan-triwulan/",
    "pkp": "/pembinaan/kinerja/",
    "pkp_barat": f"/pembinaan/kinerja/{BARAT}/",
    "pkp_timur": f"/pembinaan/kinerja/{TIMUR}/",
    "scheme": "/pembinaan/kinerja/skema/",
}
DENIED = dict.fromkeys(PAGES, 403)
EXPECTED = {
    "dinkes": dict.fromkeys(PAGES, 200),
    "tpcb": {**dict.fromkeys(PAGES, 200), "monthly_timur": 404, "pkp_timur": 404, "scheme": 403},
    "tpcb_other": {
        **dict.fromkeys(PAGES, 200),
        "monthly": 404,
        "monthly_timur": 404,
        "pkp_barat": 404,
        "pkp_timur": 404,
        "scheme": 403,
    },
    "pkm_barat": {
        **dict.fromkeys(PAGES, 200),
        "monthly_timur": 404,
        "pkp_timur": 404,
        "quarter": 403,
        "scheme": 403,
    },
    "bidan_ampel": DENIED,
    "kader_ampel_timur": DENIED,
    "camat_barat": DENIED,
    "kades_ampel": DENIED,
    "ppa": DENIED,
    "dpo": DENIED,
    "norole": DENIED,
    # A specialist coaches in a programme but does not read the puskesmas' evaluations (its
    # indicators and TPCB coaching): the programme pages show the specialist's sessions.
    "spog": DENIED,
}


def _persona(district, name, tpcb_other):
    if name == "tpcb_other":
        return tpcb_other
    if name == "spog":
        # A specialist of the programme covering both puskesmas, with a session at Barat.
        return _specialist_with_session(district)
    if name == "dpo":
        return User.objects.create_user(
            username="dpo", password="pw-test-123", role=Role.DATA_PROTECTION, area=district.city
        )
    return getattr(district, name)


def _specialist_with_session(district):
    from datetime import date

    from ilp.evaluation import programme_services

    spog = User.objects.create_user(
        username="spog", password="pw-test-123", role=Role.SPECIALIST, area=district.city
    )
    programme = programme_services.programme_save(
        user=district.dinkes,
        name="Pendampingan KIA 2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        specialists=[spog],
        puskesmas=[district.pkm_barat_f, district.pkm_timur_f],
        topics=[("poned", "PONED")],
    )
    programme_services.session_create(
        user=spog,
        programme=programme,
        puskesmas=district.pkm_barat_f,
        specialist=spog,
        session_date=date(2026, 3, 15),
    )
    return spog


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_every_role(district, team, tpcb_other, client_for, persona):
    client = client_for(_persona(district, persona, tpcb_other))
    got = {page: client.get(url).status_code for page, url in PAGES.items()}
    assert got == EXPECTED[persona]


@pytest.mark.parametrize(
    "persona", ["bidan_ampel", "camat_barat", "kades_ampel", "dpo", "norole", "spog"]
)
def test_denied_roles_get_no_pdf_and_leave_no_export(
    district, team, tpcb_other, client_for, persona
):
    client = client_for(_persona(district, persona, tpcb_other))
    assert client.get(f"/pembinaan/evaluasi/{BARAT}/pdf/").status_code == 403
    assert client.get("/pembinaan/tinjauan-triwulan/pdf/").status_code == 403
    assert not AuditEvent.objects.filter(
        object_type__in=["monthly_evaluation", "district_review"]
    ).exists()


def test_a_tpcb_member_outside_the_team_gets_no_pdf(district, team, tpcb_other, client_for):
    assert client_for(tpcb_other).get(f"/pembinaan/evaluasi/{BARAT}/pdf/").status_code == 404
    assert not AuditEvent.objects.filter(object_type="monthly_evaluation").exists()


def test_anonymous_users_go_to_the_login_page(client):
    for url in PAGES.values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")


def test_an_inactive_team_no_longer_opens_its_puskesmas(district, team, client_for):
    team.is_active = False
    team.save(update_fields=["is_active"])
    assert client_for(district.tpcb).get(PAGES["monthly"]).status_code == 404


def test_the_index_lists_the_reader_s_puskesmas(district, team, client_for):
    html = client_for(district.dinkes).get(PAGES["index"]).content.decode()
    assert "Puskesmas Barat" in html and "Puskesmas Timur" in html
    assert 'href="/pembinaan/tinjauan-triwulan/?quarter=' in html
    html = client_for(district.pkm_barat).get(PAGES["index"]).content.decode()
    assert "Puskesmas Barat" in html and "Puskesmas Timur" not in html
    assert "/pembinaan/tinjauan-triwulan/" not in html
