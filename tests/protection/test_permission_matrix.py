"""Every role × every protection page, export and API call: who gets the page (200), who is
refused (403: the role; 404: a case outside the user's scope, the same answer as a case that
does not exist; 405: a write opened with GET, nothing read; L: sent to the login page, or
401 from the API), and that no answer to anyone outside the case carries the victim's or the
perpetrator's name or NIK, the case number, its summary or its clinical notes.

The pages come from the URL resolver (the ``protection`` namespace) and the API's routes
(``/api/v1/protection/…``), not from a list: a page added later is walked too, its URL
parameters filled from `PARAMETERS` (an unknown parameter name fails the test). The expected
answers are the table `MATRIX`; a page without a row is held to the default rules
(`_default`): anonymous users are sent to log in, a page naming the case refuses everyone
outside it, and no page leaks. See ``leak_world`` for the case and the personas.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ilp.protection.models import Case, CaseAssignment, CaseParty, CaseReferral, CaseStep
from tests.protection import leak_world
from tests.protection.leak_world import CIRCLE, PERSONAS, READERS

pytestmark = pytest.mark.django_db

# Rows: method, page (the URL name; API operations as "api:<name>"), then one answer per
# persona in the order of the header. "-": not tried (a write by its own circle).
MATRIX = """
           ano dnk tpc pkm pk2 pkT puC pus kdr lpa upt pp0 cmt kds dpo spc rs  nor
GET  index  L   200 403 200 200 200 200 200 403 200 200 403 403 403 403 403 403 403
GET  new    L   403 403 200 200 200 200 200 403 200 200 403 403 403 403 403 403 403
GET  detail L   404 403 200 404 404 200 404 403 200 404 403 403 403 403 403 403 403
GET  take   L   403 403 405 405 405 405 405 403 403 403 403 403 403 403 403 403 403
GET  party  L   403 403 405 405 405 405 405 403 403 403 403 403 403 403 403 403 403
GET  step   L   403 403 405 405 405 405 405 403 403 403 403 403 403 403 403 403 403
GET  notes  L   403 403 405 405 405 405 405 403 403 403 403 403 403 403 403 403 403
GET  assign L   403 403 405 405 405 405 405 403 403 403 403 403 403 403 403 403 403
GET  close  L   403 403 405 405 405 405 405 403 403 403 403 403 403 403 403 403 403
POST index  L   405 403 -   405 405 -   405 403 405 405 403 403 403 403 403 403 403
POST new    L   403 403 -   200 200 -   200 403 200 200 403 403 403 403 403 403 403
POST detail L   405 403 -   405 405 -   405 403 405 405 403 403 403 403 403 403 403
POST take   L   403 403 -   404 404 -   404 403 403 403 403 403 403 403 403 403 403
POST party  L   403 403 -   404 404 -   404 403 403 403 403 403 403 403 403 403 403
POST step   L   403 403 -   404 404 -   404 403 403 403 403 403 403 403 403 403 403
POST notes  L   403 403 -   404 404 -   404 403 403 403 403 403 403 403 403 403 403
POST assign L   403 403 -   404 404 -   404 403 403 403 403 403 403 403 403 403 403
POST close  L   403 403 -   404 404 -   404 403 403 403 403 403 403 403 403 403 403
"""
# An empty POST to "new" shows the empty form again (200): nothing is written.


# What fills a URL parameter: a function of the world, whether the value belongs to the
# case (then everyone outside the case must be refused the page), and which of the secrets
# the page is about (a page about a person in the user's area names her: not a leak, but
# nothing of her case may show). A page with a parameter not named here fails
# `test_every_parameter_of_a_protection_page_is_known`.
def _visum(w: SimpleNamespace) -> str:
    """An issued visum of the case (made once per world)."""
    if not hasattr(w, "visum"):
        from django.utils import timezone

        from ilp.protection import services_visum

        officer = w.d.pkm_barat
        visum = services_visum.visum_request_record(
            user=officer,
            case=w.case,
            party=w.case.parties.filter(role="victim").first(),
            kind="physical",
            request_number="B/7/2026",
            request_date=timezone.localdate(),
            investigator_name="Bripka Sari",
            investigator_unit="Unit PPA",
        )
        services_visum.visum_examine(
            user=officer,
            visum=visum,
            chaperone_name="Bidan Rina",
            chaperone_female=True,
            consent_by="victim",
            consent_name="Siti",
            consent_at=timezone.now(),
            findings="Memar",
        )
        w.visum = services_visum.visum_issue(
            user=officer, visum=visum, letter_number="V/7", letter_date=timezone.localdate()
        )
    return str(w.visum.uuid)


def _attachment(w: SimpleNamespace) -> str:
    """A police letter attached to the case (made once per world)."""
    if not hasattr(w, "attachment"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from ilp.protection.attachments import attachment_add

        w.attachment = attachment_add(
            user=w.d.pkm_barat,
            case=w.case,
            upload=SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat polisi", "application/pdf"),
            kind="police_letter",
        )
    return str(w.attachment.uuid)


PARAMETERS: dict[str, tuple[Callable[[SimpleNamespace], str], bool, tuple[str, ...]]] = {
    "case_uuid": (lambda w: str(w.case.uuid), True, ()),
    "visum_uuid": (_visum, True, ()),
    "attachment_uuid": (_attachment, True, ()),
    "case_referral_uuid": (lambda w: str(w.case.referrals.get().uuid), True, ()),
    "case_id": (lambda w: str(w.case.uuid), True, ()),
    # the screening pages of a person (Siti, the victim)
    "person_uuid": (lambda w: str(w.d.siti.uuid), False, ("victim's name", "victim's NIK")),
}

LOGIN = "L"
NOT_TRIED = "-"
REFUSED = {403, 404, 405}


def _matrix() -> dict[tuple[str, str], dict[str, str]]:
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert header == list(PERSONAS), "the matrix's columns are the personas, in order"
    table = {}
    for row in rows:
        method, name, answers = row[0], row[1], row[2:]
        assert len(answers) == len(header), f"{method} {name}: one answer per persona"
        table[(method, name)] = dict(zip(header, answers, strict=True))
    return table


TABLE = _matrix()


@dataclass(frozen=True)
class Page:
    route: str  # as the resolver writes it, without the leading "/"
    name: str  # the URL name; "api:<name>" for an API operation
    params: tuple[str, ...]
    methods: tuple[str, ...]  # what to try: GET, and POST (web pages: every one)
    api: bool


def _ninja_operations(callback: Any) -> Any:
    from ninja.operation import PathView

    for cell in getattr(callback, "__closure__", None) or ():
        if isinstance(cell.cell_contents, PathView):
            return cell.cell_contents.operations
    return None


def _walk(patterns: Any, prefix: str = "", namespace: str = "", names: tuple = ()) -> Iterator:
    for p in patterns:
        own = tuple(getattr(p.pattern, "converters", {}))
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            yield from _walk(
                p.url_patterns, prefix + str(p.pattern), p.namespace or namespace, names + own
            )
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p, names + own


def _params(route: str, converters: tuple) -> tuple[str, ...]:
    # ninja writes its path parameters as <name> or <converter:name> in the route itself.
    found = re.findall(r"<(?:\w+:)?(\w+)>", route)
    return tuple(dict.fromkeys([*converters, *found]))


def protection_pages(namespace_: str = "protection", api: str = "api/v1/protection") -> list[Page]:
    """Every page of the protection namespace and every API operation under
    /api/v1/protection/ (one entry per route)."""
    pages: dict[str, Page] = {}
    for route, namespace, pattern, converters in _walk(get_resolver().url_patterns):
        operations = _ninja_operations(pattern.callback)
        if operations is not None and route.startswith(api):
            methods = {m for op in operations for m in op.methods}
            known = pages.get(route)
            tried = tuple(m for m in ("GET", "POST") if m in methods)
            if known is not None:
                tried = tuple(dict.fromkeys([*known.methods, *tried]))
            pages[route] = Page(
                route,
                known.name if known else f"api:{pattern.name}",
                _params(route, converters),
                tried,
                True,
            )
        elif namespace == namespace_ and operations is None:
            pages[route] = Page(
                route, pattern.name, _params(route, converters), ("GET", "POST"), False
            )
    return list(pages.values())


def _fill(page: Page, w: SimpleNamespace) -> str:
    path = page.route
    for name in page.params:
        path = re.sub(rf"<(?:\w+:)?{name}>", PARAMETERS[name][0](w), path)
    return "/" + path


def _case_bound(page: Page) -> bool:
    return any(PARAMETERS[name][1] for name in page.params)


def _secrets_of(page: Page, secrets: dict[str, str]) -> dict[str, str]:
    """The secrets a page must not show to someone outside the case: all but what the page
    is about (the person of a person page)."""
    about = {key for name in page.params for key in PARAMETERS[name][2]}
    return {k: v for k, v in secrets.items() if k not in about}


def _default(page: Page, method: str, persona: str) -> str:
    """The expected answer for a page without a row in MATRIX: anonymous users log in; a
    page naming the case refuses everyone outside it ("refused"); anything else answers
    ("any", but never with the case: the leak check holds for every page)."""
    if persona == "ano":
        return LOGIN
    if persona in READERS:
        return NOT_TRIED if method == "POST" else "any"
    return "refused" if _case_bound(page) else "any"


def _expected(page: Page, method: str, persona: str) -> str:
    row = TABLE.get((method, page.name))
    return row[persona] if row is not None else _default(page, method, persona)


def _check(response: Any, expected: str, api: bool) -> bool:
    status = response.status_code
    if expected == LOGIN:
        if api:
            return status == 401
        return status == 302 and response["Location"].startswith("/masuk/")
    if expected == "refused":
        # the API validates a body before its operation runs: 400/422 read nothing either
        return status in (REFUSED | {400, 422} if api else REFUSED)
    if expected == "any":
        return status < 500
    return status == int(expected)


@pytest.fixture
def world(prot) -> SimpleNamespace:
    w = leak_world.build(prot)
    # the visum and the attachment exist before the walk (their pages must not change the case)
    _visum(w)
    _attachment(w)
    return w


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        Case.objects.count(),
        case.version,
        case.state,
        case.officer_id,
        case.clinical_notes,
        CaseParty.objects.filter(case=case).count(),
        CaseStep.objects.filter(case=case).count(),
        CaseAssignment.objects.filter(case=case).count(),
        CaseReferral.objects.filter(case=case).count(),
    )


def test_the_matrix_names_only_protection_pages_and_the_walk_finds_them():
    pages = {p.name for p in protection_pages()}
    # the foundation's pages are all there (a walk that finds nothing must not pass)
    assert {"index", "new", "detail", "take", "party", "step", "notes", "assign", "close"} <= pages
    assert {name for _method, name in TABLE} <= pages


def test_the_walk_reads_api_routes_and_their_methods():
    # the protection API comes later; the referral API has the same shape (list, one, write)
    pages = {p.route: p for p in protection_pages("referrals", "api/v1/referrals")}
    api = pages["api/v1/referrals"]
    assert (api.name, api.methods, api.params, api.api) == (
        "api:referral_list",
        ("GET", "POST"),
        (),
        True,
    )
    assert pages["api/v1/referrals/<referral_id>"].params == ("referral_id",)
    assert pages["api/v1/referrals/<referral_id>/events"].methods == ("POST",)
    assert pages["rujukan/<uuid:referral_uuid>/"].params == ("referral_uuid",)


def test_every_parameter_of_a_protection_page_is_known():
    unknown = sorted(
        {(p.route, name) for p in protection_pages() for name in p.params if name not in PARAMETERS}
    )
    assert unknown == [], "add a value for each parameter to PARAMETERS"


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_protection_page_as(persona, world):
    user = world.users[persona]
    secrets = leak_world.secrets(world)
    clinical = {"clinical notes": leak_world.CLINICAL_NOTES, "step note": leak_world.STEP_NOTE}
    client = Client()
    before = _state(world.case)
    wrong, leaks, answered = [], [], {}
    for page in protection_pages():
        path = _fill(page, world)
        for method in page.methods:
            expected = _expected(page, method, persona)
            if expected == NOT_TRIED:
                continue
            if user is not None:
                client.force_login(user)
            response = client.get(path) if method == "GET" else client.post(path, {})
            answered[(method, page.name)] = response.status_code
            if not _check(response, expected, page.api):
                wrong.append((method, path, expected, response.status_code))
            text = leak_world.body_text(response)
            if persona not in READERS:
                leaked = leak_world.found(text, _secrets_of(page, secrets))
            else:
                # a partner reads the case without its clinical part (no consent given)
                leaked = leak_world.found(text, clinical) if persona == "lpa" else []
            if leaked:
                leaks.append((method, path, response.status_code, leaked))
    assert wrong == []
    assert leaks == []
    # refused writes wrote nothing
    if persona not in CIRCLE:
        assert _state(world.case) == before
    # the walk reached the case page as everyone
    assert ("GET", "detail") in answered


def test_the_readers_see_the_case_the_partner_without_the_clinical_part(client, world):
    path = f"/perlindungan/kasus/{world.case.uuid}/"
    client.force_login(world.users["pkm"])
    text = client.get(path).content.decode()
    assert world.case.number in text
    assert leak_world.CLINICAL_NOTES in text
    assert world.d.budi.full_name in text
    client.force_login(world.users["lpa"])
    text = client.get(path).content.decode()
    assert world.case.number in text
    assert world.d.siti.full_name in text
    assert leak_world.CLINICAL_NOTES not in text
    assert leak_world.STEP_NOTE not in text


def test_an_unknown_page_naming_the_case_is_held_to_the_default_rules():
    page = Page(
        "perlindungan/kasus/<uuid:case_uuid>/baru-lagi/",
        "later",
        ("case_uuid",),
        ("GET", "POST"),
        False,
    )
    assert _expected(page, "GET", "ano") == LOGIN
    assert _expected(page, "GET", "pk2") == "refused"
    assert _expected(page, "POST", "dnk") == "refused"
    assert _expected(page, "GET", "lpa") == "any"
    assert _expected(page, "POST", "pkm") == NOT_TRIED
    listing = Page("perlindungan/laporan/", "report", (), ("GET", "POST"), False)
    assert _expected(listing, "GET", "tpc") == "any"
