"""Data quality frozen with the visit: the puskesmas' measures and ranked problems of the last
complete month before the visit, as codes and numbers, unchanged when later data arrive,
rendered in the reader's language; live (labelled) before the visit is done; a
recommendation's data-quality reason, validated and shown with the value frozen then.

The data: the D/S counts of desa Ampel (Puskesmas Barat) for February 2026, written straight
to ``IndicatorCount``: 3 of 10 children weighed, D/S 30.0 % (below the problem line of 60 %).
None of the puskesmas' 3 posyandu held a session in February: 0 of 3, 0.0 %."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.accounts.models import Role, User
from ilp.care.models import PosyanduSession
from ilp.core.exceptions import ValidationFailed
from ilp.evaluation import services
from ilp.evaluation.models import CoachingVisit
from ilp.monitoring.models import IndicatorCount

pytestmark = pytest.mark.django_db


def _ds(district, numerator: int, denominator: int) -> None:
    IndicatorCount.objects.update_or_create(
        indicator="ds",
        year=2026,
        month=2,
        area=district.ampel,
        sex="F",
        age_band="",
        disability="",
        defaults={"numerator": numerator, "denominator": denominator},
    )


def _measure(snapshot, code):
    return next(m for m in snapshot["quality"]["measures"] if m["code"] == code)


def test_quality_frozen_at_done_and_unchanged_by_later_data(district, visit):
    _ds(district, 3, 10)
    services.visit_mark_done(user=district.tpcb, visit=visit)
    visit.refresh_from_db()
    part = visit.snapshot["quality"]
    assert (part["year"], part["month"]) == (2026, 2)
    assert _measure(visit.snapshot, "weighed") == {
        "code": "weighed",
        "value": 30.0,
        "n": 3,
        "d": 10,
        "status": "problem",
    }
    assert _measure(visit.snapshot, "sessions") == {
        "code": "sessions",
        "value": 0.0,
        "n": 0,
        "d": 3,
        "status": "problem",
    }
    # Codes and parameters, no sentence: the puskesmas' own problems ranked among its
    # posyandu's (0 % sessions: 6.0 spans past the warning line; D/S 30 %: (80-30)/20 = 2.5).
    weighed = next(p for p in part["problems"] if p["code"] == "weighed")
    assert weighed == {
        "code": "weighed",
        "params": {"place": "Puskesmas Barat", "n": 3, "d": 10},
        "status": "problem",
        "place_code": "P5271010101",
        "place_name": "Puskesmas Barat",
        "value": 30.0,
        "severity": 2.5,
    }
    frozen = dict(visit.snapshot)

    # Later data: February's weighings entered late (9 of 10) and a session of one posyandu.
    _ds(district, 9, 10)
    PosyanduSession.objects.create(posyandu=district.pos_ampel_timur_f, date=date(2026, 2, 14))
    assert CoachingVisit.objects.get(pk=visit.pk).snapshot == frozen
    now = services.quality_snapshot(district.tpcb, district.pkm_barat_f, 2026, 2)
    assert (_measure({"quality": now}, "weighed")["value"], now["measures"][0]["n"]) == (90.0, 1)


def test_quality_month_is_the_last_complete_one():
    assert services.quality_month(date(2026, 3, 10)) == (2026, 2)
    assert services.quality_month(date(2026, 1, 31)) == (2025, 12)


def test_visit_page_shows_the_frozen_quality_in_the_readers_language(client, district, visit):
    _ds(district, 3, 10)
    services.visit_mark_done(user=district.tpcb, visit=visit)
    _ds(district, 9, 10)
    client.force_login(district.pkm_barat)
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert "Bulan 2/2026, bulan lengkap terakhir sebelum kunjungan." in page
    assert (
        '<td data-label="Pemeriksaan">Balita ditimbang (D/S)</td>\n'
        '    <td data-label="Nilai">30,0%</td>\n'
        '    <td data-label="Status">Masalah</td>'
    ) in page
    assert "Puskesmas Barat: D/S 30,0% (3 dari 10 balita) — <strong>Masalah</strong>" in page
    assert "Posyandu Melati: tidak ada sesi posyandu bulan ini" in page
    assert "Nilai langsung" not in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert "Children under five weighed (D/S)" in page
    assert "Puskesmas Barat: D/S 30.0% (3 of 10 children) — <strong>Problem</strong>" in page


def test_a_visit_done_before_quality_was_frozen(client, district, visit):
    CoachingVisit.objects.filter(pk=visit.pk).update(
        state="done", snapshot={"year": 2026, "month": 3, "rows": []}
    )
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert "Tidak ada potret mutu data untuk kunjungan ini." in page


# ---------------------------------------------------------------- live, before the visit is done

LIVE = {
    "tpcb": 200,
    "dinkes": 200,
    "pkm_barat": 200,
    "tpcb_other": 404,
    "pkm_timur": 404,
    "bidan_ampel": 403,
    "kader_ampel_timur": 403,
    "camat_barat": 403,
    "ppa": 403,
    "dpo": 403,
}


@pytest.fixture
def users(district, tpcb_other):
    found = {name: getattr(district, name, None) for name in LIVE}
    found["tpcb_other"] = tpcb_other
    found["pkm_timur"] = User.objects.create_user(
        username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
    )
    found["dpo"] = User.objects.create_user(
        username="dpo", role=Role.DATA_PROTECTION, area=district.city
    )
    return found


@pytest.mark.parametrize(("who", "status"), list(LIVE.items()))
def test_live_values_labelled_as_live(client, district, users, visit, who, status):
    _ds(district, 3, 10)
    client.force_login(users[who])
    response = client.get(f"/pembinaan/kunjungan/{visit.uuid}/langsung/")
    assert response.status_code == status
    if status == 200:
        part = response.content.decode()
        assert "<h1>" not in part
        assert "<strong>Nilai langsung, belum dibekukan</strong>" in part
        assert "indikator bulan 3/2026 dibaca sekarang" in part
        assert '<td data-label="Nilai">30,0%</td>' in part


def test_visit_page_loads_the_live_values_until_done(client, district, visit):
    client.force_login(district.tpcb)
    live = f'hx-get="/pembinaan/kunjungan/{visit.uuid}/langsung/"'
    assert live in client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    services.visit_mark_done(user=district.tpcb, visit=visit)
    assert live not in client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    response = client.get(f"/pembinaan/kunjungan/{visit.uuid}/langsung/")
    assert response.status_code == 409
    assert "Nilai langsung hanya untuk kunjungan yang direncanakan." in response.content.decode()


# ---------------------------------------------------------------- a data-quality reason


def _content(**kw):
    values = {"what": "Timbang ulang", "owner_role": "k2", "due_date": date(2026, 4, 30)}
    return services.RecommendationContent(**{**values, **kw})


def test_recommendation_names_a_quality_check(client, district, visit):
    with pytest.raises(ValidationFailed) as exc:
        services.recommendation_create(
            user=district.tpcb, visit=visit, content=_content(quality_check="nope")
        )
    assert exc.value.fields == {"quality_check": ["Pemeriksaan mutu data tidak dikenal."]}
    _ds(district, 3, 10)
    services.visit_mark_done(user=district.tpcb, visit=visit)
    rec = services.recommendation_create(
        user=district.tpcb, visit=visit, content=_content(quality_check="weighed")
    )
    assert (rec.quality_check, rec.indicator, rec.why) == ("weighed", "", "")
    client.force_login(district.pkm_barat)
    page = client.get("/pembinaan/puskesmas/").content.decode()
    assert "mutu data: Balita ditimbang (D/S) — saat kunjungan 30,0% (Masalah)" in page
    assert client.get("/api/v1/recommendations").json()[0]["quality_check"] == "weighed"


def test_quality_check_through_the_form(client, district, visit):
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert '<option value="no_nik">Penduduk tanpa NIK</option>' in page
    url = f"/pembinaan/kunjungan/{visit.uuid}/rekomendasi/"
    values = {"what": "Lengkapi NIK", "owner_role": "k1", "due_date": "2026-04-30"}
    response = client.post(url, {**values, "quality_check": "bogus"})
    assert response.status_code == 422
    response = client.post(url, values)
    assert "Sebutkan alasannya: indikator, masalah mutu data atau keterangan." in (
        response.content.decode()
    )
    assert client.post(url, {**values, "quality_check": "no_nik"}).status_code == 302


def test_a_visit_not_done_has_no_frozen_value_beside_the_reason(client, district, visit):
    services.recommendation_create(
        user=district.tpcb, visit=visit, content=_content(quality_check="weighed")
    )
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert "mutu data: Balita ditimbang (D/S)" in page
    assert "mutu data: Balita ditimbang (D/S) — saat kunjungan" not in page


def test_editing_keeps_the_quality_check(client, district, visit):
    rec = services.recommendation_create(
        user=district.tpcb, visit=visit, content=_content(quality_check="weighed")
    )
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/rekomendasi/{rec.uuid}/ubah/").content.decode()
    assert '<option value="weighed" selected>' in page
