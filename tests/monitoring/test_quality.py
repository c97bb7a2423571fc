"""Data quality (``ilp.monitoring.quality``): every measure of the scorecard worked by hand on a
small built month of the test district, the ranked problems, the records behind a problem
(scope, audit), the pages per role, bad input, both languages.

June of last year (a kept year). Puskesmas Barat (desa Ampel and Batu) has posyandu Melati
(POS-AT, dusun Ampel Timur), Mawar (POS-AB, Ampel Barat) and Kenanga (POS-BA, Batu Atas);
Puskesmas Timur has posyandu Anggrek (POS-CR). The month, built in ``month``:

- sessions: Melati twice (counts once), Kenanga once; Mawar and Anggrek none.
- child weighings at Melati on 10 June: Rina (13 months, 9.5 kg, 75.0 cm, entered the same
  day), Bayu (5 months, 30.0 kg — WAZ far above +5 —, 62.3 cm, entered 12 June), Citra
  (24 months, 11.0 kg, 85.5 cm, confirmed unusual, entered 20 July: 40 days late); an adult
  screening of Budi at Puskesmas Barat itself on 5 June, entered the same day.
- D/S counts (kept, indicator ds): Ampel Timur 3 of 4, Batu Atas 0 of 2, Cemara Raya 1 of 1.
- residents besides the fixture's: Bayu (no NIK), Citra (born on a 1st, with NIK) in Ampel
  Timur, and "Wayan Sudarmo" (no NIK) in Batu Atas, born the same day as Wayan Sudarma.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from ilp.accounts.models import AuditEvent
from ilp.care.models import Encounter, Observation, PosyanduSession
from ilp.core.exceptions import NotFound
from ilp.monitoring import quality
from ilp.monitoring.models import IndicatorCount
from ilp.people.models import Person
from ilp.standards import data_quality as dq
from tests.conftest import _person

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
PERIOD = f"{YEAR}-06"
WITA = ZoneInfo("Asia/Makassar")
BARAT, TIMUR = "P5271010101", "P5271020101"


def _at(month: int, day: int) -> datetime:
    return datetime(YEAR, month, day, 12, 0, tzinfo=WITA)


def _encounter(person, facility, day: date, entered: datetime, package="child"):
    e = Encounter.objects.create(
        person=person,
        date=day,
        place_kind="posyandu" if facility.kind == "posyandu" else "puskesmas",
        facility=facility,
        cluster="k2" if package == "child" else "k3",
        package=package,
    )
    Encounter.objects.filter(pk=e.pk).update(created_at=entered)  # auto_now_add otherwise
    return e


def _weigh(person, facility, day, entered, weight, height, *, flagged=False):
    e = _encounter(person, facility, day, entered)
    for code, value in (("weight", weight), ("height", height)):
        Observation.objects.create(
            encounter=e,
            person=person,
            date=day,
            code=code,
            value=value,
            unit="kg" if code == "weight" else "cm",
            flagged=flagged and code == "weight",
        )
    position = "lying" if (day - person.birth_date).days < 731 else "standing"
    Observation.objects.create(
        encounter=e, person=person, date=day, code="measured", value_text=position
    )
    return e


def _ds(*cells):
    """Kept D/S counts of June: (dusun, weighed, children) per cell."""
    IndicatorCount.objects.bulk_create(
        IndicatorCount(
            indicator="ds", year=YEAR, month=6, area=a, sex="F", numerator=n, denominator=d
        )
        for a, n, d in cells
    )


@pytest.fixture
def month(district):
    d = district
    for posyandu, days in ((d.pos_ampel_timur_f, (3, 17)), (d.pos_batu_f, (8,))):
        for day in days:
            PosyanduSession.objects.create(posyandu=posyandu, date=date(YEAR, 6, day))
    PosyanduSession.objects.create(posyandu=d.pos_ampel_barat_f, date=date(YEAR, 5, 30))
    d.bayu = _person("Bayu Pratama", "M", date(YEAR, 1, 10), d.rt_ampel_timur)
    d.citra = _person(
        "Citra Dewi", "F", date(YEAR - 2, 6, 1), d.rt_ampel_timur, nik="5271014106230006"
    )
    d.wayan2 = _person("Wayan Sudarmo", "M", date(2001, 9, 30), d.rt_batu)
    on = date(YEAR, 6, 10)
    d.e_rina = _weigh(d.rina, d.pos_ampel_timur_f, on, _at(6, 10), 9.5, 75.0)
    d.e_bayu = _weigh(d.bayu, d.pos_ampel_timur_f, on, _at(6, 12), 30.0, 62.3)
    d.e_citra = _weigh(d.citra, d.pos_ampel_timur_f, on, _at(7, 20), 11.0, 85.5, flagged=True)
    _encounter(d.budi, d.pkm_barat_f, date(YEAR, 6, 5), _at(6, 5), package="adult")
    _ds((d.ampel_timur, 3, 4), (d.batu_atas, 0, 2), (d.cemara_raya, 1, 1))
    return d


def values(row) -> dict[str, float | None]:
    return {m.code: m.value for m in row.cells}


def statuses(row) -> dict[str, str | None]:
    return {m.code: m.status for m in row.cells}


# ---------------------------------------------------------------- the measures, by hand


def test_puskesmas_rows_of_the_district(month):
    card = quality.scorecard(month.dinkes, area_code=month.city.code, year=YEAR, month=6)
    assert [r.code for r in card.rows] == [BARAT, TIMUR]
    barat, timur = card.rows
    first_day = round(100 * (1 / 8) / (12 / 365.25), 1)  # Citra, of 8 residents
    assert values(barat) == {
        "sessions": 66.7,  # Melati and Kenanga of 3 posyandu
        "weighed": 50.0,  # (3 + 0) of (4 + 2)
        "on_time": 75.0,  # 3 of 4 encounters within 7 days (Citra's 40 days late)
        "implausible": 33.3,  # Bayu of 3 weighings
        "confirmed_unusual": 33.3,  # Citra of 3
        "digits_weight": dq.digit_preference_score([2, 0, 0, 0, 0, 1, 0, 0, 0, 0]),
        "digits_height": dq.digit_preference_score([1, 0, 0, 1, 0, 1, 0, 0, 0, 0]),
        # ages in the year: Budi 40, Siti 35, the Wayans 24 (23–62); 40 and 35 heap:
        # 100 × 2 / (4 / 5) = 250
        "whipple": 250.0,
        "first_day": first_day,
        "no_nik": 37.5,  # Rina, Bayu, Wayan Sudarmo of 8
        "duplicates": 1.0,  # the two Wayans of Batu, born the same day
    }
    assert first_day == 380.5
    assert barat.measures["on_time"].median_days == 1.0  # lags 0, 0, 2, 40
    assert barat.measures["sessions"].n == 2 and barat.measures["sessions"].d == 3
    assert statuses(barat) == {
        "sessions": "problem",
        "weighed": "problem",
        "on_time": "warn",
        # fewer observations than a reading needs (20 weighings, 50 digits, 100 residents)
        "implausible": None,
        "confirmed_unusual": None,
        "digits_weight": None,
        "digits_height": None,
        "whipple": None,
        "first_day": None,
        "no_nik": "problem",
        "duplicates": "warn",
    }
    assert values(timur)["sessions"] == 0.0
    assert values(timur)["weighed"] == 100.0
    assert values(timur)["on_time"] is None  # no encounter
    assert values(timur)["no_nik"] == 0.0  # Dewi has one
    # The district row: every puskesmas together.
    assert values(card.top)["sessions"] == 50.0  # 2 of 4 posyandu
    assert values(card.top)["weighed"] == round(100 * 4 / 7, 1)


def test_posyandu_rows_of_a_puskesmas(month):
    card = quality.scorecard(month.pkm_barat, area_code=BARAT, year=YEAR, month=6)
    assert card.top.code == BARAT
    assert [r.code for r in card.rows] == ["POS-AB", "POS-AT", "POS-BA"]
    mawar, melati, kenanga = card.rows
    assert values(melati)["sessions"] == 100.0  # two sessions are one month's meeting
    assert values(mawar)["sessions"] == 0.0  # its session was on 30 May
    assert values(melati)["weighed"] == 75.0
    assert values(kenanga)["weighed"] == 0.0
    assert values(melati)["on_time"] == 66.7  # the puskesmas' own encounter is not its
    assert melati.measures["on_time"].median_days == 2.0
    assert values(melati)["implausible"] == 33.3
    assert values(mawar)["implausible"] is None  # no weighing
    assert values(melati)["no_nik"] == 40.0  # Rina and Bayu of 5
    assert values(kenanga)["no_nik"] == 50.0
    assert values(kenanga)["duplicates"] == 1.0
    assert values(melati)["duplicates"] == 0.0
    # The puskesmas row counts its own encounters too: 3 of 4 on time.
    assert values(card.top)["on_time"] == 75.0


def test_problems_ranked_worst_first(month):
    found = quality.problems(month.dinkes, area_code=month.city.code, year=YEAR, month=6)
    # Problems before warnings; within them by distance past the warning line:
    # Timur sessions 0 % (90/15 = 6.0), Barat no NIK 37.5 % ((37.5 − 5)/5 = 6.5),
    # Barat D/S 50 % ((80 − 50)/20 = 1.5), Barat sessions 66.7 % ((90 − 66.7)/15 = 1.55);
    # then the warnings: Barat on time 75 % ((90 − 75)/15 = 1.0), duplicates 1 ((1 − 0)/9).
    assert [(p.place_code, p.code, p.status) for p in found] == [
        (BARAT, "no_nik", "problem"),
        (TIMUR, "sessions", "problem"),
        (BARAT, "sessions", "problem"),
        (BARAT, "weighed", "problem"),
        (BARAT, "on_time", "warn"),
        (BARAT, "duplicates", "warn"),
    ]
    assert found[0].label == "Puskesmas Barat: 37,5% penduduk tanpa NIK (3 orang)"
    assert found[0].url == f"/pws/mutu-data/catatan/no_nik/?place={BARAT}&period={PERIOD}"
    # A puskesmas' D/S and sessions open its posyandu rows; limit cuts the list.
    assert found[3].url == f"/pws/mutu-data/?area={BARAT}&period={PERIOD}"
    assert (
        len(quality.problems(month.dinkes, area_code=month.city.code, year=YEAR, month=6, limit=2))
        == 2
    )


def test_problem_label_in_both_languages(month):
    found = quality.problems(month.pkm_barat, area_code=BARAT, year=YEAR, month=6)
    kenanga = next(p for p in found if p.place_code == "POS-BA" and p.code == "duplicates")
    assert kenanga.label == "Posyandu Kenanga: 1 pasangan calon data ganda menunggu diperiksa"
    with translation.override("en"):
        assert kenanga.label == "Posyandu Kenanga: 1 pair of duplicate candidates awaiting review"
    mawar = next(p for p in found if p.place_code == "POS-AB" and p.code == "sessions")
    assert mawar.label == "Posyandu Mawar: tidak ada sesi posyandu bulan ini"
    with translation.override("en"):
        assert mawar.label == "Posyandu Mawar: no posyandu session this month"
    melati_ds = next(p for p in found if p.place_code == "POS-AT" and p.code == "weighed")
    # A posyandu's D/S opens its work list of children not yet weighed.
    assert melati_ds.url == "/layanan/kerja/POS-AT/?kind=timbang"


# ---------------------------------------------------------------- pages and roles


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_scorecard_page_for_the_dinkes(month, client_for):
    response = client_for(month.dinkes).get("/pws/mutu-data/", {"period": PERIOD})
    assert response.status_code == 200
    text = text_of(response)
    assert "Mutu data" in text and "Kota Uji · " + PERIOD in text
    assert "Puskesmas Barat: 37,5% penduduk tanpa NIK (3 orang)" in text
    assert f'href="/pws/mutu-data/?area={BARAT}&amp;period={PERIOD}"' in response.content.decode()


def test_pws_index_links_the_scorecard(month, client_for):
    assert 'href="/pws/mutu-data/"' in client_for(month.tpcb).get("/pws/").content.decode()
    # not for a role that cannot open it
    assert (
        'href="/pws/mutu-data/"' not in client_for(month.camat_barat).get("/pws/").content.decode()
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dinkes", 200),
        ("tpcb", 200),
        ("pkm_barat", 200),  # its own working area (the default)
        ("bidan_ampel", 403),
        ("kader_ampel_timur", 403),
        ("camat_barat", 403),
        ("kades_ampel", 403),
        ("ppa", 403),
        ("norole", 403),
    ],
)
def test_who_opens_the_scorecard(month, client_for, persona, status):
    response = client_for(getattr(month, persona)).get("/pws/mutu-data/", {"period": PERIOD})
    assert response.status_code == status


def test_a_puskesmas_reads_only_its_own(month, client_for):
    client = client_for(month.pkm_barat)
    assert client.get("/pws/mutu-data/", {"area": TIMUR, "period": PERIOD}).status_code == 404
    assert (
        client.get("/pws/mutu-data/", {"area": month.city.code, "period": PERIOD}).status_code
        == 404
    )
    records = client.get("/pws/mutu-data/catatan/no_nik/", {"place": "POS-CR", "period": PERIOD})
    assert records.status_code == 404
    assert not AuditEvent.objects.filter(object_type="data_quality").exists()


def test_anonymous_is_sent_to_login(month, client):
    response = client.get("/pws/mutu-data/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"area": "99.99"}, 404, "Wilayah 99.99 tidak ada atau di luar wilayah Anda."),
        ({"period": "2026-13"}, 400, "Bulan harus 01 sampai 12."),
        ({"period": "juni"}, 400, "Periode harus berbentuk TTTT-BB, misalnya 2026-03."),
        ({"period": "1990-01"}, 400, "Nilai indikator tersimpan untuk tahun"),
        ({"area": "x" * 100}, 400, "Kode wilayah tidak dikenal."),
    ],
)
def test_bad_input_is_a_message_not_a_500(month, client_for, params, status, message):
    response = client_for(month.dinkes).get("/pws/mutu-data/", {"period": PERIOD, **params})
    assert response.status_code == status
    assert message in response.content.decode()


def test_unknown_measure_is_404(month, client_for):
    response = client_for(month.dinkes).get(
        "/pws/mutu-data/catatan/nothing/", {"place": BARAT, "period": PERIOD}
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- the records behind a problem


def test_records_list_the_persons_and_are_audited(month, client_for):
    response = client_for(month.dinkes).get(
        "/pws/mutu-data/catatan/no_nik/", {"place": "POS-AT", "period": PERIOD}
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "2 catatan." in text
    assert "Bayu Pratama" in text and "Rina Lestari" in text and "Budi" not in text
    event = AuditEvent.objects.get(object_type="data_quality")
    assert event.user == month.dinkes
    assert event.action == "view" and event.purpose == "reporting"
    assert sorted(event.person_ids) == sorted([month.rina.pk, month.bayu.pk])
    assert event.detail == {"measure": "no_nik", "place": "POS-AT", "period": PERIOD}


def test_implausible_weighings_show_their_z_scores(month, client_for):
    records = quality.quality_records(
        month.pkm_barat, "implausible", place="POS-AT", year=YEAR, month=6
    )
    assert records.total == 1
    (row,) = records.rows
    assert row[0][0] == "Bayu Pratama"
    assert row[2:4] == ["30,0", "62,3"]
    assert float(row[4].replace(",", ".")) > 5  # WAZ
    assert AuditEvent.objects.get(object_type="data_quality").person_ids == [month.bayu.pk]


def test_late_entries_and_duplicates(month):
    late = quality.quality_records(month.tpcb, "on_time", place=BARAT, year=YEAR, month=6)
    assert [(r[0][0], r[3]) for r in late.rows] == [("Citra Dewi", "40")]
    pairs = quality.quality_records(month.tpcb, "duplicates", place="POS-BA", year=YEAR, month=6)
    assert [(r[0][0], r[1][0]) for r in pairs.rows] == [("Wayan Sudarma", "Wayan Sudarmo")]


def test_aggregate_records_name_no_person(month):
    digits = quality.quality_records(
        month.dinkes, "digits_weight", place="POS-AT", year=YEAR, month=6
    )
    assert digits.aggregate
    assert digits.rows[0] == ["x,0", "2", "66,7%"]  # 30.0 and 11.0 of 3
    assert digits.rows[5] == ["x,5", "1", "33,3%"]
    sessions = quality.quality_records(month.dinkes, "sessions", place=BARAT, year=YEAR, month=6)
    assert sessions.rows == [
        ["Posyandu Mawar", "POS-AB", "tidak ada"],
        ["Posyandu Melati", "POS-AT", "ada"],
        ["Posyandu Kenanga", "POS-BA", "ada"],
    ]
    assert not AuditEvent.objects.filter(object_type="data_quality").exists()


@pytest.mark.parametrize(
    "persona", ["bidan_ampel", "kader_ampel_timur", "camat_barat", "kades_ampel", "ppa"]
)
def test_record_pages_refused_to_other_roles(month, client_for, persona):
    response = client_for(getattr(month, persona)).get(
        "/pws/mutu-data/catatan/no_nik/", {"place": "POS-AT", "period": PERIOD}
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(object_type="data_quality").exists()


def test_excel_has_every_row_and_measure(month, client_for):
    response = client_for(month.dinkes).get("/pws/mutu-data/excel/", {"period": PERIOD})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="mutu-data-{month.city.code}-{PERIOD}.xlsx"'
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(3, 3).value == "Posyandu buka"
    assert [ws.cell(r, 1).value for r in (4, 5, 6)] == [
        "Kota Uji",
        "Puskesmas Barat",
        "Puskesmas Timur",
    ]
    assert ws.cell(5, 3).value == 66.7 and ws.cell(5, 4).value == "Masalah"


def test_scorecard_query_count(month, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        quality.scorecard(month.dinkes, area_code=month.city.code, year=YEAR, month=6)


def test_voided_and_deceased_are_not_counted(month):
    Person.objects.filter(pk=month.wayan2.pk).update(voided_at=timezone.now())
    Person.objects.filter(pk=month.bayu.pk).update(deceased_on=date(YEAR, 6, 20))
    card = quality.scorecard(month.pkm_barat, area_code=BARAT, year=YEAR, month=6)
    assert values(card.top)["duplicates"] == 0.0
    assert values(card.top)["no_nik"] == round(100 * 1 / 6, 1)  # Rina of 6 living


def test_records_outside_the_readers_scope_are_counted_not_listed(month):
    # Dewi lives in Cemara (Puskesmas Timur) and was seen at Melati, entered 30 days late.
    _encounter(month.dewi, month.pos_ampel_timur_f, date(YEAR, 6, 10), _at(7, 10), "adult")
    records = quality.quality_records(
        month.pkm_barat, "on_time", place="POS-AT", year=YEAR, month=6
    )
    assert [r[0][0] for r in records.rows] == ["Citra Dewi"]
    assert (records.total, records.hidden) == (1, 1)
    assert AuditEvent.objects.get(object_type="data_quality").person_ids == [month.citra.pk]
    # The dinkes sees both.
    records = quality.quality_records(month.dinkes, "on_time", place="POS-AT", year=YEAR, month=6)
    assert [r[0][0] for r in records.rows] == ["Citra Dewi", "Dewi Kartika"]


def test_a_pustu_or_unknown_place_has_no_records(month):
    for place in ("PUSTU-AMPEL", "NOPE", "RS-UJI"):
        with pytest.raises(NotFound):
            quality.quality_records(month.dinkes, "no_nik", place=place, year=YEAR, month=6)


def test_each_measure_of_a_row_links_its_records(month, client_for):
    html = client_for(month.pkm_barat).get("/pws/mutu-data/", {"period": PERIOD}).content.decode()
    assert f'href="/pws/mutu-data/catatan/implausible/?place=POS-AT&amp;period={PERIOD}"' in html
    assert 'href="/layanan/kerja/POS-BA/?kind=timbang"' in html


def test_records_page_says_what_it_lists_in_both_languages(month, client_for):
    client = client_for(month.tpcb)
    params = {"place": BARAT, "period": PERIOD}
    text = text_of(client.get("/pws/mutu-data/catatan/on_time/", params))
    assert "Kunjungan yang dicatat lebih dari 7 hari setelah layanan" in text
    assert "Citra Dewi" in text and "1 catatan." in text
    client.cookies["django_language"] = "en"
    text = text_of(client.get("/pws/mutu-data/catatan/on_time/", params))
    assert "Visits entered more than 7 days after the service" in text
    assert "1 record." in text


def test_a_same_day_birth_with_another_name_is_no_candidate(month):
    # Born the same day in Batu as both Wayans, a different name: still one pair.
    _person("Ketut Ayu Lestari", "F", date(2001, 9, 30), month.rt_batu)
    pairs = quality.duplicate_pairs([month.batu.pk, month.ampel.pk])
    assert [(a["id"], b["id"]) for a, b in pairs] == [(month.wayan.pk, month.wayan2.pk)]
    assert pairs[0][0]["birth_date"] == date(2001, 9, 30)


def test_the_home_page_loads_the_worst_problems_of_last_month(month, client_for, monkeypatch):
    """The puskesmas home leads to its data-quality problems of the last complete month
    (loaded by htmx after the page): in July, June's five worst, as the scorecard ranks them."""
    year = int(PERIOD[:4])
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(year, 7, 15))
    client = client_for(month.pkm_barat)
    home = client.get("/").content.decode()
    assert 'hx-get="/pws/mutu-data/beranda/"' in home
    assert 'href="/pws/mutu-data/"' in home  # without script: the scorecard
    text = text_of(client.get("/pws/mutu-data/beranda/"))
    assert text.startswith(f"Masalah mutu data, bulan {PERIOD}")
    card = quality.scorecard(
        month.pkm_barat, area_code=month.pkm_barat.facility.code, year=year, month=6
    )
    worst = quality.problems_of(card, 5)
    assert len(worst) == 5
    assert text.index(worst[0].label) < text.index(worst[4].label)
    assert all(p.label in text for p in worst)
    assert quality.problems_of(card, 6)[5].label not in text
    assert text.endswith("Kartu mutu data lengkap")


@pytest.mark.parametrize("persona", ["camat_barat", "kader_ampel_timur", "bidan_ampel", "ppa"])
def test_the_home_problems_are_refused_to_other_roles(month, client_for, persona):
    client = client_for(getattr(month, persona))
    assert "/pws/mutu-data/beranda/" not in client.get("/").content.decode()
    assert client.get("/pws/mutu-data/beranda/").status_code == 403
