"""No input may produce a 500: every page and endpoint, as every persona, with good and bad
path values, query strings and form bodies, answers with a page or a clear error."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

PERSONAS = [
    None,
    "dinkes",
    "tpcb",
    "pkm_barat",
    "bidan_ampel",
    "kader_ampel_timur",
    "kader_cemara",
    "ppa",
    "camat_barat",
    "norole",
]

GARBAGE = {
    "q": "x" * 5000,
    "on": "2025-13-45",
    "date": "31-02-2025",
    "tanggal": "kemarin",
    "cluster": "k9",
    "kinds": "'; DROP TABLE people_person; --",
    "level": "abc",
    "parent": "\x00",
    "limit": "-1",
    "offset": "1e99",
    "kind": "rumah",
    "field": "nik",
    "nik": "12ab",
}
# Dates far outside any plausible range, in every filter and in the URL (they used to reach
# date arithmetic and answer 500).
FAR_DATES = ["01-01-0001", "31-12-9999"]


def _paths(d) -> list[str]:
    person = d.rina.uuid
    adult = d.budi.uuid
    family = d.family_ampel.uuid
    unknown = uuid.UUID(int=7)
    pos = d.pos_ampel_timur_f.code
    paths = [
        "/",
        "/masuk/",
        "/penduduk/cari/",
        "/penduduk/periksa/",
        "/keluarga/baru/",
        "/keluarga/wilayah/",
        f"/penduduk/{person}/",
        f"/penduduk/{unknown}/",
        f"/penduduk/{adult}/kehamilan/",
        f"/penduduk/{d.siti.uuid}/kehamilan/",
        f"/keluarga/{family}/",
        f"/keluarga/{unknown}/",
        f"/keluarga/{family}/anggota/",
        f"/layanan/orang/{person}/",
        f"/layanan/orang/{unknown}/",
        f"/layanan/orang/{person}/grafik/wfa.svg",
        f"/layanan/orang/{person}/grafik/zzz.svg",
        f"/layanan/posyandu/{pos}/",
        "/layanan/posyandu/NOPE/",
        f"/layanan/posyandu/{pos}/sesi/",
        f"/layanan/posyandu/{pos}/sesi/2025-03-10/",
        f"/layanan/posyandu/{pos}/sesi/not-a-date/",
        f"/layanan/posyandu/{pos}/sesi/0001-01-01/",
        f"/layanan/posyandu/{pos}/sesi/9999-12-31/",
        f"/layanan/posyandu/{pos}/sesi/0001-01-01/tutup/",
        f"/layanan/posyandu/{pos}/sesi/0001-01-01/{person}/",
        f"/layanan/posyandu/{pos}/sesi/2025-03-10/tutup/",
        f"/layanan/posyandu/{pos}/sesi/2025-03-10/{person}/",
        f"/layanan/posyandu/{pos}/sesi/2025-03-10/{person}/hadir/",
        "/layanan/kerja/",
        f"/layanan/kerja/{pos}/",
        "/layanan/kerja/NOPE/",
        f"/layanan/kerja/{pos}/excel/",
        f"/layanan/kerja/{pos}/khusus/",
        f"/layanan/kerja/{pos}/kohort/ibu/",
        f"/layanan/kerja/{pos}/kohort/zzz/",
        f"/layanan/kerja/{pos}/kohort/balita/excel/",
        "/masuk/kode/",
        "/akun/",
        "/akun/kata-sandi/",
        "/akun/dua-langkah/",
        "/akun/pengguna/",
        "/akun/pengguna/bidan_ampel/",
        "/akun/pengguna/nobody/",
        "/akun/pengguna/bidan_ampel/token/",
        "/akun/pengguna/bidan_ampel/dua-langkah/",
        "/akun/pengguna/bidan_ampel/kata-sandi/",
        f"/akun/token/{unknown}/cabut/",
        "/api/v1/places/areas",
        "/api/v1/places/areas/99.99",
        "/api/v1/places/facilities",
        "/api/v1/persons",
        f"/api/v1/persons/{person}",
        "/api/v1/persons/not-a-uuid",
        f"/api/v1/persons/{adult}/pregnancies",
        "/api/v1/families",
        f"/api/v1/families/{family}",
    ]
    for package in ("anc", "child", "immunization", "adult", "elderly", "zzz"):
        paths.append(f"/layanan/orang/{person}/{package}/")
        paths.append(f"/layanan/orang/{person}/{package}/nilai/")
    return paths


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_answers_500(district, persona):
    client = Client(raise_request_exception=True)
    if persona:
        client.force_login(getattr(district, persona))
    for path in _paths(district):
        for response in (
            client.get(path),
            client.get(path, GARBAGE),
            client.post(path, GARBAGE),
            client.post(path, data=b"{not json", content_type="application/json"),
            client.post(path, data={"weight": "-1", "height": "abc", "birth_date": "1-1-1"}),
            *(client.get(path, {"on": day}) for day in FAR_DATES),
            client.post(path, {"on": FAR_DATES[0]}),  # opening a session dated 0001
            client.generic("POST", path, b"--x\r\n", content_type="multipart/form-data; boundary="),
        ):
            assert response.status_code < 500, (persona, path, response.status_code)
