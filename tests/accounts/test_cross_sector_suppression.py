"""Cross-sector home pages: no count below 5, nor one recoverable by subtraction."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import _person

pytestmark = pytest.mark.django_db


def _adults(district, n, sex):
    for i in range(n):
        _person(f"Warga {sex}{i}", sex, date(1980, 1, 1 + i), district.rt_ampel_timur)


def test_a_small_cell_and_its_complement_are_hidden(client_for, district):
    # Ampel Timur adults: Budi + 6 men = 7, Siti + 2 women = 3; total 10. Today the page
    # showed 7 and 10, so 3 women was there by subtraction even if hidden.
    _adults(district, 6, "M")
    _adults(district, 2, "F")
    response = client_for(district.kades_ampel).get("/")
    rows = {a.area.name: a for a in response.context["areas"]}
    adult = next(s for s in rows["Ampel Timur"].stages if s.stage == "adult")
    assert (adult.male, adult.female, adult.total) == (None, None, 10)
    body = response.content.decode()
    assert 'class="suppressed"' in body
    assert "disamarkan: jumlah di bawah 5 orang" in body


def test_every_shown_count_is_zero_or_at_least_five(client_for, district):
    _adults(district, 6, "M")
    _adults(district, 5, "F")
    response = client_for(district.camat_barat).get("/")
    shown = [response.context["total"]]
    for area in response.context["areas"]:
        shown.append(area.total)
        for s in area.stages:
            shown += [s.male, s.female, s.total]
    assert all(v is None or v == 0 or v >= 5 for v in shown)
    assert any(v is not None and v >= 5 for v in shown)  # the large counts are shown


def test_personal_data_roles_see_exact_counts(client_for, district):
    response = client_for(district.kader_ampel_timur).get("/")
    assert [c.total for c in response.context["hamlets"]] == [3]
