"""Tests of the care app: recording services, package evaluation, posyandu sessions."""

from __future__ import annotations

from datetime import date, timedelta


def resident(district, name: str, sex: str, birth: date, hamlet_rt=None):
    """A resident of Ampel Timur (the dusun of Posyandu Melati) unless another RT is given."""
    from tests.conftest import _person

    return _person(name, sex, birth, hamlet_rt or district.rt_ampel_timur)


def born_days_before(on: date, days: int) -> date:
    return on - timedelta(days=days)
