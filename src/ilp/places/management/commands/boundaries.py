"""``ilp boundaries import FILE.geojson [--code-property KDEPUM]``: load the desa/kelurahan
boundaries the Dinkes holds (a GeoJSON FeatureCollection, e.g. the BIG/Kemendagri
shapefile exported from QGIS) so the PWS pages draw the desa map with real outlines.

The whole file is checked first; any error is printed (feature number and property, in the
language the ``LANGUAGE`` environment variable names, Indonesian by default) and nothing is
saved. A good file reports how many desa got an outline and which desa of the kabupaten/kota
still have none. No network is used.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from ilp.accounts.models import User
from ilp.core.exceptions import ValidationFailed
from ilp.places.boundaries import DEFAULT_CODE_PROPERTY
from ilp.places.services import DEFAULT_TOLERANCE, boundaries_import, no_file_error

MAX_ERRORS_SHOWN = 100


def command_language() -> str:
    """The first language of ``LANGUAGE`` (GNU gettext's list, e.g. ``en_GB:en``) that ILP
    speaks, otherwise the default (Indonesian)."""
    spoken = {code for code, _name in settings.LANGUAGES}
    for part in os.environ.get("LANGUAGE", "").split(":"):
        code = part.split("_")[0].split(".")[0].lower()
        if code in spoken:
            return code
    return settings.LANGUAGE_CODE


class Command(BaseCommand):
    help = (
        "Desa boundaries: `import FILE.geojson` loads a GeoJSON FeatureCollection of "
        "desa/kelurahan outlines (checked whole; nothing saved from a bad file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"], help="what to do")
        parser.add_argument("file", help="GeoJSON FeatureCollection, one feature per desa")
        parser.add_argument(
            "--code-property",
            default=DEFAULT_CODE_PROPERTY,
            help=f"feature property holding the desa code (default {DEFAULT_CODE_PROPERTY})",
        )
        parser.add_argument(
            "--user",
            default="",
            help="ILP user on whose behalf the import is made (default: the system login)",
        )
        parser.add_argument(
            "--tolerance",
            type=float,
            default=DEFAULT_TOLERANCE,
            help=f"simplification tolerance in degrees (default {DEFAULT_TOLERANCE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language()):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        tolerance = options["tolerance"]
        if not 0 <= tolerance <= 0.01:
            raise CommandError(_("--tolerance harus antara 0 dan 0,01 derajat."))
        user = options["user"]
        if user and not User.objects.filter(username=user).exists():
            raise CommandError(_("Pengguna %(name)s tidak ada di ILP.") % {"name": user})
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(no_file_error(path.name).message)) from exc
        try:
            result = boundaries_import(
                text=text,
                file_name=path.name,
                code_property=options["code_property"],
                imported_by=user or f"{getpass.getuser()} (sistem)",
                tolerance=tolerance,
            )
        except ValidationFailed as exc:
            errors = exc.fields.get("file", [])
            for line in errors[:MAX_ERRORS_SHOWN]:
                self.stderr.write(line)
            if len(errors) > MAX_ERRORS_SHOWN:
                more = len(errors) - MAX_ERRORS_SHOWN
                self.stderr.write(_("... dan %(count)s kesalahan lain.") % {"count": more})
            raise CommandError(str(exc.message)) from exc
        record = result.record
        self.stdout.write(
            _(
                "%(count)s desa/kelurahan mendapat batas wilayah dari %(file)s "
                "(%(replaced)s mengganti batas lama; %(before)s titik disederhanakan menjadi "
                "%(after)s)."
            )
            % {
                "count": record.feature_count,
                "file": record.file_name,
                "replaced": record.replaced_count,
                "before": record.points_before,
                "after": record.points_after,
            }
        )
        missing = result.without_boundary
        if missing:
            self.stdout.write(
                _("%(count)s desa/kelurahan masih tanpa batas wilayah:") % {"count": len(missing)}
            )
            for area in missing:
                self.stdout.write(f"  {area.code} {area.name}")
        else:
            self.stdout.write(_("Semua desa/kelurahan di kabupaten/kota ini sudah punya batas."))
