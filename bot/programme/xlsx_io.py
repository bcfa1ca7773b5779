"""Reading and writing the XLSX form of the programme file.

One sheet per section (``programme`` holds one row; every other sheet one record per row), the
first row naming the columns. Columns are derived from the typed models: a text field ``title``
has the columns ``title`` (same text in every language) and ``title_uk``, ``title_sl``,
``title_en``; nested fields are joined with ``_`` (``place_lat``, ``audience_visit``); FAQ
keywords are comma-separated per language (``keywords_uk``). Empty cells are absent values.
"""

from __future__ import annotations

import io
import types
import typing
import zipfile
from datetime import date, datetime
from typing import Any, get_args, get_origin, get_type_hints

from pydantic import BaseModel

from bot import spreadsheets
from bot.i18n import LANGUAGES
from bot.programme import xlsx_sandbox
from bot.programme.fields import Text
from bot.programme.problems import Problem
from bot.programme.schema import Keywords, ProgrammeFile
from bot.programme.xlsx_read import (
    MAX_ROWS,
    READ_MEMORY_MB,
    READ_SECONDS,
    Column,
    XlsxDocument,
)

__all__ = ["MAX_ROWS", "Column", "XlsxDocument", "columns", "parse_xlsx", "write_xlsx"]

#: The parts of a workbook, unpacked, at most (checked before openpyxl reads anything).
MAX_UNPACKED_MB = 30


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


def parse_xlsx(
    content: bytes, read_seconds: float = READ_SECONDS, memory_mb: int = READ_MEMORY_MB
) -> XlsxDocument | list[Problem]:
    """The workbook's data, or the problems that keep it from being read. Read in a child process
    (:mod:`bot.programme.xlsx_sandbox`) within ``read_seconds`` and ``memory_mb``: past either,
    reading stops with a problem."""
    refused = _preflight(content)
    if refused:
        return refused
    sections = {name: columns(model) for name, model in section_models().items()}
    return xlsx_sandbox.run(content, read_seconds, memory_mb, sections)


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
