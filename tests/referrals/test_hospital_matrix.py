"""What a hospital's staff reach, walked over the whole URL map: as `rs_uji` (RSUD Kota Uji)
every page and API path of the project (filled with real values of the test district, as
``tests/test_no_server_errors.py`` fills them) is refused, except the referral pages, the
account pages and the home page; the API lists its hospital's referrals and nothing else.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.accounts.tokens import token_issue
from ilp.referrals import services
from tests.test_no_server_errors import UNKNOWN, _paths, _records, _values

pytestmark = pytest.mark.django_db

# What a hospital's staff may open: their home, their account, the referral pages (each
# referral and person read only through referral_scope_q), and logging in and out.
ALLOWED_PREFIXES = ("/rujukan/", "/akun/", "/masuk/", "/keluar/", "/i18n/")
ALLOWED_EXACT = {"/", "/api/v1/referrals"}
# The API's schema pages (public) and the master list of areas and facilities (no person: a
# hospital's system maps facility codes with it).
API_ALLOWED_PREFIXES = ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/places/")
# How a refusal looks: 403 (role), 404 (outside scope), 405 (a POST-only path opened with
# GET: nothing read), or the login page (the admin, for a user who is not staff).
REFUSED = {403, 404, 405}


def _empty(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json") and response.json() in (
        [],
        {},
    )


def _allowed(path: str) -> bool:
    return (
        path in ALLOWED_EXACT
        or path.startswith(ALLOWED_PREFIXES)
        or path.startswith(API_ALLOWED_PREFIXES)
    )


@pytest.fixture
def hospital_referral(district):
    return services.referral_create(
        user=district.pkm_barat,
        person=district.siti,
        from_facility=district.pkm_barat_f,
        to_facility=district.hospital_f,
        kind="maternal",
        reason="Preeklamsia berat",
        decided_at=timezone.now() - timedelta(hours=1),
    )


def test_hospital_staff_reach_nothing_but_their_referrals(client, district, hospital_referral):
    records = _records(district)
    values = _values(district, records)
    # the hospital's referral first, then another one (Pustu Ampel → Puskesmas Barat)
    values["referral_uuid"] = [str(hospital_referral.uuid), str(records.referral.uuid), UNKNOWN]
    paths = _paths(values)
    assert len(paths) > 200
    client.force_login(district.rs_uji)
    leaks, allowed = [], []
    for path in paths:
        response = client.get(path)
        status = response.status_code
        if _allowed(path):
            allowed.append((path, status))
            assert status < 500, path
            continue
        to_login = status == 302 and response["Location"].startswith("/masuk/")
        if status in REFUSED or to_login:
            continue
        if path.startswith("/api/") and (status == 422 or (status == 200 and _empty(response))):
            continue  # an empty answer, or a query refused before anything was read

        leaks.append((path, status, response.get("Content-Type", "")))
    assert leaks == []
    # the protection pages (a KtP/A case of Siti) were walked, and refused like the rest
    assert f"/perlindungan/kasus/{records.case.uuid}/" in paths
    assert not any(path.startswith("/perlindungan/") for path, _status in allowed)
    # the referral pages answer for the hospital's referral, not for another one
    got = dict(allowed)
    assert got[f"/rujukan/{hospital_referral.uuid}/"] == 200
    assert got[f"/rujukan/{hospital_referral.uuid}/ringkasan/"] == 200
    assert got[f"/rujukan/{records.referral.uuid}/"] == 404
    assert got[f"/rujukan/{records.referral.uuid}/ringkasan/"] == 404
    assert got["/rujukan/masuk/"] == 200
    assert got["/"] == 200


def test_the_admin_is_closed_to_hospital_staff(client, district):
    client.force_login(district.rs_uji)
    for path in ("/admin/", "/admin/people/person/", "/admin/accounts/user/"):
        response = client.get(path)
        assert response.status_code == 302, path
        # the admin's own login page, which ILPAdminSite sends to the ILP login
        assert response["Location"].startswith("/admin/login/"), path


@pytest.fixture
def rs_token(district):
    _token, secret = token_issue(
        user=district.rs_uji,
        name="SIMRS RSUD",
        expires_at=timezone.now() + timedelta(days=30),
        rate_per_minute=None,
        by=district.dinkes,
        ip=None,
    )
    return {"Authorization": f"Bearer {secret}"}


def test_api_with_the_hospitals_token(client, district, hospital_referral, rs_token):
    # another referral the hospital neither sent nor received
    services.referral_create(
        user=district.bidan_ampel,
        person=district.siti,
        from_facility=district.pustu_ampel_f,
        to_facility=district.pkm_barat_f,
        kind="planned",
        reason="kontrol",
    )
    response = client.get("/api/v1/referrals", headers=rs_token)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [str(hospital_referral.uuid)]
    for path in (
        "/api/v1/persons",
        "/api/v1/persons?q=Siti",
        "/api/v1/indicators/idl/values?area=52.71&period=2025-03",
        f"/api/v1/persons/{district.siti.uuid}",
        f"/api/v1/persons/{district.siti.uuid}/encounters",
    ):
        response = client.get(path, headers=rs_token)
        assert response.status_code in (403, 404) or (
            response.status_code == 200 and response.json() in ([], {})
        ), (path, response.status_code)
