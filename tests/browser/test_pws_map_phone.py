"""On a 390 px phone: the Dinkes opens the district's PWS page of IDL and sees the desa map
without sideways scrolling: a tile map by kecamatan while no boundaries are imported, the
outlines once a GeoJSON is imported (``ilp boundaries import``); a desa opens its own PWS
page; printed, the map stays and fits (issue 10, §3).

Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import json

import pytest

from ilp.places.services import boundaries_import
from tests.browser import fits, login, test_pws_phone
from tests.browser import shot as _shot
from tests.browser.test_pws_phone import _idl_this_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
phone = test_pws_phone.phone  # the fixture: a 390 × 844 Chromium page


def _cell(lon: float, lat: float) -> dict:
    side = 0.02
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _map_width(page) -> float:
    return page.evaluate("document.querySelector('svg.pws-map-svg').getBoundingClientRect().width")


def test_the_dinkes_reads_the_desa_map_on_a_phone(phone, live_server, district):
    _idl_this_year(district)
    login(phone, live_server, district.dinkes)
    phone.goto(f"{live_server.url}/pws/idl/?area={district.city.code}")
    phone.wait_for_selector("svg.pws-map-svg")
    assert "Peta petak desa/kelurahan per kecamatan" in phone.inner_text("section.pws-map")
    assert phone.locator("svg.pws-map-svg rect").count() == 3  # Ampel, Batu, Cemara
    assert fits(phone)
    assert 300 < _map_width(phone) <= 390
    _shot(phone, "pws_map_tiles")
    phone.click(f'svg.pws-map-svg a[href*="area={district.batu.code}"]')
    phone.wait_for_selector(f'[id="pws-{district.batu_atas.code}"]')
    assert "Batu" in phone.inner_text("p.lead")

    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"KDEPUM": code}, "geometry": _cell(lon, lat)}
            for code, lon, lat in (
                (district.ampel.code, 116.10, -8.60),
                (district.batu.code, 116.12, -8.60),
                (district.cemara.code, 116.11, -8.58),
            )
        ],
    }
    boundaries_import(
        text=json.dumps(data), file_name="uji.geojson", code_property="KDEPUM", imported_by="uji"
    )
    phone.goto(f"{live_server.url}/pws/idl/?area={district.city.code}")
    phone.wait_for_selector("svg.pws-map-svg path")
    assert phone.locator("svg.pws-map-svg path").count() == 3
    assert fits(phone)
    assert 300 < _map_width(phone) <= 390
    _shot(phone, "pws_map_boundaries")
    phone.emulate_media(media="print")
    assert phone.is_visible("svg.pws-map-svg")
    assert fits(phone)
    _shot(phone, "pws_map_print")
