"""``GET /api/v1/referrals``: the fields, the scope of every role, the state filter, the
audit row and the query cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.accounts.models import AuditEvent
from ilp.referrals import services
from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"


def test_fields(client, district, referral, now):
    services.referral_act(
        user=district.bidan_ampel,
        referral=referral,
        action="depart",
        occurred_at=now - timedelta(hours=2),
    )
    client.force_login(district.pkm_barat)
    response = client.get(URL)
    assert response.status_code == 200
    (item,) = response.json()
    assert item == {
        "id": str(referral.uuid),
        "person": str(district.siti.uuid),
        "from_facility": "PUSTU-AMPEL",
        "to_facility": "P5271010101",
        "kind": "maternal",
        "state": "departed",
        "diagnosis": "O14.1",
        "previous": None,
        "detected_at": (now - timedelta(hours=4)).isoformat().replace("+00:00", "Z"),
        "decided_at": (now - timedelta(hours=3)).isoformat().replace("+00:00", "Z"),
        "departed_at": (now - timedelta(hours=2)).isoformat().replace("+00:00", "Z"),
        "received_at": None,
        "handled_at": None,
        "answered_at": None,
        "closed_at": None,
        "ended_at": None,
    }
    audit = AuditEvent.objects.filter(object_type="referral", action="view").get()
    assert audit.person_ids == [district.siti.pk]


@pytest.fixture
def second(district, now):
    """A planned referral of Dewi from Posyandu Anggrek (Cemara) to Puskesmas Timur, made by
    the Cemara kader a day ago."""
    return services.referral_create(
        user=district.kader_cemara,
        person=district.dewi,
        from_facility=district.pos_cemara_f,
        to_facility=district.pkm_timur_f,
        kind="planned",
        reason="Kontrol",
        decided_at=now - timedelta(days=1),
    )


@pytest.mark.parametrize(
    ("who", "status", "seen"),
    [
        ("dinkes", 200, {"referral", "second"}),
        ("pkm_barat", 200, {"referral"}),  # receiver (and above the sending pustu)
        ("pkm_timur", 200, {"second"}),  # receiver of the second, above its posyandu
        ("bidan_ampel", 200, {"referral"}),  # sender
        ("bidan_cemara", 200, {"second"}),  # the pustu above the sending posyandu
        ("kader_ampel_timur", 200, set()),
        ("kader_cemara", 200, {"second"}),
        ("tpcb", 403, None),
        ("ppa", 403, None),
        ("camat_barat", 403, None),
        ("kades_ampel", 403, None),
        ("norole", 403, None),
    ],
)
def test_scope_per_role(
    client, district, referral, second, pkm_timur, bidan_cemara, who, status, seen
):
    user = {"pkm_timur": pkm_timur, "bidan_cemara": bidan_cemara}.get(who) or getattr(district, who)
    client.force_login(user)
    response = client.get(URL)
    if status == 403:
        assert_error(response, 403, "forbidden")
        return
    assert response.status_code == 200
    names = {str(referral.uuid): "referral", str(second.uuid): "second"}
    assert {names[r["id"]] for r in response.json()} == seen


def test_anonymous(client, referral):
    assert client.get(URL).status_code == 401


def test_state_filter(client, district, referral, second):
    client.force_login(district.dinkes)
    assert len(client.get(URL, {"state": "created"}).json()) == 2
    assert client.get(URL, {"state": "answered"}).json() == []
    assert client.get(URL, {"state": "nonsense"}).status_code == 422


def test_newest_first_and_no_query_per_referral(client, district, referral, second, now):
    client.force_login(district.dinkes)
    with CaptureQueriesContext(connection) as ctx:
        ids = [r["id"] for r in client.get(URL).json()]
    assert ids == [str(referral.uuid), str(second.uuid)]
    first = len(ctx.captured_queries)
    for n in range(3):
        services.referral_create(
            user=district.bidan_ampel,
            person=district.siti,
            from_facility=district.pustu_ampel_f,
            to_facility=district.hospital_f,
            kind="emergency",
            reason=f"r{n}",
        )
    with CaptureQueriesContext(connection) as ctx:
        assert len(client.get(URL).json()) == 5
    assert len(ctx.captured_queries) == first
