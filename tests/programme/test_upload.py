"""A programme file sent to the bot: located problems, the summary with Apply/Cancel, change
notices and the audit entry, a restart before Apply, stale buttons, other people's documents;
and the command line's notices and audit entry."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import build_application
from bot.callbacks.programme import ImportAction, ImportDecision
from bot.cli.programme import cmd_import
from bot.config import Settings
from bot.db.engine import Database
from bot.db.models import AuditEntry, Event, OutboxMessage, PendingImport, Resource
from bot.programme.export import export_file
from bot.programme.importer import import_file
from bot.runtime import running
from bot.transport.local_api import TEXT_LIMIT
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID, stamp_head
from tests.harness import BotHarness, texts
from tests.programme.test_import import SMALL, snapshot, write

#: SMALL with a mentee of the Zavodske delegation, who is concerned by e1 (visit v1).
WITH_MENTEE = SMALL.replace(
    "events:\n",
    "participants:\n  - {key: olena, name: Olena, role: mentee, delegation: zav, language: uk}\n"
    "events:\n",
)
#: e1 moved from 09:00 to 11:00 the same day (still ahead of the bot's clock, 08:00).
MOVED = WITH_MENTEE.replace("start: 2023-10-09T09:00", "start: 2023-10-09T11:00").replace(
    "end: 2023-10-09T10:00", "end: 2023-10-09T12:00"
)


async def coordinator(bot: BotHarness) -> SimUser:
    user = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(user, "en")
    return user


async def loaded_with_mentee(bot: BotHarness, tmp_path: Path) -> SimUser:
    """The programme imported from the command line, and Olena registered (Ukrainian)."""
    assert (await import_file(bot.db, write(tmp_path, WITH_MENTEE))).ok
    mentee = bot.new_user("uk")
    await bot.onboard(mentee, "uk")
    await bot.register(mentee, "olena")
    return mentee


async def e1_start(db: Database) -> datetime:
    async with db.session() as session:
        start = await session.scalar(select(Event.starts_at).where(Event.key == "e1"))
    assert start is not None
    return start


async def statuses(db: Database) -> list[str]:
    async with db.session() as session:
        rows = await session.scalars(select(PendingImport.status).order_by(PendingImport.id))
        return list(rows)


async def test_problems_are_located_and_nothing_changes(bot: BotHarness, tmp_path: Path) -> None:
    await loaded_with_mentee(bot, tmp_path)
    user = await coordinator(bot)
    before = await snapshot(bot.db)
    bad = WITH_MENTEE.replace("end: 2023-10-09T10:00", "end: 2023-10-09T08:00").replace(
        "delegation: zav, host", "delegation: nobody, host"
    )
    shown = texts(await bot.upload(user, "programme.yaml", bad.encode()))
    assert "2 problems were found" in shown
    assert "programme.yaml, line 10: visits[v1].delegation: no delegation has the key" in shown
    assert "programme.yaml, line 16: events[e1].end: the end is not after the start" in shown
    assert "reply_markup" not in bot.last_message(user)
    assert await snapshot(bot.db) == before


async def test_problems_are_shown_in_the_senders_language(bot: BotHarness) -> None:
    user = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="sl")
    await bot.onboard(user, "sl")
    shown = texts(
        await bot.upload(user, "program.yaml", SMALL.replace("lat: 46.13", "lat: x").encode())
    )
    assert "program.yaml, vrstica 16" in shown


async def test_a_long_list_is_cut_and_sent_whole_as_a_file(bot: BotHarness) -> None:
    user = await coordinator(bot)
    events = "".join(
        f"  - {{key: x{i}, start: 2023-10-09T09:00, end: 2023-10-09T08:00, title: T}}\n"
        for i in range(300)
    )
    calls = await bot.upload(user, "big.yaml", (SMALL + events).encode())
    assert all(c.error is None for c in calls)
    message = next(c for c in calls if c.method == "sendMessage")
    assert len(message.text) <= TEXT_LIMIT and "300 problems" in message.text
    assert "more: the whole list is in the attached file" in message.text
    document = next(c for c in calls if c.method == "sendDocument")
    name, content = next(iter(document.files.values()))
    assert name == "big-problems.txt"
    assert content.decode().count("the end is not after the start") == 300


async def test_good_file_summary_apply_notices_and_audit(bot: BotHarness, tmp_path: Path) -> None:
    mentee = await loaded_with_mentee(bot, tmp_path)
    user = await coordinator(bot)
    shown = texts(await bot.upload(user, "programme.yaml", MOVED.encode()))
    assert "<b>programme.yaml</b> is valid" in shown and "✏️ Session e1: time" in shown
    assert "Preview: nothing has changed yet." in shown and "Dry run" not in shown  # chat words
    assert await e1_start(bot.db) == datetime(2023, 10, 9, 7, 0, tzinfo=UTC)  # not yet
    message, data = bot.find_button(user, "Apply")
    applied = texts(await bot.press_data(user, data, message))
    assert (
        "<b>programme.yaml</b> has been imported" in applied
        and "1 change notice is going out now" in applied
    )
    assert await e1_start(bot.db) == datetime(2023, 10, 9, 9, 0, tzinfo=UTC)
    async with bot.db.session() as session:
        notice = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "change"))
        audit = (await session.scalars(select(AuditEntry))).all()
    assert notice is not None and notice.chat_id == mentee.id
    assert "11:00" in notice.payload["text"]  # in Olena's language and the programme's time
    assert [(a.action, a.actor_id, a.target) for a in audit] == [
        ("programme.import", COORDINATOR_ID, "programme.yaml")
    ]
    assert audit[0].details["events_changed"] == 1 and audit[0].details["notices"] == 1
    assert await statuses(bot.db) == ["applied"]
    assert "reply_markup" not in bot.last_message(user)  # the buttons are gone
    again = await bot.press_data(user, data, message)
    alert = next(c for c in again if c.method == "answerCallbackQuery")
    assert "already been imported" in alert.text and alert.params["show_alert"]
    # What the upload wrote is a fixed point: export, import: nothing changed.
    result = await import_file(bot.db, await export_file(bot.db, tmp_path / "again.yaml"))
    assert result.summary is not None and result.summary.empty


async def test_change_notices_in_the_quiet_hours_wait_and_the_coordinator_is_told(
    bot: BotHarness, tmp_path: Path
) -> None:
    tz = ZoneInfo("Europe/Ljubljana")  # the programme's
    bot.clock.set(datetime(2023, 10, 8, 23, 30, tzinfo=tz))
    await loaded_with_mentee(bot, tmp_path)
    user = await coordinator(bot)
    await bot.upload(user, "programme.yaml", MOVED.encode())
    message, data = bot.find_button(user, "Apply")
    applied = texts(await bot.press_data(user, data, message))
    assert "Quiet hours: 1 change notice waits until 9 Oct 2023, 07:00." in applied
    assert "going out now" not in applied
    async with bot.db.session() as session:
        notice = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "change"))
    assert notice is not None
    assert notice.due_at.replace(tzinfo=UTC) == datetime(2023, 10, 9, 7, 0, tzinfo=tz)


async def test_cancel_changes_nothing(bot: BotHarness, tmp_path: Path) -> None:
    await loaded_with_mentee(bot, tmp_path)
    user = await coordinator(bot)
    await bot.upload(user, "programme.yaml", MOVED.encode())
    before = await snapshot(bot.db)
    message, apply_data = bot.find_button(user, "Apply")
    assert "Import of <b>programme.yaml</b> cancelled" in texts(await bot.press(user, "Cancel"))
    assert await statuses(bot.db) == ["cancelled"]
    late = await bot.press_data(user, apply_data, message)
    assert "cancelled" in next(c for c in late if c.method == "answerCallbackQuery").text
    after = await snapshot(bot.db)
    assert {k: v for k, v in after.items() if k != "pending_import"} == {
        k: v for k, v in before.items() if k != "pending_import"
    }
    assert await e1_start(bot.db) == datetime(2023, 10, 9, 7, 0, tzinfo=UTC)


async def test_apply_after_a_restart(bot: BotHarness, tmp_path: Path) -> None:
    await loaded_with_mentee(bot, tmp_path)
    user = await coordinator(bot)
    await bot.upload(user, "programme.yaml", MOVED.encode())
    message, data = bot.find_button(user, "Apply")
    api = bot.api  # Telegram keeps its messages while the bot restarts
    restarted = build_application(bot.settings, bot.db, clock=bot.clock, request=api)
    async with running(restarted):
        other = BotHarness(
            app=restarted, api=api, db=bot.db, clock=bot.clock, settings=bot.settings
        )
        shown = texts(await other.press_data(user, data, message))
    assert "<b>programme.yaml</b> has been imported" in shown
    assert await e1_start(bot.db) == datetime(2023, 10, 9, 9, 0, tzinfo=UTC)


async def test_apply_after_the_programme_changed_shows_the_new_summary(
    bot: BotHarness, tmp_path: Path
) -> None:
    await loaded_with_mentee(bot, tmp_path)
    user = await coordinator(bot)
    await bot.upload(user, "programme.yaml", MOVED.encode())
    # Meanwhile someone imports another change from the command line.
    renamed = WITH_MENTEE.replace("title: Opening", "title: Welcome")
    assert (await import_file(bot.db, write(tmp_path, renamed, "other.yaml"))).ok
    shown = texts(await bot.press(user, "Apply"))
    assert "has changed since you sent" in shown
    assert "also changed: title" in shown  # the file would now undo the rename too
    assert await e1_start(bot.db) == datetime(2023, 10, 9, 7, 0, tzinfo=UTC)  # not applied
    assert await statuses(bot.db) == ["pending"]
    assert "has been imported" in texts(await bot.press(user, "Apply"))
    assert await e1_start(bot.db) == datetime(2023, 10, 9, 9, 0, tzinfo=UTC)


async def test_a_newer_file_makes_the_old_buttons_stale(bot: BotHarness, tmp_path: Path) -> None:
    await loaded_with_mentee(bot, tmp_path)
    user = await coordinator(bot)
    await bot.upload(user, "first.yaml", MOVED.encode())
    first, data = bot.find_button(user, "Apply")
    await bot.upload(
        user, "second.yaml", MOVED.replace("T11:00", "T13:00").replace("T12:00", "T14:00").encode()
    )
    calls = await bot.press_data(user, data, first)
    alert = next(c for c in calls if c.method == "answerCallbackQuery")
    assert "newer file" in alert.text and alert.params["show_alert"]
    assert await statuses(bot.db) == ["superseded", "pending"]
    assert await e1_start(bot.db) == datetime(2023, 10, 9, 7, 0, tzinfo=UTC)
    gone = await bot.press_data(user, ImportDecision(ImportAction.APPLY, 999).pack(), first)
    assert "no longer exists" in next(c for c in gone if c.method == "answerCallbackQuery").text


async def test_a_non_coordinators_document_is_not_imported(bot: BotHarness, tmp_path: Path) -> None:
    mentee = await loaded_with_mentee(bot, tmp_path)
    before = await snapshot(bot.db)
    calls = await bot.upload(mentee, "programme.yaml", MOVED.encode())
    assert "текстові повідомлення" in texts(calls)
    assert not any(c.method in ("getFile", "sendDocument") for c in calls)
    assert await snapshot(bot.db) == before
    forged = await bot.press_data(mentee, ImportDecision(ImportAction.APPLY, 1).pack())
    assert next(c for c in forged if c.method == "answerCallbackQuery").params["show_alert"]


async def test_files_too_large_are_refused_before_downloading(bot: BotHarness) -> None:
    user = await coordinator(bot)
    huge = await bot.upload(user, "programme.xlsx", b"x" * (21 * 1024 * 1024))
    assert "download files over 20 MB" in texts(huge)
    large = await bot.upload(user, "programme.yaml", b"#" * (6 * 1024 * 1024))
    assert "the file is larger than 5 MB" in texts(large)
    assert not any(c.method == "getFile" for c in huge + large)
    other = await bot.upload(user, "notes.pdf", b"%PDF-1.4")
    assert "not a programme file: use .yaml, .yml or .xlsx" in texts(other)


async def test_file_references_resolve_only_to_stored_files(
    bot: BotHarness, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.txt").write_bytes(b"the plan")
    text = SMALL + "resources:\n  - {key: plan, title: Plan, file: docs/plan.txt}\n"
    assert (await import_file(bot.db, write(tmp_path, text))).ok
    user = await coordinator(bot)
    same = text.replace("docs/plan.txt", "exported_files/plan.txt")  # as `export` writes it
    assert "nothing to change" in texts(await bot.upload(user, "programme.yaml", same.encode()))
    new = text + "  - {key: map, title: Map, file: docs/map.pdf}\n"
    shown = texts(await bot.upload(user, "programme.yaml", new.encode()))
    assert (
        "resources[map].file: a programme file sent in the chat cannot attach “docs/map.pdf”"
        in shown
    )
    async with bot.db.session() as session:
        assert await session.scalar(select(Resource.file_content)) == b"the plan"


async def test_command_line_import_queues_notices_and_records_the_audit_entry(
    bot: BotHarness, tmp_path: Path
) -> None:
    mentee = await loaded_with_mentee(bot, tmp_path)
    await stamp_head(bot.db)
    url = bot.db.engine.url.render_as_string(hide_password=False)
    settings = Settings(_env_file=None, database_url=url, data_dir=tmp_path)  # type: ignore[call-arg]
    # The command line runs on the real clock: move the visit and e1 to a year still ahead.
    future = WITH_MENTEE.replace("2023-10-09T", "2099-10-09T").replace("2023-10-", "2099-10-")
    path = write(tmp_path, future, "future.yaml")

    def run(*extra: str) -> int:
        args = argparse.Namespace(file=path, dry_run="--dry-run" in extra, language="en")
        return cmd_import(args, settings)

    assert await asyncio.to_thread(run, "--dry-run") == 0  # no notice, no entry
    async with bot.db.session() as session:
        assert await session.scalar(select(AuditEntry)) is None
    assert await asyncio.to_thread(run) == 0
    async with bot.db.session() as session:
        (entry,) = (await session.scalars(select(AuditEntry))).all()
        notices = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "change"))
        ).all()
    assert (entry.action, entry.actor_id, entry.actor_role, entry.target) == (
        "programme.import",
        None,
        "cli",
        "future.yaml",
    )
    assert {n.chat_id for n in notices} == {mentee.id} and len(notices) == 2  # e1 and e2
