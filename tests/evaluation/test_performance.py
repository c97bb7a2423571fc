"""The annual Penilaian Kinerja Puskesmas (``/pembinaan/kinerja/``) on a hand-worked case, the
scheme the Dinkes sets (``services_pkp``), and a past year keeping its scheme.

Last year's values at December (``review_data``): Puskesmas Barat IDL 18/40 = 45.0 % (target
100: score 45.0), K4 25/20 = 125.0 % (score capped at 100); Puskesmas Timur IDL 30/40 = 75.0 %
(75.0), K4 16/20 = 80.0 % (80.0). No other indicator has a value, so none else is scored.

- Default scheme (every indicator weight 1; baik ≥ 91, cukup ≥ 81): Barat (45 + 100) / 2 =
  72.5, Timur (75 + 80) / 2 = 77.5: both kurang; Timur first.
- The district's scheme of that year (IDL weight 3, K4 weight 1, baik ≥ 95, cukup ≥ 75):
  Barat (45 × 3 + 100) / 4 = 58.75 → kurang; Timur (75 × 3 + 80) / 4 = 76.25 → cukup.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.evaluation import performance, services_pkp
from ilp.evaluation.models import PkpScheme, PkpWeight
from tests.evaluation import review_data
from tests.evaluation.review_data import YEAR

pytestmark = pytest.mark.django_db

URL = "/pembinaan/kinerja/"
THIS_YEAR = timezone.localdate().year


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def counts(district, team):
    review_data.indicator_counts(district)
    return district


def _last_year_scheme(district):
    scheme = PkpScheme.objects.create(
        district=district.city, year=YEAR, baik_min=Decimal("95"), cukup_min=Decimal("75")
    )
    PkpWeight.objects.create(scheme=scheme, indicator="idl", weight=3)
    PkpWeight.objects.create(scheme=scheme, indicator="k4", weight=1)
    return scheme


def _ranking(html: str) -> str:
    start = html.index('class="list pkp-ranking">') + len('class="list pkp-ranking">')
    return text_of(html[start:].split("</table>")[0])


def test_the_default_scheme_ranks_by_the_hand_worked_scores(counts, client_for):
    response = client_for(counts.dinkes).get(URL, {"year": YEAR})
    assert response.status_code == 200
    assert _ranking(response.content.decode()) == (
        "Peringkat Puskesmas Nilai Kategori "
        "1 Puskesmas Timur 77,5 kurang 2 Puskesmas Barat 72,5 kurang"
    )
    assert "Skema bawaan: semua indikator berbobot 1" in response.content.decode()


def test_the_district_scheme_of_the_year(counts, client_for):
    _last_year_scheme(counts)
    html = client_for(counts.dinkes).get(URL, {"year": YEAR}).content.decode()
    assert _ranking(html) == (
        "Peringkat Puskesmas Nilai Kategori "
        "1 Puskesmas Timur 76,3 cukup 2 Puskesmas Barat 58,8 kurang"
    )
    assert "baik ≥ 95, cukup ≥ 75" in text_of(html)
    scheme, scores = performance.assessment(counts.dinkes, YEAR, language="id")
    assert [(s.facility.name, s.score, s.category) for s in scores] == [
        ("Puskesmas Timur", 76.25, "cukup"),
        ("Puskesmas Barat", 58.75, "kurang"),
    ]
    assert scheme.assessed == ["k4", "idl"]  # catalogue order


def test_the_drill_down_shows_each_indicator(counts, client_for):
    _last_year_scheme(counts)
    response = client_for(counts.pkm_barat).get(f"{URL}P5271010101/", {"year": YEAR})
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Nilai: 58,8 · Kategori: kurang" in text
    assert (
        "Kunjungan ibu hamil K4 125,0% 100,0% 100,0 1 "
        "Imunisasi dasar lengkap (IDL) 45,0% 100,0% 45,0 3"
    ) in text


def test_each_reader_ranks_only_the_puskesmas_they_evaluate(counts, client_for, tpcb_other):
    html = client_for(counts.pkm_barat).get(URL, {"year": YEAR}).content.decode()
    assert "1 Puskesmas Barat 72,5 kurang" in _ranking(html)
    assert "Puskesmas Timur" not in _ranking(html)
    html = client_for(counts.tpcb).get(URL, {"year": YEAR}).content.decode()
    assert "Puskesmas Timur" not in _ranking(html)
    html = client_for(tpcb_other).get(URL, {"year": YEAR}).content.decode()
    assert "Tidak ada puskesmas yang Anda evaluasi." in html
    assert client_for(counts.pkm_barat).get(f"{URL}P5271020101/").status_code == 404


@pytest.mark.parametrize("year", ["2999", "1990", "tahun", "20255"])
def test_a_bad_year_is_400(counts, client_for, year):
    assert client_for(counts.dinkes).get(URL, {"year": year}).status_code == 400


# ---------------------------------------------------------------- the scheme


def _save(user, **changes):
    values = {
        "user": user,
        "year": THIS_YEAR,
        "baik_min": "90",
        "cukup_min": "70",
        "weights": {"idl": 2, "k4": 1},
    }
    values.update(changes)
    return services_pkp.pkp_scheme_save(**values)


def test_the_dinkes_sets_this_year_s_scheme_audited(district):
    scheme = _save(district.dinkes)
    assert (scheme.year, scheme.baik_min, scheme.cukup_min) == (
        THIS_YEAR,
        Decimal("90.00"),
        Decimal("70.00"),
    )
    assert dict(scheme.weights.values_list("indicator", "weight")) == {"idl": 2, "k4": 1}
    # Taking K4 out keeps its row with weight 0 (nothing deleted).
    _save(district.dinkes, weights={"idl": 2})
    assert dict(scheme.weights.values_list("indicator", "weight")) == {"idl": 2, "k4": 0}
    view = performance.scheme_for(district.city, THIS_YEAR)
    assert view.assessed == ["idl"] and view.stored and view.baik_min == 90.0
    actions = list(
        AuditEvent.objects.filter(object_type="pkpscheme")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"year": YEAR},
            "year",
            "Skema tahun yang sudah lewat tidak dapat diubah: penilaiannya tetap.",
        ),
        (
            {"cukup_min": "95"},
            "cukup_min",
            "Batas bawah cukup harus di atas 0 dan di bawah batas baik (paling tinggi 100).",
        ),
        (
            {"baik_min": "101"},
            "cukup_min",
            "Batas bawah cukup harus di atas 0 dan di bawah batas baik (paling tinggi 100).",
        ),
        ({"baik_min": "sembilan"}, "baik_min", "Isi angka persen, misalnya 91."),
        ({"cukup_min": None}, "cukup_min", "Isi angka persen, misalnya 91."),
        ({"weights": {"idl": 1, "nope": 2}}, "weights", "Indikator tidak dikenal: nope."),
        ({"weights": {"idl": 0}}, "weights", "Beri bobot pada paling sedikit satu indikator."),
        ({"weights": {"idl": 101}}, "w_idl", "Bobot harus 0 sampai 100."),
    ],
)
def test_a_bad_scheme_is_refused_with_its_message(district, changes, field, message):
    with pytest.raises(ValidationFailed) as refused:
        _save(district.dinkes, **changes)
    assert refused.value.fields == {field: [message]}
    assert not PkpScheme.objects.exists()
    assert not AuditEvent.objects.filter(object_type="pkpscheme").exists()


@pytest.mark.parametrize("persona", ["tpcb", "pkm_barat", "camat_barat", "kader_ampel_timur"])
def test_only_the_dinkes_sets_a_scheme(district, persona):
    with pytest.raises(PermissionDenied):
        _save(getattr(district, persona))
    assert not PkpScheme.objects.exists()


def test_the_scheme_page(district, client_for):
    client = client_for(district.dinkes)
    response = client.get(f"{URL}skema/")
    assert response.status_code == 200
    assert 'name="w_idl" value="1"' in response.content.decode()
    data = {"baik_min": "92", "cukup_min": "80", "w_idl": "2", "w_k4": "1"}
    response = client.post(f"{URL}skema/", data)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?year={THIS_YEAR}"
    assert PkpScheme.objects.get().baik_min == Decimal("92.00")
    response = client.post(f"{URL}skema/", {**data, "cukup_min": "93"})
    assert response.status_code == 422
    assert "Batas bawah cukup harus di atas 0 dan di bawah batas baik" in response.content.decode()
    # A past year's scheme is shown, frozen; a post to it is refused with the reason.
    response = client.post(f"{URL}skema/?year={YEAR}", data)
    assert response.status_code == 422
    assert "Skema tahun yang sudah lewat tidak dapat diubah" in response.content.decode()
    assert PkpScheme.objects.count() == 1
