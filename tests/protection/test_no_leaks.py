"""No case outside ``/perlindungan/``: with a case open on Siti (victim) and Budi (alleged
perpetrator), clinical notes, a referral to a partner and a screening (``leak_world``), every
other page and API path of the project, as every persona, shows nothing of it — person
search (name, NIK, htmx), the person and family pages and their partials, work lists,
kohort registers and their Excel exports, PWS and monitoring pages and exports, referrals,
coaching, the access history, the JSON API — and the admin does not offer case models.

The paths come from the URL resolver, filled with real values of the test district as
``tests/test_no_server_errors.py`` fills them (Siti's and Budi's uuids for a person), so a
page added later is searched too. A page tied to persons (all but the aggregate pages and
the home page) must not even say "KtP/A", "kekerasan", "korban", "pelaku" or link to a
protection page, once the main menu is taken out; no page anywhere shows a case number, the
case's uuid, its summary or its clinical notes. PDFs are searched as the HTML they are drawn
from; Excel files as their cells.
"""

from __future__ import annotations

import re
import sys
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from ilp.accounts.models import AuditEvent, User
from tests.protection import leak_world
from tests.protection.leak_world import PERSONAS, READERS
from tests.test_no_server_errors import NOTHING, _paths, _records, _values

pytestmark = pytest.mark.django_db

# Not searched here: the protection pages themselves (test_permission_matrix.py), logging
# out, and the API's schema pages (no data).
SKIPPED_PREFIXES = ("/perlindungan/", "/api/v1/protection", "/keluar/", "/api/v1/openapi")
SKIPPED = {"/api/v1/docs"}
# Pages of counts (indicators, PWS, coaching) may name the KtP/A screening indicator; they
# are still searched for every case marker. The home page may show a protection worker's
# own cases (its case readers' home is not searched for them).
AGGREGATE_PREFIXES = ("/pws/", "/monitoring/", "/pembinaan/", "/api/v1/indicators")
HOME = "/"
# Words that tie a person to a case on a page about persons.
CASE_WORDS = {
    "KtP/A": "ktp/a",
    "kekerasan": "kekerasan",
    "korban": "korban",
    "pelaku": "pelaku",
    "a protection link": "/perlindungan/",
}
MAIN_MENU = re.compile(r'<nav aria-label="Menu utama">.*?</nav>', re.DOTALL)
# The values that name nothing or are out of range (tested by test_no_server_errors).
NOT_REAL = {*NOTHING, "not-a-date", "0001-01-01", "9999-12-31", "0001-01"}


@pytest.fixture
def world(prot) -> SimpleNamespace:
    w = leak_world.build(prot)
    w.records = _records(w.d)
    return w


def _real_values(w: SimpleNamespace) -> dict[str, list[str]]:
    """Per URL parameter: the real values of `_values` (nothing that names nothing), Siti
    and Budi for a person, and each facility level for a code."""
    d = w.d
    values = {
        name: [v for v in vs if v not in NOT_REAL] or vs[:1]
        for name, vs in _values(d, w.records).items()
    }
    values["person_uuid"] = [str(d.siti.uuid), str(d.budi.uuid)]
    values["code"] = [d.pos_ampel_timur_f.code, d.pkm_barat_f.code, d.pustu_ampel_f.code]
    return values


def _searches(w: SimpleNamespace) -> list[str]:
    """Person search and the access history by the parties' names and NIKs, and by the
    case number (which must find nothing)."""
    d = w.d
    terms = [d.siti.full_name, d.siti.nik, "Budi", d.budi.nik, w.case.number, "KTPA"]
    return [
        *(f"/penduduk/cari/?q={t}" for t in terms),
        *(f"/api/v1/persons?q={t}" for t in terms),
        f"/akun/riwayat-akses/?person={d.siti.nik}",
        f"/akun/riwayat-akses/?person={d.budi.nik}",
    ]


def all_paths(w: SimpleNamespace) -> list[str]:
    paths = [
        p
        for p in _paths(_real_values(w))
        if not p.startswith(SKIPPED_PREFIXES) and p not in SKIPPED
    ]
    return paths + _searches(w)


HTMX = re.compile(
    r"^/(penduduk/cari/|layanan/kerja/|penduduk/[0-9a-f-]{36}/$|layanan/orang/[0-9a-f-]{36}/$)"
)


def _htmx(path: str) -> bool:
    """Paths that answer htmx with a fragment of their own (search results, work lists and
    their parts, a person's pages): asked for both."""
    return bool(HTMX.match(path))


@pytest.fixture
def pdf_as_html(monkeypatch):
    """PDF downloads answer with the HTML they would draw (searchable, and much faster)."""
    from ilp.core import pdf

    original = pdf.html_to_pdf

    def as_html(html: str) -> bytes:
        return html.encode()

    for module in list(sys.modules.values()):
        if (getattr(module, "__name__", "") or "").startswith("ilp.") and getattr(
            module, "html_to_pdf", None
        ) is original:
            monkeypatch.setattr(module, "html_to_pdf", as_html)


def _problems(w: SimpleNamespace, persona: str, path: str, response: Any) -> list[str]:
    text = leak_world.body_text(response)
    found = (
        []
        if (path == HOME and persona in READERS)
        else leak_world.found(text, leak_world.case_markers(w))
    )
    if path != HOME and not path.startswith(AGGREGATE_PREFIXES):
        found += leak_world.found(MAIN_MENU.sub("", text), CASE_WORDS)
    return found


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_page_outside_protection_shows_the_case_as(persona, world, pdf_as_html):
    user = world.users[persona]
    client = Client()
    paths = all_paths(world)
    assert len(paths) > 150
    errors, leaks, ok = [], [], 0
    for path in paths:
        if user is not None:
            client.force_login(user)  # again: a page may end the session
        answers = [client.get(path)]
        if _htmx(path):
            answers.append(client.get(path, headers={"HX-Request": "true"}))
        for response in answers:
            if response.status_code >= 500:
                errors.append((path, response.status_code))
            ok += response.status_code == 200
            found = _problems(world, persona, path, response)
            if found:
                leaks.append((path, response.status_code, found))
    assert errors == []
    assert leaks == []
    if persona in ("pkm", "pus", "kdr", "dnk", "tpc"):
        # they see Siti: the walk reached her pages (a walk refused everywhere proves nothing)
        assert ok > 30


def test_the_search_finds_siti_and_budi_but_never_the_case(client, world):
    d = world.d
    client.force_login(d.pkm_barat)
    page = client.get("/penduduk/cari/", {"q": d.siti.nik})
    assert page.status_code == 200
    assert d.siti.full_name in page.content.decode()
    for term in (world.case.number, "KTPA", leak_world.CLINICAL_NOTES):
        text = client.get("/penduduk/cari/", {"q": term}).content.decode()
        assert d.siti.full_name not in text
        assert d.budi.full_name not in text


def test_the_person_page_is_the_same_with_or_without_the_case(client, district, request):
    """Siti's and Budi's pages (and their htmx parts) read exactly as before the case was
    opened, but for the per-request tokens."""
    d = district
    paths = [
        f"/penduduk/{d.siti.uuid}/",
        f"/penduduk/{d.budi.uuid}/",
        f"/layanan/orang/{d.siti.uuid}/",
        f"/layanan/orang/{d.budi.uuid}/",
        f"/keluarga/{d.family_ampel.uuid}/",
        f"/rujukan/orang/{d.siti.uuid}/",
        f"/api/v1/persons/{d.siti.uuid}",
        f"/api/v1/persons/{d.budi.uuid}/encounters",
        f"/api/v1/persons/{d.siti.uuid}/work-items",
        f"/api/v1/families/{d.family_ampel.uuid}",
    ]
    token = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')

    def read(user: User) -> dict[str, str]:
        client.force_login(user)
        return {p: token.sub("", client.get(p).content.decode()) for p in paths}

    from ilp.protection.models import Case

    before = {u: read(u) for u in (d.pkm_barat, d.bidan_ampel, d.dinkes)}
    assert not Case.objects.exists()
    leak_world.build(request.getfixturevalue("prot"))  # the case, its notes, its referral
    assert Case.objects.exists()
    after = {u: read(u) for u in (d.pkm_barat, d.bidan_ampel, d.dinkes)}
    assert after == before


def _person_events(person: Any) -> int:
    from ilp.accounts.audit import person_events_q

    return AuditEvent.objects.filter(person_events_q(person.pk)).count()


def test_the_access_history_of_siti_lists_no_case_read(client, world):
    d = world.d
    before = {p.pk: _person_events(p) for p in (d.siti, d.budi)}
    # the case was read and written by its circle and refused to others
    client.force_login(world.users["pk2"])
    assert client.get(f"/perlindungan/kasus/{world.case.uuid}/").status_code == 404
    client.force_login(d.pkm_barat)
    assert client.get(f"/perlindungan/kasus/{world.case.uuid}/").status_code == 200
    client.force_login(d.ppa)
    assert client.get(f"/perlindungan/kasus/{world.case.uuid}/").status_code == 200
    assert AuditEvent.objects.filter(object_type="protection_case").count() > 5
    # reading the case (which shows Siti and Budi) recorded no read of either person
    assert {p.pk: _person_events(p) for p in (d.siti, d.budi)} == before
    for person in (d.siti, d.budi):
        # no audit row of protection names a person, alone or in a list
        assert not AuditEvent.objects.filter(
            object_type__startswith="protection", person_id=person.pk
        ).exists()
        assert not [
            e
            for e in AuditEvent.objects.filter(object_type__startswith="protection")
            if person.pk in (e.person_ids or [])
        ]
        client.force_login(d.dinkes)
        page = client.get("/akun/riwayat-akses/", {"person": person.nik})
        assert page.status_code == 200
        text = page.content.decode()
        assert "protection" not in text
        assert str(world.case.uuid) not in text


# Protection models the admin may list: the partner organisations and who works for them
# (no case data). Any other model of the app registered in the admin fails.
ADMIN_ALLOWED = {"partner", "partnermember"}


def test_the_admin_registers_no_case_model():
    registered = {
        m._meta.model_name for m in admin.site._registry if m._meta.app_label == "protection"
    }
    assert registered <= ADMIN_ALLOWED


def test_the_admin_shows_no_case_even_to_a_superuser(client, world):
    d = world.d
    root = User.objects.create_superuser("root", password="pw", area=d.city)
    client.force_login(root)
    index = client.get("/admin/")
    assert index.status_code == 200
    text = index.content.decode()
    assert "/admin/protection/case/" not in text
    assert "ktp/a" not in text.lower()
    paths = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        paths.append(f"/admin/{meta.app_label}/{meta.model_name}/")
    paths += [
        f"/admin/people/person/{d.siti.pk}/change/",
        f"/admin/people/person/{d.budi.pk}/change/",
        f"/admin/people/family/{d.family_ampel.pk}/change/",
        f"/admin/people/person/?q={d.siti.nik}",
        f"/admin/accounts/auditevent/?q={d.siti.pk}",
    ]
    for app_model in ("case", "caseparty", "casestep", "screening"):
        paths.append(f"/admin/protection/{app_model}/")
    # the audit log's own list names the case's uuid (it is the audit of the case): searched
    # for everything else
    markers = {k: v for k, v in leak_world.case_markers(world).items() if k != "case uuid"}
    leaks = []
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        found = leak_world.found(leak_world.body_text(response), markers)
        if "/people/" in path or "?q=" in path:
            found += leak_world.found(MAIN_MENU.sub("", response.content.decode()), CASE_WORDS)
        if found:
            leaks.append((path, found))
    assert leaks == []
    # the case models answer "not found" in the admin, to everyone
    for app_model in ("case", "caseparty", "casestep"):
        assert client.get(f"/admin/protection/{app_model}/").status_code == 404


def test_a_case_uuid_anywhere_else_is_not_found_and_says_nothing(client, world):
    d = world.d
    client.force_login(d.pkm_barat)
    for path in (
        f"/penduduk/{world.case.uuid}/",
        f"/layanan/orang/{world.case.uuid}/",
        f"/rujukan/{world.case.uuid}/",
        f"/api/v1/persons/{world.case.uuid}",
        f"/api/v1/referrals/{world.case.uuid}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        text = leak_world.body_text(response)  # without the path asked for
        assert leak_world.found(text, leak_world.secrets(world)) == [], path
        assert not leak_world.CASE_NUMBER.search(text)


def test_a_case_referred_in_shows_its_puskesmas_the_number_only(client, world):
    """A partner's referral lands at the puskesmas without an officer: its puskesmas staff
    see its number, route and time to take it — not the child's name nor the partner's
    summary; other puskesmas, the pustu and the Dinkes see nothing of it."""
    from ilp.protection import services

    d = world.d
    case = services.case_open(
        user=d.ppa,
        arrival_route="partner",
        summary="Anak ditemukan di pasar RUJUKMASUK-8812",
        victim={"person": d.rina},
    )
    assert case.officer is None
    assert case.facility == d.pkm_barat_f
    secret = {"child's name": d.rina.full_name, "summary": "RUJUKMASUK-8812"}
    for key in ("pkm", "pk2"):
        client.force_login(world.users[key])
        text = client.get("/perlindungan/").content.decode()
        assert case.number in text, key
        assert leak_world.found(text, secret) == [], key
    for key in ("pkT", "pus", "puC", "dnk", "upt"):
        client.force_login(world.users[key])
        text = client.get("/perlindungan/").content.decode()
        assert case.number not in text, key
        assert leak_world.found(text, secret) == [], key
        assert client.get(f"/perlindungan/kasus/{case.uuid}/").status_code == 404, key
    # the partner who referred it reads it
    client.force_login(d.ppa)
    assert d.rina.full_name in client.get(f"/perlindungan/kasus/{case.uuid}/").content.decode()
