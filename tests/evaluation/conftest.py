"""Coaching fixtures on the shared test district: team "Tim Barat" (decree 2026-01-05, lead
the persona tpcb, member the dinkes administrator too) coaching Puskesmas Barat; a second TPCB
analyst, tpcb_other, in no team; a visit to Puskesmas Barat on 2026-03-10 and a
recommendation from it due 2026-04-30, addressed to the K2 cluster."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.accounts.models import Role, User
from ilp.evaluation import services


@pytest.fixture
def team(district):
    return services.team_create(
        user=district.dinkes,
        name="Tim Barat",
        decree_number="800/12/Dinkes/2026",
        decree_date=date(2026, 1, 5),
        lead=district.tpcb,
        members=[district.tpcb, district.dinkes],
        puskesmas=[district.pkm_barat_f],
    )


@pytest.fixture
def tpcb_other(district):
    return User.objects.create_user(
        username="tpcb_other", password="pw-test-123", role=Role.TPCB, area=district.city
    )


@pytest.fixture
def visit(district, team):
    return services.visit_plan(
        user=district.tpcb,
        team=team,
        puskesmas=district.pkm_barat_f,
        planned_date=date(2026, 3, 10),
        members=[district.tpcb],
    )


@pytest.fixture
def rec(district, visit):
    return services.recommendation_create(
        user=district.tpcb,
        visit=visit,
        content=services.RecommendationContent(
            what="Sweeping ibu hamil yang belum K1",
            indicator="k1",
            why="K1 jauh di bawah target",
            owner_role="k2",
            due_date=date(2026, 4, 30),
        ),
    )


# -- checklists: K1 (2 items) and K2 (3 items) published by the dinkes administrator, and a
# visit planned after them (it takes both versions 1).


@pytest.fixture
def checklists(district):
    from ilp.evaluation.services_checklists import ItemDraft, checklist_publish

    k1 = checklist_publish(
        user=district.dinkes,
        cluster="k1",
        base=None,
        items=[ItemDraft("1.1", "Lokmin bulanan"), ItemDraft("1.2", "PWS diperbarui")],
    )
    k2 = checklist_publish(
        user=district.dinkes,
        cluster="k2",
        base=None,
        items=[
            ItemDraft("2.1", "Register kohort ibu lengkap", "k1"),
            ItemDraft("2.2", "Buku KIA diisi"),
            ItemDraft("2.3", "Alur rujukan tertulis"),
        ],
    )
    return {"k1": k1, "k2": k2}


@pytest.fixture
def cl_visit(district, team, checklists):
    return services.visit_plan(
        user=district.tpcb,
        team=team,
        puskesmas=district.pkm_barat_f,
        planned_date=date(2026, 3, 12),
        members=[district.tpcb],
    )


# -- specialist coaching programmes ----------------------------------------------------------
# Programme "Pendampingan KIA dan rujukan 2026" (2026-01-01 – 2026-12-31) of the dinkes, its
# specialists spog and spa, topics poned / neonatal / rujukan, covering Puskesmas Barat and
# Puskesmas Timur; a third specialist, sp_other, in no programme. A session of spog at
# Puskesmas Barat on 2026-03-15 with pkm_barat and "Ni Made Sari | bidan" as participants.


def _specialist(district, username, first_name):
    return User.objects.create_user(
        username=username,
        password="pw-test-123",
        role=Role.SPECIALIST,
        area=district.city,
        first_name=first_name,
    )


@pytest.fixture
def spog(district):
    return _specialist(district, "spog", "dr. Ayu SpOG")


@pytest.fixture
def spa(district):
    return _specialist(district, "spa", "dr. Budi SpA")


@pytest.fixture
def sp_other(district):
    return _specialist(district, "sp_other", "dr. Citra SpOG")


@pytest.fixture
def programme(district, spog, spa):
    from ilp.evaluation import programme_services

    return programme_services.programme_save(
        user=district.dinkes,
        name="Pendampingan KIA dan rujukan 2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        specialists=[spog, spa],
        puskesmas=[district.pkm_barat_f, district.pkm_timur_f],
        topics=[("poned", "PONED"), ("neonatal", "Perawatan neonatal"), ("rujukan", "Rujukan")],
    )


@pytest.fixture
def session(district, programme, spog):
    from ilp.evaluation import programme_services

    found = programme_services.session_create(
        user=spog,
        programme=programme,
        puskesmas=district.pkm_barat_f,
        specialist=spog,
        session_date=date(2026, 3, 15),
    )
    programme_services.session_participants_add(
        user=spog, session=found, staff=[district.pkm_barat], others=[("Ni Made Sari", "bidan")]
    )
    return found


@pytest.fixture
def session_rec(district, session, spog):
    from ilp.evaluation import programme_services

    return programme_services.session_recommendation_create(
        user=spog,
        session=session,
        content=services.RecommendationContent(
            what="Latih ulang manajemen perdarahan pascapersalinan",
            why="Post-test PONED di bawah 70",
            owner_role="k2",
            due_date=date(2026, 5, 31),
        ),
    )


def area_task(district, visit, area, what):
    """A recommendation of the visit addressed to a cross-sector area (camat or kepala desa)."""
    return services.recommendation_create(
        user=district.tpcb,
        visit=visit,
        content=services.RecommendationContent(
            what=what,
            why="Rapat lintas sektor kecamatan",
            owner_area=area,
            due_date=date(2026, 5, 31),
        ),
    )


@pytest.fixture
def rec_desa(district, visit):
    """Addressed to desa (kelurahan) Ampel: its kepala desa answers."""
    return area_task(district, visit, district.ampel, "Gerakkan warga ke posyandu")


@pytest.fixture
def rec_kec(district, visit):
    """Addressed to kecamatan Barat: its camat answers."""
    return area_task(district, visit, district.kec_barat, "Anggarkan PMT dari dana kecamatan")


@pytest.fixture
def officials(district):
    """Cross-sector officials of other areas: the camat of Timur and the kepala desa of Batu
    (a desa Puskesmas Barat serves too)."""
    return {
        "camat_timur": User.objects.create_user(
            username="camat_timur", role=Role.CROSS_SECTOR, area=district.kec_timur
        ),
        "kades_batu": User.objects.create_user(
            username="kades_batu", role=Role.CROSS_SECTOR, area=district.batu
        ),
    }
