"""Every catalogue indicator on a tiny hand-built district (tests/conftest.py ``district``),
with the numerator and denominator worked out by hand in each test's docstring.

Records are written straight to the tables, then ``indicators_rebuild`` recomputes the
counts as of TODAY (kept years 2025 and 2026) and the values are read as the dinkes reads
them. The fixture's residents take part: budi (M 1985, Ampel Timur), siti (F 1990, Ampel
Timur), rina (F 2024-05-02, Ampel Timur), ahmad (M 1960, Ampel Barat), wayan (M 2001, Batu
Atas), dewi (F 1995, Cemara Raya). Kecamatan Barat holds Ampel and Batu, Timur holds Cemara.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from ilp.care.models import Encounter, ImmunizationRecord, Observation
from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.selectors import indicator_values
from ilp.monitoring.services import indicators_rebuild
from ilp.people.models import Pregnancy
from tests.care import encounter, resident
from tests.monitoring import idl_doses

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)


def values(district, code, month, area=None, by=None, year=2026):
    """{area code (, group): (numerator, denominator, value, status)} as the dinkes reads."""
    rows = indicator_values(
        district.dinkes,
        load_catalogue()[code],
        area_code=(area or district.city).code,
        year=year,
        month=month,
        by=by,
    )
    return {
        (r.place.code if by is None else (r.place.code, r.group)): (
            r.numerator,
            r.denominator,
            r.value,
            r.status,
        )
        for r in rows
    }


def anc(district, pregnancy, *dates):
    for on in dates:
        encounter(pregnancy.person, on, district.pustu_ampel_f, "anc", pregnancy=pregnancy)


def test_k1_k1_murni_k4_k6(district):
    """Pregnancies ending in 2026 (outcome date, or EDD while ongoing):
    - siti (Ampel Timur): EDD 2026-09-01, one ANC 2026-01-20 at 8 weeks (280 − 224 days = 56
      days): K1 January, K1 murni January;
    - dewi (Cemara): EDD 2026-03-10, ANC 2025-10-01 (17 weeks: not trimester 1), 2025-12-01,
      2026-01-15, 2026-02-20: K1 counts from January (made before the year), K4 February;
    - nur (Ampel Barat): ended 2026-04-10 (EDD 2026-05-01), no ANC: target, not served.
    Not targets: ani (Batu, EDD 2027-02-01, ANC 2026-06-01), a voided pregnancy of wayan's
    wife (Batu, EDD 2026-08-01); a voided ANC of nur does not count.
    2026-06 district: K1 2/3 = 66.7 %, K1 murni 1/3, K4 1/3, K6 0/3.
    Kecamatan Barat (siti, nur): K1 1/2; Timur (dewi): K1 1/1.
    Target line in June: 100 × 6/12 = 50; May had the same K1 value → above, rising.
    """
    siti = Pregnancy.objects.create(person=district.siti, edd=date(2026, 9, 1))
    anc(district, siti, date(2026, 1, 20))
    dewi = Pregnancy.objects.create(person=district.dewi, edd=date(2026, 3, 10))
    anc(district, dewi, date(2025, 10, 1), date(2025, 12, 1), date(2026, 1, 15), date(2026, 2, 20))
    nur_p = resident(district, "Nur", "F", date(1998, 1, 1), district.rt_ampel_barat)
    nur = Pregnancy.objects.create(
        person=nur_p, edd=date(2026, 5, 1), outcome="abortion", outcome_date=date(2026, 4, 10)
    )
    voided = encounter(nur_p, date(2026, 2, 1), district.pustu_ampel_f, "anc", pregnancy=nur)
    Encounter.objects.filter(pk=voided.pk).update(voided_at=timezone.now())
    ani = resident(district, "Ani", "F", date(2000, 1, 1), district.rt_batu)
    anc(district, Pregnancy.objects.create(person=ani, edd=date(2027, 2, 1)), date(2026, 6, 1))
    wife = resident(district, "Putu", "F", date(2002, 1, 1), district.rt_batu)
    Pregnancy.objects.create(person=wife, edd=date(2026, 8, 1), voided_at=timezone.now())
    indicators_rebuild(today=TODAY)

    city, barat, timur = district.city.code, district.kec_barat.code, district.kec_timur.code
    assert values(district, "k1", 6) == {
        city: (2, 3, 66.7, "above_rising"),
        barat: (1, 2, 50.0, "above_rising"),
        timur: (1, 1, 100.0, "above_rising"),
    }
    assert values(district, "k1_murni", 6)[city] == (1, 3, 33.3, "below_rising")
    assert values(district, "k4", 6)[city] == (1, 3, 33.3, "below_rising")
    assert values(district, "k4", 1)[city] == (0, 3, 0.0, "below_rising")
    # February: the month dewi's fourth contact was made; line 100 × 2/12 = 16.7.
    assert values(district, "k4", 2)[city] == (1, 3, 33.3, "above_rising")
    assert values(district, "k6", 6)[city] == (0, 3, 0.0, "below_rising")
    by_age = values(district, "k1", 6, by="age")
    # siti 36 and nur 28 on 31 Dec 2026; dewi 31.
    assert by_age[(city, "35+")] == (1, 1, 100.0, "above_rising")
    assert by_age[(city, "20-34")] == (1, 2, 50.0, "above_rising")
    assert by_age[(city, "10-19")] == (0, 0, None, None)


def test_persalinan_fasyankes(district):
    """Deliveries of 2026:
    - siti (Ampel Timur): live birth 2026-03-02, delivery encounter at a facility with a
      health worker → March;
    - dewi (Cemara): live birth 2026-04-20 at home with a health worker → not served;
    - nur (Ampel Barat): ongoing, EDD 2026-09-30: an expected delivery, not yet served;
    - ani (Batu): miscarriage 2026-02-01: not a delivery; putri (Batu): EDD 2027-01-15:
      next year's.
    2026-02: 0/3 (line 16.7: below); 2026-06: 1/3 = 33.3 % (line 50: below). Kecamatan
    Timur: 0/1.
    """

    def delivered(person, on, place, *, outcome="live_birth", edd=None):
        p = Pregnancy.objects.create(person=person, edd=edd or on, outcome=outcome, outcome_date=on)
        values = {"delivery_place": place, "attendant": "health_worker"}
        encounter(person, on, district.pkm_barat_f, "delivery", pregnancy=p, values=values)

    delivered(district.siti, date(2026, 3, 2), "facility")
    delivered(district.dewi, date(2026, 4, 20), "home")
    nur = resident(district, "Nur", "F", date(1998, 1, 1), district.rt_ampel_barat)
    Pregnancy.objects.create(person=nur, edd=date(2026, 9, 30))
    ani = resident(district, "Ani", "F", date(2000, 1, 1), district.rt_batu)
    Pregnancy.objects.create(
        person=ani, edd=date(2026, 8, 1), outcome="abortion", outcome_date=date(2026, 2, 1)
    )
    putri = resident(district, "Putri", "F", date(2001, 1, 1), district.rt_batu)
    Pregnancy.objects.create(person=putri, edd=date(2027, 1, 15))
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "persalinan_fasyankes", 2)[city] == (0, 3, 0.0, "below_rising")
    got = values(district, "persalinan_fasyankes", 6)
    assert got[city] == (1, 3, 33.3, "below_rising")
    assert got[district.kec_timur.code] == (0, 1, 0.0, "below_rising")


def test_kn1_and_kn_lengkap(district):
    """Born in 2026: bayi A (F, Ampel Timur, 2026-03-10, neonatal visit the next day: 36 h,
    KN1 in March; then day 4 (108 h, KN2) and day 15 (372 h, KN3): KN lengkap in March),
    bayi B (M, Batu, 2026-04-01, first visit 2026-04-03: 60 h, too late for KN1, so never
    lengkap).
    Bayi C (born 2025-12-31, visited 2026-01-01) is a 2025 target only, and her visit, made
    after 2025 ended, is not in 2025's numerator.
    2026-06: 1/2 = 50 %; by sex F 1/1, M 0/1. 2026-02: 0/2. 2025-12: C is a target: 0/1.
    """
    a = resident(district, "Bayi A", "F", date(2026, 3, 10))
    b = resident(district, "Bayi B", "M", date(2026, 4, 1), district.rt_batu)
    c = resident(district, "Bayi C", "F", date(2025, 12, 31))
    encounter(a, date(2026, 3, 11), district.pustu_ampel_f, "newborn", visit_number=1)
    encounter(a, date(2026, 3, 14), district.pustu_ampel_f, "newborn", visit_number=2)
    encounter(a, date(2026, 3, 25), district.pustu_ampel_f, "newborn", visit_number=3)
    encounter(b, date(2026, 4, 3), district.pustu_batu_f, "newborn", visit_number=1)
    encounter(c, date(2026, 1, 1), district.pustu_ampel_f, "newborn", visit_number=1)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "kn1", 6)[city] == (1, 2, 50.0, "above_rising")
    assert values(district, "kn1", 2)[city] == (0, 2, 0.0, "below_rising")
    assert values(district, "kn1", 3)[city] == (1, 2, 50.0, "above_rising")
    by_sex = values(district, "kn1", 6, by="sex")
    assert by_sex[(city, "F")] == (1, 1, 100.0, "above_rising")
    assert by_sex[(city, "M")] == (0, 1, 0.0, "below_rising")
    assert values(district, "kn1", 12, year=2025)[city] == (0, 1, 0.0, "below_rising")
    assert values(district, "kn_lengkap", 2)[city] == (0, 2, 0.0, "below_rising")
    assert values(district, "kn_lengkap", 6)[city] == (1, 2, 50.0, "above_rising")


def _doses(person, doses, *, valid=True):
    ImmunizationRecord.objects.bulk_create(
        ImmunizationRecord(person=person, date=on, dose_code=code, valid=valid)
        for code, on in doses
    )


def test_idl(district):
    """The 2026 cohort (first birthday in 2026):
    - kiki (F, Ampel Timur, born 2025-02-10): the whole set, MR1 2025-11-10: complete before
      the year → counts from January;
    - lala (M, Batu, born 2025-05-01): no MR1 → incomplete;
    - mimi (F, Cemara, born 2025-03-01): MR1 2026-02-02 (11 months) → complete in February;
    - nina (F, Ampel Timur, born 2025-04-01): MR1 recorded but marked invalid → incomplete.
    rina (born 2024) belongs to 2025's cohort, not 2026's.
    2026-01: 1/4 = 25 %; 2026-06: 2/4 = 50 % (line 50: above). Desa Ampel: kiki, nina → 1/2.
    """
    kiki = resident(district, "Kiki", "F", date(2025, 2, 10))
    _doses(kiki, idl_doses(kiki.birth_date, date(2025, 11, 10)))
    lala = resident(district, "Lala", "M", date(2025, 5, 1), district.rt_batu)
    _doses(lala, idl_doses(lala.birth_date, None))
    mimi = resident(district, "Mimi", "F", date(2025, 3, 1), district.rt_cemara)
    _doses(mimi, idl_doses(mimi.birth_date, date(2026, 2, 2)))
    nina = resident(district, "Nina", "F", date(2025, 4, 1))
    _doses(nina, idl_doses(nina.birth_date, None))
    _doses(nina, [("MR1", date(2026, 1, 2))], valid=False)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "idl", 1)[city] == (1, 4, 25.0, "above_rising")
    assert values(district, "idl", 6)[city] == (2, 4, 50.0, "above_rising")
    ampel = values(district, "idl", 6, area=district.kec_barat)[district.ampel.code]
    assert ampel == (1, 2, 50.0, "above_rising")


def test_baduta(district):
    """The 2026 baduta cohort (second birthday in 2026):
    - rina (F, Ampel Timur, born 2024-05-02): DPT-HB-Hib 4 and MR2 on 2025-11-02 (18
      months): complete before the year → counts from January;
    - bima (M, Batu, born 2024-08-01): DPT-HB-Hib 4 2026-02-01, MR2 2026-03-01 → March;
    - citra (F, Cemara, born 2024-03-01): DPT-HB-Hib 4 only → incomplete.
    2026-01: 1/3 = 33.3 % (line 8.3: above); 2026-06: 2/3 = 66.7 %. By sex in June: F 1/2,
    M 1/1."""
    _doses(district.rina, [("DPT-HB-Hib 4", date(2025, 11, 2)), ("MR2", date(2025, 11, 2))])
    bima = resident(district, "Bima", "M", date(2024, 8, 1), district.rt_batu)
    _doses(bima, [("DPT-HB-Hib 4", date(2026, 2, 1)), ("MR2", date(2026, 3, 1))])
    citra = resident(district, "Citra", "F", date(2024, 3, 1), district.rt_cemara)
    _doses(citra, [("DPT-HB-Hib 4", date(2025, 9, 1))])
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "baduta", 1)[city] == (1, 3, 33.3, "above_rising")
    assert values(district, "baduta", 6)[city] == (2, 3, 66.7, "above_rising")
    by_sex = values(district, "baduta", 6, by="sex")
    assert by_sex[(city, "F")] == (1, 2, 50.0, "above_rising")
    assert by_sex[(city, "M")] == (1, 1, 100.0, "above_rising")


def test_lansia_skrining(district):
    """Residents 60+ on 31 Dec 2026: ahmad (born 1960: 66, Ampel Barat) and nenek (born
    1950: 76, Cemara); budi (1985) is not. Ahmad's elderly screening of 2026-02-10 counts
    (his adult-package screening of 2026-01-05 does not: not the lansia package); nenek has
    none. 2026-01: 0/2; 2026-06: 1/2 = 50 % (line 50: above). By age: 60-69 1/1, 70+ 0/1.
    Kecamatan Timur (nenek): 0/1."""
    resident(district, "Nenek", "F", date(1950, 6, 1), district.rt_cemara)
    pkm = district.pkm_barat_f
    encounter(district.ahmad, date(2026, 1, 5), pkm, "adult", cluster="k3", place_kind="puskesmas")
    encounter(
        district.ahmad, date(2026, 2, 10), pkm, "elderly", cluster="k3", place_kind="puskesmas"
    )
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "lansia_skrining", 1)[city] == (0, 2, 0.0, "below_rising")
    got = values(district, "lansia_skrining", 6)
    assert got[city] == (1, 2, 50.0, "above_rising")
    assert got[district.kec_timur.code] == (0, 1, 0.0, "below_rising")
    by_age = values(district, "lansia_skrining", 6, by="age")
    assert by_age[(city, "60-69")] == (1, 1, 100.0, "above_rising")
    assert by_age[(city, "70+")] == (0, 1, 0.0, "below_rising")


def _weigh(person, on, facility):
    e = encounter(person, on, facility, "child")
    Observation.objects.create(encounter=e, person=person, date=on, code="weight", value=10.0)


def test_ds(district):
    """Monthly. Balita (0–59 completed months on the month's last day):
    - rina (F, Ampel Timur, born 2024-05-02): every month of 2026; weighed 2026-06-05;
    - tono (M, Ampel Barat, born 2026-06-15): from June;
    - oki (M, Batu, born 2021-05-01): 56 months on 31 Jan, 60 on 31 May: January to April;
      weighed 2026-01-10.
    June: S = rina, tono = 2; D = rina = 1 → 50 % (target 80: below); May had D 0/S 1 → rising.
    January: S = rina, oki = 2; D = oki → 50 %. May: S = rina = 1, D = 0 → 0 %.
    June by age: 0-11 tono 0/1, 24-59 rina 1/1.
    """
    rina = district.rina
    resident(district, "Tono", "M", date(2026, 6, 15), district.rt_ampel_barat)
    oki = resident(district, "Oki", "M", date(2021, 5, 1), district.rt_batu)
    _weigh(rina, date(2026, 6, 5), district.pos_ampel_timur_f)
    _weigh(oki, date(2026, 1, 10), district.pos_batu_f)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "ds", 6)[city] == (1, 2, 50.0, "below_rising")
    assert values(district, "ds", 1)[city] == (1, 2, 50.0, "below_rising")
    assert values(district, "ds", 2)[city] == (0, 2, 0.0, "below_falling")
    assert values(district, "ds", 5)[city] == (0, 1, 0.0, "below_rising")
    by_age = values(district, "ds", 6, by="age")
    assert by_age[(city, "0-11")] == (0, 1, 0.0, "below_rising")
    assert by_age[(city, "24-59")] == (1, 1, 100.0, "above_rising")
    assert by_age[(city, "12-23")] == (0, 0, None, None)


def test_ptm_15(district):
    """Residents 15+ on 31 Dec 2026: budi, siti, ahmad, wayan, dewi, and remaja (born
    2011-10-01, 15 in October) = 6; anak (born 2012-01-01, 14) is not; rina is not.
    Screened in 2026: budi (adult 2026-03-05 and 2026-05-01 → March), ahmad (elderly
    2026-02-10 → February; his 2025-11-01 screening is last year's); dewi's adult screening
    of 2026-04-01 was voided.
    February: 1/6 = 16.7 % (line 100 × 2/12 = 16.7: above); June: 2/6 = 33.3 % (line 50:
    below; May 33.3 → rising). 2025-12: ahmad 1 of 5 (remaja was 14) = 20 %.
    By sex, June: M budi, ahmad of budi, ahmad, wayan, remaja → 2/4; F 0/2.
    """
    resident(district, "Remaja", "M", date(2011, 10, 1))
    resident(district, "Anak", "F", date(2012, 1, 1))
    pkm = district.pkm_barat_f
    for on in (date(2026, 3, 5), date(2026, 5, 1)):
        encounter(district.budi, on, pkm, "adult", cluster="k3", place_kind="puskesmas")
    for on in (date(2025, 11, 1), date(2026, 2, 10)):
        encounter(district.ahmad, on, pkm, "elderly", cluster="k3", place_kind="puskesmas")
    voided = encounter(district.dewi, date(2026, 4, 1), district.pkm_timur_f, "adult", cluster="k3")
    Encounter.objects.filter(pk=voided.pk).update(voided_at=timezone.now())
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "ptm_15", 2)[city] == (1, 6, 16.7, "above_rising")
    assert values(district, "ptm_15", 6)[city] == (2, 6, 33.3, "below_rising")
    assert values(district, "ptm_15", 12, year=2025)[city] == (1, 5, 20.0, "below_rising")
    by_sex = values(district, "ptm_15", 6, by="sex")
    assert by_sex[(city, "M")] == (2, 4, 50.0, "above_rising")
    assert by_sex[(city, "F")] == (0, 2, 0.0, "below_rising")
