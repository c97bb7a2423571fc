"""Targets: the sasaran proyeksi upload (saved exactly; every bad file refused with its row
and column, nothing saved; a re-upload supersedes and keeps history), the puskesmas' annual
target changing the PWS status, the projected denominator in the values API, and who may do
what."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.monitoring import targets
from ilp.monitoring.models import ProjectedSasaran, PuskesmasTarget, SasaranUpload
from ilp.monitoring.services import indicators_rebuild

pytestmark = pytest.mark.django_db

COLUMNS = list(targets.COLUMNS)
KINDS = COLUMNS[2:]  # ibu_hamil … dm, 11 kinds: columns C … M


def sheet(*rows, header=None) -> bytes:
    book = Workbook()
    ws = book.worksheets[0]
    ws.append(COLUMNS if header is None else header)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def broken_zip() -> bytes:
    """A zip whose parts are not a workbook (malformed XML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<broken")
    return out.getvalue()


def row(code, name, *counts):
    counts = counts or tuple(range(1, len(KINDS) + 1))
    return (code, name, *counts)


def good(district) -> bytes:
    return sheet(
        row(district.ampel.code, "Ampel"),
        row(district.batu.code, "Batu", *([0] * 10), 7),
        row(district.cemara.code, "Cemara", *([12] * 11)),
    )


def saved(upload) -> dict:
    return {(r.area.code, r.kind): r.count for r in upload.rows.select_related("area").all()}


def errors_of(district, data) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        targets.sasaran_upload(user=district.dinkes, year=2026, data=data)
    assert SasaranUpload.objects.count() == 0
    assert ProjectedSasaran.objects.count() == 0
    return caught.value.fields["file"]


def test_a_good_sheet_is_saved_exactly(district):
    upload = targets.sasaran_upload(
        user=district.dinkes, year=2026, data=good(district), file_name="s.xlsx"
    )
    expected = {(district.ampel.code, k): i for i, k in enumerate(KINDS, 1)}
    expected |= {(district.batu.code, k): 0 for k in KINDS[:-1]}
    expected[(district.batu.code, "dm")] = 7
    expected |= {(district.cemara.code, k): 12 for k in KINDS}
    assert saved(upload) == expected
    assert (upload.year, upload.district, upload.uploaded_by, upload.superseded_at) == (
        2026,
        district.city,
        district.dinkes,
        None,
    )


def test_numbers_as_text_and_whole_floats_are_read(district):
    data = sheet(row(district.ampel.code, "Ampel", "5", 3.0, *([0] * 9)))
    upload = targets.sasaran_upload(user=district.dinkes, year=2026, data=data)
    assert saved(upload)[(district.ampel.code, "ibu_hamil")] == 5
    assert saved(upload)[(district.ampel.code, "ibu_bersalin")] == 3


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("empty", ["Berkas kosong."]),
        ("not_xlsx", ["Berkas bukan lembar kerja Excel (.xlsx)."]),
        ("broken_zip", ["Berkas bukan lembar kerja Excel (.xlsx)."]),
        ("header_only", ["Berkas tidak berisi baris desa."]),
        ("blank_sheet", ["Berkas kosong."]),
        (
            "missing_column",
            [
                "Baris 1: kolom dm tidak ada (kolom yang diharapkan: kode_desa, nama_desa, "
                "ibu_hamil, ibu_bersalin, lahir_hidup, bayi, baduta, balita, "
                "usia_pendidikan_dasar, usia_produktif, lansia, hipertensi, dm)."
            ],
        ),
        ("unknown_column", ["Baris 1, kolom N: kolom remaja tidak dikenal."]),
        (
            "unknown_desa",
            [
                "Baris 2, kolom A (kode_desa): desa 52.71.09.9999 tidak dikenal atau di luar "
                "kabupaten/kota Anda."
            ],
        ),
        (
            "other_district",
            [
                "Baris 2, kolom A (kode_desa): desa 52.72.01.1001 tidak dikenal atau di luar "
                "kabupaten/kota Anda."
            ],
        ),
        ("duplicate", ["Baris 3, kolom A (kode_desa): desa 52.71.01.1001 sudah ada di baris 2."]),
        (
            "negative",
            ["Baris 2, kolom C (ibu_hamil): negatif; sasaran tidak boleh kurang dari 0."],
        ),
        ("fraction", ["Baris 2, kolom D (ibu_bersalin): bukan bilangan bulat."]),
        ("text", ["Baris 2, kolom H (balita): bukan angka."]),
        ("blank_cell", ["Baris 2, kolom M (dm): kosong; isi 0 bila tidak ada sasaran."]),
        ("formula", ["Baris 2, kolom C (ibu_hamil): berisi rumus; isi angkanya saja."]),
        ("no_code", ["Baris 4, kolom A (kode_desa): kode desa kosong."]),
        ("date", ["Baris 2, kolom C (ibu_hamil): bukan angka."]),
        ("true", ["Baris 2, kolom C (ibu_hamil): bukan angka."]),
        (
            "several",
            [
                "Baris 2, kolom C (ibu_hamil): negatif; sasaran tidak boleh kurang dari 0.",
                "Baris 3, kolom A (kode_desa): kode desa kosong.",
                "Baris 3, kolom H (balita): bukan angka.",
            ],
        ),
    ],
)
def test_a_bad_file_is_refused_with_row_and_column_and_nothing_saved(district, case, expected):
    ampel = district.ampel.code
    zeros = [0] * 11
    data = {
        "empty": b"",
        "not_xlsx": b"kode_desa,nama_desa\n52.71.01.1001,Ampel\n",
        "broken_zip": broken_zip(),
        "header_only": sheet(),
        "blank_sheet": sheet(header=[]),
        "missing_column": sheet(row(ampel, "Ampel"), header=COLUMNS[:-1]),
        "unknown_column": sheet(row(ampel, "Ampel", *zeros, 1), header=[*COLUMNS, "remaja"]),
        "unknown_desa": sheet(row("52.71.09.9999", "X")),
        "other_district": sheet(row("52.72.01.1001", "X")),
        "duplicate": sheet(row(ampel, "Ampel"), row(ampel, "Ampel lagi")),
        "negative": sheet(row(ampel, "Ampel", -1, *zeros[1:])),
        "fraction": sheet(row(ampel, "Ampel", 1, 2.5, *zeros[2:])),
        "text": sheet(row(ampel, "Ampel", *zeros[:5], "banyak", *zeros[6:])),
        "blank_cell": sheet(row(ampel, "Ampel", *zeros[:10], None)),
        "formula": sheet(row(ampel, "Ampel", "=1+1", *zeros[1:])),
        # A blank row 3 is skipped and row 4 keeps its number.
        "no_code": sheet(row(ampel, "Ampel"), (None,), row(None, "?", *zeros)),
        "date": sheet(row(ampel, "Ampel", date(2026, 1, 1), *zeros[1:])),
        "true": sheet(row(ampel, "Ampel", True, *zeros[1:])),
        "several": sheet(
            row(ampel, "Ampel", -1, *zeros[1:]), row("", "?", *zeros[:5], "x", *zeros[6:])
        ),
    }[case]
    assert errors_of(district, data) == expected


def test_the_message_of_one_error_names_it_and_is_translated(district):
    from django.utils import translation

    data = sheet(row(district.ampel.code, "Ampel", -1, *([0] * 10)))
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        targets.sasaran_upload(user=district.dinkes, year=2026, data=data)
    assert str(caught.value.message) == (
        "File not saved: Row 2, column C (ibu_hamil): negative; a target cannot be below 0."
    )


def test_a_bad_file_loses_nothing_already_saved(district):
    first = targets.sasaran_upload(user=district.dinkes, year=2026, data=good(district))
    with pytest.raises(ValidationFailed):
        targets.sasaran_upload(
            user=district.dinkes, year=2026, data=sheet(row("52.71.09.9999", "X"))
        )
    first.refresh_from_db()
    assert first.superseded_at is None
    assert ProjectedSasaran.objects.count() == 33


def test_a_reupload_replaces_the_year_and_keeps_the_previous_as_history(district):
    first = targets.sasaran_upload(user=district.dinkes, year=2026, data=good(district))
    other_year = targets.sasaran_upload(user=district.dinkes, year=2025, data=good(district))
    second = targets.sasaran_upload(
        user=district.dinkes, year=2026, data=sheet(row(district.batu.code, "Batu", *([3] * 11)))
    )
    first.refresh_from_db()
    other_year.refresh_from_db()
    assert first.superseded_at == second.uploaded_at
    assert other_year.superseded_at is None and second.superseded_at is None
    assert len(saved(first)) == 33  # history kept, never deleted
    current = ProjectedSasaran.objects.filter(
        targets.projected_q(2026, (district.city.code,))
    ).values_list("area__code", "kind", "count")
    assert sorted(current) == sorted((district.batu.code, k, 3) for k in KINDS)


@pytest.mark.parametrize("persona", ["tpcb", "pkm_barat", "kader_ampel_timur", "camat_barat"])
def test_only_the_dinkes_administrator_uploads(district, persona):
    with pytest.raises(PermissionDenied):
        targets.sasaran_upload(user=getattr(district, persona), year=2026, data=good(district))
    assert SasaranUpload.objects.count() == 0


# ---------------------------------------------------------------- pages


def test_the_upload_page_saves_a_good_sheet_and_lists_it(district, client_for):
    client = client_for(district.dinkes)
    upload = SimpleUploadedFile("sasaran.xlsx", good(district))
    response = client.post("/monitoring/sasaran-proyeksi/", {"year": 2026, "file": upload})
    assert response.status_code == 302
    page = client.get("/monitoring/sasaran-proyeksi/")
    assert "Sasaran proyeksi 2026 disimpan untuk 3 desa/kelurahan." in page.content.decode()
    assert "sasaran.xlsx" in page.content.decode()


def test_the_upload_page_shows_every_error(district, client_for):
    client = client_for(district.dinkes)
    bad = sheet(row(district.ampel.code, "A", -1, *([0] * 10)), row("x", "B"))
    response = client.post(
        "/monitoring/sasaran-proyeksi/",
        {"year": 2026, "file": SimpleUploadedFile("s.xlsx", bad)},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Berkas tidak disimpan: 2 kesalahan." in text
    assert "Baris 3, kolom A (kode_desa): desa x tidak dikenal" in text
    assert SasaranUpload.objects.count() == 0


def test_the_template_lists_the_columns_and_the_districts_desa(district, client_for):
    from openpyxl import load_workbook

    response = client_for(district.dinkes).get("/monitoring/sasaran-proyeksi/template.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0] == COLUMNS
    assert [r[:2] for r in values[1:]] == [
        [district.ampel.code, "Ampel"],
        [district.batu.code, "Batu"],
        [district.cemara.code, "Cemara"],
    ]


@pytest.mark.parametrize("persona", ["tpcb", "kader_ampel_timur", "camat_barat", "pkm_barat"])
def test_other_roles_cannot_open_the_upload_page(district, client_for, persona):
    client = client_for(getattr(district, persona))
    assert client.get("/monitoring/sasaran-proyeksi/").status_code == 403
    assert client.get("/monitoring/sasaran-proyeksi/template.xlsx").status_code == 403


@pytest.mark.parametrize("persona", ["tpcb", "kader_ampel_timur", "camat_barat", "bidan_ampel"])
def test_other_roles_cannot_set_puskesmas_targets(district, client_for, persona):
    assert (
        client_for(getattr(district, persona)).get("/monitoring/target-puskesmas/").status_code
        == 403
    )


def test_a_puskesmas_sets_its_own_target_only(district, client_for):
    client = client_for(district.pkm_barat)
    form = {"year": 2026, "indicator": "ptm_15", "target": "45.5"}
    response = client.post(
        "/monitoring/target-puskesmas/", {**form, "puskesmas": district.pkm_timur_f.pk}
    )
    assert response.status_code == 422
    response = client.post(
        "/monitoring/target-puskesmas/", {**form, "puskesmas": district.pkm_barat_f.pk}
    )
    assert response.status_code == 302
    target = PuskesmasTarget.objects.get()
    assert (target.facility, target.target, target.set_by) == (
        district.pkm_barat_f,
        Decimal("45.5"),
        district.pkm_barat,
    )
    event = AuditEvent.objects.get(object_type="puskesmas_target")
    assert (event.user, event.action, event.detail) == (
        district.pkm_barat,
        "create",
        {
            "facility": district.pkm_barat_f.code,
            "year": 2026,
            "indicator": "ptm_15",
            "before": None,
            "after": "45.5",
        },
    )
    with pytest.raises(PermissionDenied):
        targets.set_puskesmas_target(
            user=district.pkm_barat,
            facility=district.pkm_timur_f,
            year=2026,
            indicator="ptm_15",
            target=Decimal(50),
        )


@pytest.mark.parametrize("value", ["-1", "100.1", "abc"])
def test_a_target_outside_0_to_100_is_refused(district, client_for, value):
    response = client_for(district.dinkes).post(
        "/monitoring/target-puskesmas/",
        {
            "puskesmas": district.pkm_barat_f.pk,
            "year": 2026,
            "indicator": "ptm_15",
            "target": value,
        },
    )
    assert response.status_code == 422
    assert PuskesmasTarget.objects.count() == 0


# ---------------------------------------------------------------- values


def values(client, area, code="ptm_15"):
    period = timezone.localdate().strftime("%Y-%m")
    response = client.get(f"/api/v1/indicators/{code}/values", {"area": area, "period": period})
    assert response.status_code == 200, response.content
    return {r["area"]: r for r in response.json()}


def test_the_puskesmas_target_changes_the_target_line_and_status(district, client_for):
    """PTM 15+ this year: nobody screened, so every value is 0.0: below the national line
    (100 % × month/12 > 0). With Puskesmas Barat's target 0 its working area and desa are at
    the line (above); Cemara (Puskesmas Timur) and the kecamatan keep the national one."""
    indicators_rebuild()
    month = timezone.localdate().month
    client = client_for(district.dinkes)
    national = round(100 * month / 12, 1)
    before = values(client, district.kec_barat.code)
    assert {c: (r["target"], r["status"][:5]) for c, r in before.items()} == {
        district.kec_barat.code: (national, "below"),
        district.ampel.code: (national, "below"),
        district.batu.code: (national, "below"),
    }
    targets.set_puskesmas_target(
        user=district.dinkes,
        facility=district.pkm_barat_f,
        year=timezone.localdate().year,
        indicator="ptm_15",
        target=Decimal(0),
    )
    after = values(client, district.kec_barat.code)
    assert {c: (r["target"], r["status"][:5]) for c, r in after.items()} == {
        district.kec_barat.code: (national, "below"),
        district.ampel.code: (0.0, "above"),
        district.batu.code: (0.0, "above"),
    }
    hamlets = values(client, district.ampel.code)
    assert hamlets[district.ampel_timur.code]["target"] == 0.0
    working_area = values(client, district.pkm_barat_f.code)
    assert working_area[district.pkm_barat_f.code]["target"] == 0.0
    timur = values(client, district.kec_timur.code)
    assert timur[district.cemara.code]["target"] == national


def test_values_carry_the_projected_denominator(district, client_for):
    """PTM 15+: projected = usia_produktif + lansia (columns J and K: 8 + 9 = 17 in Ampel,
    0 + 0 in Batu, 12 + 12 in Cemara); the registry's 15+ residents beside it."""
    indicators_rebuild()
    year = timezone.localdate().year
    targets.sasaran_upload(user=district.dinkes, year=year, data=good(district))
    client = client_for(district.dinkes)
    city = values(client, district.city.code)
    assert {c: (r["denominator"], r["denominator_projected"]) for c, r in city.items()} == {
        district.city.code: (5, 41),
        district.kec_barat.code: (4, 17),
        district.kec_timur.code: (1, 24),
    }
    assert city[district.kec_barat.code]["value_projected"] == 0.0
    desa = values(client, district.ampel.code)
    assert desa[district.ampel.code]["denominator_projected"] == 17
    assert desa[district.ampel_timur.code]["denominator_projected"] is None


def test_value_projected_is_hidden_with_a_suppressed_numerator(district, client_for):
    """Camat Barat reads PTM 15+: Batu's one screened resident is a count below 5, so its
    numerator is hidden and so is the value over the projected denominator (numerator =
    value × projected would give it back); the projected denominator itself is public."""
    from tests.care import encounter

    today = timezone.localdate()
    encounter(district.wayan, today, district.pkm_barat_f, "adult", cluster="k3")
    indicators_rebuild()
    data = sheet(row(district.ampel.code, "Ampel"), row(district.batu.code, "Batu", *[12] * 11))
    targets.sasaran_upload(user=district.dinkes, year=today.year, data=data)
    batu = values(client_for(district.camat_barat), district.kec_barat.code)[district.batu.code]
    assert (batu["numerator"], batu["suppressed"]) == (None, True)
    assert (batu["denominator_projected"], batu["value_projected"]) == (24, None)
    shown = values(client_for(district.dinkes), district.kec_barat.code)[district.batu.code]
    assert (shown["numerator"], shown["value_projected"]) == (1, 4.2)
    ampel = values(client_for(district.dinkes), district.ampel.code)[district.ampel.code]
    assert (ampel["numerator"], ampel["denominator_projected"], ampel["value_projected"]) == (
        0,
        17,
        0.0,
    )


def test_home_pages_lead_to_the_target_pages(district, client_for):
    from django.urls import reverse

    sasaran, targets = reverse("sasaran_proyeksi"), reverse("puskesmas_targets")
    dinkes = client_for(district.dinkes).get("/").content.decode()
    assert sasaran in dinkes and targets in dinkes
    puskesmas = client_for(district.pkm_barat).get("/").content.decode()
    assert targets in puskesmas and sasaran not in puskesmas
    tpcb = client_for(district.tpcb).get("/").content.decode()
    assert sasaran not in tpcb and targets not in tpcb


def test_the_pws_page_shows_sasaran_proyeksi_beside_sasaran_riil(district, client_for):
    """PTM 15+ for kecamatan Barat this month, nobody screened: Ampel's sasaran riil 3 (budi,
    siti, ahmad), sasaran proyeksi 17 (8 + 9); Batu's riil 1 (wayan), proyeksi 0 + 0 = 0
    (no value over 0). The dinkes reads both; the Excel has them as numbers."""
    from tests.monitoring.test_pws_pages import row as page_row

    indicators_rebuild()
    today = timezone.localdate()
    targets.sasaran_upload(user=district.dinkes, year=today.year, data=good(district))
    client = client_for(district.dinkes)
    period = today.strftime("%Y-%m")
    params = {"area": district.kec_barat.code, "period": period}
    response = client.get("/pws/ptm_15/", params)
    assert response.status_code == 200
    assert page_row(response, district.ampel.code) == (
        "Ampel 0,0% 0/3 0,0 Di bawah target, naik "
        "sasaran riil 0/3 · sasaran proyeksi 0,0% (0/17) Lihat yang belum dilayani"
    )
    assert page_row(response, district.batu.code).startswith(
        "Batu 0,0% 0/1 0,0 Di bawah target, naik sasaran riil 0/1 · sasaran proyeksi – (0/0)"
    )
    assert "Sasaran proyeksi: sasaran tahunan resmi" in response.content.decode()
    excel = client.get("/pws/ptm_15/excel/", params)
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(excel.content)).active.iter_rows(values_only=True))
    by_code = {r[1]: r for r in rows[3:]}
    assert by_code[district.kec_barat.code][2:7] == (0, 4, 0.0, 17, 0.0)
    assert by_code[district.ampel.code][2:7] == (0, 3, 0.0, 17, 0.0)
    assert by_code[district.batu.code][2:7] == (0, 1, 0.0, 0, None)


def test_the_pws_page_hides_the_value_over_sasaran_proyeksi_with_its_numerator(
    district, client_for
):
    """Camat Barat, PTM 15+: Batu's one screened resident (wayan), of one 15+ resident, are
    counts below 5. The page shows Batu's sasaran proyeksi 24 (public: an estimate, no one's
    record) but neither the numerator nor the value over it; the Excel likewise ("<5", 24,
    no value). The dinkes reads 1/24 = 4.2 %."""
    from openpyxl import load_workbook

    from tests.care import encounter
    from tests.monitoring.test_pws_pages import row as page_row

    today = timezone.localdate()
    encounter(district.wayan, today, district.pkm_barat_f, "adult", cluster="k3")
    indicators_rebuild()
    data = sheet(row(district.ampel.code, "Ampel"), row(district.batu.code, "Batu", *[12] * 11))
    targets.sasaran_upload(user=district.dinkes, year=today.year, data=data)
    params = {"area": district.kec_barat.code, "period": today.strftime("%Y-%m")}
    camat = client_for(district.camat_barat)
    text = page_row(camat.get("/pws/ptm_15/", params), district.batu.code)
    assert (
        text == "Batu disamarkan <5 / <5 – – sasaran riil <5 / <5 · sasaran proyeksi <5 ( <5 /24)"
    )
    sheet_rows = load_workbook(io.BytesIO(camat.get("/pws/ptm_15/excel/", params).content))
    code = district.batu.code
    batu = next(r for r in sheet_rows.active.iter_rows(values_only=True) if r[1] == code)
    assert batu[2:7] == ("<5", "<5", None, 24, None)
    dinkes = page_row(client_for(district.dinkes).get("/pws/ptm_15/", params), district.batu.code)
    assert "sasaran riil 1/1 · sasaran proyeksi 4,2% (1/24)" in dinkes
