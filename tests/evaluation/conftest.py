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
