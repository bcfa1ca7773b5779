"""Shared fixtures: a real database (SQLite and PostgreSQL) and the real Application.

Every test that asks for ``db`` runs twice, once per database. For PostgreSQL, each test run
creates its own throwaway database next to ``BOT_TEST_PG_URL`` (default: the local server,
``postgresql+asyncpg://postgres@127.0.0.1:5432/mentoring_test``) and drops it at the end, so
parallel runs never meet. When the server cannot be reached the PostgreSQL half is skipped,
except under CI, where that is a failure.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.app import build_application
from bot.config import Settings
from bot.db import models  # noqa: F401  (registers every table)
from bot.db.base import Base
from bot.db.engine import Database
from bot.infra.clock import ManualClock
from bot.runtime import running
from bot.transport.local_api import LocalBotApi
from tests import rendering
from tests.harness import BotHarness, timers_stopped

BASE_PG_URL = make_url(
    os.environ.get("BOT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/mentoring_test")
)
PG_URL = BASE_PG_URL.set(database=f"{BASE_PG_URL.database}_{os.getpid()}")

_pg_state: dict[str, object] = {"schema": False, "error": None}


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(
        host=BASE_PG_URL.host,
        port=BASE_PG_URL.port or 5432,
        user=BASE_PG_URL.username,
        password=BASE_PG_URL.password,
        database="postgres",
        timeout=5,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session", autouse=True)
def _pg_test_database() -> Iterator[None]:
    """Create this run's PostgreSQL database, and drop it when the run ends."""
    try:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{PG_URL.database}"'))
        asyncio.run(_admin(f'CREATE DATABASE "{PG_URL.database}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        _pg_state["error"] = exc
        yield
        return
    yield
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{PG_URL.database}" WITH (FORCE)'))


async def _pg_database() -> Database:
    if _pg_state["error"] is not None:
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL unreachable: {_pg_state['error']}")
        pytest.skip(f"PostgreSQL not reachable at {BASE_PG_URL}: {_pg_state['error']}")
    database = Database.from_url(
        PG_URL.render_as_string(hide_password=False), pool_size=5, max_overflow=10
    )
    async with database.engine.begin() as conn:
        if not _pg_state["schema"]:
            await conn.run_sync(Base.metadata.create_all)
            _pg_state["schema"] = True
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    return database


async def stamp_head(database: Database) -> None:
    """Mark a schema made from the models as migrated, for tests that run a command (every
    command that opens the database migrates it first)."""
    from alembic import command

    from bot.db import migrate

    def _stamp(connection: Any) -> None:
        config = migrate.alembic_config()
        config.attributes["connection"] = connection
        command.stamp(config, "head")

    async with database.engine.begin() as conn:
        await conn.run_sync(_stamp)


async def _sqlite_database(tmp_path: Path) -> Database:
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database with every table, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = await _sqlite_database(tmp_path)
    else:
        database = await _pg_database()
    try:
        yield database
    finally:
        await database.dispose()


COORDINATOR_ID = 900_000_001


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        token="1:test",
        data_dir=tmp_path,  # type: ignore[call-arg]
        coordinator_ids=[COORDINATOR_ID],
        cache_check_seconds=0,  # see other "processes'" writes (tests' own) at once
    )


@pytest.fixture
async def bot(
    db: Database, settings: Settings, request: pytest.FixtureRequest
) -> AsyncIterator[BotHarness]:
    """The real Application on a real database (both kinds), talking to the local Bot API.

    Starts empty: load a programme with the programme area's helpers when a test needs one.
    Every update is checked (:meth:`BotHarness.check`); ``@pytest.mark.faults`` on a test that
    injects faults on purpose turns the check of refused calls and failed updates off. The timer
    jobs' clock is stopped (:func:`tests.harness.timers_stopped`).
    """
    clock = ManualClock(datetime(2023, 10, 9, 6, 0, tzinfo=UTC))
    api = LocalBotApi(clock=clock)
    app = build_application(settings, db, clock=clock, request=api)
    harness = BotHarness(app=app, api=api, db=db, clock=clock, settings=settings)
    harness.faults_expected = request.node.get_closest_marker("faults") is not None
    async with running(app):
        timers_stopped(app)
        yield harness
    await harness.note_languages()
    shown_wrong = rendering.problems(api.calls, harness.sent_in.language_of)
    assert not shown_wrong, "screens that break the rendering rules:\n" + "\n".join(shown_wrong)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the figures that measuring tests collected (e.g. the hostile-input counts)."""
    from tests import test_hostile

    for line in test_hostile.REPORT:
        terminalreporter.write_line(line)
