"""Small files of each kind, made here (no fixture files): their first bytes are what the
content check reads."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)


def xlsx() -> bytes:
    buffer = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "Register K1"
    wb.save(buffer)
    return buffer.getvalue()


def xlsm() -> bytes:
    """An XLSX package with a macro project: refused."""
    source = zipfile.ZipFile(io.BytesIO(xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name in source.namelist():
            out.writestr(name, source.read(name))
        out.writestr("xl/vbaProject.bin", b"macro")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("a.txt", b"hello")
    return buffer.getvalue()
