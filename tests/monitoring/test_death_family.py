"""The "Kematian ibu dan bayi" family (``ilp.monitoring.death_family``): exact counts per desa
and kecamatan on a hand-built case, voided deaths left out, infant deaths from the registry
(the first birthday exactly), live births as the larger of births registered and live-birth
outcomes, ratios only above the small-number rule, the query count, who sees it, and
suppression for cross-sector viewers (a 1–4 count hidden and not recoverable from the total).

Last year, kecamatan Barat (desa Ampel and Batu):
  Ampel: 1 maternal death (Siti), 1 voided maternal death, 1 stillbirth (Siti's), 1 neonatal
  death (a newborn, who also counts as an infant death), 1 infant dead at 6 months (no death
  record: the registry), 1 child dead on the day of the first birthday (not an infant); births
  registered: the newborn, the 6-month-old, 1 more baby = 3; live-birth outcomes 1 → 3.
  Batu: births registered 0, live-birth outcomes 2 (mothers followed in ANC) → 2.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ilp.monitoring.death_family import MortalityRow, death_family, family_year
from ilp.people.models import Person, Pregnancy
from ilp.referrals.models import Death
from ilp.standards import mortality
from tests.conftest import _person

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
URL = "/pws/ringkasan/"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _death(person: Person, kind: str, day: date, **extra) -> Death:
    return Death.objects.create(person=person, kind=kind, died_at=_at(day), place="home", **extra)


def _baby(d, name: str, born: date, died: date | None = None, rt=None) -> Person:
    baby = _person(name, "F", born, rt or d.rt_ampel_timur)
    if died is not None:
        baby.deceased_on = died
        baby.save(update_fields=["deceased_on"])
    return baby


def _pregnancy(mother: Person, outcome: str, day: date) -> Pregnancy:
    return Pregnancy.objects.create(
        person=mother, edd=day, outcome=outcome, outcome_date=day, gravida=1
    )


@pytest.fixture
def case(district):
    d = district
    _death(d.siti, "maternal", date(YEAR, 3, 1))
    _death(d.siti, "maternal", date(YEAR, 3, 2), voided_at=timezone.now())
    _death(d.siti, "stillbirth", date(YEAR, 2, 1))
    newborn = _baby(d, "Nona Satu", date(YEAR, 4, 1), date(YEAR, 4, 10))
    _death(newborn, "neonatal", date(YEAR, 4, 10))
    _baby(d, "Nona Dua", date(YEAR, 1, 15), date(YEAR, 7, 15))
    _baby(d, "Nona Tiga", date(YEAR, 5, 5))
    _baby(d, "Anak Empat", date(YEAR - 1, 6, 1), date(YEAR, 6, 1))  # the first birthday
    _pregnancy(d.siti, "live_birth", date(YEAR, 4, 1))
    _pregnancy(d.wayan, "live_birth", date(YEAR, 8, 1))  # Batu (a test stand-in for a mother)
    _pregnancy(d.wayan, "live_birth", date(YEAR, 9, 1))
    _death(d.dewi, "maternal", date(YEAR - 1, 5, 1))  # Cemara, another year
    return d


def _figures(row: MortalityRow) -> tuple:
    return (row.name, *row.counts)


def test_counts_per_desa_and_the_kecamatan_total(case, django_assert_num_queries):
    with django_assert_num_queries(5):  # area, its desa, deaths, persons, pregnancies
        family = death_family(case.dinkes, case.kec_barat.code, YEAR)
    assert family is not None
    # maternal, stillbirth, neonatal, infant, live births
    assert [_figures(r) for r in family.rows] == [("Ampel", 1, 1, 1, 2, 3), ("Batu", 0, 0, 0, 0, 2)]
    assert _figures(family.total) == ("Kecamatan Barat", 1, 1, 1, 2, 5)
    assert (family.total.mmr, family.total.imr) == (None, None)  # far too few: counts only
    city = death_family(case.dinkes, case.city.code, YEAR)
    assert [_figures(r) for r in city.rows] == [("Barat", 1, 1, 1, 2, 5), ("Timur", 0, 0, 0, 0, 0)]
    desa = death_family(case.pkm_barat, case.ampel.code, YEAR)
    assert (desa.rows, _figures(desa.total)) == ([], ("Desa/Kelurahan Ampel", 1, 1, 1, 2, 3))
    earlier = death_family(case.dinkes, case.city.code, YEAR - 1)
    assert _figures(earlier.total)[1:] == (1, 0, 0, 0, 2)  # Dewi; Anak Empat and Rina born


def test_the_ratio_rule():
    assert mortality.maternal_mortality_ratio(19, 50_000) is None
    assert mortality.maternal_mortality_ratio(20, 999) is None
    assert mortality.maternal_mortality_ratio(25, 10_000) == 250.0
    assert mortality.infant_mortality_rate(30, 2_000) == 15.0
    assert mortality.died_before_first_birthday((2024, 2, 29), (2025, 2, 28))
    assert not mortality.died_before_first_birthday((2024, 2, 29), (2025, 3, 1))
    assert not mortality.died_before_first_birthday((2024, 6, 1), (2025, 6, 1))


def test_figures_use_the_locale_formats():
    row = MortalityRow("Kota Uji", 25, 3, 40, 150, 10_000, is_total=True)
    with translation.override("id"):
        html = render_to_string("monitoring/_death_family_row.html", {"row": row})
    assert '<td class="num">10.000</td>' in html
    assert '<td class="num">250,0</td>' in html  # AKI
    assert '<td class="num">15,0</td>' in html  # AKB
    with translation.override("en"):
        html = render_to_string("monitoring/_death_family_row.html", {"row": row})
    assert '<td class="num">10,000</td>' in html
    assert '<td class="num">250.0</td>' in html


def test_summary_and_index_show_the_family_to_staff(client, case):
    cases = (
        (case.dinkes, case.kec_barat, "Ampel"),
        (case.pkm_barat, case.ampel, "Desa/Kelurahan Ampel"),
    )
    for user, area, first in cases:
        client.force_login(user)
        response = client.get(URL, {"area": area.code, "period": f"{YEAR}-06"})
        html = response.content.decode()
        assert 'id="sum-kematian"' in html
        assert f'<th scope="row">{first}</th>' in html
        for name in ("Siti", "Nona", "Anak Empat", "Wayan"):
            assert name not in html  # no person named
        assert 'id="pws-kematian"' in client.get("/pws/").content.decode()
    assert f'href="/rujukan/kematian/?tahun={YEAR}"' in html


def test_no_family_for_a_kader_or_outside_the_area(client, case):
    client.force_login(case.kader_ampel_timur)
    response = client.get(URL, {"period": f"{YEAR}-06"})
    assert response.context["death_family"] is None
    assert 'id="pws-kematian"' not in client.get("/pws/").content.decode()
    assert death_family(case.pkm_barat, case.cemara.code, YEAR) is None  # not Puskesmas Barat's
    assert death_family(case.dinkes, case.ampel_timur.code, YEAR) is None  # a dusun: no family
    for user in (case.ppa, case.rs_uji, case.norole):
        assert death_family(user, case.city.code, YEAR) is None


def test_cross_sector_readers_get_completed_years_only(case):
    this_year = timezone.localdate().year
    assert family_year(case.camat_barat, this_year) == this_year - 1
    assert family_year(case.dinkes, this_year) == this_year
    assert family_year(case.dinkes, this_year + 3) == this_year


@pytest.fixture
def small(district):
    """Last year in Barat: 6 neonatal deaths in Ampel, 2 in Batu (the babies born that year)."""
    d = district
    for i in range(8):
        rt = d.rt_ampel_timur if i < 6 else d.rt_batu
        baby = _baby(d, f"Nona {i}", date(YEAR, 3, 1 + i), date(YEAR, 3, 5 + i), rt=rt)
        _death(baby, "neonatal", date(YEAR, 3, 5 + i))
    _death(d.siti, "maternal", date(YEAR, 3, 1))
    return d


def test_camat_sees_small_counts_hidden_and_not_by_subtraction(client, small):
    client.force_login(small.camat_barat)
    html = client.get("/").content.decode()
    assert 'id="sum-kematian"' in html
    family = death_family(small.camat_barat, small.kec_barat.code, timezone.localdate().year)
    assert family.year == YEAR
    # Batu's 2 is hidden; Ampel's 6 too, or the total 8 would give Batu back (8 − 6)
    ampel, batu = family.rows
    assert (ampel.neonatal, batu.neonatal, family.total.neonatal) == (None, None, 8)
    assert (ampel.infant, batu.infant, family.total.infant) == (None, None, 8)
    # 1 maternal death in Ampel: hidden, and so is the total (Batu's 0 shows)
    assert (ampel.maternal, batu.maternal, family.total.maternal) == (None, 0, None)
    assert '<td class="num"><span class="suppressed">&lt;5</span></td>' in html
    assert "Nona" not in html and "Siti" not in html


def test_kepala_desa_sees_the_desa_suppressed(client, small):
    client.force_login(small.kades_ampel)
    html = client.get("/").content.decode()
    assert 'id="sum-kematian"' in html
    family = death_family(small.kades_ampel, small.ampel.code, YEAR)
    assert family.rows == []
    assert _figures(family.total) == ("Desa/Kelurahan Ampel", None, 0, 6, 6, 6)
    assert death_family(small.kades_ampel, small.kec_barat.code, YEAR) is None  # not theirs


def test_staff_see_the_same_counts_exactly(small):
    family = death_family(small.dinkes, small.kec_barat.code, YEAR)
    assert [_figures(r) for r in family.rows] == [("Ampel", 1, 0, 6, 6, 6), ("Batu", 0, 0, 2, 2, 2)]
