"""Writes of places data: the import of desa/kelurahan boundaries.

An import is all or nothing: the whole file is checked first (``ilp.places.boundaries``)
and a file with any error saves nothing. A good file sets the outline of each desa it names,
simplified (``ilp.places.geometry``), replacing that desa's earlier outline; desa it does not
name keep theirs. Every import leaves a ``BoundaryImport`` row, so a replaced import is
still on record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ilp.core.exceptions import ValidationFailed
from ilp.places import geometry
from ilp.places.boundaries import read_boundaries
from ilp.places.models import Area, AreaBoundary, AreaLevel, BoundaryImport

# Douglas–Peucker tolerance in degrees (0.0002° ≈ 22 m): below one pixel of a kecamatan
# drawn 390 px wide, and it cuts a surveyed outline to a few dozen points.
DEFAULT_TOLERANCE = 0.0002


@dataclass
class BoundaryImportResult:
    record: BoundaryImport
    without_boundary: list[Area]  # desa of the file's kabupaten/kota still without one


def boundaries_import(
    *,
    text: str | bytes,
    file_name: str,
    code_property: str,
    imported_by: str,
    tolerance: float = DEFAULT_TOLERANCE,
) -> BoundaryImportResult:
    """Import a GeoJSON FeatureCollection of desa boundaries (ValidationFailed listing every
    error, under the field ``file``, when the file is not usable)."""
    desa = {a.code: a for a in Area.objects.filter(level=AreaLevel.VILLAGE)}
    features, errors = read_boundaries(text, code_property=code_property, desa_codes=set(desa))
    if errors:
        message = _("Berkas tidak diimpor: %(count)s kesalahan.") % {"count": len(errors)}
        raise ValidationFailed(message, fields={"file": errors})
    simplified = {f.code: geometry.simplify(f.geometry, tolerance) for f in features}
    with transaction.atomic():
        areas = [desa[code] for code in simplified]
        replaced = AreaBoundary.objects.filter(area__in=areas).count()
        record = BoundaryImport(
            file_name=file_name[:255],
            code_property=code_property,
            imported_by=imported_by[:150],
            feature_count=len(features),
            replaced_count=replaced,
            points_before=sum(geometry.point_count(f.geometry) for f in features),
            points_after=sum(geometry.point_count(g) for g in simplified.values()),
        )
        record.full_clean()
        record.save()
        AreaBoundary.objects.filter(area__in=areas).delete()
        AreaBoundary.objects.bulk_create(
            AreaBoundary(area=desa[code], geometry=g, source=record)
            for code, g in simplified.items()
        )
    regencies = {".".join(code.split(".")[:2]) for code in simplified}
    missing = [
        a
        for code, a in sorted(desa.items())
        if ".".join(code.split(".")[:2]) in regencies and code not in simplified
    ]
    have = set(AreaBoundary.objects.filter(area__in=missing).values_list("area__code", flat=True))
    return BoundaryImportResult(record, [a for a in missing if a.code not in have])


def no_file_error(file_name: str) -> ValidationFailed:
    """The error for a file that cannot be opened (missing, a folder, unreadable)."""
    message = _("Berkas %(name)s tidak dapat dibuka.") % {"name": file_name}
    return ValidationFailed(message, fields={"file": [message]})
