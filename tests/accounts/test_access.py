"""ilp.accounts.access: who records care where, who runs a posyandu session, and pages that
offer only what the services then allow."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.accounts import access
from ilp.care.models import PosyanduSession

pytestmark = pytest.mark.django_db


def test_who_records_where(district):
    d = district
    assert access.may_record_at(d.kader_ampel_timur, d.pos_ampel_timur_f)
    assert not access.may_record_at(d.kader_ampel_timur, d.pos_ampel_barat_f)
    assert access.may_record_at(d.bidan_ampel, d.pos_ampel_barat_f)
    assert not access.may_record_at(d.bidan_ampel, d.pos_batu_f)
    assert access.may_record_at(d.pkm_barat, d.pos_batu_f)
    assert not access.may_record_at(d.pkm_barat, d.pos_cemara_f)
    assert access.may_record_at(d.dinkes, d.pos_cemara_f)
    assert not access.may_record_at(d.tpcb, d.pos_cemara_f)  # reads only
    assert not access.may_record_at(d.camat_barat, d.pos_ampel_timur_f)


def test_who_runs_a_session(district):
    d = district
    assert access.may_run_session(d.kader_ampel_timur, d.pos_ampel_timur_f)
    assert access.may_run_session(d.bidan_ampel, d.pos_ampel_timur_f)
    assert access.may_run_session(d.pkm_barat, d.pos_ampel_timur_f)
    assert not access.may_run_session(d.kader_ampel_barat, d.pos_ampel_timur_f)
    # District roles look at a posyandu but do not run its sessions.
    assert not access.may_run_session(d.dinkes, d.pos_ampel_timur_f)
    assert not access.may_run_session(d.tpcb, d.pos_ampel_timur_f)
    assert access.may_view_posyandu(d.dinkes, d.pos_ampel_timur_f)
    assert access.may_view_posyandu(d.tpcb, d.pos_ampel_timur_f)
    assert not access.may_view_posyandu(d.kader_cemara, d.pos_ampel_timur_f)
    assert not access.may_view_posyandu(d.camat_barat, d.pos_ampel_timur_f)


@pytest.mark.parametrize("persona", ["dinkes", "tpcb"])
def test_posyandu_page_offers_no_session_to_a_role_that_may_not_run_it(
    district, client_for, persona
):
    """The page used to offer "Buka sesi bulan ini" to the district admin, whose click the
    service then refused."""
    client = client_for(getattr(district, persona))
    page = client.get(reverse("care:posyandu", args=[district.pos_ampel_timur_f.code]))
    assert page.status_code == 200
    assert "Buka sesi bulan ini" not in page.content.decode()
    on = timezone.localdate().isoformat()
    refused = client.post(
        reverse("care:session_open", args=[district.pos_ampel_timur_f.code]), {"on": on}
    )
    assert refused.status_code == 403
    assert not PosyanduSession.objects.exists()


def test_posyandu_page_offers_the_session_to_its_kader(district, client_for):
    client = client_for(district.kader_ampel_timur)
    page = client.get(reverse("care:posyandu", args=[district.pos_ampel_timur_f.code]))
    assert "Buka sesi bulan ini" in page.content.decode()


def test_where_a_users_own_records_go(district):
    d = district
    assert access.recording_facility(d.kader_ampel_timur) == d.pos_ampel_timur_f
    assert access.recording_place_kinds(d.kader_ampel_timur) == ["posyandu", "home"]
    assert access.recording_place_kinds(d.bidan_ampel) == ["pustu", "home"]
    assert access.recording_place_kinds(d.pkm_barat) == ["puskesmas", "home"]
    # The dinkes office is no place of care; reading roles record nowhere.
    assert access.recording_facility(d.dinkes) is None
    assert access.recording_place_kinds(d.dinkes) == []
    assert access.recording_facility(d.tpcb) is None


def test_which_place_fits_which_facility(district):
    d = district
    assert access.place_fits_facility("posyandu", d.pos_ampel_timur_f)
    assert not access.place_fits_facility("pustu", d.pos_ampel_timur_f)
    assert access.place_fits_facility("home", d.pustu_ampel_f)
    assert not access.place_fits_facility("home", d.hospital_f)
    assert not access.place_fits_facility("klinik", d.pustu_ampel_f)


def test_who_records_for_whom_and_closes_tasks(district):
    from ilp.care.models import Task

    d = district
    assert access.may_record_for(d.kader_ampel_timur, d.rina, d.pos_ampel_timur_f)
    assert not access.may_record_for(d.kader_ampel_timur, d.dewi, d.pos_ampel_timur_f)
    assert not access.may_record_for(d.kader_ampel_timur, d.rina, d.pustu_ampel_f)
    assert not access.may_record_for(d.tpcb, d.rina, d.pos_ampel_timur_f)
    task = Task.objects.create(
        person=d.rina,
        kind="home_visit",
        reason="x",
        due_date=timezone.localdate(),
        facility=d.pos_ampel_timur_f,
    )
    assert access.may_close_task(d.kader_ampel_timur, task)
    assert access.may_close_task(d.bidan_ampel, task)
    assert not access.may_close_task(d.kader_ampel_barat, task)
    assert not access.may_close_task(d.kader_cemara, task)
