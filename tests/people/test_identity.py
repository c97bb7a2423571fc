"""NIK and KK checks (DOMAIN.md §8.3; python-stdnum stdnum.id.nik)."""

from datetime import date

import pytest

from ilp.people.identity import check_kk_number, check_nik, compact_number, region_code_of


def test_well_formed_nik_matching_data_has_no_flags():
    check = check_nik("5271011203850001", sex="M", birth_date=date(1985, 3, 12), known_region=True)
    assert check.error is None
    assert check.flags == []
    assert check.nik == "5271011203850001"


def test_separators_are_stripped():
    assert compact_number("5271 0112.0385-0001") == "5271011203850001"
    assert check_nik("5271 0112 0385 0001").nik == "5271011203850001"


def test_woman_day_plus_40():
    check = check_nik("5271016107900002", sex="F", birth_date=date(1990, 7, 21))
    assert check.flags == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("527101120385001", "NIK harus terdiri dari 16 angka."),
        ("52710112038500012", "NIK harus terdiri dari 16 angka."),
        ("5271A11203850001", "NIK harus terdiri dari 16 angka."),
        ("5271011203850000", "Nomor urut NIK (4 angka terakhir) tidak boleh 0000."),
        ("5271013213850001", "NIK tidak valid"),  # month 13
        ("5271017203850001", "NIK tidak valid"),  # day 72 - 40 = 32
        ("9971011203850001", "NIK tidak valid"),  # province 99 does not exist
    ],
)
def test_malformed_nik_is_refused(raw, message):
    check = check_nik(raw)
    assert check.error is not None
    assert check.error.startswith(message)


def test_disagreements_are_flags_not_errors():
    check = check_nik("5271011203850001", sex="F", birth_date=date(1985, 3, 13), known_region=False)
    assert check.error is None
    assert check.flags == ["region_unknown", "sex_mismatch", "birth_date_mismatch"]


def test_region_code():
    assert region_code_of("5271011203850001") == "52.71.01"


def test_kk_number():
    assert check_kk_number("5271011203150001") == ("5271011203150001", None)
    assert check_kk_number("12345")[1] == "Nomor KK harus terdiri dari 16 angka."
