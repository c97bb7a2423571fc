"""``GET /api/v1/protection/cases`` and ``/cases/{id}``: the exact fields, the partner's scope
(only cases referred to it; another case 404 and logged), 403 for every role that may read
no case, paging, API tokens, and what never crosses (parties, clinical notes)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from ilp.accounts.models import AuditEvent, Role, User
from ilp.accounts.tokens import token_issue
from ilp.protection import services, services_partner
from ilp.protection.models import Case
from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/protection/cases"
LIST_KEYS = {"count", "limit", "offset", "items"}
CASE_KEYS = {"id", "number", "state", "referred_to", "referrals"}
DETAIL_KEYS = CASE_KEYS | {"urgent", "arrived_at", "facility", "referred_by"}
REFERRAL_KEYS = {
    "id",
    "partner",
    "aim",
    "state",
    "sent_at",
    "acknowledged_at",
    "follow_up_due",
    "followed_up_at",
    "overdue",
}
REFERRAL_DETAIL_KEYS = REFERRAL_KEYS | {
    "note",
    "overdue_working_days",
    "follow_up_action",
    "follow_up_note",
    "cancelled_at",
    "cancel_reason",
}


def _iso(value: datetime) -> str:
    return DjangoJSONEncoder().default(value)  # ISO 8601 to the millisecond, as the API writes


def _late_case(prot) -> Case:
    """A case that arrived Thursday 28 May 2026, referred to LPA on Friday 29 May (before
    Pancasila Day, Monday 1 June): due Thursday 4 June, overdue since."""
    arrived = timezone.make_aware(datetime.combine(date(2026, 5, 28), time(8)))
    case = services.case_open(
        user=prot.d.pkm_barat,
        arrival_route="walk_in",
        arrived_at=arrived,
        victim={"alias": "Anak B", "sex": "F", "age_years": 8},
    )
    services_partner.case_refer(
        user=prot.d.pkm_barat,
        case=case,
        partner=prot.lpa,
        aim="legal",
        sent_at=arrived + timedelta(days=1),
    )
    return case


@pytest.fixture
def referred(prot):
    """prot.case referred to LPA (acknowledged) and to UPTD PPA; a late one to LPA only."""
    prot.to_lpa = services_partner.case_refer(
        user=prot.d.pkm_barat, case=prot.case, partner=prot.lpa, aim="social", note="Pendampingan"
    )
    services_partner.case_referral_acknowledge(user=prot.d.ppa, referral=prot.to_lpa)
    prot.to_lpa.refresh_from_db()
    prot.to_uptd = services_partner.case_refer(
        user=prot.d.pkm_barat, case=prot.case, partner=prot.uptd, aim="legal"
    )
    prot.late = _late_case(prot)
    return prot


def _partner(p) -> dict:
    return {"id": str(p.uuid), "name": p.name, "kind": p.kind}


def test_the_partners_list_exact_fields(client, referred):
    p = referred
    client.force_login(p.d.ppa)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == LIST_KEYS
    assert (body["count"], body["limit"], body["offset"]) == (2, 50, 0)
    case, late = body["items"]  # urgent first, then newest (neither is urgent)
    assert set(case) == CASE_KEYS
    r = p.to_lpa
    # the partner sees its own referral, not the one to UPTD PPA
    assert case["referrals"][0] == {
        "id": str(p.to_lpa.uuid),
        "partner": _partner(p.lpa),
        "aim": "social",
        "state": "acknowledged",
        "sent_at": _iso(p.to_lpa.sent_at),
        "acknowledged_at": _iso(p.to_lpa.acknowledged_at),
        "follow_up_due": p.to_lpa.follow_up_due.isoformat(),
        "followed_up_at": None,
        "overdue": False,
    }, case["referrals"][0]
    assert case == {
        "id": str(p.case.uuid),
        "number": p.case.number,
        "state": "in_care",
        "referred_to": [_partner(p.lpa)],
        "referrals": [
            {
                "id": str(r.uuid),
                "partner": _partner(p.lpa),
                "aim": "social",
                "state": "acknowledged",
                "sent_at": _iso(r.sent_at),
                "acknowledged_at": _iso(r.acknowledged_at),
                "follow_up_due": r.follow_up_due.isoformat(),
                "followed_up_at": None,
                "overdue": False,
            }
        ],
    }
    assert late["number"] == p.late.number
    (late_referral,) = late["referrals"]
    assert set(late_referral) == REFERRAL_KEYS
    assert late_referral["follow_up_due"] == "2026-06-04"
    assert late_referral["overdue"] is True and late_referral["state"] == "sent"
    # each listed case is audited on the case
    for case_uuid in (p.case.uuid, p.late.uuid):
        assert AuditEvent.objects.filter(
            object_type="protection_case",
            object_uuid=case_uuid,
            user=p.d.ppa,
            action="view",
            detail__what="api_list",
        ).exists()


def test_the_health_circle_sees_every_referral(client, referred):
    client.force_login(referred.d.pkm_barat)
    body = client.get(URL).json()
    by_number = {c["number"]: c for c in body["items"]}
    case = by_number[referred.case.number]
    assert [x["name"] for x in case["referred_to"]] == ["LPA Kota Uji", "UPTD PPA Kota Uji"]
    assert [x["state"] for x in case["referrals"]] == ["acknowledged", "sent"]


def test_one_case_with_its_follow_up_states(client, referred):
    p = referred
    services_partner.case_referral_follow_up(
        user=p.d.ppa, referral=p.to_lpa, action="home_visit", note="Korban aman di rumah nenek"
    )
    services.case_update_notes(
        user=p.d.pkm_barat,
        case=Case.objects.get(pk=p.case.pk),
        clinical_notes="Hematom 3 cm",
        partner_may_read_clinical=False,
        version=Case.objects.get(pk=p.case.pk).version,
    )
    client.force_login(p.d.ppa)
    response = client.get(f"{URL}/{p.case.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DETAIL_KEYS
    assert body["facility"] == {"code": p.d.pkm_barat_f.code, "name": p.d.pkm_barat_f.name}
    assert body["referred_by"] is None and body["urgent"] is False
    (r,) = body["referrals"]
    assert set(r) == REFERRAL_DETAIL_KEYS
    assert r["state"] == "followed_up" and r["overdue"] is False
    assert r["follow_up_action"] == "home_visit"
    assert r["follow_up_note"] == "Korban aman di rumah nenek"
    assert r["note"] == "Pendampingan" and r["overdue_working_days"] == 0
    text = response.content.decode()
    assert "Hematom" not in text and "Siti" not in text
    late = client.get(f"{URL}/{p.late.uuid}").json()
    # due Thursday 4 June: every working day since is one day late
    assert late["referrals"][0]["overdue_working_days"] > 100
    assert AuditEvent.objects.filter(
        object_type="protection_case", object_uuid=p.case.uuid, action="view", detail__what="api"
    ).exists()


def test_a_case_not_referred_to_the_partner_is_404_and_logged(client, referred):
    p = referred
    client.force_login(p.ppa_uptd)
    # UPTD PPA reads prot.case (referred to it), not the late case (LPA only)
    assert client.get(f"{URL}/{p.case.uuid}").status_code == 200
    assert [c["number"] for c in client.get(URL).json()["items"]] == [p.case.number]
    response = client.get(f"{URL}/{p.late.uuid}")
    assert_error(response, 404, "not_found")
    assert AuditEvent.objects.filter(
        object_type="protection_case",
        object_uuid=p.late.uuid,
        user=p.ppa_uptd,
        action="denied",
        detail__what="api",
    ).exists()
    assert_error(client.get(f"{URL}/not-a-uuid"), 404, "not_found")


@pytest.mark.parametrize(
    "who",
    [
        "kader_ampel_timur",
        "tpcb",
        "camat_barat",
        "kades_ampel",
        "rs_uji",
        "norole",
        "dpo",
        "specialist",
        "partnerless",
    ],
)
def test_roles_that_read_no_case_get_403(client, referred, who):
    d = referred.d
    extra = {
        "dpo": (Role.DATA_PROTECTION, {"area": d.city}),
        "specialist": (Role.SPECIALIST, {"area": d.city}),
        "partnerless": (Role.PROTECTION, {"area": d.city}),
    }
    if who in extra:
        role, fields = extra[who]
        user = User.objects.create_user(username=who, password="x", role=role, **fields)
    else:
        user = getattr(d, who)
    client.force_login(user)
    before = AuditEvent.objects.filter(user=user, action="denied").count()
    assert_error(client.get(URL), 403, "forbidden")
    assert_error(client.get(f"{URL}/{referred.case.uuid}"), 403, "forbidden")
    assert AuditEvent.objects.filter(user=user, action="denied").count() == before + 2


def test_roles_that_read_cases_get_their_own(client, referred):
    p = referred
    expected = {
        p.d.pkm_barat: 2,  # officer of both
        p.pkm_barat2: 0,  # same puskesmas, not assigned
        p.pkm_timur: 0,
        p.d.bidan_ampel: 0,
        p.d.dinkes: 0,  # only by breaking the glass
        p.d.ppa: 2,
        p.ppa_uptd: 1,
    }
    for user, count in expected.items():
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200, user
        assert response.json()["count"] == count, user.username


def test_unauthenticated_is_401(client, referred):
    assert_error(client.get(URL), 401, "unauthenticated")


def test_paged(client, referred):
    client.force_login(referred.d.ppa)
    first = client.get(URL, {"limit": 1}).json()
    second = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert client.get(URL, {"limit": 1, "offset": 5}).json()["items"] == []
    assert_error(client.get(URL, {"limit": 0}), 422, "invalid", {"limit": ["Minimal 1."]})
    assert_error(client.get(URL, {"limit": 201}), 422, "invalid", {"limit": ["Maksimal 200."]})
    only_open = client.get(URL, {"state": "closed"}).json()
    assert only_open["count"] == 0


def test_a_partners_token_reads_its_cases(referred):
    _token, secret = token_issue(
        user=referred.d.ppa,
        name="Sistem LPA",
        expires_at=timezone.now() + timedelta(days=30),
        rate_per_minute=None,
        by=referred.d.dinkes,
        ip=None,
    )
    client = Client(enforce_csrf_checks=True)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    body = client.get(URL).json()
    assert body["count"] == 2
    audit = AuditEvent.objects.filter(detail__what="api_list", user=referred.d.ppa).first()
    assert audit.detail["client"] == "Sistem LPA"


def test_the_list_query_count_does_not_grow_with_cases(
    client, referred, django_assert_max_num_queries
):
    client.force_login(referred.d.ppa)
    client.get(URL)
    # session, user, partner, count, rows, referrals, and one audit row per case (2)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200
