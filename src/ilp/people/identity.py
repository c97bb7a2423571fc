"""NIK and KK number checks.

NIK layout (Dukcapil; python-stdnum `stdnum.id.nik`): PPRRSS DDMMYY XXXX — region of first
registration, birth date with 40 added to the day for women, serial from 0001. There is no
check digit. Real NIKs often disagree with the recorded birth date or sex (and SATUSEHAT
sandbox NIKs never match), so disagreements are *flags* stored with the person, never a
reason to refuse the record (DOMAIN.md §8.3). Only a malformed NIK is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass
class NikCheck:
    """Outcome of checking a NIK: the compact number, a refusal message or warning flags."""

    nik: str
    error: str | None = None
    flags: list[str] = field(default_factory=list)


def compact_number(raw: str) -> str:
    """Strip the spaces, dots and dashes people type inside NIK and KK numbers."""
    return _SEPARATORS.sub("", raw or "")


def mask_nik(nik: str) -> str:
    """A NIK as shown to those who need to match a person but not to copy the number (a
    hospital reading a referral): its last four digits only; "" for none."""
    nik = compact_number(nik)
    if not nik:
        return ""
    return "•" * max(len(nik) - 4, 0) + nik[-4:]


def check_nik(
    raw: str,
    *,
    sex: str | None = None,
    birth_date: date | None = None,
    known_region: bool | None = None,
) -> NikCheck:
    """Validate a NIK's form and compare its date part with `sex` and `birth_date`.

    `known_region` tells whether the 6-digit region code exists in the places table (the
    caller looks it up); False adds the ``region_unknown`` flag.
    """
    nik = compact_number(raw)
    if not nik.isdigit() or len(nik) != 16:
        return NikCheck(nik, error=str(_("NIK harus terdiri dari 16 angka.")))
    if nik[12:] == "0000":
        return NikCheck(nik, error=str(_("Nomor urut NIK (4 angka terakhir) tidak boleh 0000.")))
    try:
        stdnum_nik.validate(nik)
    except StdnumError:
        return NikCheck(
            nik,
            error=str(
                _(
                    "NIK tidak valid: kode provinsi/kabupaten atau tanggal lahir di dalamnya "
                    "tidak mungkin."
                )
            ),
        )
    flags: list[str] = []
    if known_region is False:
        flags.append("region_unknown")
    day_field = int(nik[6:8])
    encoded_female = day_field > 40
    if sex in ("M", "F") and encoded_female != (sex == "F"):
        flags.append("sex_mismatch")
    if birth_date is not None:
        day = day_field % 40
        month = int(nik[8:10])
        yy = int(nik[10:12])
        if (day, month, yy) != (birth_date.day, birth_date.month, birth_date.year % 100):
            flags.append("birth_date_mismatch")
    return NikCheck(nik, flags=flags)


def region_code_of(nik: str) -> str:
    """The dotted kecamatan code of a NIK's first six digits (``527101`` → ``52.71.01``)."""
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def check_kk_number(raw: str) -> tuple[str, str | None]:
    """Return the compact KK number and an error message, or None when well-formed."""
    kk = compact_number(raw)
    if not kk.isdigit() or len(kk) != 16:
        return kk, str(_("Nomor KK harus terdiri dari 16 angka."))
    if kk[:2] == "00":
        return kk, str(_("Nomor KK tidak valid: kode wilayah tidak mungkin."))
    return kk, None
