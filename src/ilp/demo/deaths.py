"""The demo district's maternal and perinatal deaths: a few, with their AMP-SR reviews, so the
deaths list, its counts and a review page show something.

``generate_deaths(today=...)`` (called by the ``demo`` command after the coaching) writes
through the services, once (nothing when a death exists), for residents of the demo puskesmas'
area chosen by their order in the database (no random draw):

- a maternal death (postpartum haemorrhage, O72.1) of the first woman whose pregnancy is at
  least 32 weeks along, at home 20 days ago, notified 30 hours later (late: the review shows
  it), reviewed ten days ago by the district with two delay factors and one recommendation to
  the puskesmas;
- a stillbirth (P95) of the next such pregnancy, at the puskesmas 12 days ago, notified within
  the day, not reviewed yet.

Persons are marked deceased as in real use (so they leave the work lists)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ilp.accounts.models import User
from ilp.demo.logins import DEMO_PUSKESMAS
from ilp.evaluation import death_services
from ilp.evaluation.services import RecommendationContent
from ilp.people.models import Pregnancy, PregnancyOutcome
from ilp.places.models import Facility, FacilityKind
from ilp.referrals.models import Death
from ilp.referrals.services_deaths import DeathData, death_record


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def generate_deaths(*, today: date | None = None) -> int:
    """Write the demo deaths (see the module docstring); returns how many were written."""
    if Death.objects.exists():
        return 0
    today = today or timezone.localdate()
    puskesmas = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, name=DEMO_PUSKESMAS).first()
    dinkes = User.objects.filter(username="dinkes").first()
    tpcb = User.objects.filter(username="tpcb").first()
    if puskesmas is None or dinkes is None or tpcb is None:
        return 0
    late = today - timedelta(weeks=32)
    pregnancies = list(
        Pregnancy.objects.active()
        .filter(
            outcome=PregnancyOutcome.ONGOING,
            lmp__lte=late,
            person__village__in=puskesmas.service_areas.all(),
            person__voided_at__isnull=True,
            person__deceased_on__isnull=True,
        )
        .select_related("person")
        .order_by("pk")[:2]
    )
    if len(pregnancies) < 2:
        return 0
    maternal, still = pregnancies
    with transaction.atomic():
        died = _at(today - timedelta(days=20), 4)
        death = death_record(
            user=dinkes,
            person=maternal.person,
            data=DeathData(
                kind="maternal",
                died_at=died,
                place="home",
                pregnancy=maternal,
                cause_code="O72.1",
                care_path_note="Bersalin di rumah ditolong keluarga; perdarahan sesudah lahir.",
                notified_by_facility=puskesmas,
                notified_by_name="Bidan koordinator",
                notified_at=died + timedelta(hours=30),
            ),
        )
        review = death.review
        meeting = today - timedelta(days=10)
        death_services.review_update(
            user=tpcb,
            review=review,
            version=review.version,
            meeting_date=meeting,
            participants="Kepala Dinkes, SpOG RSUD, kepala puskesmas, bidan koordinator",
            factors=["d1_danger_signs", "d2_transport"],
            summary="Perdarahan pascapersalinan di rumah; keluarga tidak mengenali tanda bahaya, "
            "ambulans desa tidak tersedia malam hari.",
        )
        death_services.review_recommendation_create(
            user=tpcb,
            review=review,
            content=RecommendationContent(
                what="Kelas ibu hamil tentang tanda bahaya dan rencana persalinan (P4K) di "
                "setiap desa",
                due_date=meeting + timedelta(days=60),
                why="Pengkajian kematian: terlambat 1 dan 2",
                owner_role="kepala",
            ),
        )
        born = _at(today - timedelta(days=12), 14)
        death_record(
            user=dinkes,
            person=still.person,
            data=DeathData(
                kind="stillbirth",
                died_at=born,
                place="puskesmas",
                facility=puskesmas,
                pregnancy=still,
                cause_code="P95",
                notified_by_facility=puskesmas,
                notified_at=born + timedelta(hours=6),
            ),
        )
    return 2
