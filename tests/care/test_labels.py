"""Labels that misled and doses the schedule does not allow (issue 8): each a wrong result
seen on the demo district."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.care.models import Encounter, ImmunizationRecord
from ilp.care.services import encounter_record, evaluate_package
from ilp.care.views.results import decorate
from ilp.core.exceptions import ValidationFailed
from ilp.places.models import Facility
from tests.care import kader_posts, kader_records, resident

ON = date(2025, 3, 10)


@pytest.fixture(autouse=True)
def care_urls(settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"


def url(name, **kwargs):
    return reverse(f"care:{name}", kwargs=kwargs)


# ---------------------------------------------------------------- LiLA/U


def test_lila_for_age_at_z_minus_3_93_is_very_low_and_red(district):
    boy = resident(district, "Budi Santoso", "M", ON - timedelta(days=700))
    ev = evaluate_package(person=boy, on=ON, package="child", values={"muac": 11.1})
    (acfa,) = [r for r in decorate(ev.results) if r["code"] == "acfa"]
    assert (acfa["label"], acfa["class_label"], acfa["z_text"], acfa["severity"]) == (
        "LiLA/U",
        "LiLA/U sangat rendah (z < −3)",
        "−3,93",
        "severe",
    )
    assert acfa["abnormal"] is True


def test_lila_for_age_shows_its_z_and_class_on_the_form(district, client_for):
    today = timezone.localdate()
    boy = resident(district, "Budi Santoso", "M", today - timedelta(days=700))
    data = {"on": today.isoformat(), "muac": "11,1", "place_kind": "posyandu"}
    response = kader_posts(
        client_for, district, "evaluate", boy, "child", data, HTTP_HX_REQUEST="1"
    )
    html = response.content.decode()
    assert 'class="sev-severe" data-code="acfa"' in html
    assert "LiLA/U sangat rendah (z &lt; −3)" in html


# ---------------------------------------------------------------- SADANIS / IVA


def test_breast_exam_and_iva_are_not_offered_to_a_man(district, client_for):
    man = resident(district, "Agus Salim", "M", date(1980, 1, 1))
    woman = resident(district, "Ani Salim", "F", date(1982, 1, 1))
    client = client_for(district.kader_ampel_timur)
    his = client.get(url("package", person_uuid=man.uuid, package="adult")).content.decode()
    hers = client.get(url("package", person_uuid=woman.uuid, package="adult")).content.decode()
    assert 'name="iva"' not in his and 'name="breast_exam"' not in his
    assert 'name="iva"' in hers and 'name="breast_exam"' in hers


def test_iva_for_a_man_is_refused(district):
    man = resident(district, "Agus Salim", "M", date(1980, 1, 1))
    ev = evaluate_package(
        person=man, on=ON, package="adult", values={"iva": "positive", "breast_exam": "normal"}
    )
    assert ev.errors == {
        "iva": ["SADANIS dan tes IVA hanya untuk perempuan."],
        "breast_exam": ["SADANIS dan tes IVA hanya untuk perempuan."],
    }
    assert not [r for r in ev.results if r["code"] in ("iva", "breast_exam")]


# ---------------------------------------------------------------- implausible values


def test_a_102_kg_toddler_is_not_classified_before_confirmation(district):
    toddler = resident(district, "Dimas", "M", ON - timedelta(days=700))
    values = {"weight": 102, "height": 85, "measured": "standing"}
    ev = evaluate_package(person=toddler, on=ON, package="child", values=values)
    assert "weight" in ev.warnings
    assert (ev.results, ev.alerts, ev.tasks) == ([], [], [])
    with pytest.raises(ValidationFailed) as exc:
        encounter_record(
            actor=district.kader_ampel_timur,
            person=toddler,
            on=ON,
            package="child",
            place_kind="posyandu",
            facility=district.pos_ampel_timur_f,
            values=values,
        )
    assert exc.value.code == "needs_confirmation"
    assert not Encounter.objects.filter(person=toddler).exists()


def test_the_form_shows_no_obesity_for_an_unconfirmed_typo(district, client_for):
    today = timezone.localdate()
    toddler = resident(district, "Dimas", "M", today - timedelta(days=700))
    client = client_for(district.kader_ampel_timur)
    data = {"on": today.isoformat(), "weight": "102", "height": "85", "measured": "standing"}
    data["place_kind"] = "posyandu"
    target = url("evaluate", person_uuid=toddler.uuid, package="child")
    html = client.post(target, data, HTTP_HX_REQUEST="true").content.decode()
    assert "Obesitas" not in html and "di luar batas WHO" in html
    confirmed = client.post(target, {**data, "confirm_unusual": "on"}, HTTP_HX_REQUEST="true")
    assert "Obesitas" in confirmed.content.decode()


# ---------------------------------------------------------------- home visit, headings


def test_the_home_visit_form_defaults_to_home(district, client_for):
    child = resident(district, "Rara", "F", date(2024, 1, 1))
    client = client_for(district.kader_ampel_timur)
    html = client.get(url("package", person_uuid=child.uuid, package="home_visit")).content
    assert b'<option value="home" selected>' in html
    child_form = client.get(url("package", person_uuid=child.uuid, package="child")).content
    assert b'<option value="posyandu" selected>' in child_form


def test_a_facility_named_with_its_kind_is_not_prefixed_twice(district, client_for):
    assert str(district.pkm_barat_f) == "Puskesmas Barat"
    assert str(district.pustu_ampel_f) == "Pustu Ampel"
    assert str(Facility(kind="posyandu", name="Melati")) == "Posyandu Melati"
    client = client_for(district.bidan_ampel)
    html = client.get("/", follow=True).content.decode()
    assert "Pustu Pustu" not in html and "Puskesmas Puskesmas" not in html


# ---------------------------------------------------------------- doses


def _dose(district, person, code, **kwargs):
    dose = {"dose_code": code, "lot_number": "B7", "expiry_date": "2026-01-01"}
    return kader_records(district, person, ON, "immunization", immunizations=[dose], **kwargs)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("HPV1", "HPV1 tidak untuk umur di bawah 9 tahun (mulai 19 Feb. 2032)"),
        ("Td kelas 2", "Td kelas 2 tidak untuk umur di bawah 5 tahun (mulai 19 Feb. 2028)"),
    ],
)
def test_a_dose_the_schedule_does_not_allow_is_refused_with_its_reason(district, code, reason):
    girl = resident(district, "Sari Dewi", "F", ON - timedelta(days=750))
    for confirm in (False, True):  # no confirmation makes it allowed
        with pytest.raises(ValidationFailed) as exc:
            _dose(district, girl, code, confirm_unusual=confirm)
        assert exc.value.code == "invalid"
        assert exc.value.fields == {"doses.0.dose_code": [reason]}
    assert not ImmunizationRecord.objects.filter(person=girl).exists()


def test_a_refused_dose_shows_its_reason_on_the_form_and_keeps_what_was_typed(district, client_for):
    today = timezone.localdate()
    girl = resident(district, "Sari Dewi", "F", today - timedelta(days=750))
    row = {"dose_code": "HPV1", "lot_number": "B7", "expiry_date": today + timedelta(days=200)}
    data = {f"doses-0-{k}": str(v) for k, v in row.items()}
    data.update(client_id=str(uuid.uuid4()), on=today.isoformat(), place_kind="posyandu")
    response = kader_posts(client_for, district, "package", girl, "immunization", data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "HPV1 tidak untuk umur di bawah 9 tahun" in html
    assert 'value="B7"' in html
    assert not ImmunizationRecord.objects.filter(person=girl).exists()
