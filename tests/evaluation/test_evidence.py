"""Evidence files of a puskesmas' answer: each refusal's message on the field, nothing saved
half, the files listed with the history (pages and API, their bytes never loaded by a list),
and the download: who may, the audit event, the headers."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.accounts.models import AuditEvent, Role, User
from ilp.core.exceptions import ValidationFailed
from ilp.evaluation import services
from ilp.evaluation.models import RecommendationEvent, RecommendationEvidence, RecState
from tests.evaluation import files

pytestmark = pytest.mark.django_db


def _file(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _answer(district, rec, *uploads, note="Rencana sweeping 2 Mei"):
    return services.recommendation_act(
        user=district.pkm_barat, recommendation=rec, action="answer", note=note, files=uploads
    )


def test_answer_stores_its_files_with_the_event(district, rec):
    _answer(
        district,
        rec,
        _file("register-k1.jpg", files.JPEG, "image/jpeg"),
        _file("SK tim.pdf", files.PDF, "application/pdf"),
        _file("rekap.xlsx", files.xlsx()),
        _file("grafik.png", files.PNG, "image/png"),
    )
    event = RecommendationEvent.objects.get(action="answer")
    stored = list(RecommendationEvidence.objects.filter(event=event).order_by("id"))
    assert [(f.name, f.content_type, f.uploaded_by) for f in stored] == [
        ("register-k1.jpg", "image/jpeg", district.pkm_barat),
        ("SK tim.pdf", "application/pdf", district.pkm_barat),
        (
            "rekap.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            district.pkm_barat,
        ),
        ("grafik.png", "image/png", district.pkm_barat),
    ]
    assert bytes(stored[1].data) == files.PDF
    assert stored[1].size == len(files.PDF)
    assert stored[1].sha256 == hashlib.sha256(files.PDF).hexdigest()
    audit = AuditEvent.objects.filter(object_uuid=rec.uuid, action="update").get()
    assert [f["name"] for f in audit.detail["evidence"]] == [f.name for f in stored]


def _refusal(district, rec, *uploads, action="answer"):
    with pytest.raises(ValidationFailed) as exc:
        services.recommendation_act(
            user=district.pkm_barat if action == "answer" else district.tpcb,
            recommendation=rec,
            action=action,
            note="Catatan",
            files=uploads,
        )
    return exc.value.fields


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ([("kosong.pdf", b"")], "Berkas kosong.pdf kosong."),
        (
            [("besar.pdf", files.PDF + b"x" * 70 * 1024)],
            "Berkas besar.pdf terlalu besar (70,1\xa0KB); paling besar 64,0\xa0KB.",
        ),
        (
            [("skrip.pdf", b"<html><script>alert(1)</script></html>")],
            "Berkas skrip.pdf bukan PDF, JPEG, PNG atau XLSX (dibaca dari isinya).",
        ),
        (
            [("makro.xlsx", files.xlsm())],
            "Berkas makro.xlsx bukan PDF, JPEG, PNG atau XLSX (dibaca dari isinya).",
        ),
        (
            [("foto.pdf", files.JPEG)],
            "Isi berkas foto.pdf adalah JPEG, tidak sesuai nama berkasnya.",
        ),
        ([("a.pdf", files.PDF)] * 4, "Paling banyak 3 berkas bukti per jawaban."),
        # The second file is bad: the first is not kept either.
        (
            [("ok.pdf", files.PDF), ("ok.exe", b"MZ\x90\x00")],
            "Berkas ok.exe bukan PDF, JPEG, PNG atau XLSX (dibaca dari isinya).",
        ),
    ],
)
def test_bad_files_refused_with_their_message_nothing_saved(
    district, rec, settings, uploads, message
):
    settings.ILP_EVIDENCE_MAX_BYTES = 64 * 1024
    settings.ILP_EVIDENCE_MAX_FILES = 3
    fields = _refusal(district, rec, *(_file(n, d) for n, d in uploads))
    assert fields == {"evidence": [message]}
    rec.refresh_from_db()
    assert rec.state == RecState.OPEN
    assert not RecommendationEvent.objects.filter(action="answer").exists()
    assert not RecommendationEvidence.objects.exists()


def test_files_only_with_an_answer(district, rec):
    _answer(district, rec)
    fields = _refusal(district, rec, _file("a.pdf", files.PDF), action="accept")
    assert fields == {"evidence": ["Berkas bukti hanya dilampirkan pada jawaban puskesmas."]}
    rec.refresh_from_db()
    assert rec.state == RecState.ANSWERED


def test_file_name_cleaned(district, rec):
    _answer(district, rec, _file("..\\..\\C:\\evil\x07\u202e.pdf", files.PDF))
    assert RecommendationEvidence.objects.get().name == "evil.pdf"


# ---------------------------------------------------------------- pages


def test_answer_with_files_through_the_page(client, district, visit, rec):
    client.force_login(district.pkm_barat)
    page = client.get("/pembinaan/puskesmas/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="evidence"' in page
    url = f"/pembinaan/rekomendasi/{rec.uuid}/aksi/"
    response = client.post(
        url,
        {
            "action": "answer",
            "note": "Register difoto",
            "back": "puskesmas",
            "evidence": [_file("register.png", files.PNG), _file("isi.pdf", b"not a pdf")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Berkas isi.pdf bukan PDF, JPEG, PNG atau XLSX (dibaca dari isinya)." in page
    assert "Register difoto" in page  # the note is kept
    assert not RecommendationEvidence.objects.exists()
    response = client.post(
        url,
        {
            "action": "answer",
            "note": "Register difoto",
            "back": "puskesmas",
            "evidence": [_file("register.png", files.PNG)],
        },
    )
    assert response.status_code == 302
    stored = RecommendationEvidence.objects.get()
    for who in (district.pkm_barat, district.tpcb):
        client.force_login(who)
        page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
        assert f'href="/pembinaan/bukti/{stored.uuid}/"' in page
        assert "register.png</a> (33\xa0bita)" in page


def test_oversized_file_through_the_page_gives_the_message(client, district, rec, settings):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): Django spools it to a temporary file and
    # the service reads its size, not a 400.
    settings.ILP_EVIDENCE_MAX_BYTES = 3 * 1024 * 1024
    big = files.PDF + b"0" * (3 * 1024 * 1024)
    client.force_login(district.pkm_barat)
    response = client.post(
        f"/pembinaan/rekomendasi/{rec.uuid}/aksi/",
        {"action": "answer", "note": "n", "back": "puskesmas", "evidence": [_file("sk.pdf", big)]},
    )
    assert response.status_code == 422
    assert "Berkas sk.pdf terlalu besar (3,0\xa0MB); paling besar 3,0\xa0MB." in (
        response.content.decode()
    )


def test_team_sees_no_file_input(client, district, visit, rec):
    _answer(district, rec)
    client.force_login(district.tpcb)
    page = client.get(f"/pembinaan/kunjungan/{visit.uuid}/").content.decode()
    assert 'value="accept"' in page and 'name="evidence"' not in page


def test_lists_do_not_load_the_bytes_nor_query_per_file(client, district, visit, rec):
    def queries(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    _answer(district, rec, _file("a.pdf", files.PDF))
    urls = [
        (district.pkm_barat, "/pembinaan/puskesmas/"),
        (district.tpcb, f"/pembinaan/kunjungan/{visit.uuid}/"),
        (district.dinkes, "/api/v1/recommendations"),
    ]
    one = [queries(user, url) for user, url in urls]
    _answer(district, rec, *[_file(f"{n}.pdf", files.PDF) for n in range(3)])
    more = [queries(user, url) for user, url in urls]
    assert [len(q) for q in more] == [len(q) for q in one]
    table = RecommendationEvidence._meta.db_table
    for sql in (s for batch in more for s in batch if table in s):
        assert f'"{table}"."data"' not in sql


# ---------------------------------------------------------------- the download

DOWNLOAD = {
    "dinkes": 200,
    "tpcb": 200,
    "tpcb_other": 404,
    "pkm_barat": 200,
    "pkm_timur": 404,
    "bidan_ampel": 403,
    "kader_ampel_timur": 403,
    "camat_barat": 403,
    "ppa": 403,
    "dpo": 403,
}


@pytest.fixture
def stored(district, rec):
    _answer(district, rec, _file("SK tim.pdf", files.PDF))
    return RecommendationEvidence.objects.get()


@pytest.fixture
def users(district, tpcb_other):
    found = {name: getattr(district, name, None) for name in DOWNLOAD}
    found["tpcb_other"] = tpcb_other
    found["pkm_timur"] = User.objects.create_user(
        username="pkm_timur", role=Role.PUSKESMAS, facility=district.pkm_timur_f
    )
    found["dpo"] = User.objects.create_user(
        username="dpo", role=Role.DATA_PROTECTION, area=district.city
    )
    return found


@pytest.mark.parametrize(("who", "status"), list(DOWNLOAD.items()))
def test_download_per_role(client, users, stored, who, status):
    client.force_login(users[who])
    response = client.get(f"/pembinaan/bukti/{stored.uuid}/")
    assert response.status_code == status
    audited = AuditEvent.objects.filter(object_uuid=stored.uuid, action="view")
    if status != 200:
        assert files.PDF not in response.content
        assert not audited.exists()
        return
    assert response.content == files.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="SK tim.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    event = audited.get()
    assert (event.user, event.purpose) == (users[who], "administration")
    assert event.detail == {
        "recommendation": str(stored.event.recommendation.uuid),
        "name": "SK tim.pdf",
        "sha256": hashlib.sha256(files.PDF).hexdigest(),
    }


@pytest.mark.parametrize(("who", "status"), list(DOWNLOAD.items()))
def test_api_lists_and_serves_the_file_per_role(client, users, stored, who, status):
    client.force_login(users[who])
    response = client.get(f"/api/v1/recommendations/evidence/{stored.uuid}")
    assert response.status_code == status
    if status == 200:
        assert response.content == files.PDF
        assert response["Content-Disposition"] == 'attachment; filename="SK tim.pdf"'
        listed = client.get("/api/v1/recommendations").json()[0]["history"][1]["evidence"]
        assert listed == [
            {
                "id": str(stored.uuid),
                "name": "SK tim.pdf",
                "content_type": "application/pdf",
                "size": len(files.PDF),
                "sha256": hashlib.sha256(files.PDF).hexdigest(),
                "url": f"/api/v1/recommendations/evidence/{stored.uuid}",
            }
        ]


def test_unknown_file_is_404(client, district):
    client.force_login(district.dinkes)
    response = client.get("/pembinaan/bukti/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
