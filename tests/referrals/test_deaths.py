"""Maternal and perinatal deaths: recording (each refusal on its field), the person marked
deceased everywhere (off the work lists) and restored when the death is voided, the AMP-SR
review it opens with the notification check, and the review's recommendations following the
loop of every recommendation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.care.worklists import compute_worklist
from ilp.core.corrections import Reason
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.evaluation import death_services
from ilp.evaluation import services as ev_services
from ilp.evaluation.models import DeathReview, Recommendation
from ilp.evaluation.selectors import puskesmas_recommendations
from ilp.people.models import Pregnancy, PregnancyOutcome
from ilp.referrals.models import Death
from ilp.referrals.services_deaths import DeathData, death_notify, death_record, death_void
from ilp.standards import deaths as rules
from tests.conftest import _person

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def pregnancy(district):
    today = timezone.localdate()
    return Pregnancy.objects.create(
        person=district.siti, lmp=today - timedelta(weeks=36), edd=today + timedelta(weeks=4)
    )


def maternal(now, **extra):
    values = {
        "kind": "maternal",
        "died_at": now - timedelta(hours=30),
        "place": "puskesmas",
        "cause_code": "o72.1",
        "notified_at": now - timedelta(hours=2),
    }
    values.update(extra)
    return DeathData(**values)


def fields(exc):
    return {k: v[0] for k, v in exc.value.fields.items()}


def test_a_maternal_death_opens_a_review_with_the_24_hour_check(district, pregnancy, now):
    death = death_record(
        user=district.pkm_barat,
        person=district.siti,
        data=maternal(now, facility=district.pkm_barat_f, pregnancy=pregnancy),
    )
    assert death.cause_code == "O72.1"
    review = DeathReview.objects.get(death=death)
    assert review.district == district.city
    assert review.puskesmas == district.pkm_barat_f
    assert review.state == "open"
    # died 30 h ago, notified 2 h ago: 4 hours past the 24-hour limit
    check = rules.notification_check(death.died_at, death.notified_at, now)
    assert check == rules.Notification("late", 24, 4)
    district.siti.refresh_from_db()
    assert district.siti.deceased_on == timezone.localtime(death.died_at).date()


def test_the_person_drops_off_the_work_list(district, pregnancy, now):
    on = timezone.localdate()
    before = compute_worklist(district.pkm_barat_f, on=on)
    assert district.siti.pk in {i.person.id for i in before}
    death_record(
        user=district.pkm_barat,
        person=district.siti,
        data=maternal(now, facility=district.pkm_barat_f, pregnancy=pregnancy),
    )
    after = compute_worklist(district.pkm_barat_f, on=on)
    assert district.siti.pk not in {i.person.id for i in after}


def test_void_restores_the_person_and_keeps_history(district, pregnancy, now):
    death = death_record(
        user=district.pkm_barat,
        person=district.siti,
        data=maternal(now, facility=district.pkm_barat_f, pregnancy=pregnancy),
    )
    death_void(user=district.pkm_barat, death=death, reason=Reason("wrong_person"))
    death.refresh_from_db()
    district.siti.refresh_from_db()
    assert death.voided_at is not None and death.void_reason == "wrong_person"
    assert district.siti.deceased_on is None
    assert death.history.count() >= 1
    assert district.siti.history.filter(deceased_on__isnull=False).exists()
    with pytest.raises(Conflict):
        death_void(user=district.pkm_barat, death=death, reason=Reason("wrong_person"))
    # recorded again (the right person after all): allowed once the first is voided
    again = death_record(
        user=district.pkm_barat,
        person=district.siti,
        data=maternal(now, facility=district.pkm_barat_f, pregnancy=pregnancy),
    )
    assert again.pk != death.pk


@pytest.mark.parametrize(
    ("who", "extra", "expected"),
    [
        ("budi", {}, ("kind", "Kematian ibu dan lahir mati hanya dicatat untuk perempuan.")),
        (
            "dewi_no_pregnancy",
            {},
            (
                "pregnancy",
                "Dewi Kartika tidak punya catatan kehamilan; catat dulu kehamilannya di halaman "
                "penduduk.",
            ),
        ),
        ("siti", {"died_at": "future"}, ("died_at", "Waktu meninggal tidak boleh di masa depan.")),
        (
            "siti",
            {"cause_code": "X"},
            ("cause_code", "Kode ICD-10 X tidak dikenal (WHO ICD-10 2019): tulis mis. O72.1."),
        ),
        (
            "siti",
            {"place": "home", "facility": "pkm"},
            ("facility", "Meninggal di rumah atau dalam perjalanan: kosongkan fasilitasnya."),
        ),
        ("siti", {"place": "hospital"}, ("facility", "Pilih fasilitas tempat meninggal.")),
        (
            "siti",
            {"notified_at": "before"},
            ("notified_at", "Waktu notifikasi tidak boleh sebelum kematian."),
        ),
    ],
)
def test_refusals_are_on_their_field(district, pregnancy, now, who, extra, expected):
    person = {"budi": district.budi, "siti": district.siti, "dewi_no_pregnancy": district.dewi}[who]
    user = district.dinkes
    values = {"facility": district.pkm_barat_f, "pregnancy": pregnancy if who == "siti" else None}
    for key, value in extra.items():
        if value == "future":
            value = now + timedelta(hours=1)
        elif value == "before":
            value = now - timedelta(hours=40)
        elif value == "pkm":
            value = district.pkm_barat_f
        values[key] = value
    if "place" in extra and "facility" not in extra:
        values["facility"] = None
    with pytest.raises(ValidationFailed) as exc:
        death_record(user=user, person=person, data=maternal(now, **values))
    assert fields(exc) == dict([expected])
    assert not Death.objects.exists()


def test_maternal_death_long_after_the_pregnancy_ended(district, now):
    ended = timezone.localdate() - timedelta(days=60)
    old = Pregnancy.objects.create(
        person=district.siti,
        lmp=ended - timedelta(weeks=39),
        edd=ended,
        outcome=PregnancyOutcome.LIVE_BIRTH,
        outcome_date=ended,
    )
    with pytest.raises(ValidationFailed) as exc:
        death_record(
            user=district.pkm_barat,
            person=district.siti,
            data=maternal(now, facility=district.pkm_barat_f, pregnancy=old),
        )
    assert list(fields(exc)) == ["died_at"]
    assert "lebih dari 42 hari" in fields(exc)["died_at"]


def test_newborn_rules(district, now):
    today = timezone.localdate()
    baby = _person("Bayi Siti", "F", today - timedelta(days=3), district.rt_ampel_timur)
    older = _person("Anak Siti", "M", today - timedelta(days=40), district.rt_ampel_timur)
    data = DeathData(kind="neonatal", died_at=now - timedelta(hours=1), place="home")
    with pytest.raises(ValidationFailed) as exc:
        death_record(user=district.bidan_ampel, person=older, data=data)
    assert fields(exc) == {
        "kind": "Umur Anak Siti saat meninggal 40 hari: kematian neonatal hanya di bawah 28 hari."
    }
    death_record(user=district.bidan_ampel, person=baby, data=data)
    with pytest.raises(ValidationFailed) as exc:
        death_record(user=district.bidan_ampel, person=baby, data=data)
    assert fields(exc) == {"kind": "Kematian orang ini sudah dicatat."}
    born = DeathData(kind="neonatal", died_at=now - timedelta(days=5), place="home")
    with pytest.raises(ValidationFailed) as exc:
        death_record(
            user=district.dinkes,
            person=_person("Baru", "F", today, district.rt_ampel_timur),
            data=born,
        )
    assert list(fields(exc)) == ["died_at"]


def test_stillbirth_is_the_mothers_record_and_she_lives(district, pregnancy, now):
    data = DeathData(
        kind="stillbirth", died_at=now - timedelta(hours=3), place="home", pregnancy=pregnancy
    )
    death = death_record(user=district.bidan_ampel, person=district.siti, data=data)
    district.siti.refresh_from_db()
    assert district.siti.deceased_on is None
    assert death.review is not None
    with pytest.raises(ValidationFailed) as exc:
        death_record(user=district.bidan_ampel, person=district.siti, data=data)
    assert fields(exc) == {"pregnancy": "Lahir mati dari kehamilan ini sudah dicatat."}


def test_early_pregnancy_loss_is_not_a_stillbirth(district, now):
    today = timezone.localdate()
    early = Pregnancy.objects.create(
        person=district.siti, lmp=today - timedelta(weeks=16), edd=today + timedelta(weeks=24)
    )
    data = DeathData(kind="stillbirth", died_at=now, place="home", pregnancy=early)
    with pytest.raises(ValidationFailed) as exc:
        death_record(user=district.bidan_ampel, person=district.siti, data=data)
    assert fields(exc) == {
        "pregnancy": "Umur kehamilan 16 minggu: di bawah 28 minggu dicatat sebagai keguguran, "
        "bukan lahir mati (WHO)."
    }


def test_who_records(district, pregnancy, now):
    data = maternal(now, place="hospital", facility=district.hospital_f, pregnancy=pregnancy)
    # another puskesmas, a kader, TPCB: no
    for user in (district.kader_ampel_timur, district.tpcb):
        with pytest.raises(PermissionDenied):
            death_record(user=user, person=district.siti, data=data)
    # the hospital: only a person it received by referral
    with pytest.raises(PermissionDenied):
        death_record(user=district.rs_uji, person=district.siti, data=data)
    from ilp.referrals import services as referral_services

    referral_services.referral_create(
        user=district.pkm_barat,
        person=district.siti,
        from_facility=district.pkm_barat_f,
        to_facility=district.hospital_f,
        kind="maternal",
        reason="Perdarahan",
        decided_at=now - timedelta(days=1, hours=2),
    )
    death = death_record(user=district.rs_uji, person=district.siti, data=data)
    assert death.facility == district.hospital_f


def test_late_notification_recorded_once(district, pregnancy, now):
    death = death_record(
        user=district.pkm_barat,
        person=district.siti,
        data=maternal(now, facility=district.pkm_barat_f, pregnancy=pregnancy, notified_at=None),
    )
    assert rules.notification_check(death.died_at, None, now).status == "missed"
    death_notify(
        user=district.pkm_barat, death=death, notified_at=now, by_facility=None, by_name="Bidan A"
    )
    with pytest.raises(Conflict):
        death_notify(user=district.pkm_barat, death=death, notified_at=now, by_facility=None)


def test_review_and_its_recommendations_loop(district, pregnancy, now):
    death = death_record(
        user=district.pkm_barat,
        person=district.siti,
        data=maternal(now, facility=district.pkm_barat_f, pregnancy=pregnancy),
    )
    review = death.review
    with pytest.raises(PermissionDenied):
        death_services.review_update(
            user=district.pkm_barat,
            review=review,
            version=review.version,
            meeting_date=None,
            participants="",
            factors=[],
            summary="",
        )
    with pytest.raises(ValidationFailed) as exc:
        death_services.review_update(
            user=district.tpcb,
            review=review,
            version=review.version,
            meeting_date=timezone.localdate(),
            participants="Tim AMP",
            factors=["bogus"],
            summary="",
        )
    assert fields(exc) == {"factors": "Faktor tidak dikenal: bogus."}
    death_services.review_update(
        user=district.tpcb,
        review=review,
        version=review.version,
        meeting_date=timezone.localdate(),
        participants="Kadinkes, SpOG, bidan",
        factors=["d1_danger_signs", "d3_blood"],
        summary="Perdarahan pascapersalinan.",
    )
    review.refresh_from_db()
    assert review.state == "reviewed" and review.factors == ["d1_danger_signs", "d3_blood"]
    content = ev_services.RecommendationContent(
        what="Sediakan stok darah bersama UTD",
        due_date=timezone.localdate() + timedelta(days=30),
        why="Terlambat 3: darah",
        owner_role="kepala",
    )
    rec = death_services.review_recommendation_create(
        user=district.dinkes, review=review, content=content
    )
    assert rec.origin == review and rec.puskesmas == district.pkm_barat_f
    # on the puskesmas' open list, answered by it, accepted and verified by the reviewers
    assert rec in list(puskesmas_recommendations(district.pkm_barat))
    ev_services.recommendation_act(
        user=district.pkm_barat, recommendation=rec, action="answer", note="MoU dengan UTD"
    )
    with pytest.raises(PermissionDenied):
        ev_services.recommendation_act(user=district.pkm_barat, recommendation=rec, action="accept")
    ev_services.recommendation_act(user=district.tpcb, recommendation=rec, action="accept")
    ev_services.recommendation_act(user=district.dinkes, recommendation=rec, action="verify")
    assert Recommendation.objects.get(pk=rec.pk).state == "verified"
