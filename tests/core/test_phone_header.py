"""The page header on a phone: one line with a menu toggle (the menu folds behind it once
ilp.js runs), nothing inline that the Content-Security-Policy would block."""

from __future__ import annotations

import re

from django.urls import reverse


def test_the_header_has_a_menu_toggle_for_its_links(district, client_for):
    page = client_for(district.kader_ampel_timur).get(reverse("home")).content.decode()
    header = page[page.index('<header class="topbar"') : page.index("</header>")]

    # The toggle is hidden until ilp.js shows it: without script the menu stays open.
    toggle = re.search(r"<button[^>]*data-menu-toggle[^>]*>", header).group(0)
    assert 'aria-controls="topbar-menu"' in toggle and 'aria-expanded="false"' in toggle
    assert " hidden" in toggle
    menu = header[header.index('id="topbar-menu"') :]
    for link in ("Beranda", "Cari penduduk", "Daftar kerja", "Keluar"):
        assert link in menu


def test_no_inline_script_or_style_on_the_page(district, client_for):
    page = client_for(district.kader_ampel_timur).get(reverse("home")).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page and " style=" not in page
    assert " onclick=" not in page
