"""The desa map of the PWS pages (``ilp.monitoring.maps``): the projection keeps a square
desa square inside the viewBox; the tile map groups desa under their kecamatan; colours
follow the status and the indicator's direction; a hidden desa is grey with no value for a
cross-sector reader; the page draws tiles without imported outlines and the outlines once
imported; a kabupaten/kota page maps the desa of every kecamatan.

Counts as in test_pws_pages (IDL, June of last year, line 50.0 %): Ampel 15/30 = 50.0 %
(May 36.7 %: above, rising), Batu 3/10 = 30.0 % (May 30.0 %: below, rising), Cemara none.
"""

from __future__ import annotations

import math
import re

import pytest

from ilp.monitoring import maps
from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.pws import PwsRow
from ilp.places.models import AreaBoundary, AreaLevel, BoundaryImport
from tests.monitoring import test_pws_pages
from tests.monitoring.test_pws_pages import PERIOD, page

pytestmark = pytest.mark.django_db
idl = test_pws_pages.idl  # the fixture: the counts of the PWS page tests

GREEN, ORANGE, GREY = "#1b7f3b", "#e07b24", "#c4c9cd"


def square(lon: float, lat: float, side: float) -> dict:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def outline(area, geom) -> None:
    record, _created = BoundaryImport.objects.get_or_create(
        file_name="uji.geojson",
        defaults={
            "code_property": "KDEPUM",
            "imported_by": "uji",
            "feature_count": 3,
            "replaced_count": 0,
            "points_before": 15,
            "points_after": 15,
        },
    )
    AreaBoundary.objects.create(area=area, geometry=geom, source=record)


def row(code: str, name: str, tone: str = "", **kw) -> PwsRow:
    values = {
        "numerator": None,
        "denominator": None,
        "value": None,
        "previous": None,
        "target": 50.0,
        "status": None,
        "suppressed": False,
    }
    values.update(kw)
    return PwsRow(code=code, name=name, level=AreaLevel.VILLAGE, tone=tone, **values)


def map_section(response) -> str:
    html = response.content.decode()
    start = html.index('<section class="card pws-map"')
    return html[start : html.index("</section>", start)]


def shapes(section: str) -> dict[str, tuple[str, str]]:
    """{link: (title, fill)} of each desa drawn."""
    found = {}
    for href, title, body in re.findall(
        r'<a href="([^"]+)"><title>([^<]*)</title>(.*?)</a>', section
    ):
        fill = re.search(r'fill="(#[0-9a-f]+)"', body)
        assert fill is not None
        found[href.replace("&amp;", "&")] = (title, fill.group(1))
    return found


def desa_url(code: str) -> str:
    return f"/pws/idl/?area={code}&period={PERIOD}"


def test_a_square_desa_maps_to_a_square_inside_the_viewbox():
    # At the equator a degree of longitude is a degree of latitude: 1° × 1° fills the width.
    height, to_xy = maps.project([square(-0.5, -0.5, 1.0)])
    assert height == 360
    path = maps.path_data(square(-0.5, -0.5, 1.0), to_xy)
    assert path == "M4.0,356.0L356.0,356.0L356.0,4.0L4.0,4.0Z"
    # At 60° S a degree of longitude is half as long: a 2° × 1° box is square on the map.
    height, to_xy = maps.project(
        [
            {
                "type": "Polygon",
                "coordinates": [[[0, -60.5], [2, -60.5], [2, -59.5], [0, -59.5], [0, -60.5]]],
            }
        ]
    )
    corners = [to_xy(0, -60.5), to_xy(2, -60.5), to_xy(2, -59.5)]
    width = corners[1][0] - corners[0][0]
    tall = corners[1][1] - corners[2][1]
    assert abs(width - tall) < 0.01
    assert all(0 <= x <= 360 and 0 <= y <= height for x, y in corners)


def test_a_tall_area_is_fitted_by_its_height_and_centred():
    height, to_xy = maps.project([square(0, 0, 1.0), square(0, 2, 1.0)])  # 1° wide, 3° tall
    assert height == maps.MAX_HEIGHT
    west, east = to_xy(0, 0)[0], to_xy(1, 0)[0]
    # 472 units for 3° of latitude; the degree of longitude shrunk by cos(1.5°).
    assert east - west == pytest.approx(472 / 3 * math.cos(math.radians(1.5)), abs=0.01)
    assert (west + east) / 2 == pytest.approx(180, abs=0.01)


def test_the_tile_layout_groups_desa_under_their_kecamatan(district):
    rows = [
        row(district.ampel.code, "Ampel"),
        row(district.batu.code, "Batu"),
        row(district.cemara.code, "Cemara"),
    ]
    height, labels, tiles = maps.tile_layout(maps._shapes(rows))
    # Barat: two tiles side by side (63 wide); Timur's block starts after a 10 gap.
    assert labels == [("52.71.01", "Barat", 4.0, 4.0), ("52.71.02", "Timur", 77.0, 4.0)]
    assert [(s.row.name, x, y) for s, x, y in tiles] == [
        ("Ampel", 4.0, 18.0),
        ("Batu", 37.0, 18.0),
        ("Cemara", 77.0, 18.0),
    ]
    assert height == 18 + 30 + 4


def test_the_tile_layout_wraps_blocks_at_the_width(district):
    many = [row(f"52.71.01.{1000 + i}", f"Desa {i}") for i in range(1, 21)]
    _height, labels, tiles = maps.tile_layout(
        [
            maps.MapShape(r, "52.71.01" if i < 16 else "52.71.02", "A" if i < 16 else "B")
            for i, r in enumerate(many)
        ]
    )
    # 16 desa: a 4 × 4 block (129 wide); 4 desa: 2 × 2 beside it.
    assert labels == [("52.71.01", "A", 4.0, 4.0), ("52.71.02", "B", 143.0, 4.0)]
    assert max(x for _s, x, _y in tiles) + maps.TILE <= 360
    # 9 blocks of 16 cannot share a line of 360: the third one wraps below.
    big = [
        maps.MapShape(r, f"k{i // 16}", f"K{i // 16}")
        for i, r in enumerate([row(f"c{i}", "D") for i in range(48)])
    ]
    _h, labels, _t = maps.tile_layout(big)
    assert [(x, y) for _c, _n, x, y in labels] == [
        (4.0, 4.0),
        (143.0, 4.0),
        (4.0, 4.0 + 14 + 4 * 33 - 3 + 10),
    ]


@pytest.mark.parametrize(
    ("code", "status", "fill"),
    [
        ("idl", "above_rising", GREEN),
        ("idl", "below_falling", "#b3261e"),
        ("idl", "above_falling", "#e0b020"),
        ("idl", "below_rising", ORANGE),
        # Lower is better: stunting below its line and falling is good, above and rising bad.
        ("balita_stunting", "below_falling", GREEN),
        ("balita_stunting", "above_rising", "#b3261e"),
        ("balita_stunting", "below_rising", "#e0b020"),
    ],
)
def test_colours_follow_the_status_and_the_direction(district, code, status, fill):
    from ilp.monitoring.pws import status_tone

    indicator = load_catalogue()[code]
    r = row(
        district.ampel.code,
        "Ampel",
        status_tone(indicator, status),
        value=20.0,
        status=status,
        drill_url="/x/",
    )
    drawn = maps.render_map([r], indicator)
    assert drawn.kind == "tiles"
    assert f'fill="{fill}"' in drawn.svg
    assert (
        fill,
        str(__import__("ilp.monitoring.pws", fromlist=["x"]).STATUS_LABELS[status]),
    ) in drawn.legend


def test_the_puskesmas_page_draws_tiles_without_outlines(idl, client_for):
    section = map_section(page(client_for(idl.pkm_barat)))
    assert "Peta petak desa/kelurahan per kecamatan" in section
    assert "<path" not in section
    assert shapes(section) == {
        desa_url(idl.ampel.code): ("Ampel: 50,0% · Di atas target, naik", GREEN),
        desa_url(idl.batu.code): ("Batu: 30,0% · Di bawah target, naik", ORANGE),
    }
    assert ">Barat</text>" in section


def test_the_page_draws_the_outlines_once_imported(idl, client_for):
    outline(idl.ampel, square(116.10, -8.60, 0.01))
    outline(idl.batu, square(116.11, -8.60, 0.01))
    section = map_section(page(client_for(idl.pkm_barat)))
    assert "Peta desa/kelurahan" in section and "Peta petak" not in section
    assert "<rect" not in section.split("pws-map-legend")[0]
    assert shapes(section) == {
        desa_url(idl.ampel.code): ("Ampel: 50,0% · Di atas target, naik", GREEN),
        desa_url(idl.batu.code): ("Batu: 30,0% · Di bawah target, naik", ORANGE),
    }
    assert section.count("<path ") == 2
    assert 'viewBox="0 0 360 186"' in section  # 0.02° × 0.01°: 352 × cos(8.595°) / 2 + 8
    assert "Belum ada batas wilayah" not in section


def test_a_desa_without_outline_is_named_beside_the_outlines(idl, client_for):
    outline(idl.ampel, square(116.10, -8.60, 0.01))
    section = map_section(page(client_for(idl.dinkes), idl.kec_barat.code))
    assert section.count("<path ") == 1
    assert "Belum ada batas wilayah: Batu." in section


def test_a_camat_sees_a_hidden_desa_grey_without_its_value(idl, client_for):
    section = map_section(page(client_for(idl.camat_barat)))
    drawn = shapes(section)
    assert drawn[desa_url(idl.batu.code)] == ("Batu: disamarkan", GREY)
    assert "30,0" not in section and "3/10" not in section


def test_the_district_page_maps_the_desa_of_every_kecamatan(idl, client_for):
    section = map_section(page(client_for(idl.dinkes), idl.city.code))
    assert shapes(section) == {
        desa_url(idl.ampel.code): ("Ampel: 50,0% · Di atas target, naik", GREEN),
        desa_url(idl.batu.code): ("Batu: 30,0% · Di bawah target, naik", ORANGE),
        desa_url(idl.cemara.code): ("Cemara: belum ada nilai", GREY),
    }
    assert ">Barat</text>" in section and ">Timur</text>" in section


def test_no_map_below_the_desa(idl, client_for):
    html = page(client_for(idl.pkm_barat), idl.ampel.code).content.decode()
    assert "pws-map" not in html


def test_the_map_in_english(idl, client_for):
    client = client_for(idl.pkm_barat)
    client.cookies["django_language"] = "en"
    response = client.get("/pws/idl/", {"period": PERIOD})
    section = map_section(response)
    assert "Tile map of desa/kelurahan by kecamatan" in section
    assert "Ampel: 50.0% · Above target, rising" in section
    assert "No value, or hidden" in section


def test_a_district_wide_cross_sector_reader_sees_each_desa_as_its_kecamatan_page(idl, client_for):
    """Read kecamatan by kecamatan, a hidden desa is hidden on the map exactly as on its
    kecamatan's page (one hiding pattern, nothing to set against another)."""
    from ilp.accounts.models import Role, User

    bupati = User.objects.create_user("sekda", password="x", role=Role.CROSS_SECTOR, area=idl.city)
    client = client_for(bupati)
    section = map_section(page(client, idl.city.code))
    drawn = shapes(section)
    kecamatan = map_section(page(client, idl.kec_barat.code))
    assert drawn[desa_url(idl.batu.code)] == ("Batu: disamarkan", GREY)
    assert drawn[desa_url(idl.batu.code)] == shapes(kecamatan)[desa_url(idl.batu.code)]
    assert drawn[desa_url(idl.ampel.code)] == shapes(kecamatan)[desa_url(idl.ampel.code)]
    assert "30,0" not in section


def test_one_read_of_all_desa_equals_the_kecamatan_pages(idl):
    from ilp.monitoring import pws

    indicator = load_catalogue()["idl"]
    year, month = (int(p) for p in PERIOD.split("-"))
    table = pws.pws_table(idl.dinkes, indicator, area_code=idl.city.code, year=year, month=month)
    once = maps.desa_rows(idl.dinkes, table)
    by_kecamatan = [
        r
        for k in (idl.kec_barat, idl.kec_timur)
        for r in pws.pws_table(
            idl.dinkes, indicator, area_code=k.code, year=year, month=month
        ).children
    ]
    keys = ("code", "numerator", "denominator", "value", "previous", "target", "status", "tone")
    assert [tuple(getattr(r, k) for k in keys) for r in once] == [
        tuple(getattr(r, k) for k in keys) for r in by_kecamatan
    ]
    assert [r.code for r in once] == [idl.ampel.code, idl.batu.code, idl.cemara.code]


def test_the_partial_renders_from_the_rows_and_the_indicator_alone(district):
    from django.template.loader import render_to_string

    indicator = load_catalogue()["idl"]
    rows = [
        row(district.ampel.code, "Ampel", "good", value=60.0, status="above_rising"),
        row(district.cemara.code, "Cemara", suppressed=True),
    ]
    html = render_to_string("monitoring/_map.html", {"map_rows": rows, "indicator": indicator})
    assert "Peta petak desa/kelurahan per kecamatan" in html
    # No drill-down link given: the tiles are drawn, titled, but link nowhere.
    assert "<g><title>Ampel: 60,0% · Di atas target, naik</title>" in html
    assert "<g><title>Cemara: disamarkan</title>" in html
    assert f'fill="{GREEN}"' in html and f'fill="{GREY}"' in html
    assert (
        render_to_string("monitoring/_map.html", {"map_rows": [], "indicator": indicator}).strip()
        == ""
    )
