"""The added indicators kept current by the care services: a school, adult or postpartum
encounter recorded through ``encounter_record`` moves its desa's value at once (no rebuild),
voiding it moves it back, and the kept counts then equal a rebuild.

Dated from ``timezone.localdate()`` like ``test_kept_current`` (the kept years are the real
ones). Desa Ampel holds budi, siti, rina (Ampel Timur) and ahmad (Ampel Barat).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.care.services.corrections import encounter_correct, encounter_void
from ilp.core.corrections import Reason
from ilp.monitoring.services import indicators_rebuild
from ilp.people.services import pregnancy_close, pregnancy_register
from ilp.standards.dates import years_before
from tests.care import record, resident
from tests.monitoring.test_kept_current import WRONG, assert_equals_rebuild, desa_value

pytestmark = pytest.mark.django_db


def test_a_school_encounter_with_iron_moves_spm5_and_ttd(district):
    """A girl of 13 in desa Ampel is the only remaja putri and the only child of basic
    education age there: SPM 5 and TTD 0/1. Her school encounter with 4 iron tablets makes
    both 1/1 at once; voiding it brings both back to 0/1."""
    today = timezone.localdate()
    girl = resident(district, "Gita", "F", years_before(today, 13) - timedelta(days=40))
    indicators_rebuild()
    assert desa_value(district, "pendidikan_dasar_skrining", today) == (0, 1)
    assert desa_value(district, "remaja_putri_ttd", today) == (0, 1)

    visit = record(
        district, girl, today, "school", {"weight": 40.0, "height": 150.0, "iron_tablets": 4}
    )
    assert desa_value(district, "pendidikan_dasar_skrining", today) == (1, 1)
    assert desa_value(district, "remaja_putri_ttd", today) == (1, 1)
    encounter_void(actor=district.bidan_ampel, encounter=visit, version=visit.version, reason=WRONG)
    assert desa_value(district, "pendidikan_dasar_skrining", today) == (0, 1)
    assert desa_value(district, "remaja_putri_ttd", today) == (0, 1)
    assert_equals_rebuild()


def test_an_adult_screening_moves_srq20_hypertension_and_diabetes(district):
    """Budi's adult screening today: BP 165/100 (grade 2), random glucose 250 mg/dL
    (screening class diabetes), SRQ-20 with 7 'yes'. Desa Ampel has 3 residents 15+ (budi,
    siti, ahmad): SRQ-20 screened 0/3 → 1/3; positive 0/0 → 1/1; he becomes a hypertension
    and a diabetes target of this month whose check was made (0/0 → 1/1). Voided, all
    return."""
    today = timezone.localdate()
    indicators_rebuild()
    assert desa_value(district, "srq20_skrining", today) == (0, 3)
    for code in ("srq20_positif", "hipertensi_pelayanan", "diabetes_pelayanan"):
        assert desa_value(district, code, today) == (0, 0)

    answers = [True] * 7 + [False] * 13
    visit = record(
        district,
        district.budi,
        today,
        "adult",
        {"sbp": 165, "dbp": 100, "glucose_random": 250, "srq20": answers},
    )
    assert desa_value(district, "srq20_skrining", today) == (1, 3)
    for code in ("srq20_positif", "hipertensi_pelayanan", "diabetes_pelayanan"):
        assert desa_value(district, code, today) == (1, 1), code
    encounter_void(actor=district.bidan_ampel, encounter=visit, version=visit.version, reason=WRONG)
    assert desa_value(district, "srq20_skrining", today) == (0, 3)
    for code in ("srq20_positif", "hipertensi_pelayanan", "diabetes_pelayanan"):
        assert desa_value(district, code, today) == (0, 0)
    assert_equals_rebuild()


def test_postpartum_visits_complete_kf_lengkap(district):
    """Siti delivered 30 days ago (this year's ibu nifas once the pregnancy is closed: KF
    lengkap 0/1). KF1 on the delivery day, KF2 on day 4, KF3 on day 10 leave it 0/1; KF4
    today (day 30) completes the series: 1/1 in this month."""
    today = timezone.localdate()
    born = today - timedelta(days=30)
    if born.year != today.year:
        pytest.skip("the delivery would fall in last year")
    indicators_rebuild()
    pregnancy = pregnancy_register(
        actor=district.bidan_ampel, person=district.siti, lmp=born - timedelta(days=270)
    )
    pregnancy_close(
        actor=district.bidan_ampel, pregnancy=pregnancy, outcome="live_birth", outcome_date=born
    )
    assert desa_value(district, "kf_lengkap", today) == (0, 1)
    for n, day in enumerate((0, 4, 10, 30), 1):
        record(
            district,
            district.siti,
            born + timedelta(days=day),
            "postpartum",
            {"visit_number": n},
            pregnancy=pregnancy,
        )
        assert desa_value(district, "kf_lengkap", today) == ((1, 1) if n == 4 else (0, 1))
    assert_equals_rebuild()


def test_a_weighing_and_its_correction_move_n_t_and_the_growth_classes(district):
    """A child of 13 months in desa Ampel (rina, 2+ years, is the other balita): weighed
    last month at 9.0 kg, and today at 9.5 kg (+500 g ≥ KBM 200 g: N): N/D this month 1/1,
    T 0/1, and the child is measured for PB/U (stunting denominator 1). Correcting last
    month's weight to 9.4 kg makes today's gain 100 g: T, so N/D 0/1 and T 1/1 at once."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    child = resident(district, "Anak", "F", today - timedelta(days=400))
    indicators_rebuild()
    assert desa_value(district, "skdn_nd", today) == (0, 0)

    first = record(
        district, child, last_month, "child", {"weight": 9.0, "height": 74.0, "measured": "lying"}
    )
    record(district, child, today, "child", {"weight": 9.5, "height": 76.0, "measured": "lying"})
    assert desa_value(district, "skdn_nd", today) == (1, 1)
    assert desa_value(district, "skdn_t", today) == (0, 1)
    assert desa_value(district, "balita_stunting", today)[1] == 1
    first.refresh_from_db()
    encounter_correct(
        actor=district.bidan_ampel,
        encounter=first,
        changes={"weight": 9.4},
        version=first.version,
        reason=Reason("typo"),
        confirm_unusual=True,
    )
    assert desa_value(district, "skdn_nd", today) == (0, 1)
    assert desa_value(district, "skdn_t", today) == (1, 1)
    assert_equals_rebuild()
