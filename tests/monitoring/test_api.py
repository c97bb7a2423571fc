"""``GET /api/v1/indicators`` and ``GET /api/v1/indicators/{code}/values``: the catalogue,
values per area and child area, scope per role, small-count suppression for cross-sector
readers, and a specific 4xx for every bad input.

The values are dated this month (the counts keep this year and the last).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.services import indicators_rebuild
from tests.care import encounter, resident

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators"


def period() -> str:
    return timezone.localdate().strftime("%Y-%m")


def values(client, code="ptm_15", **params):
    params.setdefault("period", period())
    return client.get(f"{URL}/{code}/values", params)


@pytest.fixture
def screened(district):
    """PTM 15+ this year in kecamatan Barat: desa Ampel has budi, siti (Ampel Timur) and
    ahmad (Ampel Barat), none screened: 0/3; desa Batu has wayan and eight more adults, six
    screened today: 6/9. Barat: 6/12. Kecamatan Timur: dewi, 0/1."""
    today = timezone.localdate()
    for i in range(8):
        person = resident(district, f"Warga {i}", "MF"[i % 2], date(1980, 1, 1), district.rt_batu)
        if i < 5:
            encounter(person, today, district.pkm_barat_f, "adult", cluster="k3")
    encounter(district.wayan, today, district.pkm_barat_f, "adult", cluster="k3")
    indicators_rebuild()
    return district


def rows(response):
    assert response.status_code == 200, response.content
    return {
        r["area"]: (r["numerator"], r["denominator"], r["value"], r["suppressed"])
        for r in response.json()
    }


def test_the_catalogue_in_the_readers_language(district, client_for):
    client = client_for(district.dinkes)
    listed = client.get(URL).json()
    # Every indicator of the catalogue, in its order (test_catalogue pins the list itself).
    assert [i["code"] for i in listed] == list(load_catalogue())
    ds = listed[9]
    assert ds["name"] == "Balita ditimbang (D/S)"
    assert (ds["cluster"], ds["spm"], ds["period"], ds["target"]) == ("2", 4, "monthly", 80.0)
    assert ds["numerator"].startswith("Children of the denominator with an active weight")
    assert ds["denominator"].startswith("Residents (people.Person, not voided) aged 0-59")
    assert ds["source"] == "DOMAIN.md §2.3 SKDN (D/S participation [S10])"
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english[9]["name"] == "Children under five weighed (D/S)"


@pytest.mark.parametrize("persona", ["ppa", "norole"])
def test_roles_without_indicators_are_refused(district, client_for, persona):
    client = client_for(getattr(district, persona))
    for response in (client.get(URL), values(client, area=district.city.code)):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_anonymous_is_refused(district, client):
    assert client.get(URL).status_code == 401


def test_the_dinkes_sees_exact_counts_of_the_area_and_its_children(screened, client_for):
    d = screened
    assert rows(values(client_for(d.dinkes), area=d.kec_barat.code)) == {
        d.kec_barat.code: (6, 12, 50.0, False),
        d.ampel.code: (0, 3, 0.0, False),
        d.batu.code: (6, 9, 66.7, False),
    }
    body = values(client_for(d.dinkes), area=d.city.code).json()
    assert [r["area"] for r in body] == [d.city.code, d.kec_barat.code, d.kec_timur.code]
    month = timezone.localdate().month
    city = body[0]
    assert city["period"] == period()
    assert city["target"] == round(100 * month / 12, 1)
    assert (city["numerator"], city["denominator"], city["value"]) == (6, 13, 46.2)
    assert city["status"] == ("above_rising" if city["target"] <= 46.2 else "below_rising")


def test_a_camat_sees_his_kecamatan_with_small_counts_suppressed(screened, client_for):
    """Ampel's 3 targets are below 5: hidden; Batu's 9 is hidden too, or Barat's 12 − 9
    would give Ampel's back. Numerators 0, 6, 6 disclose no one. A hidden count hides the
    value and the status."""
    d = screened
    camat = client_for(d.camat_barat)
    response = values(camat, area=d.kec_barat.code)
    assert rows(response) == {
        d.kec_barat.code: (6, 12, 50.0, False),
        d.ampel.code: (0, None, None, True),
        d.batu.code: (6, None, None, True),
    }
    assert [r["status"] for r in response.json()][1:] == [None, None]
    for outside in (d.kec_timur.code, d.city.code, d.cemara.code, "52.71.09"):
        refused = values(camat, area=outside)
        assert refused.status_code == 404
        assert refused.json()["error"]["message"] == (
            f"Wilayah {outside} tidak ada atau di luar wilayah Anda."
        )


def test_a_breakdown_cannot_give_back_a_hidden_count(screened, client_for):
    """By sex in Batu: wayan and warga 0, 2, 4, 6 are men (5), warga 1, 3, 5, 7 women (4);
    screened: wayan, warga 0, 2, 4 (men, 4) and warga 1, 3 (women, 2) — what the dinkes
    sees. The camat's rows for Barat, Ampel and Batu by sex show no count of 1–4, and none
    can be recovered by subtraction from what he sees: an area's total (shown by the same
    request without `by`) minus its shown groups, or a parent's group minus its shown
    children's, is never a small count of hidden cells alone."""
    d = screened
    dinkes = values(client_for(d.dinkes), area=d.batu.code, by="sex").json()
    exact = {
        r["group"]: (r["numerator"], r["denominator"]) for r in dinkes if r["area"] == d.batu.code
    }
    assert exact == {"F": (2, 4), "M": (4, 5)}

    camat = client_for(d.camat_barat)
    by_sex = values(camat, area=d.kec_barat.code, by="sex").json()
    totals = {r["area"]: r for r in values(camat, area=d.kec_barat.code).json()}
    exact_rows = {
        (r["area"], r["group"]): r
        for r in values(client_for(d.dinkes), area=d.kec_barat.code, by="sex").json()
    }
    shown = {(r["area"], r["group"]): r for r in by_sex}
    assert set(shown) == {(a, g) for a in totals for g in ("F", "M")}
    for side in ("numerator", "denominator"):
        for key, row in shown.items():
            value = row[side]
            assert value is None or not 0 < value < 5, (key, side, value)
            if value is not None:
                assert value == exact_rows[key][side]
        # total − shown groups = the hidden groups' sum: never a small count.
        for area, total in totals.items():
            hidden = [g for g in ("F", "M") if shown[(area, g)][side] is None]
            if total[side] is not None and hidden:
                rest = total[side] - sum(shown[(area, g)][side] or 0 for g in ("F", "M"))
                assert not 0 < rest < 5 or len(hidden) > 1, (area, side, rest)
        # parent's group − shown children's groups: never a small count of one hidden cell.
        for g in ("F", "M"):
            parent = shown[(d.kec_barat.code, g)][side]
            children = [shown[(c, g)][side] for c in (d.ampel.code, d.batu.code)]
            if parent is not None and children.count(None) == 1:
                assert not 0 < parent - sum(c or 0 for c in children) < 5, (g, side)
    # The suppression hides something here (the groups of Ampel are all below 5).
    assert shown[(d.ampel.code, "M")]["suppressed"] and shown[(d.ampel.code, "F")]["suppressed"]


def test_a_kader_reads_only_her_dusun(screened, client_for):
    d = screened
    kader = client_for(d.kader_ampel_timur)
    assert rows(values(kader, area=d.ampel_timur.code)) == {d.ampel_timur.code: (0, 2, 0.0, False)}
    assert values(kader, area=d.ampel.code).status_code == 404
    assert values(kader, area=d.ampel_barat.code).status_code == 404


@pytest.mark.parametrize(
    ("code", "params", "status", "message"),
    [
        ("nope", {}, 404, "Indikator nope tidak ada dalam katalog."),
        ("ptm_15", {"period": "2026-13"}, 422, "Bulan harus 01 sampai 12."),
        ("ptm_15", {"period": "maret"}, 422, "Periode harus berbentuk TTTT-BB, misalnya 2026-03."),
        ("ptm_15", {"period": "2019-05"}, 422, "Nilai indikator tersimpan untuk tahun"),
        ("ptm_15", {"by": "religion"}, 422, "Indikator ini tidak dirinci menurut religion"),
        (
            "kn1",
            {"by": "age"},
            422,
            "Indikator ini tidak dirinci menurut age; pilih salah satu: sex, disability.",
        ),
        ("ptm_15", {"area": "99.99"}, 404, "Wilayah 99.99 tidak ada atau di luar wilayah Anda."),
    ],
)
def test_bad_input_gets_a_specific_message(district, client_for, code, params, status, message):
    params = {"area": district.city.code, **params}
    response = values(client_for(district.dinkes), code, **params)
    assert response.status_code == status
    assert response.json()["error"]["message"].startswith(message)


def test_a_future_month_a_missing_area_and_english_messages(district, client_for):
    client = client_for(district.dinkes)
    today = timezone.localdate()
    if today.month < 12:
        future = values(
            client, area=district.city.code, period=f"{today.year}-{today.month + 1:02d}"
        )
        assert future.status_code == 422
        assert future.json()["error"]["fields"] == {"period": ["Periode belum berjalan."]}
    english = client.get(
        f"{URL}/ptm_15/values",
        {"area": district.city.code, "period": "maret"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 422
    assert english.json()["error"]["fields"] == {
        "period": ["The period must be YYYY-MM, for example 2026-03."]
    }
    missing = client.get(f"{URL}/ptm_15/values", {"period": period()})
    assert missing.status_code == 422
    assert "area" in missing.json()["error"]["fields"]


def test_a_puskesmas_working_area_sums_its_desa(screened, client_for):
    """Puskesmas Barat serves Ampel and Batu: its row is their sum (6/12); its staff read it,
    the camat of Barat reads it suppressed like his kecamatan, the kepala desa of Ampel
    (a part of it only) and Puskesmas Timur's kader cannot."""
    d = screened
    code = d.pkm_barat_f.code
    body = values(client_for(d.pkm_barat), area=code).json()
    assert [(r["area"], r["area_kind"], r["area_level"]) for r in body] == [
        (code, "puskesmas", None),
        (d.ampel.code, "area", 4),
        (d.batu.code, "area", 4),
    ]
    assert [(r["numerator"], r["denominator"]) for r in body] == [(6, 12), (0, 3), (6, 9)]
    assert rows(values(client_for(d.camat_barat), area=code)) == {
        code: (6, 12, 50.0, False),
        d.ampel.code: (0, None, None, True),
        d.batu.code: (6, None, None, True),
    }
    for persona in (d.kades_ampel, d.kader_cemara, d.pkm_barat):
        other = d.pkm_timur_f.code if persona is d.pkm_barat else code
        assert values(client_for(persona), area=other).status_code == 404


def test_values_read_counts_in_one_query(screened, client_for, django_assert_num_queries):
    """The request's queries: session and user (2), the user's own area (the scope of
        ``accounts.access``), the area asked for and its children (2), and one for the counts of
        the whole subtree, one for the puskesmas' own annual targets of the indicator and year
    (none here: a second, for the desa they serve, only when some are set) and one for the
    projected denominators: no clinical table, nothing per row."""
    client = client_for(screened.dinkes)
    values(client, area=screened.city.code)  # warm caches
    with django_assert_num_queries(8):
        response = values(client, area=screened.city.code)
    assert response.status_code == 200
