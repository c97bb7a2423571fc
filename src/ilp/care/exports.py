"""Work lists and kohort registers as CSV and Excel (openpyxl).

The work-list CSV has exactly the columns ``person_id, nik, name, birth_date, item, state,
since``; ``person_id`` is the person's ILP number (``Person.local_id``): always present, unique,
and readable on a printed list (the public UUID is for the API). Dates are ISO (YYYY-MM-DD).

Every cell goes through :mod:`ilp.core.spreadsheets`: names, addresses and other text typed
by users stay text in Excel (never a formula) and are defused in CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from typing import IO

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ilp.care.kohort import columns as kohort_columns
from ilp.care.worklists import WorkItem
from ilp.care.worklists.groups import Contact, Group
from ilp.care.worklists.labels import item_label, state_label
from ilp.core.spreadsheets import csv_row, write_cell

WORKLIST_COLUMNS = ("person_id", "nik", "name", "birth_date", "item", "state", "since")
WORKLIST_HEADERS = (
    _("Nomor ILP"),
    _("NIK"),
    _("Nama"),
    _("Tanggal lahir"),
    _("Layanan"),
    _("Status"),
    _("Sejak"),
    _("Keterangan"),
)
CONTACT_HEADERS = (_("Alamat"), _("RT"), _("Telepon"))
KOHORT_TITLES = {"ibu": "Kohort Ibu", "bayi": "Kohort Bayi", "balita": "Kohort Balita"}


def worklist_rows(items: Iterable[WorkItem]) -> list[tuple]:
    """One tuple per person and item, in `WORKLIST_COLUMNS` order (dates as `date`)."""
    return [
        (
            i.person.local_id,
            i.person.nik or "",
            i.person.name,
            i.person.birth_date,
            i.item,
            i.state,
            i.since,
        )
        for i in items
    ]


def write_worklist_csv(items: Iterable[WorkItem], out: IO[str]) -> int:
    """Write the work list as CSV (header + rows) to `out`; return the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(WORKLIST_COLUMNS)
    rows = worklist_rows(items)
    for row in rows:
        writer.writerow(csv_row(row))
    return len(rows)


def _autosize(ws, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)


def _sheet(ws, headers: list[str], rows: Iterable[list], title: str | None = None) -> None:
    r0 = 1
    if title:
        write_cell(ws, 1, 1, title).font = Font(bold=True, size=12)
        r0 = 3
    for c, h in enumerate(headers, start=1):
        write_cell(ws, r0, c, h).font = Font(bold=True)
    widths = [len(h) for h in headers]
    for r, row in enumerate(rows, start=r0 + 1):
        for c, v in enumerate(row, start=1):
            cell = write_cell(ws, r, c, v)
            if isinstance(v, date):
                cell.number_format = "yyyy-mm-dd"
                widths[c - 1] = max(widths[c - 1], 10)
            elif v is not None:
                widths[c - 1] = max(widths[c - 1], len(str(v)))
    ws.freeze_panes = ws.cell(row=r0 + 1, column=1)
    _autosize(ws, widths)


def write_worklist_xlsx(
    items: Iterable[WorkItem],
    out: IO[bytes] | str,
    *,
    title: str = "",
    groups: Mapping[int, Group] | None = None,
    contacts: Mapping[int, Contact] | None = None,
) -> None:
    """The work list as one Excel sheet for people to read: the CSV's columns with the item
    and its state as labels in the reader's language (never ``anc:K1`` or ``overdue``), the
    reason, and for home visits the address, RT and phone; a pustu's or puskesmas's list
    (`groups`) starts with the desa and posyandu."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Daftar kerja"))[:31]
    groups = groups or {}
    contacts = contacts or {}
    none = Contact("", "", "")
    rows = []
    for i in items:
        c = contacts.get(i.person.id, none)
        row = [
            i.person.local_id,
            i.person.nik or "",
            i.person.name,
            i.person.birth_date,
            item_label(i.item),
            state_label(i.state),
            i.since,
            str(i.why),
            c.address,
            c.rt,
            c.phone,
        ]
        if groups:
            g = groups[i.person.id]
            row = [g.village, g.posyandu, *row]
        rows.append(row)
    headers = [str(h) for h in (*WORKLIST_HEADERS, *CONTACT_HEADERS)]
    if groups:
        headers = [str(_("Desa/kelurahan")), str(_("Posyandu")), *headers]
    _sheet(ws, headers, rows, title or None)
    wb.save(out)


def write_kohort_xlsx(
    register: str, rows: list[dict], out: IO[bytes] | str, *, title: str = ""
) -> None:
    """A kohort register (rows from :mod:`ilp.care.kohort`) as one Excel sheet."""
    cols = kohort_columns(register)
    wb = Workbook()
    ws = wb.active
    ws.title = KOHORT_TITLES[register]
    data = [[r.get(key) for key, _ in cols] for r in rows]
    _sheet(
        ws,
        ["No", *[h for _, h in cols]],
        ([n, *d] for n, d in enumerate(data, 1)),
        title or KOHORT_TITLES[register],
    )
    wb.save(out)
