"""Nonsense pregnancies are refused before saving, with a message on the field: a girl of
two, an EDD in 1900 or 2099, an EDD before the LMP; the page offers "Catat kehamilan" only
to women of reproductive age and keeps what was typed when it refuses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.core.exceptions import ValidationFailed
from ilp.people.models import Pregnancy
from ilp.people.services import pregnancy_register
from ilp.standards.pregnancy_dates import may_be_pregnant
from tests.api.helpers import assert_error, post_json
from tests.care import resident

AGE_MESSAGE = "Kehamilan hanya dapat dicatat untuk perempuan usia 10–54 tahun."


def _refused(district, person=None, **dates) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as exc:
        pregnancy_register(actor=district.bidan_ampel, person=person or district.siti, **dates)
    assert not Pregnancy.objects.exists()
    return exc.value.fields


@pytest.mark.parametrize(
    ("years", "allowed"), [(9, False), (10, True), (30, True), (54, True), (55, False)]
)
def test_reproductive_age_is_10_to_54_completed_years(years, allowed):
    on = date(2026, 6, 15)
    assert may_be_pregnant(date(on.year - years, 6, 15), on) is allowed
    assert may_be_pregnant(date(on.year - years, 6, 16), on) is (years - 1 in range(10, 55))


def test_a_pregnancy_for_a_two_year_old_is_refused(district):
    lmp = timezone.localdate() - timedelta(days=60)
    fields = _refused(district, district.rina, lmp=lmp)
    assert fields == {"person": [AGE_MESSAGE]}


def test_a_pregnancy_for_a_woman_of_60_is_refused(district):
    today = timezone.localdate()
    grandmother = resident(district, "Nenek Ani", "F", date(today.year - 60, 1, 1))
    fields = _refused(district, grandmother, edd=today + timedelta(days=100))
    assert fields == {"person": [AGE_MESSAGE]}


@pytest.mark.parametrize("edd", [date(1900, 1, 1), date(2099, 1, 1)])
def test_an_edd_alone_far_from_today_is_refused(district, edd):
    today = timezone.localdate()
    fields = _refused(district, edd=edd)
    low, high = today - timedelta(days=30), today + timedelta(days=280)
    assert fields == {
        "edd": [
            "Taksiran persalinan harus antara "
            f"{low.day:02d}-{low.month:02d}-{low.year} dan "
            f"{high.day:02d}-{high.month:02d}-{high.year} untuk kehamilan yang sedang "
            "berlangsung."
        ]
    }


def test_an_edd_before_the_lmp_is_refused(district):
    lmp = timezone.localdate() - timedelta(days=60)
    fields = _refused(district, lmp=lmp, edd=lmp - timedelta(days=10))
    assert fields["edd"] == ["Taksiran persalinan harus sesudah HPHT."]


def test_an_edd_that_does_not_fit_the_lmp_is_refused(district):
    lmp = timezone.localdate() - timedelta(days=60)
    fields = _refused(district, lmp=lmp, edd=lmp + timedelta(days=100))
    expected = lmp + timedelta(days=280)
    assert fields == {
        "edd": [
            "Taksiran persalinan jauh dari HPHT + 280 hari "
            f"({expected.day:02d}-{expected.month:02d}-{expected.year}); periksa kedua tanggal."
        ]
    }


def test_an_edd_a_few_weeks_off_naegele_is_kept(district):
    """An EDD from an ultrasound may differ from the LMP's by a few weeks."""
    lmp = timezone.localdate() - timedelta(days=60)
    preg = pregnancy_register(
        actor=district.bidan_ampel, person=district.siti, lmp=lmp, edd=lmp + timedelta(days=300)
    )
    assert preg.edd == lmp + timedelta(days=300)


def test_an_lmp_in_1900_is_refused(district):
    fields = _refused(district, lmp=date(1900, 1, 1))
    assert fields == {"lmp": ["HPHT lebih dari 44 minggu yang lalu; periksa tanggalnya."]}


# ---------------------------------------------------------------------------- the page


def test_catat_kehamilan_is_offered_only_at_reproductive_age(district, client_for):
    client = client_for(district.bidan_ampel)
    woman = client.get(reverse("people:person", args=[district.siti.uuid])).content.decode()
    girl = client.get(reverse("people:person", args=[district.rina.uuid])).content.decode()
    assert "Catat kehamilan" in woman
    assert "Catat kehamilan" not in girl
    assert reverse("people:pregnancy_add", args=[district.rina.uuid]) not in girl


def test_the_form_refuses_and_keeps_what_was_typed(district, client_for):
    client = client_for(district.bidan_ampel)
    url = reverse("people:pregnancy_add", args=[district.siti.uuid])
    response = client.post(
        url, {"lmp": "", "edd": "01-01-2099", "gravida": "3", "para": "1", "abortus": "0"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Taksiran persalinan harus antara" in body
    assert 'value="01-01-2099"' in body
    assert 'name="gravida" value="3"' in body
    assert not Pregnancy.objects.exists()


def test_the_form_for_a_girl_says_why(district, client_for):
    client = client_for(district.bidan_ampel)
    url = reverse("people:pregnancy_add", args=[district.rina.uuid])
    lmp = timezone.localdate() - timedelta(days=30)
    response = client.post(
        url,
        {"lmp": lmp.strftime("%d-%m-%Y"), "edd": "", "gravida": "1", "para": "0", "abortus": "0"},
    )
    assert AGE_MESSAGE in response.content.decode()
    assert not Pregnancy.objects.exists()


# ---------------------------------------------------------------------------- the API


def test_the_api_refuses_with_the_same_field_messages(district, client_for):
    client = client_for(district.bidan_ampel)
    url = f"/api/v1/persons/{district.rina.uuid}/pregnancies"
    lmp = timezone.localdate() - timedelta(days=30)
    assert_error(
        post_json(client, url, {"lmp": lmp.isoformat()}), 422, "invalid", {"person": [AGE_MESSAGE]}
    )
    url = f"/api/v1/persons/{district.siti.uuid}/pregnancies"
    error = assert_error(post_json(client, url, {"edd": "1900-01-01"}), 422, "invalid")
    assert list(error["fields"]) == ["edd"]
    english = post_json(client, url, {"edd": "2099-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(english, 422, "invalid")
    assert error["fields"]["edd"][0].startswith("The estimated delivery date must be between")


def test_the_edd_range_reaches_back_past_the_longest_pregnancy():
    from ilp.standards.pregnancy import MAX_GA_DAYS, PREGNANCY_DAYS
    from ilp.standards.pregnancy_dates import EDD_PAST_DAYS, edd_range

    assert EDD_PAST_DAYS + PREGNANCY_DAYS >= MAX_GA_DAYS
    assert edd_range(date(2026, 1, 31)) == (date(2026, 1, 1), date(2026, 11, 7))
