"""The OpenAPI schema and the interactive docs, served without any CDN."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders


def test_openapi_json_lists_every_path(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert set(schema["paths"]) == {
        "/api/v1/places/areas",
        "/api/v1/places/areas/{code}",
        "/api/v1/places/facilities",
        "/api/v1/persons",
        "/api/v1/persons/{person_uuid}",
        "/api/v1/persons/{person_uuid}/void",
        "/api/v1/persons/{person_uuid}/pregnancies",
        "/api/v1/persons/{person_uuid}/pregnancies/{pregnancy_uuid}",
        "/api/v1/persons/{person_uuid}/pregnancies/{pregnancy_uuid}/void",
        "/api/v1/families",
        "/api/v1/families/{family_uuid}",
        "/api/v1/encounters",
        "/api/v1/persons/{person_uuid}/encounters",
        "/api/v1/persons/{person_uuid}/work-items",
        "/api/v1/indicators",
        "/api/v1/indicators/{code}/values",
        "/api/v1/recommendations",
        "/api/v1/recommendations/{recommendation_uuid}/actions",
        "/api/v1/recommendations/evidence/{evidence_uuid}",
        "/api/v1/referrals",
        "/api/v1/referrals/{referral_id}",
        "/api/v1/referrals/{referral_id}/events",
        "/api/v1/protection/cases",
        "/api/v1/protection/cases/{case_id}",
        "/api/v1/teams",
        "/api/v1/visits",
        "/api/v1/visits/{visit_uuid}",
        "/api/v1/visits/{visit_uuid}/done",
    }
    assert set(schema["paths"]["/api/v1/persons"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/persons/{person_uuid}"]) == {"get", "patch"}
    assert "X-CSRFToken" in schema["info"]["description"]
    register = schema["paths"]["/api/v1/persons"]["post"]
    assert set(register["responses"]) == {"200", "201", "401", "403", "404", "409", "422"}
    assert "PersonIn" in schema["components"]["schemas"]
    record = schema["paths"]["/api/v1/encounters"]["post"]
    assert set(record["responses"]) == {"200", "201", "401", "403", "404", "409", "422"}
    assert {"EncounterIn", "EncounterOut", "WorkItemsOut"} <= set(schema["components"]["schemas"])
    assert "needs_confirmation" in schema["info"]["description"]


def test_docs_page_uses_only_local_assets(db, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert '"validatorUrl": null' in html
    for asset in ["ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"]:
        assert finders.find(asset), asset


def test_the_public_schema_is_built_once_per_language(db, client, monkeypatch, settings):
    """ninja would rebuild it on every request (hundreds of ms of CPU for anyone, no login)."""
    import ninja.main

    from ilp.api import api

    built = []
    real = ninja.main.get_schema

    def counting(**kwargs):
        built.append(kwargs["path_prefix"])
        return real(**kwargs)

    monkeypatch.setattr(ninja.main, "get_schema", counting)
    monkeypatch.setattr(api, "_schemas", {}, raising=False)
    first = client.get("/api/v1/openapi.json").content
    assert client.get("/api/v1/openapi.json").content == first
    assert len(built) == 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/api/v1/openapi.json")
    client.get("/api/v1/openapi.json")
    assert len(built) == 2
