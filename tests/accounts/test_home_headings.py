"""Home page headings name the facility once: "Pustu Ampel", not "Pustu Pustu Ampel"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ilp.places.models import Facility


def _h1(page: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()


@pytest.mark.parametrize(
    ("persona", "heading"), [("bidan_ampel", "Pustu Ampel"), ("pkm_barat", "Puskesmas Barat")]
)
def test_the_facility_home_heading_does_not_repeat_its_kind(district, client_for, persona, heading):
    page = client_for(getattr(district, persona)).get(reverse("home")).content.decode()
    assert _h1(page) == heading


def test_a_facility_named_without_its_kind_gets_it_once():
    assert str(Facility(kind="pustu", name="Pustu Ampel")) == "Pustu Ampel"
    assert str(Facility(kind="pustu", name="Ampel")) == "Pustu Ampel"
    assert str(Facility(kind="puskesmas", name="PUSKESMAS Barat")) == "PUSKESMAS Barat"
