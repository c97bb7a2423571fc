"""Work-list pages (issue 8): the Excel work list in the reader's language, filters that
cannot be applied are errors, the puskesmas list grouped by desa and posyandu with what a home
visit needs, the district index as a tree, the task pages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ilp.care.models import Task
from ilp.people.models import Pregnancy

pytestmark = pytest.mark.django_db

ON = date(2025, 3, 10)


@pytest.fixture(autouse=True)
def care_urls(settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"


def url(name, **kwargs):
    return reverse(f"care:{name}", kwargs=kwargs)


@pytest.fixture
def listed(district):
    """Siti pregnant (K1 due), Budi with an overdue follow-up task."""
    Pregnancy.objects.create(person=district.siti, lmp=date(2025, 1, 1), edd=date(2025, 10, 8))
    Task.objects.create(
        person=district.budi,
        kind="follow_up",
        reason="Cek ulang tekanan darah",
        due_date=ON - timedelta(days=3),
        facility=district.pos_ampel_timur_f,
    )


def _cells(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_excel_work_list_shows_labels_not_codes(district, client_for, listed):
    client = client_for(district.kader_ampel_timur)
    response = client.get(url("worklist_excel", code="POS-AT"), {"on": "10-03-2025"})
    cells = _cells(response)
    for code in ("tindak-lanjut", "overdue", "due", "anc:K1", "skrining:PTM"):
        assert code not in cells
    assert {"Tindak lanjut", "Terlambat", "Jatuh tempo", "Pemeriksaan kehamilan (ANC) K1"} <= set(
        cells
    )
    assert "Skrining PTM" in cells
    assert "Layanan" in cells and "Sejak" in cells


def test_excel_work_list_in_english(district, client_for, listed):
    client = client_for(district.kader_ampel_timur)
    response = client.get(
        url("worklist_excel", code="POS-AT"), {"on": "10-03-2025"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    cells = set(_cells(response))
    assert {"Follow-up", "Overdue", "Due", "Antenatal care (ANC) K1", "Service"} <= cells


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"on": "31-02-2025"}, "Tanggal “31-02-2025” tidak valid"),
        ({"on": "0001-01-01"}, "Tanggal “0001-01-01” di luar rentang yang masuk akal"),
        ({"cluster": "k9"}, "k9 bukan salah satu dari pilihan yang tersedia"),
        ({"kind": "sulap"}, "sulap bukan salah satu dari pilihan yang tersedia"),
    ],
)
def test_a_filter_that_cannot_be_applied_is_an_error(district, client_for, query, message):
    client = client_for(district.pkm_barat)
    for name in ("worklist", "worklist_excel"):
        response = client.get(url(name, code="P5271010101"), query)
        assert response.status_code == 400
        assert message in response.content.decode()
