"""Reading a GeoJSON FeatureCollection of desa/kelurahan boundaries (as QGIS exports the
BIG/Kemendagri administrative shapefiles) and checking the whole file before anything is
saved: every error names the feature (counted from 1) and the property at fault.

The desa code is read from a configurable property (``KDEPUM`` in the BIG files) and may
come dotted (``52.71.01.1001``), undotted (``5271011001``) or as a number; it is matched to
the areas' dotted Kemendagri form (``ilp.places.models``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

DEFAULT_CODE_PROPERTY = "KDEPUM"
# Kemendagri desa code without dots: province 2, regency 2, kecamatan 2, desa 4 digits.
DESA_PARTS = (2, 2, 2, 4)


@dataclass
class FeatureBoundary:
    number: int  # the feature's place in the file, from 1
    code: str  # dotted desa code
    geometry: dict[str, Any]


def normalise_code(value: object) -> str:
    """The dotted desa code for a code as found in a file ('' when there is none)."""
    if isinstance(value, bool) or value is None:
        return ""
    text = str(value).strip() if not isinstance(value, float) else f"{value:.0f}"
    if not text:
        return ""
    if "." not in text and text.isdigit() and len(text) == sum(DESA_PARTS):
        parts, at = [], 0
        for size in DESA_PARTS:
            parts.append(text[at : at + size])
            at += size
        return ".".join(parts)
    return text


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _ring_errors(ring: object, where: str) -> list[str]:
    """Why one linear ring is unusable (an empty list when it is fine)."""
    if not isinstance(ring, list):
        return [_("%(where)s harus berupa daftar titik.") % {"where": where}]
    errors = []
    for i, point in enumerate(ring):
        here = f"{where}[{i}]"
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not _is_number(point[0])
            or not _is_number(point[1])
        ):
            errors.append(
                _("%(where)s harus berupa pasangan angka [bujur, lintang].") % {"where": here}
            )
        elif not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            errors.append(
                _(
                    "%(where)s = [%(lon)s, %(lat)s] di luar jangkauan (bujur −180 sampai 180, "
                    "lintang −90 sampai 90)."
                )
                % {"where": here, "lon": point[0], "lat": point[1]}
            )
        if len(errors) >= 3:  # one broken ring should not bury the rest of the report
            break
    if len(ring) < 4:
        errors.append(
            _("%(where)s hanya memiliki %(count)s titik; sebuah cincin paling sedikit 4 titik.")
            % {"where": where, "count": len(ring)}
        )
    return errors


def geometry_errors(geometry: object) -> list[str]:
    """Why a feature's geometry is not a usable Polygon or MultiPolygon."""
    if not isinstance(geometry, dict):
        return [_("geometry tidak ada.")]
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return [
            _("geometry.type harus Polygon atau MultiPolygon, bukan %(type)s.")
            % {"type": json.dumps(kind)}
        ]
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return [_("geometry.coordinates kosong atau bukan daftar.")]
    errors = []
    for p, polygon in enumerate(polygons):
        base = "geometry.coordinates" if kind == "Polygon" else f"geometry.coordinates[{p}]"
        if not isinstance(polygon, list) or not polygon:
            errors.append(_("%(where)s harus berupa daftar cincin.") % {"where": base})
            continue
        for r, ring in enumerate(polygon):
            errors.extend(_ring_errors(ring, f"{base}[{r}]"))
    return errors


def read_boundaries(
    text: str | bytes, *, code_property: str, desa_codes: set[str]
) -> tuple[list[FeatureBoundary], list[str]]:
    """The boundaries of a GeoJSON FeatureCollection, and the errors found in it (every
    one; the caller saves nothing unless the list is empty). `desa_codes`: the dotted
    codes of the desa/kelurahan ILP knows."""
    try:
        data = json.loads(text)
    except UnicodeDecodeError:
        return [], [_("Berkas bukan teks UTF-8; simpan ulang GeoJSON dengan pengodean UTF-8.")]
    except json.JSONDecodeError as exc:
        return [], [
            # json's own reason is English only; the place is what the reader needs.
            _("Berkas bukan JSON yang sah: kesalahan pada baris %(line)s, kolom %(column)s.")
            % {"line": exc.lineno, "column": exc.colno}
        ]
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        return [], [
            _(
                'Berkas bukan GeoJSON FeatureCollection: diperlukan "type": '
                '"FeatureCollection" dan daftar "features".'
            )
        ]
    if not data["features"]:
        return [], [_("FeatureCollection tidak berisi satu fitur pun.")]
    found: list[FeatureBoundary] = []
    errors: list[str] = []
    first_of: dict[str, int] = {}
    prop = f"properties.{code_property}"
    for number, feature in enumerate(data["features"], start=1):
        prefix = _("Fitur %(number)s") % {"number": number}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(_("%(feature)s: bukan Feature GeoJSON.") % {"feature": prefix})
            continue
        properties = feature.get("properties")
        raw = properties.get(code_property) if isinstance(properties, dict) else None
        code = normalise_code(raw)
        if not code:
            errors.append(
                _("%(feature)s: %(property)s kosong atau tidak ada.")
                % {"feature": prefix, "property": prop}
            )
        elif code not in desa_codes:
            errors.append(
                _("%(feature)s: %(property)s = %(code)s bukan kode desa/kelurahan yang dikenal.")
                % {"feature": prefix, "property": prop, "code": json.dumps(raw)}
            )
        elif code in first_of:
            errors.append(
                _("%(feature)s: %(property)s = %(code)s sudah dipakai fitur %(first)s.")
                % {"feature": prefix, "property": prop, "code": code, "first": first_of[code]}
            )
        else:
            first_of[code] = number
        problems = geometry_errors(feature.get("geometry"))
        errors.extend(f"{prefix}: {p}" for p in problems)
        if code and not problems:
            found.append(FeatureBoundary(number, code, feature["geometry"]))
    return found, errors
