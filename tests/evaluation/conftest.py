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
