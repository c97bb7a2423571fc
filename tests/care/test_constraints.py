"""The database refuses what only Python guarded: unknown choices in care records, a visit
number outside 1–6, the same K/KF visit twice for one pregnancy, the same KN visit twice for
one baby. A second KN1 that gets past the evaluation is a 409 with a field message, never a
server error."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ilp.care.models import Encounter, ImmunizationRecord, Supply, Task
from ilp.care.services import encounter_record
from ilp.core.exceptions import Conflict
from ilp.people.models import Pregnancy
from tests.api.helpers import assert_error, post_json
from tests.care import born_days_before, encounter, resident

ON = date(2025, 3, 10)


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize(
    "change",
    [
        {"place_kind": "klinik"},
        {"cluster": "k9"},
        {"package": "spa"},
        {"visit_number": 0},
        {"visit_number": 7},
    ],
)
def test_encounter_choices_are_checked_by_the_database(district, change):
    kwargs = {"place_kind": "posyandu", "cluster": "k2", "package": "child", **change}
    package = kwargs.pop("package")
    _refused(lambda: encounter(district.rina, ON, district.pos_ampel_timur_f, package, **kwargs))


def test_dose_supply_and_task_choices_are_checked(district):
    enc = encounter(district.rina, ON, district.pos_ampel_timur_f, "child")
    _refused(
        lambda: ImmunizationRecord.objects.create(
            person=district.rina, date=ON, dose_code="BCG", source="rumour"
        )
    )
    _refused(
        lambda: Supply.objects.create(encounter=enc, person=district.rina, date=ON, item="candy")
    )
    _refused(
        lambda: Supply.objects.create(
            encounter=enc, person=district.rina, date=ON, item="ttd", quantity=0
        )
    )
    for change in ({"kind": "pray"}, {"status": "lost"}):
        fields = {"kind": "follow_up", "status": "open", **change}
        _refused(
            lambda fields=fields: Task.objects.create(
                person=district.rina,
                reason="x",
                due_date=ON,
                facility=district.pos_ampel_timur_f,
                **fields,
            )
        )


def test_one_active_visit_number_per_pregnancy_and_package(district):
    preg = Pregnancy.objects.create(
        person=district.siti, lmp=ON - timedelta(days=100), edd=ON + timedelta(days=180)
    )
    first = encounter(
        district.siti, ON, district.pustu_ampel_f, "anc", visit_number=1, pregnancy=preg
    )
    _refused(
        lambda: encounter(
            district.siti,
            ON + timedelta(days=7),
            district.pustu_ampel_f,
            "anc",
            visit_number=1,
            pregnancy=preg,
        )
    )
    # K2 is another visit; KF1 another package; a voided K1 no longer holds the number.
    encounter(district.siti, ON, district.pustu_ampel_f, "anc", visit_number=2, pregnancy=preg)
    encounter(
        district.siti, ON, district.pustu_ampel_f, "postpartum", visit_number=1, pregnancy=preg
    )
    Encounter.objects.filter(pk=first.pk).update(voided_at=timezone.now())
    encounter(district.siti, ON, district.pustu_ampel_f, "anc", visit_number=1, pregnancy=preg)


def _kn1(district, baby, **kwargs):
    return encounter_record(
        actor=district.bidan_ampel,
        person=baby,
        on=ON,
        package="newborn",
        place_kind="home",
        facility=district.pustu_ampel_f,
        values={"visit_number": 1, "weight": 3.1},
        **kwargs,
    )


def test_a_second_kn1_for_the_same_baby_is_a_conflict_on_the_field(district):
    baby = resident(district, "Bayi Baru", "M", born_days_before(ON, 1))
    _kn1(district, baby)
    with pytest.raises(Conflict) as exc:
        _kn1(district, baby)
    assert exc.value.code == "visit_recorded"
    assert exc.value.fields == {
        "visit_number": ["Kunjungan KN1 sudah tercatat; pilih kunjungan berikutnya."]
    }
    assert Encounter.objects.filter(person=baby).count() == 1


def test_the_api_answers_409_for_a_visit_already_recorded(district, client_for):
    baby = resident(district, "Bayi Baru", "M", born_days_before(ON, 1))
    _kn1(district, baby)
    body = {
        "client_id": str(uuid.uuid4()),
        "person": str(baby.uuid),
        "package": "newborn",
        "date": ON.isoformat(),
        "place_kind": "home",
        "values": {"visit_number": 1, "weight": 3.1},
    }
    response = post_json(client_for(district.bidan_ampel), "/api/v1/encounters", body)
    assert_error(
        response,
        409,
        "visit_recorded",
        {"values.visit_number": ["Kunjungan KN1 sudah tercatat; pilih kunjungan berikutnya."]},
    )
