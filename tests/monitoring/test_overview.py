"""The all-indicators overview (``selectors.indicator_overview``): for every catalogue
indicator it gives exactly the rows ``indicator_values`` gives (targets, projected
denominators, statuses, previous month, suppression), on a generated demo district with a
year of services, a projected-sasaran sheet and a puskesmas' own targets, for a dinkes, a
puskesmas and cross-sector readers; and it reads the counts of all indicators in one query.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.demo.generate import generate_district
from ilp.demo.history import generate_service_history
from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.models import ProjectedSasaran, PuskesmasTarget, SasaranKind, SasaranUpload
from ilp.monitoring.selectors import indicator_overview, indicator_values
from ilp.monitoring.services import indicators_rebuild
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """A 400-person demo district with a year of services and its counts rebuilt; this
    year's projected sasaran for every desa (a different count per desa and kind) and one
    puskesmas' own targets for two indicators."""
    today = timezone.localdate()
    generate_district(population=400, seed=7, today=today)
    generate_service_history(start=today - timedelta(days=365), end=today, seed=7)
    indicators_rebuild()
    city = Area.objects.get(level=AreaLevel.REGENCY)
    upload = SasaranUpload.objects.create(
        district=city, year=today.year, uploaded_at=timezone.now()
    )
    desa = list(Area.objects.filter(level=AreaLevel.VILLAGE).order_by("code"))
    ProjectedSasaran.objects.bulk_create(
        ProjectedSasaran(upload=upload, area=a, kind=kind, count=5 + i * 3 + j)
        for i, a in enumerate(desa)
        for j, kind in enumerate(SasaranKind.values)
    )
    puskesmas = Facility.objects.filter(kind=FacilityKind.PUSKESMAS).order_by("code").first()
    for code, target in (("idl", "85.0"), ("ds", "60.0")):
        PuskesmasTarget.objects.create(
            facility=puskesmas,
            year=today.year,
            indicator=code,
            target=Decimal(target),
            set_at=timezone.now(),
        )
    return puskesmas


def _same_as_indicator_values(
    user: User, area_code: str, year: int, month: int, desa: bool = False
) -> int:
    """Assert the overview equals `indicator_values` for every indicator; the rows compared."""
    overview = indicator_overview(user, area_code=area_code, year=year, month=month, desa=desa)
    catalogue = load_catalogue()
    assert list(overview) == list(catalogue)
    compared = 0
    for code, indicator in catalogue.items():
        expected = indicator_values(
            user, indicator, area_code=area_code, year=year, month=month, desa=desa
        )
        assert overview[code] == expected, code
        compared += len(expected)
    return compared


def _months() -> list[tuple[int, int]]:
    """This month, January of this year (last month is in the previous year) and last June."""
    today = timezone.localdate()
    return [(today.year, today.month), (today.year, 1), (today.year - 1, 6)]


def test_overview_equals_indicator_values_for_every_indicator(demo):
    """Dinkes at the city, each kecamatan, the puskesmas with its own targets and each of its
    desa and one dusun; the puskesmas user at its working area. Targets, projected
    denominators, statuses and previous months come out the same."""
    dinkes = User.objects.get(username="dinkes")
    city = Area.objects.get(level=AreaLevel.REGENCY)
    kecamatan = list(Area.objects.filter(level=AreaLevel.DISTRICT).order_by("code"))
    desa = list(demo.service_areas.filter(level=AreaLevel.VILLAGE).order_by("code"))
    hamlet = Area.objects.filter(parent=desa[0], level=AreaLevel.HAMLET).order_by("code").first()
    areas = [city.code, *(k.code for k in kecamatan), demo.code, *(d.code for d in desa)]
    areas.append(hamlet.code)
    rows = 0
    for year, month in _months():
        for code in areas:
            rows += _same_as_indicator_values(dinkes, code, year, month)
        # The district dashboard: the city and every desa at once.
        rows += _same_as_indicator_values(dinkes, city.code, year, month, desa=True)
    nurse = User.objects.filter(role=Role.PUSKESMAS, facility=demo).first()
    year, month = _months()[0]
    rows += _same_as_indicator_values(nurse, demo.code, year, month)
    # The comparison covered real values: some rows have counts, some a projected
    # denominator, some a puskesmas' own target line, and every status occurs.
    overview = indicator_overview(dinkes, area_code=demo.code, year=year, month=month)
    flat = [r for rows_ in overview.values() for r in rows_]
    assert any(r.numerator for r in flat)
    assert any(r.denominator_projected for r in flat)
    idl_line = round(85.0 * month / 12, 1)
    assert overview["idl"][0].target == idl_line
    assert overview["ds"][0].target == 60.0
    assert rows > 1000


def test_overview_equals_indicator_values_for_a_suppressed_reader(demo):
    """A camat and a kepala desa: the same counts hidden ("<5" and the complementary ones)."""
    year, month = _months()[0]
    camat = User.objects.filter(role=Role.CROSS_SECTOR, area__level=AreaLevel.DISTRICT).first()
    kades = User.objects.filter(role=Role.CROSS_SECTOR, area__level=AreaLevel.VILLAGE).first()
    for reader in (camat, kades):
        for y, m in _months():
            _same_as_indicator_values(reader, reader.area.code, y, m)
    for y, m in _months():
        _same_as_indicator_values(camat, camat.area.code, y, m, desa=True)
    overview = indicator_overview(camat, area_code=camat.area.code, year=year, month=month)
    hidden = [r for rows in overview.values() for r in rows if r.suppressed]
    assert hidden  # the small desa of a 400-person district hide some counts
    assert all(r.value is None and r.status is None for r in hidden)


def test_overview_scope_and_roles(district):
    year, month = _months()[0]
    with pytest.raises(NotFound):  # another puskesmas' working area
        indicator_overview(
            district.pkm_barat, area_code=district.pkm_timur_f.code, year=year, month=month
        )
    with pytest.raises(NotFound):  # a kader reads its dusun only
        indicator_overview(
            district.kader_ampel_timur, area_code=district.ampel.code, year=year, month=month
        )
    with pytest.raises(PermissionDenied):
        indicator_overview(district.ppa, area_code=district.city.code, year=year, month=month)


def test_overview_reads_all_counts_in_one_query(district, django_assert_num_queries):
    """The area and its children (2), the counts of all indicators (1), the puskesmas' own
    targets (1) and the projected sasaran (1); a puskesmas' own target adds the desa it serves
    (1). Nothing per indicator."""
    year, month = _months()[0]
    dinkes = User.objects.select_related("area").get(pk=district.dinkes.pk)
    with django_assert_num_queries(5):
        indicator_overview(dinkes, area_code=district.city.code, year=year, month=month)
    PuskesmasTarget.objects.create(
        facility=district.pkm_barat_f,
        year=year,
        indicator="idl",
        target=Decimal("90.0"),
        set_at=timezone.now(),
    )
    with django_assert_num_queries(6):
        rows = indicator_overview(dinkes, area_code=district.kec_barat.code, year=year, month=month)
    assert [r.target for r in rows["idl"]] == [
        round(100 * month / 12, 1),  # the kecamatan keeps the national target
        round(90 * month / 12, 1),  # Ampel and Batu: Puskesmas Barat's own
        round(90 * month / 12, 1),
    ]


def test_the_target_line_ramps_only_for_coverage():
    """A cumulative coverage (IDL, 100 %) has the linear line, 100 × 3/12 = 25.0 in March; a
    cumulative lower-is-better prevalence (obesitas, ceiling 21.8 %) keeps 21.8 every month."""
    from ilp.monitoring.selectors import _target_line

    catalogue = load_catalogue()
    assert _target_line(catalogue["idl"], 3) == 25.0
    assert _target_line(catalogue["obesitas"], 3) == 21.8
    assert _target_line(catalogue["obesitas"], 12) == 21.8
