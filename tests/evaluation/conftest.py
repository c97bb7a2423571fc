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
