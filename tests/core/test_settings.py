"""Production is the default: the settings module, loaded in a fresh interpreter with a given
environment, as a server would load it; only the explicit demo mode relaxes transport
security, and no mode shows Django's debug pages."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-real-secret-" + "x7Qp" * 12
PRODUCTION = {"ILP_SECRET_KEY": SECRET, "ILP_ALLOWED_HOSTS": "ilp.dinkes.example.go.id"}
NAMES = [
    "DEBUG",
    "DEMO",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "ALLOWED_HOSTS",
]


def _env(**values: str) -> dict[str, str]:
    """This process's environment without any ILP_ variable, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ILP_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(values)
    return env


def _run(code: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _settings(**env: str) -> dict:
    code = (
        "import json, ilp.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {NAMES!r}}}))"
    )
    done = _run(code, _env(**env))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_is_the_default():
    s = _settings(**PRODUCTION)
    assert s["DEBUG"] is False and s["DEMO"] is False
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # trusted only when configured
    assert s["ALLOWED_HOSTS"] == ["ilp.dinkes.example.go.id"]


def test_the_proxy_header_is_trusted_only_when_configured():
    s = _settings(**PRODUCTION, ILP_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_the_demo_mode_allows_plain_http_but_no_debug_pages():
    s = _settings(ILP_DEMO="true")
    assert s["DEMO"] is True and s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] is False and s["CSRF_COOKIE_SECURE"] is False
    assert s["SECURE_SSL_REDIRECT"] is False and s["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "ILP_SECRET_KEY must be set"),
        ({"ILP_SECRET_KEY": "ilp-dev-only-not-secret"}, "public development key"),
        (
            {**PRODUCTION, "ILP_ATTACHMENT_KEY": "x" * 44},
            "ILP_ATTACHMENT_KEY: key 1 must be URL-safe base64 of 32 bytes",
        ),
    ],
)
def test_without_a_secret_key_nothing_starts(env, message):
    done = _run("import ilp.settings", _env(**env))
    assert done.returncode != 0
    assert message in done.stderr


def test_the_deploy_check_is_clean_for_the_documented_production_settings():
    done = subprocess.run(
        [sys.executable, "-m", "ilp.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(**PRODUCTION, ILP_PROXY_SSL_HEADER="X-Forwarded-Proto"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (1 silenced)" in done.stdout


@pytest.mark.parametrize(
    "env, refusal",
    [
        ({"ILP_DEBUG": "true"}, "ILP_DEBUG is on"),
        ({"ILP_DEBUG": "true", "ILP_SECRET_KEY": ""}, "public development key"),
    ],
)
def test_serve_refuses_debug_and_the_development_key_outside_the_demo(env, refusal):
    done = subprocess.run(
        [sys.executable, "-m", "ilp.cli", "serve", "--bind", "127.0.0.1:1"],
        env=_env(**{**PRODUCTION, **env}),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert refusal in done.stderr
    assert "ILP at http" not in done.stdout  # it did not start


def test_serve_accepts_the_demo_mode():
    from ilp.demo.management.commands.serve import unsafe_settings

    with override_settings(DEMO=True, DEBUG=False, SECRET_KEY="ilp-dev-only-not-secret"):
        assert unsafe_settings() == []
    with override_settings(DEMO=False, DEBUG=False):
        assert unsafe_settings() == []  # the test settings: a real key, no debug


PAGES = """
import django, re
django.setup()
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment(debug=None)  # keep the settings' DEBUG, as a server would
with override_settings(ROOT_URLCONF="tests.core.urls_failing"):
    client = Client(raise_request_exception=False)
    missing = client.get("/tidak-ada/")
    failing = client.get("/gagal/")
print(missing.status_code, "URLconf" in missing.content.decode())
print(failing.status_code, "Traceback" in failing.content.decode(),
      bool(re.search(r'class="reference">[0-9a-f]{12}<', failing.content.decode())))
"""


def test_the_demo_mode_shows_no_debug_page(tmp_path):
    # A fresh interpreter in demo mode (its own empty SQLite file: the failing page's query
    # fails too, which is just another 500).
    env = _env(ILP_DEMO="true", PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="ilp.settings")
    env.pop("DATABASE_URL", None)
    done = _run(PAGES, env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["404 False", "500 False True"]


def test_every_settings_variable_is_documented_in_the_readme_and_the_module():
    source = (ROOT / "src" / "ilp" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|keys)\(\s*"([A-Z_]+)"', source))
    assert {"ILP_SECRET_KEY", "ILP_DEMO", "ILP_DEBUG", "DATABASE_URL"} <= names
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Settings") :]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.M))
    assert documented == names
    docstring = ast.get_docstring(ast.parse(source))
    assert {n for n in names if not re.search(rf"\b{n}\b", docstring)} == set()
