"""Uploaded workbooks are read within limits: a sheet that declares or holds more rows and
columns than a programme can have, and XML that declares entities, get a clear located answer
instead of minutes of work or a crash (a 5 KB file with one cell at XFD1048576 took minutes).
Reading happens in a child process with a time and a memory limit: a workbook that needs more
memory than allowed is stopped there, with the sheet named, and the bot's process is untouched."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

from bot.programme.xlsx_io import MAX_ROWS, columns, parse_xlsx, section_models
from tests.harness import BotHarness, texts
from tests.programme.test_upload import coordinator


def _far_cell(cell: str = "XFD1048576") -> bytes:
    """A tiny workbook: a programme row, and an events sheet with a header and one far cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "programme"
    sheet["A1"], sheet["A2"] = "name", "Programme"
    events = workbook.create_sheet("events")
    events["A1"], events[cell] = "key", "far away"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, part: str, change: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == part else data)  # type: ignore[operator]
    return out.getvalue()


def _entities(content: bytes) -> bytes:
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    return _rewrite(content, "xl/worksheets/sheet1.xml", lambda data: doctype + data)


def test_a_far_cell_is_refused_by_the_declared_size() -> None:
    content = _far_cell()
    assert len(content) < 10_000
    doc = parse_xlsx(content)
    assert not isinstance(doc, list)
    (problem,) = doc.problems
    assert (problem.code, problem.sheet) == ("xlsx_sheet_too_big", "events")
    assert problem.params["rows"] == 1_048_576 and problem.params["columns"] == 16_384


def test_without_a_declared_size_reading_stops_at_the_row_limit() -> None:
    undeclared = _rewrite(
        _far_cell(f"A{MAX_ROWS * 50}"),
        "xl/worksheets/sheet2.xml",
        lambda data: re.sub(rb"<dimension[^>]*/>", b"", data),
    )
    doc = parse_xlsx(undeclared)
    assert not isinstance(doc, list)
    assert [(p.code, p.sheet) for p in doc.problems] == [("xlsx_sheet_too_big", "events")]


def test_entity_declarations_are_refused_with_the_part_named() -> None:
    problems = parse_xlsx(_entities(_far_cell("B2")))
    assert isinstance(problems, list)
    assert [(p.code, p.params) for p in problems] == [
        ("xlsx_entities", {"part": "xl/worksheets/sheet1.xml"})
    ]


async def test_the_coordinator_gets_a_located_answer(bot: BotHarness) -> None:
    user = await coordinator(bot)
    far = texts(await bot.upload(user, "programme.xlsx", _far_cell()))
    assert "sheet “events”" in far and "1048576 rows and 16384 columns" in far
    assert f"at most {MAX_ROWS} rows" in far
    entity = texts(await bot.upload(user, "programme.xlsx", _entities(_far_cell("B2"))))
    assert "xl/worksheets/sheet1.xml" in entity and "XML entities" in entity


def test_reading_stops_at_its_time_limit() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "programme"
    sheet["A1"], sheet["A2"] = "name", "Programme"
    events = workbook.create_sheet("events")
    events.append(["key", "title"])
    for n in range(MAX_ROWS - 10):
        events.append([f"e{n}", "Event"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [p.code for p in parse_xlsx(buffer.getvalue(), read_seconds=0)] == ["xlsx_too_slow"]  # type: ignore[union-attr]


def test_reading_stops_at_its_memory_limit() -> None:
    """2,000 events of 25 columns are well within the caps; 2 MB is too little to read them."""
    headers = [c.header for c in columns(section_models()["events"])][:25]
    workbook = Workbook(write_only=True)
    programme = workbook.create_sheet("programme")
    programme.append(["name"])
    programme.append(["Programme"])
    events = workbook.create_sheet("events")
    events.append(headers)
    for n in range(2_000):
        events.append([n * 100 + c for c in range(len(headers))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    stopped = parse_xlsx(buffer.getvalue(), memory_mb=2)
    assert isinstance(stopped, list)
    assert [(p.code, p.sheet, p.params) for p in stopped] == [
        ("xlsx_too_much_memory", "events", {"limit": 2})
    ]
    assert "more than 2 MB of memory" in stopped[0].reason("en")
    assert "понад 2\u00a0МБ пам’яті" in stopped[0].reason("uk")
    assert "več kot 2\u00a0MB pomnilnika" in stopped[0].reason("sl")
    read = parse_xlsx(buffer.getvalue())  # the default limit reads it
    assert not isinstance(read, list) and len(read.data["events"]) == 2_000
