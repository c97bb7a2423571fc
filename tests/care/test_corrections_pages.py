"""Care correction pages: Koreksi/Batalkan on the person's care page for those allowed, a
voided record struck through with its reason, the measurement form that re-runs the
evaluation, doses from the KIA book, and the care page's exact query count."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.urls import reverse

from ilp.care.models import DoseSource, Encounter, ImmunizationRecord, Observation
from ilp.care.services import corrections as C
from ilp.core.corrections import Reason
from tests.care.test_corrections import WEIGHED, _weigh, _wflh

pytestmark = pytest.mark.django_db


def _care_page(client, person) -> str:
    return client.get(reverse("care:person", args=[person.uuid])).content.decode()


def test_the_author_sees_koreksi_and_another_kader_of_the_dusun_does_not(district, client_for):
    from ilp.accounts.models import User

    enc = _weigh(district, 5.2)
    page = _care_page(client_for(district.kader_ampel_timur), district.rina)
    assert reverse("care:encounter_correct", args=[enc.uuid]) in page
    assert reverse("care:encounter_void", args=[enc.uuid]) in page
    colleague = User.objects.create_user(
        username="kader2", role="kader", facility=district.pos_ampel_timur_f
    )
    page = _care_page(client_for(colleague), district.rina)
    assert reverse("care:encounter_correct", args=[enc.uuid]) not in page


def test_correcting_through_the_form_re_runs_the_evaluation(district, client_for):
    enc = _weigh(district, 5.2)
    client = client_for(district.kader_ampel_timur)
    url = reverse("care:encounter_correct", args=[enc.uuid])
    form = client.get(url).content.decode()
    assert 'name="weight" value="5,2"' in form
    assert 'name="height" value="75"' in form
    response = client.post(
        url,
        {
            "weight": "9,2",
            "height": "75",
            "measured": "lying",
            "reason": "typo",
            "note": "",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#enc-{enc.uuid}")
    enc.refresh_from_db()
    assert (_wflh(enc), enc.version) == ("gizi_baik", 2)
    page = _care_page(client, district.rina)
    assert "Berat badan: <del>5,2</del> → 9,2" in page


def test_an_unusual_corrected_value_asks_for_confirmation_and_keeps_what_was_typed(
    district, client_for
):
    enc = _weigh(district, 9.1)
    client = client_for(district.kader_ampel_timur)
    url = reverse("care:encounter_correct", args=[enc.uuid])
    data = {"weight": "20", "height": "75", "measured": "lying", "reason": "typo", "version": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada nilai yang tidak biasa." in page
    assert 'name="weight" value="20"' in page
    assert 'name="confirm_unusual"' in page
    assert Observation.objects.get(encounter=enc, code="weight").value == 9.1
    response = client.post(url, {**data, "confirm_unusual": "on"})
    assert response.status_code == 302
    assert Observation.objects.get(encounter=enc, code="weight").value == 20.0


def test_another_kader_is_refused_and_nothing_changes(district, client_for):
    enc = _weigh(district, 5.2)
    url = reverse("care:encounter_correct", args=[enc.uuid])
    data = {"weight": "9,2", "height": "75", "measured": "lying", "reason": "typo", "version": "1"}
    assert client_for(district.kader_ampel_barat).post(url, data).status_code == 404  # scope
    from ilp.accounts.models import User

    colleague = User.objects.create_user(
        username="kader2", role="kader", facility=district.pos_ampel_timur_f
    )
    assert client_for(colleague).post(url, data).status_code == 403
    assert client_for(district.camat_barat).post(url, data).status_code == 403
    enc.refresh_from_db()
    assert (enc.version, _wflh(enc)) == (1, "gizi_buruk")


def test_a_voided_encounter_is_struck_through_with_its_reason(district, client_for):
    enc = _weigh(district, 5.2)
    client = client_for(district.bidan_ampel)
    response = client.post(
        reverse("care:encounter_void", args=[enc.uuid]),
        {"reason": "wrong_person", "note": "anak tetangga", "version": "1"},
    )
    assert response.status_code == 302
    page = _care_page(client, district.rina)
    assert f'class="encounter voided" id="enc-{enc.uuid}"' in page
    assert "Tercatat pada orang yang salah (anak tetangga)" in page
    assert reverse("care:encounter_correct", args=[enc.uuid]) not in page
    assert Encounter.objects.active().filter(person=district.rina).count() == 0


def test_a_dose_from_the_kia_book_through_the_page(district, client_for):
    client = client_for(district.kader_ampel_timur)
    url = reverse("care:dose_from_book", args=[district.rina.uuid])
    page = client.get(url).content.decode()
    assert 'name="client_id"' in page
    client_id = str(uuid.uuid4())
    data = {
        "dose_code": "DPT-HB-Hib 1",
        "date": "20-05-2024",
        "lot_number": "",
        "client_id": client_id,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Menurut jadwal, dosis ini tidak sah" in response.content.decode()
    assert not ImmunizationRecord.objects.exists()
    response = client.post(url, {**data, "confirm_invalid": "on"})
    assert response.status_code == 302
    again = client.post(url, {**data, "confirm_invalid": "on"}, follow=True)
    assert "Formulir ini sudah tersimpan sebelumnya." in again.content.decode()
    dose = ImmunizationRecord.objects.get()
    assert (dose.source, dose.valid, dose.date, str(dose.uuid)) == (
        DoseSource.KIA_BOOK,
        False,
        date(2024, 5, 20),
        client_id,
    )
    page = _care_page(client, district.rina)
    assert "Dari buku KIA" in page
    assert reverse("care:dose_void", args=[dose.uuid]) in page


def test_care_page_query_count(district, client_for, django_assert_num_queries):
    """Exact, with one encounter (five observations, one corrected) and one dose: session and
    user (2); the pustu's desa and the person (2); audit (1); encounters (1); doses (1); the
    facilities the pustu supervises (1); measurement history (1); dose history (1); open tasks
    (1); pregnancies for the package menu (1); the points of the three growth charts (1); the
    user's facility, whether packages may be recorded under it (1)."""
    enc = _weigh(district, 5.2)
    C.encounter_correct(
        actor=district.kader_ampel_timur,
        encounter=enc,
        changes={"weight": 9.2},
        version=1,
        reason=Reason("typo"),
    )
    ImmunizationRecord.objects.create(person=district.rina, date=date(2024, 5, 2), dose_code="HB0")
    client = client_for(district.bidan_ampel)
    url = reverse("care:person", args=[district.rina.uuid])
    client.get(url)
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200
    assert WEIGHED  # the weighing date the charts show
