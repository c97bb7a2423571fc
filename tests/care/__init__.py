"""Tests of the care app: recording services, package evaluation, posyandu sessions."""

from __future__ import annotations

from datetime import date, timedelta


def resident(district, name: str, sex: str, birth: date, hamlet_rt=None):
    """A resident of Ampel Timur (the dusun of Posyandu Melati) unless another RT is given."""
    from tests.conftest import _person

    return _person(name, sex, birth, hamlet_rt or district.rt_ampel_timur)


def born_days_before(on: date, days: int) -> date:
    return on - timedelta(days=days)


def encounter(person, on, facility, package, *, cluster="k2", place_kind="posyandu", **kw):
    """An encounter written straight to the database (no service: no evaluation, no
    summary), for tests that set up records of given dates."""
    from ilp.care.models import Encounter

    return Encounter.objects.create(
        person=person,
        date=on,
        place_kind=place_kind,
        facility=facility,
        cluster=cluster,
        package=package,
        **kw,
    )


def record(district, person, on, package, values, *, actor=None, facility=None, place=None, **kw):
    """An encounter recorded through the service (evaluation, summary, tasks), by the midwife
    of Pustu Ampel at her pustu unless another actor or facility is given; unusual values
    confirmed."""
    from ilp.care.services import encounter_record

    facility = facility or district.pustu_ampel_f
    return encounter_record(
        actor=actor or district.bidan_ampel,
        person=person,
        on=on,
        package=package,
        place_kind=place or facility.kind,
        facility=facility,
        values=values,
        confirm_unusual=True,
        **kw,
    ).encounter
