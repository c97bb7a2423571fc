"""The weight-change check is age-aware (issue 8): a healthy infant's gain of more than a
kilogram a month is accepted; an implausible gain is still questioned."""

from __future__ import annotations

from datetime import date, timedelta

from ilp.care.models import Observation
from ilp.care.services import encounter_record
from ilp.care.services import plausibility as P
from tests.care import resident

ON = date(2025, 3, 10)


def _weight_warnings(*, sex, born, before, after, weight_before, weight_after):
    warnings: dict[str, list[str]] = {}
    P.check_against_previous(
        on=after,
        adult=False,
        weight=weight_after,
        height=None,
        lying=True,
        previous_weight=P.Previous(before, weight_before),
        previous_height=None,
        errors={},
        warnings=warnings,
        sex=sex,
        birth=born,
    )
    return warnings.get("weight", [])


def test_a_healthy_infant_gaining_1_1_kg_in_a_month_is_recorded_without_question(district):
    # A boy weighed at 70 days and again 30 days later, 1.1 kg heavier: WHO's 2–3 month
    # increment reaches 1,597 g at +3 SD. The fixed "1 kg and 15 %" rule questioned it.
    boy = resident(district, "Bayu", "M", ON - timedelta(days=100))
    for on, weight, height in ((ON - timedelta(days=30), 5.6, 59.0), (ON, 6.7, 62.0)):
        result = encounter_record(
            actor=district.kader_ampel_timur,
            person=boy,
            on=on,
            values={"weight": weight, "height": height, "measured": "lying"},
            package="child",
            place_kind="posyandu",
            facility=district.pos_ampel_timur_f,
        )
    stored = Observation.objects.get(encounter=result.encounter, code="weight")
    assert (stored.value, stored.flagged) == (6.7, False)


def test_four_kilograms_in_a_month_at_18_months_is_still_questioned():
    born = date(2023, 9, 1)
    before = born + timedelta(days=548)
    assert _weight_warnings(
        sex="F",
        born=born,
        before=before,
        after=before + timedelta(days=30),
        weight_before=10.0,
        weight_after=14.0,
    ) == [
        "Berat badan berubah +4 kg dalam 30 hari (sebelumnya 10 kg); timbang ulang atau konfirmasi."
    ]


def test_the_boundary_is_whos_plus_3_sd_increment():
    # Boys 2–3 months: +3 SD = 1,597 g (WHO weight velocity, 1-month increments).
    born = date(2024, 1, 1)
    before = born + timedelta(days=70)
    after = before + timedelta(days=31)

    def warned(gain_kg: float) -> bool:
        return bool(
            _weight_warnings(
                sex="M",
                born=born,
                before=before,
                after=after,
                weight_before=5.5,
                weight_after=round(5.5 + gain_kg, 3),
            )
        )

    assert (warned(1.597), warned(1.598)) == (False, True)
    # Older than two years there is no velocity standard: the fixed jump rule applies.
    older = date(2021, 1, 1)
    assert (
        _weight_warnings(
            sex="M", born=older, before=before, after=after, weight_before=12.0, weight_after=13.1
        )
        == []
    )
    assert (
        _weight_warnings(
            sex="M", born=older, before=before, after=after, weight_before=12.0, weight_after=14.0
        )
        != []
    )
