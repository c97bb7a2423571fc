"""The demo district's partner organisations and a handful of KtP/A cases, so the ``ppa``
login (and the demo puskesmas) see the protection pages at work.

``generate_protection(today=...)`` (called by the ``demo`` command with the referrals) writes
through the services, once (nothing when a partner organisation exists), at the demo
puskesmas, its cases opened by its demo login (who is their officer):

- partners of the city: UPTD PPA, LPA and the police's PPA unit; the ``ppa`` login works for
  the UPTD PPA;
- a child's case referred (social) to the UPTD PPA yesterday and acknowledged by it, with the
  duty to inform met (orally, to the UPTD PPA);
- a woman's case referred (legal) to the UPTD PPA ten days ago, never acknowledged: its
  follow-up is overdue;
- a case referred to the UPTD PPA three weeks ago and followed up (a home visit);
- a case referred to the LPA only, and one referred nowhere: the ``ppa`` login sees neither;
- a child referred in by the UPTD PPA this morning: urgent, no officer yet.

Victims are residents of the puskesmas' area chosen by their order in the database (no
random draw); none of them has a perpetrator recorded."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ilp.accounts.models import User
from ilp.demo.logins import DEMO_PUSKESMAS, puskesmas_login
from ilp.people.models import Person
from ilp.places.models import Area, Facility, FacilityKind
from ilp.protection import services, services_partner
from ilp.protection.models import Case, Partner, PartnerKind, PartnerMember

CITY = "52.71"
PARTNERS = (
    ("UPTD PPA Kota Mataram", PartnerKind.UPTD_PPA, "0370-000111"),
    ("LPA Kota Mataram", PartnerKind.LPA, "0370-000222"),
    ("Unit PPA Polresta Mataram", PartnerKind.POLICE, "110"),
)
# The partner the ``ppa`` demo login works for.
PPA_PARTNER = "UPTD PPA Kota Mataram"


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _victims(puskesmas: Facility, today: date) -> tuple[list[Person], list[Person]]:
    """Girls aged 6–15 and women aged 20–45 of the puskesmas' area, in database order."""
    living = Person.objects.filter(
        village__in=puskesmas.service_areas.all(),
        sex="F",
        voided_at__isnull=True,
        deceased_on__isnull=True,
    ).order_by("pk")
    girls = living.filter(
        birth_date__lte=today - timedelta(days=6 * 366),
        birth_date__gt=today - timedelta(days=15 * 365),
    )
    women = living.filter(
        birth_date__lte=today - timedelta(days=20 * 366),
        birth_date__gt=today - timedelta(days=45 * 365),
    )
    return list(girls[:3]), list(women[:2])


def _victim(people: list[Person], index: int, alias: str, age: int) -> dict[str, Any]:
    if index < len(people):
        return {"person": people[index]}
    return {"alias": alias, "sex": "F", "age_years": age}


def generate_protection(*, today: date | None = None) -> int:
    """Write the demo partners and cases (see the module docstring); returns the number of
    cases written (0 when partners exist or the demo puskesmas or logins are missing)."""
    if Partner.objects.exists():
        return 0
    today = today or timezone.localdate()
    city = Area.objects.filter(code=CITY).first()
    puskesmas = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, name=DEMO_PUSKESMAS).first()
    staff = User.objects.filter(username=puskesmas_login(DEMO_PUSKESMAS)).first()
    ppa = User.objects.filter(username="ppa").first()
    if city is None or puskesmas is None or staff is None or ppa is None:
        return 0
    girls, women = _victims(puskesmas, today)
    with transaction.atomic():
        partners = {
            name: Partner.objects.create(name=name, kind=kind, area=city, phone=phone)
            for name, kind, phone in PARTNERS
        }
        uptd = partners[PPA_PARTNER]
        lpa = partners["LPA Kota Mataram"]
        PartnerMember.objects.update_or_create(user=ppa, defaults={"partner": uptd})

        def case(days_ago: int, kinds: list[str], victim: dict[str, Any], summary: str) -> Case:
            opened: Case = services.case_open(
                user=staff,
                arrival_route="walk_in",
                arrived_at=_at(today - timedelta(days=days_ago), 9),
                kinds=kinds,
                occurred_place="home",
                summary=summary,
                victim=victim,
            )
            return opened

        acknowledged = case(
            2,
            ["sexual"],
            _victim(girls, 0, "Anak A", 9),
            "Diantar ibu; keluhan nyeri, dicurigai kekerasan seksual oleh kerabat.",
        )
        referral = services_partner.case_refer(
            user=staff,
            case=acknowledged,
            partner=uptd,
            aim="social",
            note="Mohon pendampingan psikososial dan penilaian keamanan rumah.",
            sent_at=_at(today - timedelta(days=1), 10),
        )
        services_partner.case_referral_acknowledge(
            user=ppa, referral=referral, at=_at(today - timedelta(days=1), 14)
        )
        services_partner.duty_to_inform_record(
            user=staff,
            case=acknowledged,
            informed="uptd_ppa",
            informed_name="UPTD PPA Kota Mataram (petugas piket)",
            method="oral",
            informed_at=_at(today - timedelta(days=1), 10),
        )
        overdue = case(
            12,
            ["physical", "psychological"],
            _victim(women, 0, "Ibu B", 31),
            "Memar di lengan dan wajah; korban ingin melapor.",
        )
        services_partner.case_refer(
            user=staff,
            case=overdue,
            partner=uptd,
            aim="legal",
            note="Korban ingin didampingi melapor ke polisi.",
            sent_at=_at(today - timedelta(days=10), 11),
        )
        followed = case(
            22, ["neglect"], _victim(girls, 1, "Anak C", 7), "Anak sering ditinggal sendiri."
        )
        earlier = services_partner.case_refer(
            user=staff,
            case=followed,
            partner=uptd,
            aim="social",
            sent_at=_at(today - timedelta(days=21), 10),
        )
        services_partner.case_referral_follow_up(
            user=ppa,
            referral=earlier,
            action="home_visit",
            note="Kunjungan rumah bersama kader; keluarga dirujuk ke dinas sosial.",
            at=_at(today - timedelta(days=19), 13),
        )
        to_lpa = case(
            5, ["psychological"], _victim(girls, 2, "Anak D", 13), "Perundungan di sekolah."
        )
        services_partner.case_refer(
            user=staff,
            case=to_lpa,
            partner=lpa,
            aim="social",
            sent_at=_at(today - timedelta(days=4), 10),
        )
        case(3, ["physical"], _victim(women, 1, "Ibu E", 27), "Datang sendiri, belum dirujuk.")
        services.case_open(
            user=ppa,
            arrival_route="partner",
            arrived_at=min(_at(today, 8), timezone.now()),
            kinds=["sexual"],
            occurred_place="school",
            summary="Dilaporkan guru BK; anak perlu pemeriksaan hari ini.",
            facility=puskesmas,
            victim={"alias": "Anak F", "sex": "F", "age_years": 11},
        )
    return Case.objects.count()
