"""Dates from URLs and query strings: one parser, one plausible range, a 400 with a message
in the user's language for anything else, on every page that reads such a date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from ilp.core.dates import parse_date_param, plausible_range, query_date
from ilp.core.exceptions import BadParameter


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2025-03-10", date(2025, 3, 10)),
        ("10-03-2025", date(2025, 3, 10)),
        ("10/03/2025", date(2025, 3, 10)),
        (" 1900-01-01 ", date(1900, 1, 1)),
    ],
)
def test_the_spellings_users_and_links_use(raw, expected):
    assert parse_date_param(raw) == expected


def test_the_plausible_range_runs_from_1900_to_the_end_of_next_year():
    assert plausible_range(date(2026, 12, 3)) == (date(1900, 1, 1), date(2027, 12, 31))


@pytest.mark.parametrize("raw", ["kemarin", "2025-13-45", "31-02-2025", "", "1e99", "\x00"])
def test_what_is_no_date_is_refused_with_the_format(raw):
    with pytest.raises(BadParameter) as exc:
        parse_date_param(raw, name="on")
    assert exc.value.http_status == 400
    assert exc.value.fields["on"] == [str(exc.value.message)]
    assert "tidak valid; tulis sebagai HH-BB-TTTT" in str(exc.value.message)


@pytest.mark.parametrize("raw", ["01-01-0001", "0001-01-01", "31-12-9999", "1899-12-31"])
def test_a_date_outside_the_plausible_range_is_refused_with_the_range(raw):
    last = plausible_range()[1]
    with pytest.raises(BadParameter) as exc:
        parse_date_param(raw)
    assert str(exc.value.message) == (
        f"Tanggal “{raw}” di luar rentang yang masuk akal (1 Januari 1900 sampai "
        f"31 Desember {last.year})."
    )


def test_the_message_follows_the_users_language():
    with translation.override("en"), pytest.raises(BadParameter) as exc:
        parse_date_param("31-12-9999")
    assert str(exc.value.message).startswith("The date “31-12-9999” is outside the plausible range")


def test_a_caller_may_narrow_the_range():
    today = timezone.localdate()
    with pytest.raises(BadParameter):
        parse_date_param((today + timedelta(days=1)).isoformat(), latest=today)
    assert parse_date_param(today.isoformat(), latest=today) == today


def test_an_absent_or_empty_parameter_is_the_default():
    default = date(2025, 3, 10)
    assert query_date({}, "on", default=default) == default
    assert query_date({"on": "  "}, "on", default=default) == default
    assert query_date({"on": "11-03-2025"}, "on", default=default) == date(2025, 3, 11)


# ---------------------------------------------------------------- every page that reads one

BAD_DATES = ["01-01-0001", "31-12-9999", "0001-01-01", "9999-12-31", "kemarin"]


@pytest.fixture
def care_urls(settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"


def _filter_pages():
    return [
        "/layanan/kerja/POS-AT/",
        "/layanan/kerja/P5271010101/",
        "/layanan/kerja/POS-AT/excel/",
        "/layanan/kerja/POS-AT/khusus/",
        "/layanan/kerja/POS-AT/kohort/ibu/",
        "/layanan/kerja/POS-AT/kohort/bayi/",
        "/layanan/kerja/POS-AT/kohort/balita/",
        "/layanan/kerja/POS-AT/kohort/balita/excel/",
    ]


@pytest.mark.parametrize("raw", BAD_DATES)
def test_every_list_filter_answers_400_with_the_message(district, client_for, care_urls, raw):
    client = client_for(district.pkm_barat)
    for path in _filter_pages():
        response = client.get(path, {"on": raw})
        assert response.status_code == 400, (path, response.status_code)
        page = response.content.decode()
        assert f"Tanggal “{raw}”" in page, path


def test_a_session_dated_0001_in_the_url_answers_400(district, client_for, care_urls):
    client = client_for(district.kader_ampel_timur)
    person = district.rina.uuid
    for path, method in [
        ("/layanan/posyandu/POS-AT/sesi/0001-01-01/", "get"),
        ("/layanan/posyandu/POS-AT/sesi/9999-12-31/", "get"),
        ("/layanan/posyandu/POS-AT/sesi/0001-01-01/tutup/", "post"),
        (f"/layanan/posyandu/POS-AT/sesi/0001-01-01/{person}/", "post"),
        (f"/layanan/posyandu/POS-AT/sesi/0001-01-01/{person}/hadir/", "post"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 400, path
        assert "di luar rentang yang masuk akal" in response.content.decode()


@pytest.mark.parametrize(
    "raw, message",
    [
        ("01-01-0001", "Tanggal “01-01-0001” di luar rentang yang masuk akal"),
        ("1900-01-01", "Sesi hanya dapat dibuka untuk tanggal sejak"),
        ("kemarin", "Tanggal “kemarin” tidak valid"),
    ],
)
def test_a_session_is_not_opened_for_an_implausible_date(
    district, client_for, care_urls, raw, message
):
    from ilp.care.models import PosyanduSession

    client = client_for(district.kader_ampel_timur)
    response = client.post("/layanan/posyandu/POS-AT/sesi/", {"on": raw})
    assert response.status_code in (400, 422)
    assert message in response.content.decode()
    assert not PosyanduSession.objects.exists()


def test_a_session_five_years_back_is_the_oldest_that_opens(district, care_urls):
    from ilp.care.services import session_open
    from ilp.core.exceptions import ValidationFailed
    from ilp.standards.dates import years_before

    oldest = years_before(timezone.localdate(), 5)
    kader, posyandu = district.kader_ampel_timur, district.pos_ampel_timur_f
    assert session_open(actor=kader, posyandu=posyandu, on=oldest).date == oldest
    with pytest.raises(ValidationFailed) as exc:
        session_open(actor=kader, posyandu=posyandu, on=oldest - timedelta(days=1))
    assert list(exc.value.fields) == ["on"]
