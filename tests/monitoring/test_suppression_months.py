"""A camat cannot learn a count below 5 by subtraction across months or across pages
(``ilp.core.suppression.suppress_series``, ``ilp.monitoring.selectors``): worked out by hand on
the IDL counts of ``test_pws_pages.idl`` (last year, cumulative, target line 100 % × M/12).

Counts served to date (numerators), months 1–6; denominators Ampel Timur 20, Ampel Barat 10,
Batu Atas 10 (Ampel 30, Batu 10, kecamatan Barat and Puskesmas Barat 40):

    month          1   2   3   4   5   6
    Ampel Timur    0   0   0   0   8  12
    Ampel Barat    0   0   3   3   3   3
    Batu (Atas)    0   3   3   3   3   3
    Ampel          0   0   3   3  11  15
    kecamatan      0   3   6   6  14  18   (= Puskesmas Barat: Ampel + Batu)

What camat Barat is shown, month by month (every page he can open is one table: kecamatan,
desa, dusun and the puskesmas working area, so a complement on one page is hidden on all):

- February: Batu, the kecamatan and the puskesmas rose by 3: hidden (Ampel 0 shown).
- March, April: Ampel and its Ampel Barat rose by 3 since they were last shown (0): hidden;
  Batu still 3; the kecamatan and puskesmas rose by 6 since January: 6 shown.
- May: Ampel rose by 11 but with Batu hidden the kecamatan's 14 would give Batu back
  (14 − 11): Ampel is hidden as the complement; the kecamatan's 14 is shown (a rise of 8).
- June: the kecamatan rose by 4 (Ampel Timur's 4): hidden, and the puskesmas with it; Ampel
  shows 15 (a rise of 15 since February, its last shown month); Ampel Timur rose by 4: hidden.

Before this rule the June page showed the kecamatan's 18 beside May's 14 (4 children
immunised in June) and Ampel's own page showed its 15, which the kecamatan page hid to protect
Batu (18 − 15 = 3).
"""

from __future__ import annotations

import io
from itertools import combinations

import pytest
from openpyxl import load_workbook

from tests.monitoring.test_pws_pages import YEAR, idl, row  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

PUSKESMAS = "P5271010101"


def api(client, area: str, month: int) -> dict[str, dict]:
    response = client.get(
        "/api/v1/indicators/idl/values", {"area": area, "period": f"{YEAR}-{month:02d}"}
    )
    assert response.status_code == 200, response.content
    return {r["area"]: r for r in response.json()}


def shown_numerators(client, district) -> dict[str, dict[int, int | None]]:
    """Every numerator the reader gets through the API, per place and month, checking that
    each place reads the same on every page it appears on."""
    seen: dict[str, dict[int, int | None]] = {}
    pages = [district.kec_barat.code, district.ampel.code, district.batu.code, PUSKESMAS]
    for month in range(1, 7):
        for page in pages:
            for code, r in api(client, page, month).items():
                before = seen.setdefault(code, {}).setdefault(month, r["numerator"])
                assert before == r["numerator"], (code, month, page)
    return seen


def test_camat_is_shown_the_months_worked_out_by_hand(idl, client_for):  # noqa: F811
    seen = shown_numerators(client_for(idl.camat_barat), idl)
    k, a, b = idl.kec_barat.code, idl.ampel.code, idl.batu.code
    at, ab, ba = idl.ampel_timur.code, idl.ampel_barat.code, idl.batu_atas.code
    assert seen == {
        k: {1: 0, 2: None, 3: 6, 4: 6, 5: 14, 6: None},
        PUSKESMAS: {1: 0, 2: None, 3: 6, 4: 6, 5: 14, 6: None},
        a: {1: 0, 2: 0, 3: None, 4: None, 5: None, 6: 15},
        b: {1: 0, 2: None, 3: None, 4: None, 5: None, 6: None},
        at: {1: 0, 2: 0, 3: 0, 4: 0, 5: 8, 6: None},
        ab: {1: 0, 2: 0, 3: None, 4: None, 5: None, 6: None},
        ba: {1: 0, 2: None, 3: None, 4: None, 5: None, 6: None},
    }
    # No two months of one place differ by 1–4, and the June relation kecamatan = Ampel +
    # Batu has two hidden members (the kecamatan and Batu) on every page.
    for code, months in seen.items():
        shown = [n for n in months.values() if n is not None]
        assert all(not 0 < abs(x - y) < 5 for x, y in combinations(shown, 2)), code
    # The dinkes reads the counts themselves.
    dinkes = shown_numerators(client_for(idl.dinkes), idl)
    assert dinkes[k] == {1: 0, 2: 3, 3: 6, 4: 6, 5: 14, 6: 18}
    assert dinkes[a] == {1: 0, 2: 0, 3: 3, 4: 3, 5: 11, 6: 15}


def test_the_pages_trend_and_excel_show_the_same(idl, client_for):  # noqa: F811
    """The June page of the kecamatan: its own row hidden, Ampel 15/30 = 50.0 % with no change
    or status (May was hidden), Batu hidden. The 12-month trend of the kecamatan has January
    0.0, March and April 15.0 (6/40), May 35.0 (14/40) and nothing in February or June. The
    Excel holds the same."""
    client = client_for(idl.camat_barat)
    june = client.get("/pws/idl/", {"period": f"{YEAR}-06"})
    assert row(june, idl.kec_barat.code) == "Barat disamarkan <5 /40 – –"
    assert row(june, idl.ampel.code) == "Ampel 50,0% 15/30 – –"
    assert row(june, idl.batu.code) == "Batu disamarkan <5 /10 – –"
    trend = june.context["trend"][-6:]
    assert [(month, value) for month, value, _target in trend] == [
        (f"{YEAR}-01", 0.0),
        (f"{YEAR}-02", None),
        (f"{YEAR}-03", 15.0),
        (f"{YEAR}-04", 15.0),
        (f"{YEAR}-05", 35.0),
        (f"{YEAR}-06", None),
    ]
    excel = client.get("/pws/idl/excel/", {"period": f"{YEAR}-06"})
    rows = {
        r[1]: r for r in load_workbook(io.BytesIO(excel.content)).active.iter_rows(values_only=True)
    }
    assert rows[idl.kec_barat.code][2:10] == ("<5", 40, None, None, None, 50.0, None, None)
    assert rows[idl.ampel.code][2:10] == (15, 30, 50.0, None, None, 50.0, None, None)
    assert rows[idl.batu.code][2:10] == ("<5", 10, None, None, None, 50.0, None, None)


def test_the_status_needs_last_months_counts_shown_too(idl, client_for):  # noqa: F811
    """Ampel in June: 50.0 % at the line. The dinkes, who saw May's 11/30 = 36.7 %, reads
    "above, rising" and +13.3; the camat, from whom May was hidden, reads neither (the
    direction of a hidden change would show), through the page and the API. In May the
    kecamatan (14/40 = 35.0 %, line 41.7) follows April's shown 6/40 = 15.0 %: its status
    and change are shown to the camat too."""
    dinkes = client_for(idl.dinkes).get(
        "/pws/idl/", {"period": f"{YEAR}-06", "area": idl.kec_barat.code}
    )
    assert row(dinkes, idl.ampel.code).startswith("Ampel 50,0% 15/30 +13,3 Di atas target, naik")
    camat = client_for(idl.camat_barat)
    ampel = api(camat, idl.kec_barat.code, 6)[idl.ampel.code]
    assert (ampel["value"], ampel["status"], ampel["suppressed"]) == (50.0, None, False)
    may = api(camat, idl.kec_barat.code, 5)[idl.kec_barat.code]
    assert (may["value"], may["status"]) == (35.0, "below_rising")
    page = camat.get("/pws/idl/", {"period": f"{YEAR}-05"})
    assert row(page, idl.kec_barat.code) == "Barat 35,0% 14/40 +20,0 Di bawah target, naik"
