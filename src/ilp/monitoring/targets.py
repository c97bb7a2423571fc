"""Targets: the projected sasaran per desa (uploaded by the Dinkes as an Excel sheet per
year) and the puskesmas' annual targets (SK target kinerja) per indicator and year.

Sasaran proyeksi: the sheet's first row names the columns ``kode_desa``, ``nama_desa`` and
one column per :class:`~ilp.monitoring.models.SasaranKind` value; each further row is one
desa of the uploader's district. The whole file is checked before anything is written: an
empty or non-xlsx file, missing or unknown columns, unknown desa codes or desa outside the
district, a desa twice, an empty, formula, non-numeric, non-integer or negative count — every
error is listed with its row and column, and nothing is saved. A valid upload supersedes the
year's previous upload as a whole; the earlier rows stay (history, never deleted).

Which projected kinds stand beside a catalogue denominator: ``KINDS_OF_DENOMINATOR`` (a
denominator rule without an entry has no projected denominator). The 15+ PTM denominator is
the sum of usia produktif (15-59) and lansia (60+).

Annual targets: a puskesmas' target for an indicator and year, 0-100 %, replaces the
catalogue's national target for the puskesmas and its desa (``effective_targets``).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ilp.accounts.access import (
    can_set_puskesmas_targets,
    can_upload_sasaran,
    target_puskesmas,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.models import ProjectedSasaran, PuskesmasTarget, SasaranKind, SasaranUpload
from ilp.places.models import Area, AreaLevel, Facility

CODE_COLUMN = "kode_desa"
NAME_COLUMN = "nama_desa"
KIND_COLUMNS = tuple(SasaranKind.values)
COLUMNS = (CODE_COLUMN, NAME_COLUMN, *KIND_COLUMNS)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000  # a district has at most a few hundred desa
MAX_ERRORS = 50  # listed; the count of the rest is given

KINDS_OF_DENOMINATOR: dict[str, tuple[str, ...]] = {
    "pregnancies_ending_in_year": (SasaranKind.PREGNANT,),
    "deliveries_in_year": (SasaranKind.DELIVERING,),
    "born_in_year": (SasaranKind.LIVE_BIRTHS,),
    "infants_turning_one": (SasaranKind.INFANTS,),
    "children_turning_two": (SasaranKind.BADUTA,),
    "balita_each_month": (SasaranKind.BALITA,),
    "residents_15_plus": (SasaranKind.PRODUCTIVE, SasaranKind.ELDERLY),
    "residents_60_plus": (SasaranKind.ELDERLY,),
}


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # letter and header, e.g. "C (ibu_hamil)"; "" for the whole row or file
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Baris %(row)s, kolom %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Baris %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


def require_sasaran_uploader(user: User) -> Area:
    """The uploader's district (PermissionDenied for other roles or without a district)."""
    if not can_upload_sasaran(user) or user.area is None:
        raise PermissionDenied(_("Peran Anda tidak dapat mengunggah sasaran proyeksi."))
    return user.area


def _refuse(errors: list[CellError]) -> ValidationFailed:
    shown = [str(e) for e in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        shown.append(_("… dan %(count)s kesalahan lain.") % {"count": len(errors) - MAX_ERRORS})
    message = _("Berkas tidak disimpan: %(count)s kesalahan.") % {"count": len(errors)}
    if len(errors) == 1:
        message = _("Berkas tidak disimpan: %(error)s") % {"error": shown[0]}
    return ValidationFailed(message, fields={"file": shown})


def _count(value: Any) -> int | str:
    """The cell's count, or the message why it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return _("kosong; isi 0 bila tidak ada sasaran.")
    if isinstance(value, bool):
        return _("bukan angka.")
    if isinstance(value, str):
        text = value.strip().replace(".", "") if value.strip().count(".") > 1 else value.strip()
        try:
            value = Decimal(text.replace(",", "."))
        except ArithmeticError:
            return _("bukan angka.")
        if not value.is_finite():
            return _("bukan angka.")
    if not isinstance(value, int | float | Decimal) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        return _("bukan angka.")
    if value < 0:
        return _("negatif; sasaran tidak boleh kurang dari 0.")
    if value != int(value):
        return _("bukan bilangan bulat.")
    if value > 10_000_000:
        return _("terlalu besar untuk sasaran satu desa.")
    return int(value)


def parse_sasaran_sheet(data: bytes, district: Area) -> dict[str, dict[str, int]]:
    """The counts per desa code and kind of an uploaded sheet, or ValidationFailed listing
    every error (row and column)."""
    if not data:
        raise _refuse([CellError(0, "", _("Berkas kosong."))])
    if len(data) > MAX_BYTES:
        raise _refuse([CellError(0, "", _("Berkas lebih dari 2 MB."))])
    try:
        # read_only: rows stream; formulas stay formulas (data_only=False) so they are
        # refused below rather than read as a cached value that may be stale or absent.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(max_row=MAX_ROWS + 2))
    except Exception:  # noqa: BLE001
        # Whatever a damaged or foreign file raises in the reader (bad zip, missing part,
        # malformed XML: ParseError is a SyntaxError) means one thing to the uploader.
        message = _("Berkas bukan lembar kerja Excel (.xlsx).")
        raise _refuse([CellError(0, "", message)]) from None
    # (row number, cells) of the rows with something in them; numbered here because a
    # read-only sheet's empty cell carries no row number.
    rows = [(n, r) for n, r in enumerate(rows, 1) if any(c.value not in (None, "") for c in r)]
    if not rows:
        raise _refuse([CellError(0, "", _("Berkas kosong."))])
    if len(rows) > MAX_ROWS + 1:
        raise _refuse([CellError(0, "", _("Berkas lebih dari %(n)s baris.") % {"n": MAX_ROWS})])

    header_row, header = rows[0]
    positions: dict[str, int] = {}
    errors: list[CellError] = []
    for i, cell in enumerate(header):
        name = str(cell.value).strip().lower() if cell.value is not None else ""
        if not name:
            continue
        letter = get_column_letter(i + 1)
        if name not in COLUMNS:
            message = _("kolom %(name)s tidak dikenal.") % {"name": name}
            errors.append(CellError(header_row, letter, message))
        elif name in positions:
            message = _("kolom %(name)s ada dua kali.") % {"name": name}
            errors.append(CellError(header_row, letter, message))
        else:
            positions[name] = i
    missing = [c for c in COLUMNS if c not in positions]
    if missing:
        message = _("kolom %(names)s tidak ada (kolom yang diharapkan: %(expected)s).") % {
            "names": ", ".join(missing),
            "expected": ", ".join(COLUMNS),
        }
        errors.append(CellError(header_row, "", message))
    if errors:
        raise _refuse(errors)
    if len(rows) == 1:
        raise _refuse([CellError(0, "", _("Berkas tidak berisi baris desa."))])

    villages = {
        a.code: a.pk
        for a in Area.objects.filter(level=AreaLevel.VILLAGE, code__startswith=f"{district.code}.")
    }

    def where(column: str) -> str:
        return f"{get_column_letter(positions[column] + 1)} ({column})"

    counts: dict[str, dict[str, int]] = {}
    seen: dict[str, int] = {}
    for number, row in rows[1:]:

        def cell(column: str, row: tuple[Any, ...] = row) -> Any:
            i = positions[column]
            return row[i] if i < len(row) else None

        code_cell = cell(CODE_COLUMN)
        code = "" if code_cell is None or code_cell.value is None else str(code_cell.value).strip()
        if not code:
            errors.append(CellError(number, where(CODE_COLUMN), _("kode desa kosong.")))
        elif code not in villages:
            message = _("desa %(code)s tidak dikenal atau di luar kabupaten/kota Anda.") % {
                "code": code
            }
            errors.append(CellError(number, where(CODE_COLUMN), message))
        elif code in seen:
            message = _("desa %(code)s sudah ada di baris %(row)s.") % {
                "code": code,
                "row": seen[code],
            }
            errors.append(CellError(number, where(CODE_COLUMN), message))
        else:
            seen[code] = number
        values: dict[str, int] = {}
        for kind in KIND_COLUMNS:
            c = cell(kind)
            if c is not None and getattr(c, "data_type", "") == "f":
                message = _("berisi rumus; isi angkanya saja.")
                errors.append(CellError(number, where(kind), message))
                continue
            result = _count(None if c is None else c.value)
            if isinstance(result, str):
                errors.append(CellError(number, where(kind), result))
            else:
                values[kind] = result
        if code in villages and seen.get(code) == number:
            counts[code] = values
    if errors:
        raise _refuse(errors)
    return counts


def sasaran_upload(*, user: User, year: int, data: bytes, file_name: str = "") -> SasaranUpload:
    """Check the sheet and save it as the year's sasaran proyeksi of the uploader's district,
    superseding the previous upload (kept as history)."""
    district = require_sasaran_uploader(user)
    if not 2000 <= year <= 2100:
        message = _("Tahun harus antara 2000 dan 2100.")
        raise ValidationFailed(message, fields={"year": [message]})
    counts = parse_sasaran_sheet(data, district)
    villages = dict(
        Area.objects.filter(code__in=counts, level=AreaLevel.VILLAGE).values_list("code", "pk")
    )
    now = timezone.now()
    try:
        return _save_upload(user, district, year, file_name, counts, villages, now)
    except IntegrityError:
        # Two first uploads of a year at the same moment: the partial unique constraint
        # lets one through; the other is told to look again rather than shown a 500.
        message = _("Sasaran tahun ini baru saja diunggah orang lain; periksa lalu unggah lagi.")
        raise Conflict(message) from None


def _save_upload(
    user: User,
    district: Area,
    year: int,
    file_name: str,
    counts: dict[str, dict[str, int]],
    villages: dict[str, int],
    now: datetime,
) -> SasaranUpload:
    with transaction.atomic():
        # Lock the year's current upload so two simultaneous uploads do not both supersede it.
        previous = list(
            SasaranUpload.objects.select_for_update().filter(
                district=district, year=year, superseded_at__isnull=True
            )
        )
        SasaranUpload.objects.filter(pk__in=[p.pk for p in previous]).update(superseded_at=now)
        upload = SasaranUpload.objects.create(
            district=district,
            year=year,
            file_name=file_name[:255],
            uploaded_by=user,
            uploaded_at=now,
        )
        ProjectedSasaran.objects.bulk_create(
            ProjectedSasaran(upload=upload, area_id=villages[code], kind=kind, count=n)
            for code, values in sorted(counts.items())
            for kind, n in values.items()
        )
        audit_record(
            user=user,
            action=AuditAction.CREATE,
            object_type="sasaran_upload",
            detail={
                "year": year,
                "upload": upload.pk,
                "desa": len(counts),
                "superseded": [p.pk for p in previous],
            },
        )
    return upload


def sasaran_uploads(user: User) -> list[SasaranUpload]:
    """The district's uploads, newest first (current and history)."""
    district = require_sasaran_uploader(user)
    return list(
        SasaranUpload.objects.filter(district=district)
        .select_related("uploaded_by")
        .order_by("-year", "-uploaded_at")
    )


def sasaran_template(user: User) -> bytes:
    """An .xlsx with the expected columns and one row per desa of the uploader's district
    (counts left empty to fill)."""
    district = require_sasaran_uploader(user)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "sasaran"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for area in Area.objects.filter(
        level=AreaLevel.VILLAGE, code__startswith=f"{district.code}."
    ).order_by("code"):
        sheet.append([area.code, area.name])
    for i, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(i)].width = max(14, len(column) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def projected_q(year: int, prefixes: tuple[str, ...]) -> Q:
    """Current projected rows of the year within the areas of the prefixes."""
    within = Q()
    for prefix in prefixes:
        within |= Q(area__code=prefix) | Q(area__code__startswith=f"{prefix}.")
    return Q(upload__year=year, upload__superseded_at__isnull=True) & within


# ---------------------------------------------------------------- puskesmas annual targets


def set_puskesmas_target(
    *, user: User, facility: Facility, year: int, indicator: str, target: Decimal | None
) -> PuskesmasTarget | None:
    """Set (or with None, clear back to the national one) a puskesmas' annual target; the
    previous value goes to the audit log."""
    if not can_set_puskesmas_targets(user) or facility not in target_puskesmas(user):
        raise PermissionDenied(_("Anda tidak dapat menetapkan target puskesmas ini."))
    if indicator not in load_catalogue():
        message = _("Indikator %(code)s tidak ada dalam katalog.") % {"code": indicator}
        raise ValidationFailed(message, fields={"indicator": [message]})
    if not 2000 <= year <= 2100:
        message = _("Tahun harus antara 2000 dan 2100.")
        raise ValidationFailed(message, fields={"year": [message]})
    if target is not None and not Decimal(0) <= target <= Decimal(100):
        message = _("Target harus antara 0 dan 100 %.")
        raise ValidationFailed(message, fields={"target": [message]})
    with transaction.atomic():
        current = (
            PuskesmasTarget.objects.select_for_update()
            .filter(facility=facility, year=year, indicator=indicator)
            .first()
        )
        before = None if current is None else str(current.target)
        result: PuskesmasTarget | None = None
        if target is None:
            # The audit log keeps the old value; the row goes so the national one applies.
            if current is not None:
                current.delete()
        else:
            target = target.quantize(Decimal("0.1"))
            result, _created = PuskesmasTarget.objects.update_or_create(
                facility=facility,
                year=year,
                indicator=indicator,
                defaults={"target": target, "set_by": user, "set_at": timezone.now()},
            )
        audit_record(
            user=user,
            action=(
                AuditAction.DELETE
                if target is None
                else AuditAction.CREATE
                if current is None
                else AuditAction.UPDATE
            ),
            object_type="puskesmas_target",
            detail={
                "facility": facility.code,
                "year": year,
                "indicator": indicator,
                "before": before,
                "after": None if target is None else str(target),
            },
        )
    return result


def puskesmas_targets(facility: Facility, year: int) -> dict[str, float]:
    """The puskesmas' own annual targets of the year by indicator code."""
    return {
        t.indicator: float(t.target)
        for t in PuskesmasTarget.objects.filter(facility=facility, year=year)
    }
