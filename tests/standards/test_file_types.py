"""The kind of a file read from its signature (ISO 32000-1 §7.5.2, ITU-T T.81 B.1.1.3, PNG
§5.2, ECMA-376 part 2), whatever it is named."""

from __future__ import annotations

import pytest

from ilp.standards import file_types as ft
from tests.evaluation import files


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (files.PDF, ft.PDF),
        (files.JPEG, ft.JPEG),
        (files.PNG, ft.PNG),
        (files.xlsx(), ft.XLSX),
        (files.xlsm(), None),  # macros inside: refused
        (files.plain_zip(), None),  # a ZIP that is no workbook
        (b"PK\x03\x04 broken", None),
        (b"<html><script>alert(1)</script>", None),
        (b"%PDF", None),  # too short for the header
        (b"\xff\xd8", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_detect(data, kind):
    assert ft.detect(data) == kind


@pytest.mark.parametrize(
    ("name", "ext"),
    [
        ("Register.PDF", ".pdf"),
        ("foto.register.jpeg", ".jpeg"),
        ("C:\\Users\\bidan\\sk.pdf", ".pdf"),
        ("noext", ""),
        (".hidden", ""),
        ("trailing.", ""),
    ],
)
def test_extension(name, ext):
    assert ft.extension(name) == ext
