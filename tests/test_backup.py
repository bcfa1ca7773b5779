"""``python -m bot backup`` and ``restore`` on both databases.

A backup is made while a broadcast is being delivered; it restores into a fresh database with
every row of the backup intact and consistent, and a backup of the finished state restores to a
database identical, row for row, to the source (compared by plain SELECTs, not by the backup's
own reader). Restore refuses a database that is not empty, a cut file and an unknown revision.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from bot.cli.broadcasts import broadcast_file
from bot.config import Settings
from bot.db.backup import BackupError, backup, copy_sqlite, restore, restore_sqlite
from bot.db.engine import Database
from bot.db.migrate import current_revision, head_revision, upgrade
from bot.db.models import Account, AuditEntry, Delegation, Event, OutboxMessage, Participant
from bot.db.models.outbox import SENT
from bot.infra.services import services_of
from bot.programme.demo import ensure_demo
from tests.broadcasts.conftest import eventually
from tests.conftest import COORDINATOR_ID
from tests.databases import fresh  # noqa: F401  (fixture)
from tests.harness import BotHarness

RECIPIENTS = 150


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Fast enough for a test, slow enough (about 1.5 s for the broadcast) to back up mid-way.
    return Settings(
        _env_file=None,
        token="1:test",
        data_dir=tmp_path,  # type: ignore[call-arg]
        coordinator_ids=[COORDINATOR_ID],
        cache_check_seconds=0,
        delivery_chat_interval=0,
        delivery_rate=100,
        paid_broadcasts=True,
    )


def _reflect(connection: sa.Connection) -> list[sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return list(metadata.sorted_tables)


async def _contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (alembic_version included), by plain SELECTs in key order."""
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_reflect)
        return {
            t.name: [
                tuple(row)
                for row in await conn.execute(
                    select(t).order_by(*(t.primary_key.columns or t.columns))
                )
            ]
            for t in tables
        }


def _backup_rows(data: bytes) -> dict[str, list[dict[str, Any]]]:
    lines = gzip.decompress(data).splitlines()
    columns = {t["name"]: t["columns"] for t in json.loads(lines[0])["tables"]}
    rows: dict[str, list[dict[str, Any]]] = {}
    for line in lines[1:-1]:
        record = json.loads(line)
        names = columns[record["table"]]
        rows.setdefault(record["table"], []).extend(
            dict(zip(names, row, strict=True)) for row in record["rows"]
        )
    return rows


@pytest.fixture
async def stamped(bot: BotHarness) -> AsyncIterator[BotHarness]:
    """The test database (made from the models) marked as being at the newest migration."""

    def mark(connection: sa.Connection) -> list[Any]:
        table = sa.Table("alembic_version", sa.MetaData(), sa.Column("version_num", sa.String(32)))
        table.create(connection, checkfirst=True)
        before = [row[0] for row in connection.execute(sa.select(table.c.version_num))]
        connection.execute(table.delete())
        connection.execute(table.insert(), [{"version_num": head_revision()}])
        return before

    async with bot.db.engine.begin() as conn:
        before = await conn.run_sync(mark)
    yield bot
    async with bot.db.engine.begin() as conn:
        await conn.execute(sa.text("DELETE FROM alembic_version"))
        for version in before:
            await conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})


async def _people(bot: BotHarness) -> None:
    """The demo programme and RECIPIENTS mentees who use the bot."""
    await ensure_demo(bot.db, clock=bot.clock)
    async with bot.db.session() as s:
        delegation = (await s.execute(select(Delegation).limit(1))).scalar_one()
        people = [
            Participant(
                key=f"m{i}", name=f"M{i}", role="mentee", delegation_id=delegation.id, language="uk"
            )
            for i in range(RECIPIENTS)
        ]
        s.add_all(people)
        await s.flush()
        s.add_all(
            Account(
                telegram_id=500_000_000 + i,
                first_name=p.name,
                language="uk",
                participant_id=p.id,
                created_at=bot.clock.now(),
                last_seen_at=bot.clock.now(),
            )
            for i, p in enumerate(people)
        )


async def _sent(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).where(OutboxMessage.status == SENT)) or 0)


async def test_backup_during_a_broadcast_restores_every_row(
    stamped: BotHarness,
    fresh: Callable[[], Awaitable[Database]],  # noqa: F811
    tmp_path: Path,
) -> None:
    bot = stamped  # its timer jobs are stopped (the harness's default): only the broadcast writes
    await _people(bot)
    text = tmp_path / "news.md"
    text.write_text("The bus leaves at **9:00** from the hotel.", encoding="utf-8")
    summary = await broadcast_file(bot.db, bot.settings, text, "everyone", clock=bot.clock)
    assert "goes to" in summary
    worker = services_of(bot.app).delivery
    assert worker is not None
    worker.notify()
    await eventually(lambda: _sent(bot.db))

    during = io.BytesIO()
    made = await backup(bot.db, during)
    in_flight = made.counts["outbox_message"]
    await eventually(lambda: _sent_all(bot.db, in_flight))

    # The backup is one snapshot: the whole broadcast was enqueued, part of it sent.
    rows = _backup_rows(during.getvalue())
    outbox = rows["outbox_message"]
    assert len(outbox) >= RECIPIENTS
    statuses = {row["status"] for row in outbox}
    assert "sent" in statuses and statuses != {"sent"}, statuses

    target = await fresh()
    restored = await restore(target, io.BytesIO(during.getvalue()))
    assert restored.counts == made.counts and restored.rows > RECIPIENTS * 3
    assert await current_revision(target) == head_revision()
    contents = await _contents(target)
    assert {name: len(r) for name, r in contents.items() if name != "alembic_version"} == {
        name: len(rows.get(name, [])) for name in made.counts
    }
    # ids go on after the restored ones (PostgreSQL's sequences were moved past them)
    async with target.session() as s:
        s.add(AuditEntry(at=bot.clock.now(), actor_role="cli", action="test", target="t"))

    # Once the broadcast is done and the worker stopped, a backup restores to an identical database.
    await worker.stop()
    after = io.BytesIO()
    await backup(bot.db, after)
    copy = await fresh()
    await restore(copy, io.BytesIO(after.getvalue()))
    assert await _contents(copy) == await _contents(bot.db)


async def _sent_all(db: Database, total: int) -> bool:
    return await _sent(db) >= total


async def test_restore_refuses_what_it_cannot_restore_whole(
    stamped: BotHarness,
    fresh: Callable[[], Awaitable[Database]],  # noqa: F811
) -> None:
    bot = stamped
    await ensure_demo(bot.db, clock=bot.clock)
    made = io.BytesIO()
    await backup(bot.db, made)
    data = made.getvalue()

    target = await fresh()
    with pytest.raises(BackupError, match=r"cut short|not a readable"):
        await restore(target, io.BytesIO(data[: len(data) // 2]))
    lines = gzip.decompress(data).splitlines()
    header = json.loads(lines[0]) | {"revision": "ffffffffffff"}
    future = gzip.compress(b"\n".join([json.dumps(header).encode(), *lines[1:]]))
    with pytest.raises(BackupError, match="unknown to this release"):
        await restore(target, io.BytesIO(future))
    with pytest.raises(BackupError, match="not a backup"):
        await restore(target, io.BytesIO(gzip.compress(b'{"hello": 1}\n')))

    await restore(target, io.BytesIO(data))
    with pytest.raises(BackupError, match="not empty"):
        await restore(target, io.BytesIO(data))


async def test_sqlite_file_copy_while_the_bot_writes(tmp_path: Path) -> None:
    """SQLite's online backup API: a consistent file while another connection keeps writing."""
    source = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'live.sqlite3'}")
    await upgrade(source)
    await ensure_demo(source)
    writing = True

    async def writer() -> int:
        n = 0
        while writing:
            async with source.session() as s:
                s.add(AuditEntry(actor_role="cli", action="tick", target=str(n)))
            n += 1
            await asyncio.sleep(0)
        return n

    task = asyncio.create_task(writer())
    await asyncio.sleep(0.05)
    copy = tmp_path / "copy.sqlite3"
    assert await copy_sqlite(source, copy) == head_revision()
    writing = False
    written = await task
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copied = conn.execute("SELECT count(*) FROM audit_entry WHERE action = 'tick'").fetchone()
        rows = conn.execute("SELECT target FROM audit_entry WHERE action = 'tick' ORDER BY id")
        ticks = [int(t) for (t,) in rows]
    assert 0 < copied[0] <= written and ticks == list(range(copied[0]))  # a prefix: no torn write

    target = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'restored.sqlite3'}")
    try:
        assert await restore_sqlite(target, copy) == head_revision()
        with pytest.raises(BackupError, match="not empty"):
            await restore_sqlite(target, copy)
        async with target.session() as s, source.session() as t:
            count = select(func.count()).select_from(Event)
            assert await s.scalar(count) == await t.scalar(count) > 0
    finally:
        await target.dispose()
        await source.dispose()
