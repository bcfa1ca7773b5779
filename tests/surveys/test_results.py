"""Results from a fixture with known answers: figures, chart and PNG, CSV and XLSX, /results."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.callbacks.surveys import (
    ExportFormat,
    Results,
    ResultsAction,
    ResultsExport,
)
from bot.cli.main import main
from bot.db.engine import Database
from bot.db.models import Account, AuditEntry, SurveyParticipation, SurveyResponse
from bot.surveys import charts, export, results
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID, stamp_head
from tests.harness import BotHarness, texts
from tests.surveys.world import TZ, build

#: Four responses to the post-visit survey (five people invited).
KNOWN = [
    {
        "useful": 5,
        "recommend": 10,
        "best": "1",
        "topics": ["1", "2"],
        "again": True,
        "idea": "Flood maps",
        "other": None,
    },
    {
        "useful": 4,
        "recommend": 8,
        "best": "1",
        "topics": ["1"],
        "again": True,
        "idea": None,
        "other": None,
    },
    {
        "useful": 2,
        "recommend": 3,
        "best": "3",
        "topics": None,
        "again": False,
        "idea": "Volunteers",
        "other": "More time",
    },
    {
        "useful": 4,
        "recommend": 9,
        "best": "2",
        "topics": ["3"],
        "again": True,
        "idea": None,
        "other": None,
    },
]
SUBMITTED = datetime(2023, 10, 13, 9, 30, tzinfo=UTC)


async def known_answers(db: Database) -> int:
    ids = await build(db, SUBMITTED)
    sid = ids["post-visit"]
    async with db.session() as s:
        for n in range(5):
            s.add(Account(telegram_id=300 + n, first_name=f"P{n}"))
        await s.flush()
        for n in range(5):
            s.add(
                SurveyParticipation(
                    survey_id=sid, telegram_id=300 + n, invited_at=SUBMITTED, finished=n < 4
                )
            )
        for n, answers in enumerate(KNOWN):
            s.add(
                SurveyResponse(
                    id=f"{n:032x}",
                    survey_id=sid,
                    answers=answers,
                    telegram_id=300 + n,
                    participant_name=f"Person {n}",
                    submitted_at=SUBMITTED.replace(minute=n),
                )
            )
    return sid


async def test_figures_per_question(db: Database) -> None:
    sid = await known_answers(db)
    async with db.session() as s:
        data = await results.survey_results(s, sid, 5)
    assert data is not None
    assert (data.invited, data.finished, data.response_rate) == (5, 4, 0.8)
    by_key = {q.question.key: q for q in data.questions}
    useful = by_key["useful"]
    assert [o.count for o in useful.options] == [0, 1, 0, 2, 1]
    assert (useful.mean, useful.median) == (3.75, 4.0)
    assert by_key["recommend"].mean == 7.5 and by_key["recommend"].median == 8.5
    assert [o.count for o in by_key["best"].options] == [2, 1, 1]
    assert [o.count for o in by_key["topics"].options] == [2, 1, 1]
    assert (by_key["topics"].answered, by_key["topics"].skipped) == (3, 1)
    assert [o.count for o in by_key["again"].options] == [3, 1]
    assert by_key["idea"].texts == ["Flood maps", "Volunteers"]


async def test_chart_shows_the_counts_in_the_readers_language(db: Database) -> None:
    sid = await known_answers(db)
    async with db.session() as s:
        data = await results.survey_results(s, sid, 5)
    assert data is not None
    panels = charts.chart_panels(data, "sl")
    assert [p.title for p in panels][:2] == [
        "1. Kako koristen je bil obisk?",
        "2. Bi ga priporočili?",
    ]
    assert panels[0].counts == [0, 1, 0, 2, 1] and "povprečje 3.8, mediana 4" in panels[0].note
    assert panels[2].labels == ["Srečanja", "Ogledi", "Ljudje"] and panels[2].counts == [2, 1, 1]
    assert panels[4].labels == ["Da", "Ne"] and panels[4].counts == [3, 1]
    assert len(panels) == 5  # the two free-text questions have no chart
    assert "4 izpolnjene ankete" in charts.chart_title(data, "sl")
    png = charts.render_png(data, "uk")
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


async def test_csv_and_xlsx_have_one_row_per_response_and_a_column_per_question(
    db: Database,
) -> None:
    sid = await known_answers(db)
    async with db.session() as s:
        data = await results.survey_results(s, sid, 5)
    assert data is not None
    rows = list(csv.reader(io.StringIO(export.to_csv(data, "en", TZ).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Participant", "Submitted", "1. How useful was the visit?"]
    assert len(rows) == 5 and len(rows[0]) == 2 + 7
    assert rows[1] == [
        "Person 0",
        "2023-10-13 11:00",
        "5",
        "10",
        "Sessions",
        "Floods; Funds",
        "Yes",
        "Flood maps",
        "",
    ]
    sheet = load_workbook(io.BytesIO(export.to_xlsx(data, "uk", TZ))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][2] == "1. Наскільки корисним був візит?"
    assert [r[2] for r in values[1:]] == [5, 4, 2, 4]  # numbers stay numbers
    assert [r[6] for r in values[1:]] == ["Так", "Так", "Ні", "Так"]
    assert values[1][5] == "Повені; Фонди" and values[3][5] is None
    assert values[3][8] == "More time"


async def test_results_command_chart_and_export_for_a_coordinator(bot: BotHarness) -> None:
    sid = await known_answers(bot.db)
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    listing = await bot.send(coordinator, "/results")
    assert any(
        b["callback_data"] == Results(ResultsAction.SHOW, sid).pack() for b in listing[-1].buttons
    )
    shown = texts(await bot.press_data(coordinator, Results(ResultsAction.SHOW, sid).pack()))
    assert "Responses: 4 of 5 invited (80 %)" in shown and "mean 3.8, median 4" in shown
    assert "“Flood maps”" in shown
    photo = [
        c
        for c in await bot.press_data(coordinator, Results(ResultsAction.CHART, sid).pack())
        if c.method == "sendPhoto"
    ]
    assert photo and next(iter(photo[0].files.values()))[1].startswith(b"\x89PNG")
    sent = [
        c
        for c in await bot.press_data(coordinator, ResultsExport(sid, ExportFormat.XLSX).pack())
        if c.method == "sendDocument"
    ]
    name, content = next(iter(sent[0].files.values()))
    assert name == "post-visit.xlsx"
    assert load_workbook(io.BytesIO(content)).active.max_row == 5
    async with bot.db.session() as s:
        assert "survey.export" in (await s.execute(select(AuditEntry.action))).scalars().all()


async def test_hosts_see_only_their_own_visits_results(bot: BotHarness) -> None:
    sid = await known_answers(bot.db)
    own, other = bot.new_user("sl"), bot.new_user("sl")
    for user, key in ((own, "host-1"), (other, "host-2")):
        await bot.onboard(user, "sl")
        await bot.register(user, key)
    assert "Odgovorilo: 4 od 5" in texts(
        await bot.press_data(own, Results(ResultsAction.SHOW, sid).pack())
    )
    refused = texts(await bot.press_data(other, Results(ResultsAction.SHOW, sid).pack()))
    assert "Ni rezultatov" in refused
    listing = await bot.send(other, "/results")
    assert not any(b["callback_data"].startswith("rs:s:") for b in listing[-1].buttons)
    mentee = bot.new_user("en")
    await bot.onboard(mentee, "en")
    await bot.register(mentee, "mentee-1")
    assert "hosts and coordinators only" in texts(
        await bot.press_data(mentee, ResultsExport(sid, ExportFormat.CSV).pack())
    )
    async with bot.db.session() as s:
        assert len((await s.execute(select(SurveyResponse))).all()) == 4


async def test_command_line_export(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    await known_answers(db)
    await stamp_head(db)
    await db.dispose()
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    target = tmp_path / "out.xlsx"
    status = await asyncio.to_thread(
        main, ["results", "--survey", "post-visit", "-o", str(target), "--language", "sl"]
    )
    assert status == 0
    values = list(load_workbook(target).active.iter_rows(values_only=True))
    assert values[0][2] == "1. Kako koristen je bil obisk?" and len(values) == 5
    missing = await asyncio.to_thread(main, ["results", "--survey", "nope", "-o", str(target)])
    assert missing == 1
