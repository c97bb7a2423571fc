"""The demo's deaths: a maternal death reviewed (late notification, factors, a
recommendation to the demo puskesmas) and a stillbirth, written once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ilp.accounts.models import Role, User
from ilp.demo.deaths import generate_deaths
from ilp.demo.generate import generate_district
from ilp.demo.history import generate_service_history
from ilp.evaluation.models import DeathReview, Recommendation
from ilp.places.models import Area
from ilp.referrals.models import Death
from ilp.standards import deaths as rules

TODAY = date(2026, 3, 2)


@pytest.mark.django_db
def test_demo_deaths_written_once():
    generate_district(population=400, seed=7, today=TODAY)
    generate_service_history(start=TODAY - timedelta(days=400), end=TODAY, seed=7)
    # the district's logins (the coaching ones, tpcb among them, are made by the command)
    assert User.objects.filter(username="dinkes").exists()
    if not User.objects.filter(username="tpcb").exists():
        User.objects.create_user(
            username="tpcb", role=Role.TPCB, area=Area.objects.get(code="52.71")
        )
    assert generate_deaths(today=TODAY) == 2
    assert generate_deaths(today=TODAY) == 0
    maternal = Death.objects.get(kind="maternal")
    assert maternal.person.deceased_on == TODAY - timedelta(days=20)
    check = rules.notification_check(maternal.died_at, maternal.notified_at, maternal.died_at)
    assert check.status == "late" and check.hours_late == 6
    review = DeathReview.objects.get(death=maternal)
    assert review.state == "reviewed" and review.factors == ["d1_danger_signs", "d2_transport"]
    rec = Recommendation.objects.get(death_review=review)
    assert rec.puskesmas.name == "Puskesmas Ampenan"
    still = Death.objects.get(kind="stillbirth")
    assert still.person.deceased_on is None
