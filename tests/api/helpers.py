"""Helpers for the JSON API tests: posting JSON and asserting the exact error envelope."""

from __future__ import annotations

import json


def post_json(client, url: str, data, **extra):
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def assert_error(response, status: int, code: str, fields: dict | None = None) -> dict:
    """The response is the one error envelope with this status and code; with `fields`, those
    exact messages per field (other fields may also carry messages)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    for name, messages in (fields or {}).items():
        assert error["fields"].get(name) == messages, error["fields"]
    return error
