"""What kind of document a file really is, read from its first bytes (its signature), not from
its name or the type the browser claimed: PDF, JPEG, PNG or an Excel workbook (XLSX).

Pure functions over bytes (no Django). ``ilp.evaluation.evidence`` uses them to accept only
these kinds as a recommendation's evidence.

Sources
- PDF: ISO 32000-1:2008 §7.5.2, "File header": the first line is ``%PDF-`` and a version.
- JPEG: ITU-T T.81 | ISO/IEC 10918-1 (1992) Annex B.1.1.3 and table B.1: the SOI marker
  ``FF D8`` starts every image, followed by another marker (``FF``).
- PNG: W3C, *Portable Network Graphics (PNG) Specification* (2nd ed., ISO/IEC 15948:2004)
  §5.2, "PNG signature": the eight bytes ``89 50 4E 47 0D 0A 1A 0A``.
- XLSX: ECMA-376 Part 2, *Open Packaging Conventions* (5th ed., 2021) §8 (a ZIP package with
  the ``[Content_Types].xml`` part) and Part 1 §12.3.23 (the SpreadsheetML workbook part,
  ``xl/workbook.xml`` by convention of every producer); a macro-enabled workbook (XLSM) holds
  ``xl/vbaProject.bin`` (MS-OFFMACRO2 §2.1) and is not accepted. The ZIP's central
  directory is read (its names only), nothing is decompressed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    code: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "application/pdf", (".pdf",))
JPEG = FileKind("jpeg", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileKind("png", "image/png", (".png",))
XLSX = FileKind(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
KINDS = (PDF, JPEG, PNG, XLSX)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    return (
        "[Content_Types].xml" in names
        and "xl/workbook.xml" in names
        and "xl/vbaProject.bin" not in names
    )


def detect(data: bytes) -> FileKind | None:
    """The kind of document `data` is by its signature, or None (none of the accepted kinds)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if len(data) > 3 and data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if data.startswith(ZIP_SIGNATURE) and _is_xlsx(data):
        return XLSX
    return None


def extension(name: str) -> str:
    """The name's extension, lower case with its dot ('' without one)."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return f".{base.rsplit('.', 1)[1].lower()}" if "." in base.strip(".") else ""
