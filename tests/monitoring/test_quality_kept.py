"""The data-quality scorecard's kept per-desa resident counts (``ilp.monitoring.residents``):
after every kind of write of a person (registration, correction of NIK, dusun, desa or birth
date, voiding, deceasing, deletion, a bulk UPDATE behind the services' back) the counts read
equal the counts recomputed from the persons; a current desa is not recounted; the rebuild
command repairs counts damaged behind the triggers' back.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from ilp.monitoring import quality
from ilp.monitoring.models import VillageResidents
from ilp.monitoring.residents import count_residents, village_residents
from ilp.people.models import Person
from tests.conftest import _person
from tests.monitoring import test_quality as built
from tests.monitoring.test_quality import BARAT, YEAR, values

pytestmark = pytest.mark.django_db
month = built.month  # the built month of test_quality (its persons and records)


def _villages(d) -> list[int]:
    return [d.ampel.pk, d.batu.pk, d.cemara.pk]


def assert_kept_equals_recomputed(d) -> None:
    kept = village_residents(_villages(d), by_hamlet=True)
    recomputed = count_residents(_villages(d))
    for v in _villages(d):
        assert kept[v] == recomputed[v], v


def scorecards(d) -> list[dict]:
    out = []
    for who, code in ((d.dinkes, d.city.code), (d.pkm_barat, BARAT)):
        card = quality.scorecard(who, area_code=code, year=YEAR, month=6)
        out += [values(r) for r in (card.top, *card.rows)]
    return out


def test_kept_counts_equal_recomputation_after_every_kind_of_write(month):
    d = month
    before = scorecards(d)
    assert_kept_equals_recomputed(d)
    # A registration in Ampel Timur, the same day and a similar name as Bayu: a new pair.
    twin = _person("Bayu Pratamah", "M", d.bayu.birth_date, d.rt_ampel_timur)
    assert_kept_equals_recomputed(d)
    after = scorecards(d)
    assert after[0]["duplicates"] == before[0]["duplicates"] + 1
    # Corrections behind the services' back: a NIK, a birth date moved to a 1st, a move to
    # another dusun, a move to another desa, a death, a voiding, a deletion.
    Person.objects.filter(pk=d.bayu.pk).update(nik="5271011001250007")
    Person.objects.filter(pk=d.rina.pk).update(birth_date=date(YEAR - 1, 5, 1))
    Person.objects.filter(pk=d.citra.pk).update(hamlet=d.ampel_barat)
    Person.objects.filter(pk=d.wayan2.pk).update(village=d.cemara, hamlet=d.cemara_raya)
    Person.objects.filter(pk=d.budi.pk).update(deceased_on=date(YEAR, 6, 1))
    Person.objects.filter(pk=twin.pk).update(voided_at=timezone.now())
    gone = _person("Sekali Lewat", "F", date(1990, 1, 1), d.rt_batu)
    assert_kept_equals_recomputed(d)
    Person.objects.filter(pk=gone.pk).delete()
    assert_kept_equals_recomputed(d)
    # The scorecards read from kept counts equal those read after recounting every desa.
    kept = scorecards(d)
    VillageResidents.objects.update(computed=-1)
    assert scorecards(d) == kept
    assert kept[0]["duplicates"] == 0.0  # Wayan Sudarmo moved away, the twin voided


def test_a_current_desa_is_not_recounted(month, django_assert_num_queries):
    quality.scorecard(month.dinkes, area_code=month.city.code, year=YEAR, month=6)
    with django_assert_num_queries(8):  # no recount: the persons are not read
        quality.scorecard(month.dinkes, area_code=month.city.code, year=YEAR, month=6)
    Person.objects.filter(pk=month.bayu.pk).update(nik="5271011001250007")
    # Ampel is out of date: its persons are read (1) and its counts stored (1).
    stale = VillageResidents.objects.exclude(computed=F("version"))
    assert list(stale.values_list("village_id", flat=True)) == [month.ampel.pk]
    with django_assert_num_queries(10):
        quality.scorecard(month.dinkes, area_code=month.city.code, year=YEAR, month=6)
    card = quality.scorecard(month.pkm_barat, area_code=BARAT, year=YEAR, month=6)
    assert card.top.measures["no_nik"].n == 2  # Rina, Wayan Sudarmo; Bayu has a NIK now


def test_a_write_that_moves_no_count_leaves_the_desa_current(month):
    quality.scorecard(month.dinkes, area_code=month.city.code, year=YEAR, month=6)
    Person.objects.filter(pk=month.bayu.pk).update(phone="081234567890")
    assert not VillageResidents.objects.exclude(computed=F("version")).exists()


def test_rebuild_repairs_counts_damaged_behind_the_triggers(month):
    quality.scorecard(month.dinkes, area_code=month.city.code, year=YEAR, month=6)
    VillageResidents.objects.update(by_year=[], by_hamlet=[], pairs=[])  # versions kept
    call_command("quality", "rebuild", stdout=io.StringIO())
    assert_kept_equals_recomputed(month)
    card = quality.scorecard(month.pkm_barat, area_code=BARAT, year=YEAR, month=6)
    assert values(card.top)["duplicates"] == 1.0


def test_a_desa_without_a_row_is_counted_on_its_first_read(month):
    # As after a load with triggers switched off (ilp.core.bulk.bulk_load) into a new table.
    kept = scorecards(month)
    VillageResidents.objects.all().delete()
    assert scorecards(month) == kept
    assert set(VillageResidents.objects.values_list("village_id", flat=True)) == set(
        _villages(month)
    )
    assert not VillageResidents.objects.exclude(computed=F("version")).exists()
