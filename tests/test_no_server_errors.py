"""No input may produce a 500: every page and endpoint, as every persona, with good and bad
path values, query strings and form bodies, answers with a page or a clear error.

The paths come from the URL resolver, not from a list: every pattern (except the admin's) is
filled with real values from the test district and with values that name nothing, one
parameter varied at a time. A pattern with a parameter that `VALUES` cannot fill fails the
test, so a new view is never silently left out.
"""

from __future__ import annotations

import re
import types
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

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
    "spog",  # a coaching specialist, made by _records
    "norole",
]

GARBAGE = {
    "q": "<script>alert(1)</script>" + "x" * 5000,
    "on": "2025-13-45",
    "date": "31-02-2025",
    "tanggal": "kemarin",
    "cluster": "k9",
    "kinds": "'; DROP TABLE people_person; --",
    "level": "abc",
    "parent": "\x00",
    "page": "-1",
    "limit": "-1",
    "offset": "1e99",
    "kind": "rumah",
    "field": "nik",
    "nik": "12ab",
    "weight": "-1",
    "height": "abc",
    "birth_date": "1-1-1",
    "period": "2026-13",
    "area": "52.71" + "9" * 100,
    "place": "POS-AT\x00" + "x" * 100,
}
# Dates far outside any plausible range, in every filter and in the URL (they used to reach
# date arithmetic and answer 500).
FAR_DATES = ["01-01-0001", "31-12-9999"]
HOSTILE_QUERIES = [
    GARBAGE,
    *({"on": day} for day in FAR_DATES),
    {"page": "999999999999999999999", "q": "%", "kinds": "imunisasi,zzz,", "status": "x"},
    {"period": "0001-01", "area": "NOPE"},
]

UNKNOWN = str(uuid.UUID(int=7))
# The values in `_values` that name nothing (the view answers 404 before it reads a form).
NOTHING = (UNKNOWN, "not-a-uuid", "NOPE", "zzz", "nobody")


def _records(d) -> SimpleNamespace:
    """One record of each kind a URL names, in the district: a pregnancy, an encounter, an
    immunisation dose, a task and an API token."""
    from ilp.accounts.tokens import token_issue
    from ilp.care.models import Task
    from ilp.care.services import encounter_record
    from ilp.people.models import Pregnancy

    pregnancy = Pregnancy.objects.create(person=d.siti, lmp=date(2025, 1, 1), edd=date(2025, 10, 8))
    dose_encounter = encounter_record(
        actor=d.kader_ampel_timur,
        person=d.rina,
        on=date(2024, 6, 2),
        package="immunization",
        place_kind="posyandu",
        facility=d.pos_ampel_timur_f,
        values={},
        immunizations=[{"dose_code": "BCG", "lot_number": "B123", "expiry_date": "2027-01-01"}],
    ).encounter
    task = Task.objects.create(
        person=d.rina,
        kind="follow_up",
        reason="uji",
        due_date=date(2025, 3, 10),
        facility=d.pos_ampel_timur_f,
    )
    token, _secret = token_issue(
        user=d.bidan_ampel,
        name="SIMRS",
        expires_at=timezone.now() + timedelta(days=30),
        rate_per_minute=None,
        by=d.dinkes,
        ip=None,
    )
    from ilp.evaluation import services as coaching
    from ilp.evaluation.services_checklists import ItemDraft, checklist_publish

    checklist = checklist_publish(
        user=d.dinkes, cluster="k1", base=None, items=[ItemDraft("1.1", "Lokmin bulanan")]
    )
    team = coaching.team_create(
        user=d.dinkes,
        name="Tim Barat",
        decree_number="1",
        decree_date=date(2025, 1, 2),
        lead=d.tpcb,
        members=[d.tpcb],
        puskesmas=[d.pkm_barat_f],
    )
    visit = coaching.visit_plan(
        user=d.tpcb,
        team=team,
        puskesmas=d.pkm_barat_f,
        planned_date=date(2025, 3, 1),
        members=[d.tpcb],
    )
    recommendation = coaching.recommendation_create(
        user=d.tpcb,
        visit=visit,
        content=coaching.RecommendationContent(
            what="x", why="y", owner_role="k1", due_date=date(2025, 4, 1)
        ),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    coaching.recommendation_act(
        user=d.pkm_barat,
        recommendation=recommendation,
        action="answer",
        note="n",
        files=[SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    from ilp.referrals import services as referrals

    referral = referrals.referral_create(
        user=d.bidan_ampel,
        person=d.siti,
        from_facility=d.pustu_ampel_f,
        to_facility=d.pkm_barat_f,
        kind="maternal",
        reason="Tekanan darah tinggi",
    )
    # A specialist coaching programme with a session and a recommendation; its specialist
    # is the persona "spog" (set on the district here, before the persona is looked up).
    from ilp.accounts.models import Role, User
    from ilp.evaluation import programme_services

    d.spog = User.objects.create_user(username="spog", role=Role.SPECIALIST, area=d.city)
    programme = programme_services.programme_save(
        user=d.dinkes,
        name="KIA 2025",
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        specialists=[d.spog],
        puskesmas=[d.pkm_barat_f],
        topics=[("poned", "PONED")],
    )
    session = programme_services.session_create(
        user=d.spog,
        programme=programme,
        puskesmas=d.pkm_barat_f,
        specialist=d.spog,
        session_date=date(2025, 3, 15),
    )
    programme_services.session_participants_add(
        user=d.spog, session=session, staff=[d.pkm_barat], others=[("Sari", "bidan")]
    )
    session_recommendation = programme_services.session_recommendation_create(
        user=d.spog,
        session=session,
        content=coaching.RecommendationContent(
            what="x", why="y", owner_role="k2", due_date=date(2025, 4, 1)
        ),
    )
    # A stillbirth (the mother lives on: the other URLs still find her) and its review.
    from ilp.referrals.services_deaths import DeathData, death_record

    death = death_record(
        user=d.pkm_barat,
        person=d.siti,
        data=DeathData(
            kind="stillbirth",
            died_at=datetime(2025, 9, 1, 2, tzinfo=UTC),
            place="home",
            pregnancy=pregnancy,
        ),
    )
    # A KtP/A case of Siti, opened by Puskesmas Barat (its officer).
    from ilp.protection.services import case_open

    case = case_open(
        user=d.pkm_barat, arrival_route="walk_in", victim={"person": d.siti}, kinds=["physical"]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ilp.protection.attachments import attachment_add

    attachment = attachment_add(
        user=d.pkm_barat,
        case=case,
        upload=SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat polisi", "application/pdf"),
        kind="police_letter",
    )

    # Its visum, examined and issued (the letter prints).
    from ilp.protection import services_visum

    visum = services_visum.visum_request_record(
        user=d.pkm_barat,
        case=case,
        party=case.parties.get(),
        kind="physical",
        request_number="B/1/2026",
        request_date=timezone.localdate(),
        investigator_name="Bripka Sari",
        investigator_unit="Unit PPA",
    )
    services_visum.visum_examine(
        user=d.pkm_barat,
        visum=visum,
        chaperone_name="Bidan Rina",
        chaperone_female=True,
        consent_by="victim",
        consent_name="Siti",
        consent_at=timezone.now(),
        findings="Memar",
    )
    visum = services_visum.visum_issue(
        user=d.pkm_barat, visum=visum, letter_number="V/1", letter_date=timezone.localdate()
    )
    # ... referred to a partner (LPA Kota Uji)
    from ilp.protection.models import Partner
    from ilp.protection.services_partner import case_refer

    lpa, _ = Partner.objects.get_or_create(name="LPA Kota Uji", kind="lpa", area=d.city)
    case_referral = case_refer(user=d.pkm_barat, case=case, partner=lpa, aim="social")
    return SimpleNamespace(
        case=case,
        attachment=attachment,
        visum=visum,
        case_referral=case_referral,
        death=death,
        evidence=recommendation.events.get(action="answer").evidence.get(),
        checklist=checklist,
        referral=referral,
        programme=programme,
        session=session,
        session_recommendation=session_recommendation,
        team=team,
        visit=visit,
        recommendation=recommendation,
        pregnancy=pregnancy,
        encounter=dose_encounter,
        dose=dose_encounter.immunizations.get(),
        task=task,
        token=token,
    )


def _values(d, r) -> dict[str, list[str]]:
    """Per URL parameter name: the values to fill in, the first a real one (used while another
    parameter varies), then other real ones, then values that name nothing."""
    from ilp.care.charts import CHARTS
    from ilp.care.kohort import REGISTERS
    from ilp.care.models import ServicePackage

    return {
        # a child, a pregnant woman; unknown; not a UUID (the API takes any string)
        "person_uuid": [str(d.rina.uuid), str(d.siti.uuid), UNKNOWN, "not-a-uuid"],
        "family_uuid": [str(d.family_ampel.uuid), UNKNOWN, "not-a-uuid"],
        "pregnancy_uuid": [str(r.pregnancy.uuid), UNKNOWN, "not-a-uuid"],
        "encounter_uuid": [str(r.encounter.uuid), UNKNOWN],
        "dose_uuid": [str(r.dose.uuid), UNKNOWN],
        "task_uuid": [str(r.task.uuid), UNKNOWN],
        "token_uuid": [str(r.token.uuid), UNKNOWN],
        "team_uuid": [str(r.team.uuid), UNKNOWN],
        "visit_uuid": [str(r.visit.uuid), UNKNOWN],
        "evidence_uuid": [str(r.evidence.uuid), UNKNOWN],
        "recommendation_uuid": [
            str(r.recommendation.uuid),
            str(r.session_recommendation.uuid),
            UNKNOWN,
        ],
        "programme_uuid": [str(r.programme.uuid), UNKNOWN],
        "session_uuid": [str(r.session.uuid), UNKNOWN],
        "version_uuid": [str(r.checklist.uuid), UNKNOWN],
        "item_uuid": [str(r.checklist.items.get().uuid), UNKNOWN],
        "cluster": ["k1", "lintas", "zzz"],
        "referral_uuid": [str(r.referral.uuid), UNKNOWN],
        "referral_id": [str(r.referral.uuid), UNKNOWN],
        "death_uuid": [str(r.death.uuid), UNKNOWN],
        "case_uuid": [str(r.case.uuid), UNKNOWN],
        "attachment_uuid": [str(r.attachment.uuid), UNKNOWN],
        "visum_uuid": [str(r.visum.uuid), UNKNOWN],
        "case_id": [str(r.case.uuid), UNKNOWN, "not-a-uuid"],
        "case_referral_uuid": [str(r.case_referral.uuid), UNKNOWN],
        # a posyandu, a puskesmas, an area (the API's areas/<code>); unknown
        "code": [d.pos_ampel_timur_f.code, d.pkm_barat_f.code, d.ampel.code, "NOPE"],
        "on": ["2025-03-10", "0001-01-01", "9999-12-31", "not-a-date"],
        "package": [*ServicePackage.values, "zzz"],
        "register": [*REGISTERS, "zzz"],
        "indicator": [*CHARTS, "zzz"],
        # a catalogue indicator of the PWS pages, another, unknown
        "indicator_code": ["idl", "ds", "zzz", "0001-01"],
        # data-quality measures: persons, weighings, an aggregate one, unknown
        "measure": ["no_nik", "implausible", "whipple", "zzz"],
        "username": ["bidan_ampel", "dinkes", "nobody"],
    }


class UnfilledParameter(LookupError):
    """A URL pattern has a parameter that `_values` has no values for."""


def _routes(urlconf=None) -> Iterator[tuple[str, list[str]]]:
    """Every URL pattern outside the admin: its route and the names of its parameters."""

    def walk(patterns, prefix: str, names: list[str]):
        for p in patterns:
            own = list(getattr(p.pattern, "converters", {}))
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern), names + own)
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), names + own

    # Several API operations share a route (GET and POST on one path): check each path once.
    seen: set[str] = set()
    for route, names in walk(get_resolver(urlconf).url_patterns, "", []):
        if route not in seen:
            seen.add(route)
            yield route, names


def _fill(route: str, values: dict[str, str]) -> str:
    path = route
    for name, value in values.items():
        # A route parameter is written <name> or <converter:name>.
        path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
    assert "<" not in path, (route, path)
    return "/" + path


def _paths(values: dict[str, list[str]], urlconf=None) -> list[str]:
    """Each route with the first value of every parameter, then with one parameter at a time
    taking each of its other values. A parameter without values raises UnfilledParameter."""
    paths = []
    for route, names in _routes(urlconf):
        unfilled = [name for name in names if name not in values]
        if unfilled:
            raise UnfilledParameter(route, unfilled)
        base = {name: values[name][0] for name in names}
        variants = [base] + [{**base, name: value} for name in names for value in values[name][1:]]
        paths.extend(_fill(route, v) for v in variants)
    return list(dict.fromkeys(paths))


def test_every_url_parameter_has_values_to_try(district):
    """A new view with a parameter the test cannot fill fails here (and in every persona's
    run below), instead of being skipped."""
    values = _values(district, _records(district))
    unfilled = sorted(
        {(route, name) for route, names in _routes() for name in names if name not in values}
    )
    assert unfilled == []


def test_a_pattern_with_a_parameter_without_values_is_refused(district):
    from django.urls import path

    def view(request, widget_id):  # pragma: no cover - never called
        raise AssertionError

    urlconf = types.ModuleType("unfillable_urls")
    urlconf.urlpatterns = [path("ok/<str:code>/", view), path("gadget/<int:widget_id>/", view)]  # type: ignore[attr-defined]
    with pytest.raises(UnfilledParameter) as refused:
        _paths(_values(district, _records(district)), urlconf)
    assert refused.value.args == ("gadget/<int:widget_id>/", ["widget_id"])


def test_the_paths_cover_the_url_map(district):
    # Guard against a walk that silently finds little (e.g. a changed resolver structure).
    paths = _paths(_values(district, _records(district)))
    assert len(paths) > 200
    for expected in (
        "/",
        "/penduduk/cari/",
        f"/layanan/orang/{district.rina.uuid}/grafik/wfa.svg",
        "/layanan/posyandu/POS-AT/sesi/0001-01-01/tutup/",
        "/api/v1/places/areas/52.71.01.1001",
        f"/api/v1/persons/{UNKNOWN}",
        "/akun/pengguna/nobody/token/",
        "/keluar/",
        SCHEMA,
    ):
        assert expected in paths
    assert not any(p.startswith("/admin/") for p in paths)


# The personas of widest reach also send hostile query strings and form bodies: the
# administrator (the whole district, the user pages), a puskesmas (its work lists and
# registers) and the kader of Posyandu Melati (sessions, recording). Each sends the garbage
# query and form to every path; the other hostile requests to a path are shared out among
# them (each path gets each one from one of them), and a path that names nothing gets only
# the garbage (its view answers 404 first). Every persona GETs every path. A request costs
# some 10 ms: all of them from all ten personas to all paths took minutes.
DEEP = ["dinkes", "pkm_barat", "kader_ampel_timur"]
# ninja builds the OpenAPI schema anew for each request (over a second) and reads no input:
# fetched once, by the anonymous visitor (it is public).
SCHEMA = "/api/v1/openapi.json"


def _hostile(client: Client, path: str) -> list:
    """The hostile requests after the garbage query and form, one callable each."""
    return [
        *(lambda q=q: client.get(path, q) for q in HOSTILE_QUERIES[1:]),
        lambda: client.post(path, data=b"{not json", content_type="application/json"),
        lambda: client.post(path, {"on": FAR_DATES[0]}),  # opening a session dated 0001
        lambda: client.generic(
            "POST", path, b"--x\r\n", content_type="multipart/form-data; boundary="
        ),
    ]


def _requests(client: Client, path: str, index: int, persona: str | None) -> Iterator:
    yield client.get(path)
    if persona not in DEEP or path == SCHEMA:
        return
    yield client.get(path, GARBAGE)
    yield client.post(path, GARBAGE)
    if any(value in path for value in NOTHING):
        return
    for n, send in enumerate(_hostile(client, path)):
        if (index + n) % len(DEEP) == DEEP.index(persona):
            yield send()


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_answers_500(district, persona):
    values = _values(district, _records(district))
    client = Client(raise_request_exception=True)
    user = getattr(district, persona) if persona else None
    server_errors = []
    for index, path in enumerate(_paths(values)):
        if path == SCHEMA and persona is not None:
            continue
        session = client.cookies.get(settings.SESSION_COOKIE_NAME)
        if user is not None and not (session and session.value):
            # Logged in for every path: /keluar/ logs the persona out (and deletes the cookie).
            client.force_login(user)
        for response in _requests(client, path, index, persona):
            if response.status_code >= 500:
                method = response.request["REQUEST_METHOD"]
                server_errors.append((path, method, response.status_code))
    assert server_errors == []
