"""The Content-Security-Policy holds for every page without 'unsafe-inline': no page carries
inline script, inline style or an inline event handler, whether it comes from a template or
from Python, and htmx is told not to inject any. The browser side (zero CSP violations while
htmx works) is tests/browser/test_csp.py."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

SRC = Path(__file__).resolve().parents[2] / "src" / "ilp"

INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")"),
    "<style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on attribute": re.compile(r"\s(?:data-)?hx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _violations(html: str) -> list[str]:
    return [name for name, pattern in INLINE.items() if pattern.search(html)]


def test_no_template_carries_inline_code_or_style():
    templates = sorted(SRC.glob("**/templates/**/*.html"))
    assert len(templates) > 30
    found = {str(t.relative_to(SRC)): _violations(t.read_text()) for t in templates}
    assert {k: v for k, v in found.items() if v} == {}


def test_ilp_scripts_neither_evaluate_code_nor_write_inline_style():
    scripts = [p for p in (SRC / "static" / "ilp").rglob("*.js") if "vendor" not in p.parts]
    assert len(scripts) >= 2
    pattern = re.compile(r"\beval\(|new Function|setAttribute\(\s*[\"']style|[\s\"']style=")
    assert [str(p) for p in scripts if pattern.search(p.read_text())] == []


def test_htmx_is_configured_to_inject_no_style_and_run_no_code():
    base = (SRC / "templates" / "base.html").read_text()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', base)
    assert config
    assert '"includeIndicatorStyles": false' in config.group(1)
    assert '"allowEval": false' in config.group(1)
    assert '"allowScriptTags": false' in config.group(1)


@pytest.fixture
def pages(district, settings):
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"
    from ilp.care.services import session_open
    from tests.conftest import _person

    today = timezone.localdate()
    baby = _person("Ayu Lestari", "F", today - timedelta(days=90), district.rt_ampel_timur)
    session_open(actor=district.kader_ampel_timur, posyandu=district.pos_ampel_timur_f, on=today)
    day = today.isoformat()
    return [
        f"/penduduk/cari/?q={baby.full_name[:4]}",
        f"/penduduk/{baby.uuid}/",
        f"/keluarga/{district.family_ampel.uuid}/",
        "/keluarga/baru/",
        f"/layanan/orang/{baby.uuid}/",
        f"/layanan/orang/{baby.uuid}/child/",
        f"/layanan/orang/{baby.uuid}/immunization/",
        f"/layanan/orang/{baby.uuid}/grafik/wfa.svg",
        "/layanan/posyandu/POS-AT/",
        f"/layanan/posyandu/POS-AT/sesi/{day}/",
        "/layanan/kerja/",
        "/layanan/kerja/POS-AT/",
        "/layanan/kerja/POS-AT/khusus/",
        "/layanan/kerja/POS-AT/kohort/balita/",
        "/",
    ]


def test_every_main_page_satisfies_the_policy(district, client, client_for, pages):
    login = client.get("/masuk/")
    policy = login["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert _violations(login.content.decode()) == []
    staff = client_for(district.pkm_barat)
    for path in pages:
        response = staff.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == policy
        assert _violations(response.content.decode()) == [], path
    # The account pages, the second-factor enrolment (its QR code is inline SVG) and user
    # management, as the Dinkes administrator.
    admin = client_for(district.dinkes)
    for path in ["/akun/", "/akun/kata-sandi/", "/akun/dua-langkah/", "/akun/pengguna/"]:
        response = admin.get(path)
        assert response.status_code == 200, path
        assert _violations(response.content.decode()) == [], path
    assert "<svg" in admin.get("/akun/dua-langkah/").content.decode()
