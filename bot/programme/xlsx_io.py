"""Reading and writing the XLSX form of the programme file.

One sheet per section (``programme`` holds one row; every other sheet one record per row), the
first row naming the columns. Columns are derived from the typed models: a text field ``title``
has the columns ``title`` (same text in every language) and ``title_uk``, ``title_sl``,
``title_en``; nested fields are joined with ``_`` (``place_lat``, ``audience_visit``); FAQ
keywords are comma-separated per language (``keywords_uk``). Empty cells are absent values.
"""

from __future__ import annotations

import io
import time
import types
import typing
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, get_args, get_origin, get_type_hints

from pydantic import BaseModel

from bot import spreadsheets
from bot.i18n import LANGUAGES
from bot.programme import xlsx_sandbox
from bot.programme.problems import Loc, Problem
from bot.programme.schema import Keywords, ProgrammeFile, Text

PROGRAMME_SHEET = "programme"


@dataclass(frozen=True)
class Column:
    header: str
    path: tuple[str, ...]
    kind: str  # "text" (a string), "list" (comma-separated), "value" (any cell value)


def _unwrap(hint: Any) -> Any:
    """``X | None`` -> ``X``; ``Annotated[Model, ...]`` -> ``Model`` (texts stay ``Text``)."""
    if get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) == 1:
            hint = args[0]
    if hint != Text and get_origin(hint) is typing.Annotated:
        base = get_args(hint)[0]
        if isinstance(base, type) and issubclass(base, BaseModel):
            return base
    return hint


def _is_str(hint: Any) -> bool:
    if get_origin(hint) is typing.Annotated:
        hint = get_args(hint)[0]
    return hint is str


def columns(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Column]:
    """The columns of a section whose records are ``model``."""
    result: list[Column] = []
    hints = get_type_hints(model, include_extras=True)
    for name in model.model_fields:
        hint = _unwrap(hints[name])
        path = (*prefix, name)
        header = "_".join(path)
        if hint == Text:
            result.append(Column(header, path, "text"))
            result += [Column(f"{header}_{lang}", (*path, lang), "text") for lang in LANGUAGES]
        elif hint == Keywords:
            langs = get_args(get_args(Keywords)[0])
            result += [Column(f"{header}_{lang}", (*path, lang), "list") for lang in langs]
        elif isinstance(hint, type) and issubclass(hint, BaseModel):
            result += columns(hint, path)
        else:
            result.append(Column(header, path, "text" if _is_str(hint) else "value"))
    return result


def section_models() -> dict[str, type[BaseModel]]:
    """Sheet name -> model of its rows."""
    models: dict[str, type[BaseModel]] = {}
    for name, info in ProgrammeFile.model_fields.items():
        hint = info.annotation
        if get_origin(hint) is list:
            models[name] = get_args(hint)[0]
        elif isinstance(hint, type) and issubclass(hint, BaseModel):
            models[name] = hint
    return models


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


#: Limits checked before a workbook's cells are read (README, *Limits*): the parts unpacked,
#: and each sheet's declared size. No programme sheet needs more than a few dozen columns.
MAX_UNPACKED_MB = 30
MAX_ROWS = 10_000
MAX_COLUMNS = 100
MAX_CELLS = 250_000
#: Seconds a workbook may take to read (its parts, unpacked, are already capped).
READ_SECONDS = 10.0
#: Memory reading a workbook may take, beyond the reading process's code (see xlsx_sandbox).
READ_MEMORY_MB = 512

#: What a broken workbook raises while read (ParseError is a SyntaxError).
_BAD_XML = (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError)


def _preflight(content: bytes) -> list[Problem]:
    """Refuse, before openpyxl reads anything, a workbook that unpacks to too much or whose XML
    declares a document type or entities (entity expansion is how "billion laughs" work)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
        if sum(p.file_size for p in parts) > MAX_UNPACKED_MB * 1024 * 1024:
            return [Problem("xlsx_unpacked_too_large", {"limit": MAX_UNPACKED_MB})]
        for part in parts:
            if not part.filename.endswith((".xml", ".rels", ".vml")):
                continue
            data = archive.read(part)
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                data = data.decode("utf-16", errors="replace").encode()
            if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
                return [Problem("xlsx_entities", {"part": part.filename})]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return [Problem("xlsx_invalid")]
    return []


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


def parse_xlsx(
    content: bytes, read_seconds: float = READ_SECONDS, memory_mb: int = READ_MEMORY_MB
) -> XlsxDocument | list[Problem]:
    """The workbook's data, or the problems that keep it from being read. Read in a child process
    (:mod:`bot.programme.xlsx_sandbox`) within ``read_seconds`` and ``memory_mb``: past either,
    reading stops with a problem."""
    refused = _preflight(content)
    if refused:
        return refused
    return xlsx_sandbox.run(content, read_seconds, memory_mb)


def read_workbook(
    content: bytes, read_seconds: float, memory_mb: int
) -> XlsxDocument | list[Problem]:
    """:func:`parse_xlsx`'s work, in the child process (running out of ``memory_mb`` while a
    sheet is read names the sheet)."""
    deadline = time.monotonic() + read_seconds
    from openpyxl import load_workbook  # heavy: only where a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    bad_xlsx = (InvalidFileException, *_BAD_XML)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except bad_xlsx:
        return [Problem("xlsx_invalid")]
    models = section_models()
    doc = XlsxDocument({})
    problems: list[Problem] = []
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip()
            if name not in models:
                problems.append(
                    Problem("unknown_sheet", {"expected": ", ".join(models)}, sheet=sheet.title)
                )
                continue
            too_big = _size_problem(sheet)
            if too_big is not None:
                problems.append(too_big)
                continue
            try:
                problems += _read_sheet(doc, sheet, name, columns(models[name]), deadline)
            except MemoryError:
                doc.data.clear()  # let go of what was read, to report in what is left
                doc.cells.clear()
                return [xlsx_sandbox.too_much_memory(memory_mb, sheet.title)]
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


def _flatten(value: Any, cols: list[Column]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in cols:
        current = value
        for part in column.path:
            current = current.get(part) if isinstance(current, dict) else None
        if column.kind == "text" and isinstance(current, dict):
            continue  # a text given per language goes to the _uk/_sl/_en columns
        if isinstance(current, list):
            current = ", ".join(current)
        if current is not None:
            row[column.header] = current
    return row


def write_xlsx(data: dict[str, Any]) -> bytes:
    """The workbook for ``data`` (as from ``ProgrammeFile.model_dump``; times naive, local)."""
    from openpyxl import Workbook  # heavy: only where a workbook is written

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, model in section_models().items():
        cols = columns(model)
        sheet = workbook.create_sheet(name)
        spreadsheets.append_row(sheet, [c.header for c in cols])
        items = data.get(name)
        records = [items] if isinstance(items, dict) else (items or [])
        for record in records:
            row = _flatten(record, cols)
            spreadsheets.append_row(sheet, [row.get(c.header) for c in cols])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
