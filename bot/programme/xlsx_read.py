"""Reading an XLSX programme workbook's cells: what runs in the limited child process.

:mod:`bot.programme.xlsx_io` knows the programme's sections and columns (from the typed models)
and hands them to the child (:mod:`bot.programme.xlsx_sandbox`), which reads the workbook with
this module alone, so that it starts without loading the models. One sheet per section, the first
row naming the columns; empty cells are absent values.
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import LANGUAGES
from bot.programme.problems import Loc, Problem

PROGRAMME_SHEET = "programme"


@dataclass(frozen=True)
class Column:
    header: str
    path: tuple[str, ...]
    kind: str  # "text" (a string), "list" (comma-separated), "value" (any cell value)


@dataclass
class XlsxDocument:
    data: dict[str, Any]
    #: document location -> (sheet, row, column header or None)
    cells: dict[Loc, tuple[str, int, str | None]] = field(default_factory=dict)
    #: problems of the workbook's layout (unknown sheets and columns), reported with the others
    problems: list[Problem] = field(default_factory=list)

    def place_of(self, loc: Loc) -> tuple[str | None, int | None, str | None]:
        for n in range(len(loc), 0, -1):
            found = self.cells.get(loc[:n])
            if found:
                return found
        return (str(loc[0]) if loc else None), None, None


#: Limits checked before a workbook's cells are read (README, *Limits*): each sheet's declared
#: size (the parts unpacked: xlsx_io). No programme sheet needs more than a few dozen columns.
MAX_ROWS = 10_000
MAX_COLUMNS = 100
MAX_CELLS = 250_000
#: Seconds a workbook may take to read (its parts, unpacked, are already capped).
READ_SECONDS = 10.0
#: Memory reading a workbook may take, beyond the reading process's code (see xlsx_sandbox).
READ_MEMORY_MB = 512

#: What a broken workbook raises while read (ParseError is a SyntaxError).
_BAD_XML = (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError)


def _cell_value(value: Any, column: Column) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if column.kind == "list":
            return [part.strip() for part in value.split(",") if part.strip()]
        return value or None
    if column.kind == "text" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set ``value`` at ``path``; a plain text and its language columns are merged (the language
    columns win, the plain text fills the languages they leave empty)."""
    target = record
    for part in path[:-1]:
        current = target.get(part)
        if isinstance(current, str):
            current = target[part] = dict.fromkeys(LANGUAGES, current)
        elif current is None:
            current = target[part] = {}
        target = current
    last = path[-1]
    if isinstance(target.get(last), dict) and isinstance(value, str):
        for lang in LANGUAGES:
            target[last].setdefault(lang, value)
    else:
        target[last] = value


def _size_problem(sheet: Any) -> Problem | None:
    """The sheet's declared size (its ``dimension``), when beyond the limits."""
    rows, cols = sheet.max_row or 0, sheet.max_column or 0
    if rows <= MAX_ROWS and cols <= MAX_COLUMNS and rows * cols <= MAX_CELLS:
        return None
    return Problem(
        "xlsx_sheet_too_big",
        {"rows": rows, "columns": cols, "max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS},
        sheet=sheet.title,
    )


def too_much_memory(memory_mb: int, sheet: str | None = None) -> Problem:
    return Problem("xlsx_too_much_memory", {"limit": memory_mb}, sheet=sheet)


def read_workbook(
    content: bytes, read_seconds: float, memory_mb: int, sections: dict[str, list[Column]]
) -> XlsxDocument | list[Problem]:
    """The workbook's data, or the problems that keep it from being read; ``sections``: sheet
    name -> its columns. Runs in the child process: running out of ``memory_mb`` while a sheet
    is read names the sheet; past ``read_seconds`` reading stops with a problem."""
    deadline = time.monotonic() + read_seconds
    from openpyxl import load_workbook  # heavy: only where a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    bad_xlsx = (InvalidFileException, *_BAD_XML)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except bad_xlsx:
        return [Problem("xlsx_invalid")]
    doc = XlsxDocument({})
    problems: list[Problem] = []
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip()
            if name not in sections:
                problems.append(
                    Problem("unknown_sheet", {"expected": ", ".join(sections)}, sheet=sheet.title)
                )
                continue
            too_big = _size_problem(sheet)
            if too_big is not None:
                problems.append(too_big)
                continue
            try:
                problems += _read_sheet(doc, sheet, name, sections[name], deadline)
            except MemoryError:
                doc.data.clear()  # let go of what was read, to report in what is left
                doc.cells.clear()
                return [too_much_memory(memory_mb, sheet.title)]
            if time.monotonic() > deadline:
                return [Problem("xlsx_too_slow", {"seconds": round(read_seconds)})]
    except bad_xlsx:
        return [Problem("xlsx_invalid")]
    finally:
        workbook.close()
    if PROGRAMME_SHEET not in doc.data:
        return [*problems, Problem("missing_sheet", {"sheet": PROGRAMME_SHEET})]
    doc.problems = problems
    return doc


def _read_sheet(
    doc: XlsxDocument, sheet: Any, name: str, cols: list[Column], deadline: float
) -> list[Problem]:
    problems: list[Problem] = []
    by_header = {c.header: c for c in cols}
    # Bounded whatever the sheet declares: rows past the limit are reported, not read.
    rows = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for header in headers:
        if header and header not in by_header:
            problems.append(Problem("unknown_column", sheet=sheet.title, row=1, column=header))
    records: list[dict[str, Any]] = []
    for row_number, row in enumerate(rows, start=2):
        if row_number % 256 == 0 and time.monotonic() > deadline:
            break  # parse_xlsx reports it
        if row_number > MAX_ROWS:  # only yielded when the sheet has a row here or beyond
            problems.append(_too_many_rows(sheet.title))
            break
        record: dict[str, Any] = {}
        index = len(records)
        base: Loc = (name,) if name == PROGRAMME_SHEET else (name, index)
        for header, raw in zip(headers, row, strict=False):
            column = by_header.get(header)
            value = _cell_value(raw, column) if column else None
            if column is None or value is None or value == []:
                continue
            _put(record, column.path, value)
            doc.cells[(*base, *column.path)] = (sheet.title, row_number, header)
        if not record:
            continue
        doc.cells[base] = (sheet.title, row_number, None)
        records.append(record)
    if name == PROGRAMME_SHEET:
        doc.data[name] = records[0] if records else {}
    else:
        doc.data[name] = records
    return problems


def _too_many_rows(sheet: str) -> Problem:
    return Problem(
        "xlsx_sheet_too_big",
        {"rows": f"> {MAX_ROWS}", "columns": "?", "max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS},
        sheet=sheet,
    )
