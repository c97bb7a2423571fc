"""Cells of the spreadsheets ILP exports (Excel through openpyxl, CSV): text stays text.

Excel and LibreOffice read a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or
line break) as a formula. A resident registered as ``=HYPERLINK("http://…"&C4,"Klik")``
would become a live link in a puskesmas' work list, sending the row's NIK wherever it
points. So every exported cell is text unless it is a number, a date or a yes/no that the
export itself computed, and every export writes its cells through this module:

- Excel: :func:`write_cell` stores text as a string cell (never a formula) and marks text
  that looks like a formula with Excel's quote prefix, so that editing the cell keeps it
  text. The text itself is unchanged.
- CSV has no cell types: :func:`csv_value` puts an apostrophe before text that looks like
  a formula (the usual defence, OWASP "CSV injection"); numbers and dates are written as
  they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")

Computed = bool | int | float | Decimal | date


def cell_value(value: Any) -> Computed | str | None:
    """What a cell holds: numbers, dates and booleans as they are (aware datetimes in the
    district's time, without zone: spreadsheets have none), None as an empty cell, anything
    else as its text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    return str(value)


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put `value` into the cell at (row, column) of `ws` as text, number or date."""
    value = cell_value(value)
    if isinstance(value, str):
        # Characters XML cannot carry (NUL, other C0 controls) would fail the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl made a leading '=' a formula
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def csv_value(value: Any) -> str | Computed:
    """`value` for csv.writer: text that looks like a formula gets a leading apostrophe;
    dates are ISO (YYYY-MM-DD); None is empty."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[str | Computed]:
    return [csv_value(v) for v in values]
