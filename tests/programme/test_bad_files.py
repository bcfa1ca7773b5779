"""Bad programme files are rejected whole, with located problems, and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.db.engine import Database
from bot.programme.demo import ensure_demo
from bot.programme.export import export_file
from bot.programme.importer import import_file
from bot.programme.loader import MAX_FILE_MB
from tests.programme.test_import import SMALL, snapshot

#: (name, file text or bytes, expected reason code, expected line (None: not located by line))
BAD_YAML = [
    ("wrong type", SMALL.replace("lat: 46.13", "lat: north"), "expected_number", 16),
    (
        "unknown key",
        SMALL.replace("    title: Opening", "    title: Opening\n    colour: red"),
        "unknown_field",
        16,
    ),
    (
        "end before start",
        SMALL.replace("end: 2023-10-09T10:00", "end: 2023-10-09T08:00"),
        "end_before_start",
        14,
    ),
    (
        "unknown delegation",
        SMALL.replace("delegation: zav, host", "delegation: nobody, host"),
        "unknown_delegation",
        10,
    ),
    (
        "unknown visit",
        SMALL.replace("audience: {visit: v1}", "audience: {visit: v9}"),
        "unknown_visit",
        17,
    ),
    (
        "time without date",
        SMALL.replace("start: 2023-10-10T09:00", "start: '09:00'"),
        "time_without_date",
        19,
    ),
    (
        "unsupported time zone",
        SMALL.replace("Europe/Ljubljana", "Europe/Atlantis"),
        "unknown_timezone",
        3,
    ),
    ("duplicate key", SMALL.replace("key: e2", "key: e1"), "duplicate_key", 18),
    ("yaml unclosed", SMALL + "  - key: [unclosed\n", "yaml_unclosed", 22),
    ("yaml tab", SMALL + "\t- key: x\n", "yaml_tab", 22),
    ("yaml syntax", SMALL.replace("  - key: e2", "  - key: e2: x"), "yaml_syntax", 18),
    ("empty", "", "file_empty", None),
    ("not a mapping", "- just\n- a list\n", "expected_mapping", 1),
]


@pytest.mark.parametrize(("name", "text", "code", "line"), BAD_YAML, ids=[b[0] for b in BAD_YAML])
async def test_bad_yaml_is_rejected_and_located(
    db: Database, tmp_path: Path, name: str, text: str, code: str, line: int | None
) -> None:
    await ensure_demo(db)
    before = await snapshot(db)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = await import_file(db, path)
    assert result.summary is None
    codes = [p.code for p in result.problems]
    assert code in codes, [p.render("en") for p in result.problems]
    problem = result.problems[codes.index(code)]
    assert problem.file == "bad.yaml"
    if line is not None:
        assert problem.line == line, problem.render("en")
    for lang in ("uk", "sl", "en"):
        assert problem.render(lang).startswith("bad.yaml")
    assert await snapshot(db) == before


async def test_every_problem_is_reported_not_only_the_first(tmp_path: Path, db: Database) -> None:
    text = (
        SMALL.replace("Europe/Ljubljana", "Mars/Olympus")
        .replace("title: Opening", "title: Opening\n    colour: red")
        .replace("end: 2023-10-10T10:00", "end: 2023-10-10T08:00")
    )
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    result = await import_file(db, path)
    assert {"unknown_timezone", "unknown_field", "end_before_start"} <= {
        p.code for p in result.problems
    }


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notes.txt", b"programme: {}", "unsupported_format"),
        ("big.yaml", b"# " + b"x" * (MAX_FILE_MB * 1024 * 1024 + 10), "file_too_large"),
        ("table.xlsx", b"this is not a zip file", "xlsx_invalid"),
        ("latin1.yaml", "programme: {name: Düsseldorf}".encode("latin-1"), "not_utf8"),
    ],
)
async def test_unreadable_files_are_rejected(
    db: Database, tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    await ensure_demo(db)
    before = await snapshot(db)
    path = tmp_path / name
    path.write_bytes(content)
    result = await import_file(db, path)
    assert [p.code for p in result.problems] == [code]
    assert await snapshot(db) == before


async def test_bad_xlsx_row_is_located_by_sheet_and_row(db: Database, tmp_path: Path) -> None:
    await ensure_demo(db)
    path = await export_file(db, tmp_path / "demo.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["events"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=4, column=headers.index("end") + 1, value="2023-01-01T00:00")
    sheet.cell(row=1, column=len(headers) + 1, value="colour")
    workbook.save(path)
    before = await snapshot(db)
    result = await import_file(db, path)
    assert result.summary is None
    by_code = {p.code: p for p in result.problems}
    assert by_code["unknown_column"].sheet == "events" and by_code["unknown_column"].row == 1
    end = by_code["end_before_start"]
    assert (end.sheet, end.row, end.column) == ("events", 4, "end")
    assert "events" in end.render("sl") and "4" in end.render("uk")
    assert await snapshot(db) == before


async def test_resource_file_outside_the_folder_is_refused(db: Database, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("x")
    folder = tmp_path / "programme"
    folder.mkdir()
    path = folder / "p.yaml"
    path.write_text(SMALL + "resources:\n  - {key: r, title: R, file: ../secret.txt}\n")
    result = await import_file(db, path)
    assert [p.code for p in result.problems] == ["file_outside"]


def test_yaml_with_control_characters_is_a_located_problem() -> None:
    from bot.programme.loader import load_bytes

    result = load_bytes(b"programme:\n  name: \x07bell\n", "p.yaml")
    assert not result.ok
    assert [(p.code, p.line) for p in result.problems] == [("yaml_character", 2)]
