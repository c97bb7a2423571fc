"""Every page declares who may open it: the test walks the whole URL map (web pages and the
JSON API) and fails for any view without a declared access rule (deny by default).

A web view declares its rule with ``ilp.accounts.access.role_required(<predicate>)`` or is
marked ``ilp.accounts.access.public``; the Django admin guards its own views (staff only);
an API operation requires authentication unless it is one of ninja's schema/docs pages.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ilp.accounts import access

# ninja's own pages (OpenAPI schema and docs) need no login: they describe, never return data.
API_PUBLIC_OPERATIONS = {"openapi-json", "openapi-view", "api-root"}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p


def _ninja_operations(callback):
    """The ninja operations behind one URL pattern (the PathView its wrapper closes over),
    or None for other views."""
    from ninja.operation import PathView

    for cell in getattr(callback, "__closure__", None) or ():
        if isinstance(cell.cell_contents, PathView):
            return cell.cell_contents.operations
    return None


def _web_views():
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace == "admin" or _ninja_operations(pattern.callback) is not None:
            continue
        if pattern.name in API_PUBLIC_OPERATIONS:
            continue
        yield route, pattern


def test_every_web_view_declares_an_access_rule():
    missing = []
    for route, pattern in _web_views():
        rule = getattr(pattern.callback, "access_rule", None)
        if rule is None:
            missing.append(f"{route} ({pattern.lookup_str})")
    assert missing == []


def test_there_are_many_views_to_check():
    # Guard against a walk that silently finds nothing (e.g. a changed resolver structure).
    routes = [route for route, _ in _web_views()]
    assert len(routes) >= 25
    assert any(r.startswith("layanan/") for r in routes)
    assert any(r.startswith("penduduk/") for r in routes)


def test_every_api_operation_requires_authentication():
    unauthenticated = []
    seen = 0
    for route, _namespace, pattern in _walk(get_resolver().url_patterns):
        operations = _ninja_operations(pattern.callback)
        if operations is None:
            continue
        for op in operations:
            seen += 1
            if not op.auth_callbacks:
                unauthenticated.append(f"{route} {op.methods}")
    assert seen >= 8
    assert unauthenticated == []


def test_public_views_are_the_expected_few():
    public = sorted(
        route for route, p in _web_views() if getattr(p.callback, "access_rule", None) == "public"
    )
    # masuk/kode/: the second login step, for someone whose password was accepted but who is
    # not logged in until the code is (the view itself refuses anyone else).
    assert public == ["i18n/setlang/", "keluar/", "masuk/", "masuk/kode/"]


@pytest.mark.parametrize(
    "rule",
    [
        access.can_view_personal_data,
        access.can_register,
        access.can_record,
        access.any_user,
        access.can_use_second_factor,
        access.can_manage_users,
    ],
)
def test_rules_refuse_anonymous_users(rule):
    from django.contrib.auth.models import AnonymousUser

    assert rule(AnonymousUser()) is False
