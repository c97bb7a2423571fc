"""``ilp worklist``: list the posyandu, or print one posyandu's (or pustu's, puskesmas') work
list on a date as a table, CSV or Excel file.

    ilp worklist                                   # code, name, desa of every posyandu
    ilp worklist --posyandu POS-AT --date 2025-03-10 --format csv
    ilp worklist --facility P5271010101 --cluster k2 --format xlsx --out daftar.xlsx

CSV columns: person_id, nik, name, birth_date, item, state, since — person_id is the person's
ILP number (local_id). Not scoped to a user: for operators on the server.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ilp.care.exports import WORKLIST_COLUMNS, write_worklist_csv, write_worklist_xlsx
from ilp.care.worklists import compute_worklist
from ilp.core.exceptions import ApplicationError
from ilp.places.models import AreaLevel, Facility, FacilityKind


class Command(BaseCommand):
    help = "Daftar kerja (sasaran jatuh tempo/terlambat) satu posyandu, pustu atau puskesmas."

    def add_arguments(self, parser):
        parser.add_argument("--posyandu", metavar="CODE", help="kode posyandu")
        parser.add_argument("--facility", metavar="CODE", help="kode pustu atau puskesmas")
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="tanggal (default: hari ini)")
        parser.add_argument("--cluster", choices=["k2", "k3"], help="hanya satu klaster")
        parser.add_argument(
            "--format", choices=["table", "csv", "xlsx"], default="table", dest="fmt"
        )
        parser.add_argument("--out", metavar="FILE", help="berkas keluaran (wajib untuk xlsx)")

    def handle(self, *args, posyandu, facility, date, cluster, fmt, out, **options):
        if not posyandu and not facility:
            self._list_posyandu()
            return
        if posyandu and facility:
            raise CommandError("Pilih --posyandu atau --facility, tidak keduanya.")
        on = _parse_date(date) if date else timezone.localdate()
        if posyandu:
            f = Facility.objects.filter(kind=FacilityKind.POSYANDU, code=posyandu).first()
            if f is None:
                raise CommandError(
                    f"Posyandu dengan kode {posyandu!r} tidak ditemukan "
                    "(jalankan `ilp worklist` untuk daftar kode)."
                )
        else:
            f = Facility.objects.filter(
                kind__in=[FacilityKind.PUSTU, FacilityKind.PUSKESMAS, FacilityKind.POSYANDU],
                code=facility,
            ).first()
            if f is None:
                raise CommandError(f"Fasilitas dengan kode {facility!r} tidak ditemukan.")
        if fmt == "xlsx" and not out:
            raise CommandError("--format xlsx memerlukan --out BERKAS.")
        try:
            items = compute_worklist(f, on=on, cluster=cluster)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        if fmt == "csv":
            if out:
                with open(out, "w", encoding="utf-8", newline="") as fh:
                    write_worklist_csv(items, fh)
            else:
                write_worklist_csv(items, self.stdout)
        elif fmt == "xlsx":
            write_worklist_xlsx(items, out, title=f"Daftar kerja {f.name} — {on.isoformat()}")
            self.stderr.write(f"{len(items)} baris ditulis ke {out}")
        else:
            self._table(items)

    def _list_posyandu(self) -> None:
        rows = [("code", "name", "desa")]
        for code, name, level, area_name, parent_name in Facility.objects.filter(
            kind=FacilityKind.POSYANDU
        ).values_list("code", "name", "area__level", "area__name", "area__parent__name"):
            desa = parent_name if level == AreaLevel.HAMLET else area_name
            rows.append((code, name, desa or ""))
        self._print_table(rows)

    def _table(self, items) -> None:
        rows = [(*WORKLIST_COLUMNS, "why")]
        for i in items:
            rows.append(
                (
                    i.person.local_id,
                    i.person.nik or "",
                    i.person.name,
                    i.person.birth_date.isoformat(),
                    i.item,
                    i.state,
                    i.since.isoformat(),
                    str(i.why),
                )
            )
        self._print_table(rows)

    def _print_table(self, rows) -> None:
        widths = [max(len(str(r[c])) for r in rows) for c in range(len(rows[0]))]
        for r in rows:
            line = "  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True))
            self.stdout.write(line.rstrip())


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Tanggal tidak valid: {text!r} (format YYYY-MM-DD).") from None
