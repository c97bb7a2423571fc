"""The indicators added after the foundation (KF lengkap, SPM 5, TTD remaja putri, SRQ-20,
SPM 8 and 9 over their found patients), each on the tiny district of tests/conftest.py with
the numerator and denominator worked out by hand in the test's docstring.

As in ``test_indicators``: records written straight to the tables, ``indicators_rebuild`` as
of TODAY (kept years 2025 and 2026), values read as the dinkes reads them. Fixture residents:
budi (M 1985, Ampel Timur), siti (F 1990, Ampel Timur), rina (F 2024-05-02, Ampel Timur),
ahmad (M 1960, Ampel Barat), wayan (M 2001, Batu Atas), dewi (F 1995, Cemara Raya).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from ilp.care.models import Encounter, Observation, Screening, Supply
from ilp.monitoring.services import indicators_rebuild
from ilp.people.models import Pregnancy
from tests.care import encounter, resident
from tests.monitoring.test_indicators import TODAY, values

pytestmark = pytest.mark.django_db


def screened(person, on, facility, package, instrument, result_code, **kw):
    """An encounter of `package` with one stored screening result."""
    e = encounter(person, on, facility, package, **kw)
    Screening.objects.create(
        encounter=e, person=person, date=on, instrument=instrument, result_code=result_code
    )
    return e


def anc_finding(district, instrument, result_code):
    """siti pregnant (EDD 2026-09-01), a result at an ANC contact at the pustu on 2026-03-01:
    a pregnancy's finding, not a PTM one."""
    pregnancy = Pregnancy.objects.create(person=district.siti, edd=date(2026, 9, 1))
    screened(
        district.siti,
        date(2026, 3, 1),
        district.pustu_ampel_f,
        "anc",
        instrument,
        result_code,
        pregnancy=pregnancy,
    )


def void(e):
    Encounter.objects.filter(pk=e.pk).update(voided_at=timezone.now())
    Screening.objects.filter(encounter=e).update(voided_at=timezone.now())


def test_kf_lengkap(district):
    """Ibu nifas of 2026 (births in 2026, or ongoing with the EDD in 2026):
    - siti (Ampel Timur): live birth 2026-03-02; KF on 03-02 (12 h: KF1), 03-06 (108 h:
      KF2), 03-15 (324 h: KF3), 04-05 (828 h: KF4, 29–42 days) → lengkap in April;
    - dewi (Cemara): live birth 2026-04-20; KF1 04-20, KF2 04-24, KF3 05-01, no KF4 → not;
    - nur (Ampel Barat): ongoing, EDD 2026-09-30: a target, not served.
    ani (Batu): miscarriage 2026-02-01 with a postpartum visit: not a delivery, not a target.
    2026-03: 0/3; 2026-04: 1/3 = 33.3 % (line 100 × 4/12 = 33.3: above); 2026-06: 1/3
    (line 50: below). Kecamatan Timur (dewi): 0/1.
    """

    def birth(person, on, *visits, outcome="live_birth"):
        p = Pregnancy.objects.create(person=person, edd=on, outcome=outcome, outcome_date=on)
        for n, visit in enumerate(visits, 1):
            encounter(
                person, visit, district.pustu_ampel_f, "postpartum", pregnancy=p, visit_number=n
            )

    birth(
        district.siti, date(2026, 3, 2), *(date(2026, 3, d) for d in (2, 6, 15)), date(2026, 4, 5)
    )
    birth(district.dewi, date(2026, 4, 20), date(2026, 4, 20), date(2026, 4, 24), date(2026, 5, 1))
    nur = resident(district, "Nur", "F", date(1998, 1, 1), district.rt_ampel_barat)
    Pregnancy.objects.create(person=nur, edd=date(2026, 9, 30))
    ani = resident(district, "Ani", "F", date(2000, 1, 1), district.rt_batu)
    birth(ani, date(2026, 2, 1), date(2026, 2, 2), outcome="abortion")
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "kf_lengkap", 3)[city] == (0, 3, 0.0, "below_rising")
    assert values(district, "kf_lengkap", 4)[city] == (1, 3, 33.3, "above_rising")
    got = values(district, "kf_lengkap", 6)
    assert got[city] == (1, 3, 33.3, "below_rising")
    assert got[district.kec_timur.code] == (0, 1, 0.0, "below_rising")


def test_pendidikan_dasar_skrining(district):
    """Usia pendidikan dasar, 7–15 completed years on 31 Dec 2026:
    - andi (M, born 2015-03-01, 11): school encounter 2026-02-10 → February;
    - bela (F, born 2011-02-01, 15): school encounter 2025-11-01 (last year's) and a voided
      one of 2026-03-01 → not screened in 2026;
    - dodi (M, born 2019-12-31, 7 on 31 Dec): none.
    Not targets: eka (born 2010-06-01, 16; screened 2026-01-05), fani (born 2020-01-01, 6).
    2026-01: 0/3; 2026-02: 1/3 = 33.3 % (line 16.7: above); 2026-06: 1/3 (line 50: below).
    By age, June: 7-12 (andi, dodi) 1/2, 13-15 (bela) 0/1. 2025-12: andi (10), bela (14)
    and eka (15 then) are the targets (dodi 6), bela screened → 1/3.
    """
    pos = district.pos_ampel_timur_f
    andi = resident(district, "Andi", "M", date(2015, 3, 1))
    bela = resident(district, "Bela", "F", date(2011, 2, 1))
    resident(district, "Dodi", "M", date(2019, 12, 31))
    eka = resident(district, "Eka", "F", date(2010, 6, 1))
    resident(district, "Fani", "F", date(2020, 1, 1))
    encounter(andi, date(2026, 2, 10), pos, "school")
    encounter(bela, date(2025, 11, 1), pos, "school")
    void(encounter(bela, date(2026, 3, 1), pos, "school"))
    encounter(eka, date(2026, 1, 5), pos, "school")
    indicators_rebuild(today=TODAY)

    city = district.city.code
    code = "pendidikan_dasar_skrining"
    assert values(district, code, 1)[city] == (0, 3, 0.0, "below_rising")
    assert values(district, code, 2)[city] == (1, 3, 33.3, "above_rising")
    assert values(district, code, 6)[city] == (1, 3, 33.3, "below_rising")
    by_age = values(district, code, 6, by="age")
    assert by_age[(city, "7-12")] == (1, 2, 50.0, "above_rising")
    assert by_age[(city, "13-15")] == (0, 1, 0.0, "below_rising")
    assert values(district, code, 12, year=2025)[city] == (1, 3, 33.3, "below_rising")


def test_remaja_putri_ttd(district):
    """Remaja putri, girls 12–18 on 31 Dec 2026:
    - gita (born 2012-05-01, 14): school encounter 2026-03-03 with 4 TTD → March;
    - hana (born 2008-01-01, 18): a school encounter without tablets, and TTD at her ANC
      contact (pregnant: not the adolescent programme) → not served;
    - lia (born 2014-12-31, 12 on 31 Dec): none.
    Not targets: ira (F, born 2007-06-01, 19) given TTD at school, joko (M, born 2012-01-01).
    2026-02: 0/3; 2026-03: 1/3 = 33.3 % (line 58 × 3/12 = 14.5: above); 2026-06: 1/3
    (line 29: above). By age: 12-15 (gita, lia) 1/2, 16-18 (hana) 0/1.
    """
    pos = district.pos_ampel_timur_f

    def given(person, on, package, **kw):
        e = encounter(person, on, pos, package, **kw)
        Supply.objects.create(encounter=e, person=person, date=on, item="ttd", quantity=4)

    gita = resident(district, "Gita", "F", date(2012, 5, 1))
    hana = resident(district, "Hana", "F", date(2008, 1, 1))
    resident(district, "Lia", "F", date(2014, 12, 31))
    ira = resident(district, "Ira", "F", date(2007, 6, 1))
    joko = resident(district, "Joko", "M", date(2012, 1, 1))
    given(gita, date(2026, 3, 3), "school")
    encounter(hana, date(2026, 2, 1), pos, "school")
    pregnancy = Pregnancy.objects.create(person=hana, edd=date(2026, 10, 1))
    given(hana, date(2026, 4, 1), "anc", pregnancy=pregnancy)
    given(ira, date(2026, 3, 3), "school")
    encounter(joko, date(2026, 3, 3), pos, "school")
    indicators_rebuild(today=TODAY)

    city = district.city.code
    code = "remaja_putri_ttd"
    assert values(district, code, 2)[city] == (0, 3, 0.0, "below_rising")
    assert values(district, code, 3)[city] == (1, 3, 33.3, "above_rising")
    assert values(district, code, 6)[city] == (1, 3, 33.3, "above_rising")
    by_age = values(district, code, 6, by="age")
    assert by_age[(city, "12-15")] == (1, 2, 50.0, "above_rising")
    assert by_age[(city, "16-18")] == (0, 1, 0.0, "below_rising")


def test_srq20_screened_and_positive(district):
    """Residents 15+ on 31 Dec 2026: budi, siti, ahmad, wayan, dewi = 5.
    SRQ-20 results: budi negative (adult, 2026-02-01), siti positive (adult, 2026-03-10),
    ahmad suicidal_ideation (elderly, 2026-04-01), wayan positive on 2025-12-05 (last
    year), dewi's of 2026-05-01 voided.
    Screened, June: budi, siti, ahmad = 3/5 = 60 % (line 50: above); February: 1/5 = 20 %
    (line 16.7: above). Positive (denominator: screened in the year): March 1/3 (siti),
    June 2/3 (siti, ahmad) = 66.7 %; 2025-12: wayan 1/1. By sex in June: M (budi, ahmad)
    1/2, F (siti) 1/1.
    """
    pkm = district.pkm_barat_f
    kw = {"cluster": "k3", "place_kind": "puskesmas"}
    screened(district.budi, date(2026, 2, 1), pkm, "adult", "srq20", "negative", **kw)
    screened(district.siti, date(2026, 3, 10), pkm, "adult", "srq20", "positive", **kw)
    screened(district.ahmad, date(2026, 4, 1), pkm, "elderly", "srq20", "suicidal_ideation", **kw)
    screened(district.wayan, date(2025, 12, 5), pkm, "adult", "srq20", "positive", **kw)
    e = screened(
        district.dewi, date(2026, 5, 1), district.pkm_timur_f, "adult", "srq20", "positive"
    )
    void(e)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "srq20_skrining", 6)[city] == (3, 5, 60.0, "above_rising")
    assert values(district, "srq20_skrining", 2)[city] == (1, 5, 20.0, "above_rising")
    assert values(district, "srq20_positif", 3)[city] == (1, 3, 33.3, "above_rising")
    assert values(district, "srq20_positif", 6)[city] == (2, 3, 66.7, "above_rising")
    assert values(district, "srq20_positif", 12, year=2025)[city] == (1, 1, 100.0, "above_rising")
    by_sex = values(district, "srq20_positif", 6, by="sex")
    assert by_sex[(city, "M")] == (1, 2, 50.0, "above_rising")
    assert by_sex[(city, "F")] == (1, 1, 100.0, "above_rising")


def test_hipertensi_pelayanan(district):
    """Monthly. Found with hypertension at a PTM screening (adult/elderly package):
    - budi: grade 2 at an adult screening on 2025-06-01 → a target from June 2025; BP
      checked 2026-06-03;
    - ahmad: grade 1 at an elderly screening on 2026-02-10 → a target from February 2026;
      BP checked again 2026-04-05 (class normal: still a check).
    Not targets: siti (grade 1 at an ANC contact: a pregnancy's BP, not a PTM finding),
    wayan (high normal at an adult screening).
    2026-01: 0/1 (budi); 02: 1/2 (ahmad's finding visit) = 50 %; 03: 0/2; 04: 1/2; 05: 0/2;
    06: 1/2 (budi), previous 0 → rising; target 100 → below. 2025-06: 1/1 (budi's finding
    visit); 2025-07: 0/1. By age in February: 40-59 (budi) 0/1, 60+ (ahmad) 1/1.
    """
    pkm = district.pkm_barat_f
    kw = {"cluster": "k3", "place_kind": "puskesmas"}
    screened(district.budi, date(2025, 6, 1), pkm, "adult", "bp", "grade_2", **kw)
    screened(district.budi, date(2026, 6, 3), pkm, "adult", "bp", "grade_1", **kw)
    screened(district.ahmad, date(2026, 2, 10), pkm, "elderly", "bp", "grade_1", **kw)
    screened(district.ahmad, date(2026, 4, 5), pkm, "elderly", "bp", "normal", **kw)
    anc_finding(district, "bp", "grade_1")
    screened(district.wayan, date(2026, 1, 10), pkm, "adult", "bp", "high_normal", **kw)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    code = "hipertensi_pelayanan"
    got = {m: values(district, code, m)[city] for m in range(1, 7)}
    assert got == {
        1: (0, 1, 0.0, "below_rising"),
        2: (1, 2, 50.0, "below_rising"),
        3: (0, 2, 0.0, "below_falling"),
        4: (1, 2, 50.0, "below_rising"),
        5: (0, 2, 0.0, "below_falling"),
        6: (1, 2, 50.0, "below_rising"),
    }
    assert values(district, code, 6, year=2025)[city] == (1, 1, 100.0, "above_rising")
    assert values(district, code, 7, year=2025)[city] == (0, 1, 0.0, "below_falling")
    by_age = values(district, code, 2, by="age")
    assert by_age[(city, "40-59")] == (0, 1, 0.0, "below_rising")
    assert by_age[(city, "60+")] == (1, 1, 100.0, "above_rising")


def test_diabetes_pelayanan(district):
    """Monthly. budi: screening glucose of class diabetes at an adult screening on
    2026-03-01 → a target from March; glucose checked again 2026-05-02 (prediabetes: still a
    check). Not targets: siti (diabetes class at an ANC contact), ahmad (prediabetes).
    2026-02: 0/0 (no value); 03: 1/1 = 100 % (above); 04: 0/1 (below, falling); 05: 1/1;
    06: 0/1. Desa Ampel (budi) in May: 1/1.
    """
    pkm = district.pkm_barat_f
    kw = {"cluster": "k3", "place_kind": "puskesmas"}
    screened(district.budi, date(2026, 3, 1), pkm, "adult", "dm", "diabetes", **kw)
    screened(district.budi, date(2026, 5, 2), pkm, "adult", "dm", "prediabetes", **kw)
    anc_finding(district, "dm", "diabetes")
    screened(district.ahmad, date(2026, 3, 1), pkm, "elderly", "dm", "prediabetes", **kw)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    code = "diabetes_pelayanan"
    assert values(district, code, 2)[city] == (0, 0, None, None)
    assert values(district, code, 3)[city] == (1, 1, 100.0, "above_rising")
    assert values(district, code, 4)[city] == (0, 1, 0.0, "below_falling")
    assert values(district, code, 5)[city] == (1, 1, 100.0, "above_rising")
    assert values(district, code, 6)[city] == (0, 1, 0.0, "below_falling")
    ampel = values(district, code, 5, area=district.kec_barat)[district.ampel.code]
    assert ampel == (1, 1, 100.0, "above_rising")


def _weigh(person, on, kg, facility):
    e = encounter(person, on, facility, "child")
    Observation.objects.create(encounter=e, person=person, date=on, code="weight", value=kg)
    return e


def test_skdn_n_and_t(district):
    """Monthly, among D (balita weighed in the month); KBM 200 g from 12 months:
    - rina (F, Ampel Timur, born 2024-05-02, 23–25 months): 2026-04-05 10.0 kg (first: B),
      05-05 10.3 (+300 g: N), 06-05 10.4 (+100 g: T);
    - oki (M, Batu, born 2025-01-10, 15–17 months): 2026-05-10 9.0 (first: B), 06-10 9.35
      and a re-weighing 06-20 9.25 (the month's last: +250 g since May: N);
    - tono (M, Ampel Barat, born 2026-06-15): 06-20 3.2 kg (first: B);
    - uli (F, Cemara, born 2020-01-01, over five in 2026): 2026-05-01, 06-01: not a balita.
    A voided weighing of rina on 2026-06-25 (9.0 kg) does not count.
    N/D: April 0/1; May 1/2 (rina) = 50 % (target 80: below, rising); June 1/3 (oki) =
    33.3 % (below, falling). T/D: May 0/2; June 1/3 (rina) = 33.3 % (target 0: above,
    rising). June N/D by age: 0-11 (tono) 0/1, 12-23 (oki) 1/1, 24-59 (rina) 0/1.
    """
    rina = district.rina
    oki = resident(district, "Oki", "M", date(2025, 1, 10), district.rt_batu)
    tono = resident(district, "Tono", "M", date(2026, 6, 15), district.rt_ampel_barat)
    uli = resident(district, "Uli", "F", date(2020, 1, 1), district.rt_cemara)
    pos = district.pos_ampel_timur_f
    for on, kg in ((date(2026, 4, 5), 10.0), (date(2026, 5, 5), 10.3), (date(2026, 6, 5), 10.4)):
        _weigh(rina, on, kg, pos)
    voided = _weigh(rina, date(2026, 6, 25), 9.0, pos)
    Encounter.objects.filter(pk=voided.pk).update(voided_at=timezone.now())
    Observation.objects.filter(encounter=voided).update(voided_at=timezone.now())
    for on, kg in ((date(2026, 5, 10), 9.0), (date(2026, 6, 10), 9.35), (date(2026, 6, 20), 9.25)):
        _weigh(oki, on, kg, district.pos_batu_f)
    _weigh(tono, date(2026, 6, 20), 3.2, pos)
    _weigh(uli, date(2026, 5, 1), 15.0, pos)
    _weigh(uli, date(2026, 6, 1), 15.1, pos)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "skdn_nd", 4)[city] == (0, 1, 0.0, "below_rising")
    assert values(district, "skdn_nd", 5)[city] == (1, 2, 50.0, "below_rising")
    assert values(district, "skdn_nd", 6)[city] == (1, 3, 33.3, "below_falling")
    assert values(district, "skdn_t", 5)[city] == (0, 2, 0.0, "above_rising")
    assert values(district, "skdn_t", 6)[city] == (1, 3, 33.3, "above_rising")
    by_age = values(district, "skdn_nd", 6, by="age")
    assert by_age[(city, "0-11")] == (0, 1, 0.0, "below_rising")
    assert by_age[(city, "12-23")] == (1, 1, 100.0, "above_rising")
    assert by_age[(city, "24-59")] == (0, 1, 0.0, "below_falling")


def test_nutrition_prevalence(district):
    """Monthly, among balita with that index classified in the month (Permenkes 2/2020
    classes stored with the measurement):
    - rina (24 months): 2026-05-05 PB/U normal, BB/TB gizi kurang; 2026-05-25 BB/TB gizi
      baik (the month's last); 2026-06-05 BB/U normal, TB/U pendek, BB/TB gizi baik;
    - oki (born 2025-01-10): 2026-06-10 BB/U kurang, PB/U sangat pendek, BB/PB gizi buruk;
    - tono (born 2026-06-15): 2026-06-20 BB/U normal only;
    - uli (born 2021-01-01, 65 months): TB/U pendek at a school encounter: not a balita.
    June: underweight 1/3 (oki) = 33.3 %; stunting 2/2 = 100 %; wasting (gizi kurang or
    buruk) 1/2 = 50 %; gizi buruk 1/2. May: stunting 0/1, wasting 0/1 (the last class is
    gizi baik), underweight 0/0. Statuses read value ≥ target as 'above' (14 % stunting,
    7 % wasting, 0 for the others).
    """
    oki = resident(district, "Oki", "M", date(2025, 1, 10), district.rt_batu)
    tono = resident(district, "Tono", "M", date(2026, 6, 15), district.rt_ampel_barat)
    uli = resident(district, "Uli", "F", date(2021, 1, 1), district.rt_cemara)
    pos = district.pos_ampel_timur_f

    def classes(person, on, package="child", **found):
        e = encounter(person, on, pos, package)
        for index, code in found.items():
            Screening.objects.create(
                encounter=e, person=person, date=on, instrument=index, result_code=code
            )

    rina = district.rina
    classes(rina, date(2026, 5, 5), lhfa="normal", wflh="gizi_kurang")
    classes(rina, date(2026, 5, 25), wflh="gizi_baik")
    classes(rina, date(2026, 6, 5), wfa="bb_normal", lhfa="pendek", wflh="gizi_baik")
    classes(oki, date(2026, 6, 10), wfa="bb_kurang", lhfa="sangat_pendek", wflh="gizi_buruk")
    classes(tono, date(2026, 6, 20), wfa="bb_normal")
    classes(uli, date(2026, 6, 1), package="school", lhfa="pendek")
    indicators_rebuild(today=TODAY)

    city = district.city.code
    assert values(district, "balita_underweight", 6)[city] == (1, 3, 33.3, "above_rising")
    assert values(district, "balita_underweight", 5)[city] == (0, 0, None, None)
    assert values(district, "balita_stunting", 6)[city] == (2, 2, 100.0, "above_rising")
    assert values(district, "balita_stunting", 5)[city] == (0, 1, 0.0, "below_rising")
    assert values(district, "balita_wasting", 6)[city] == (1, 2, 50.0, "above_rising")
    assert values(district, "balita_wasting", 5)[city] == (0, 1, 0.0, "below_rising")
    assert values(district, "balita_gizi_buruk", 6)[city] == (1, 2, 50.0, "above_rising")
    by_sex = values(district, "balita_stunting", 6, by="sex")
    assert by_sex[(city, "F")] == (1, 1, 100.0, "above_rising")
    assert by_sex[(city, "M")] == (1, 1, 100.0, "above_rising")


def _measured(person, on, facility, package, **values):
    """An encounter of `package` with measured values as observations (code=value)."""
    e = encounter(person, on, facility, package, cluster="k3", place_kind="puskesmas")
    for code, value in values.items():
        Observation.objects.create(encounter=e, person=person, date=on, code=code, value=value)
    return e


def test_hipertensi_terkendali(district):
    """Monthly, over the found patients as hipertensi_pelayanan; controlled = the month's
    last BP below 140/90 (a class under grade 1 / stage 1):
    - budi: grade 2 at an adult screening 2025-06-01 → a target from June 2025; normal on
      2026-03-05 (controlled in March); grade 1 on 2026-05-02 then high normal on
      2026-05-20 (the last: controlled in May);
    - ahmad: grade 1 at an elderly screening 2026-02-10 → a target from February (not
      controlled that month); normal 2026-04-05 (controlled in April); grade 1 2026-05-03.
    Not a target: wayan (normal at an adult screening, never found).
    2026-01: 0/1; 02: 0/2; 03: 1/2 = 50 %; 04: 1/2; 05: 1/2; 06: 0/2. 2025-06: 0/1.
    Target 50 % (WHO's modelled control rate, [confirm]), the line of every month: March's
    50.0 % is on it (above, rising), June's 0.0 % below it and falling. By age in May:
    40-59 (budi) 1/1, 60+ (ahmad) 0/1.
    """
    pkm = district.pkm_barat_f
    kw = {"cluster": "k3", "place_kind": "puskesmas"}
    screened(district.budi, date(2025, 6, 1), pkm, "adult", "bp", "grade_2", **kw)
    screened(district.budi, date(2026, 3, 5), pkm, "adult", "bp", "normal", **kw)
    screened(district.budi, date(2026, 5, 2), pkm, "adult", "bp", "grade_1", **kw)
    screened(district.budi, date(2026, 5, 20), pkm, "adult", "bp", "high_normal", **kw)
    screened(district.ahmad, date(2026, 2, 10), pkm, "elderly", "bp", "grade_1", **kw)
    screened(district.ahmad, date(2026, 4, 5), pkm, "elderly", "bp", "normal", **kw)
    screened(district.ahmad, date(2026, 5, 3), pkm, "elderly", "bp", "grade_1", **kw)
    screened(district.wayan, date(2026, 3, 1), pkm, "adult", "bp", "normal", **kw)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    code = "hipertensi_terkendali"
    got = {m: values(district, code, m)[city][:3] for m in range(1, 7)}
    assert got == {
        1: (0, 1, 0.0),
        2: (0, 2, 0.0),
        3: (1, 2, 50.0),
        4: (1, 2, 50.0),
        5: (1, 2, 50.0),
        6: (0, 2, 0.0),
    }
    assert values(district, code, 3)[city][3] == "above_rising"
    assert values(district, code, 6)[city][3] == "below_falling"
    assert values(district, code, 6, year=2025)[city][:3] == (0, 1, 0.0)
    by_age = values(district, code, 5, by="age")
    assert by_age[(city, "40-59")][:3] == (1, 1, 100.0)
    assert by_age[(city, "60+")][:3] == (0, 1, 0.0)


def test_diabetes_terkendali(district):
    """Monthly, over the found patients as diabetes_pelayanan; controlled = the month's
    last glucose meets PERKENI's target (fasting 80 to < 130, random < 180 mg/dL, [confirm]):
    - budi: class diabetes at an adult screening 2026-03-01 with random 250 (a target from
      March, not controlled); fasting 120 on 2026-04-10 (controlled); fasting 135 on
      2026-05-02 (not); random 150 on 2026-06-01 then random 190 on 2026-06-25 (the last:
      not).
    Not targets: siti (diabetes class at an ANC contact; random 150 in April), ahmad
    (prediabetes; fasting 100 in April).
    2026-02: 0/0; 03: 0/1; 04: 1/1 = 100 %; 05: 0/1; 06: 0/1.
    """
    pkm = district.pkm_barat_f
    kw = {"cluster": "k3", "place_kind": "puskesmas"}
    e = screened(district.budi, date(2026, 3, 1), pkm, "adult", "dm", "diabetes", **kw)
    Observation.objects.create(
        encounter=e, person=district.budi, date=e.date, code="glucose_random", value=250
    )
    _measured(district.budi, date(2026, 4, 10), pkm, "adult", glucose_fasting=120)
    _measured(district.budi, date(2026, 5, 2), pkm, "adult", glucose_fasting=135)
    _measured(district.budi, date(2026, 6, 1), pkm, "adult", glucose_random=150)
    _measured(district.budi, date(2026, 6, 25), pkm, "adult", glucose_random=190)
    anc_finding(district, "dm", "diabetes")
    _measured(district.siti, date(2026, 4, 1), pkm, "adult", glucose_random=150)
    screened(district.ahmad, date(2026, 3, 1), pkm, "elderly", "dm", "prediabetes", **kw)
    _measured(district.ahmad, date(2026, 4, 1), pkm, "elderly", glucose_fasting=100)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    code = "diabetes_terkendali"
    got = {m: values(district, code, m)[city][:3] for m in range(2, 7)}
    assert got == {
        2: (0, 0, None),
        3: (0, 1, 0.0),
        4: (1, 1, 100.0),
        5: (0, 1, 0.0),
        6: (0, 1, 0.0),
    }


def test_obesitas(district):
    """Cumulative to the month over the adults (18+) with a BMI measured in the year;
    obese = the year's last BMI >= 27.0 (SKI 2023 class):
    - budi (M, 41 in 2026): 28.4 on 2026-02-03 → obese, counted in February;
    - siti (F, 36): 27.5 on 2026-01-15, then 24.0 on 2026-04-20 → the last is not obese;
    - ahmad (M, 66): exactly 27.0 on 2026-05-05 (elderly package) → obese, May;
    - wayan (M): 30.0 on 2025-08-01 → 2025 only;
    - dewi (F): 29.0 on 2026-03-01, the encounter voided → nothing;
    - rina (F, 2 y): a BMI of 16.0 at a child visit → not an adult BMI.
    Denominator 2026: budi, siti, ahmad = 3. January 0/3 (siti's January 27.5 is not her
    last); February 1/3 = 33.3 %; May and June 2/3 = 66.7 %. 2025-12: wayan 1/1. By sex in
    June: M 2/2, F 0/1; by age: 18-39 (siti) 0/1, 40-59 (budi) 1/1, 60+ (ahmad) 1/1.
    """
    pkm = district.pkm_barat_f
    _measured(district.budi, date(2026, 2, 3), pkm, "adult", weight=80, height=168, bmi=28.4)
    _measured(district.siti, date(2026, 1, 15), pkm, "adult", bmi=27.5)
    _measured(district.siti, date(2026, 4, 20), pkm, "adult", bmi=24.0)
    _measured(district.ahmad, date(2026, 5, 5), pkm, "elderly", bmi=27.0)
    _measured(district.wayan, date(2025, 8, 1), pkm, "adult", bmi=30.0)
    e = _measured(district.dewi, date(2026, 3, 1), district.pkm_timur_f, "adult", bmi=29.0)
    void(e)
    Observation.objects.filter(encounter=e).update(voided_at=timezone.now())
    _measured(district.rina, date(2026, 3, 1), district.pustu_ampel_f, "child", bmi=16.0)
    indicators_rebuild(today=TODAY)

    city = district.city.code
    code = "obesitas"
    got = {m: values(district, code, m)[city][:3] for m in (1, 2, 5, 6)}
    assert got == {1: (0, 3, 0.0), 2: (1, 3, 33.3), 5: (2, 3, 66.7), 6: (2, 3, 66.7)}
    assert values(district, code, 12, year=2025)[city][:3] == (1, 1, 100.0)
    by_sex = values(district, code, 6, by="sex")
    assert by_sex[(city, "M")][:3] == (2, 2, 100.0)
    assert by_sex[(city, "F")][:3] == (0, 1, 0.0)
    by_age = values(district, code, 6, by="age")
    assert by_age[(city, "18-39")][:3] == (0, 1, 0.0)
    assert by_age[(city, "40-59")][:3] == (1, 1, 100.0)
    assert by_age[(city, "60+")][:3] == (1, 1, 100.0)
