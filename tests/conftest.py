"""Shared fixtures: a real database (SQLite and PostgreSQL) and the real Application.

Every test that asks for ``db`` runs twice, once per database. PostgreSQL is taken from
``BOT_TEST_PG_URL`` (default: the local server's ``mentoring_test`` database, which ``.ci/run``
creates); when it cannot be reached the PostgreSQL half is skipped, except under CI, where that
is a failure.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.db import models  # noqa: F401  (registers every table)
from bot.db.base import Base
from bot.db.engine import Database
from bot.runtime import running
from bot.transport.local_api import LocalBotApi
from tests.harness import BotHarness

PG_URL = os.environ.get(
    "BOT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/mentoring_test"
)

_pg_schema_ready = False


async def _pg_database() -> Database:
    global _pg_schema_ready
    database = Database.from_url(PG_URL, pool_size=5, max_overflow=10)
    try:
        async with database.engine.begin() as conn:
            if not _pg_schema_ready:
                await conn.run_sync(Base.metadata.drop_all)
                await conn.run_sync(Base.metadata.create_all)
                _pg_schema_ready = True
            else:
                names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
                await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    except (OSError, ConnectionError) as exc:  # server down or database missing
        await database.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
    except Exception as exc:
        await database.dispose()
        if os.environ.get("CI") or "does not exist" not in str(exc):
            raise
        pytest.skip(f"PostgreSQL test database missing: {exc}")
    return database


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
    return Settings(_env_file=None, token="1:test", data_dir=tmp_path,  # type: ignore[call-arg]
                    coordinator_ids=[COORDINATOR_ID])


@pytest.fixture
async def bot(db: Database, settings: Settings) -> AsyncIterator[BotHarness]:
    """The real Application on a real database (both kinds), talking to the local Bot API.

    Starts empty: load a programme with the programme area's helpers when a test needs one.
    """
    api = LocalBotApi()
    clock = ManualClock(datetime(2023, 10, 9, 6, 0, tzinfo=UTC))
    app = build_application(settings, db, clock=clock, request=api)
    async with running(app):
        yield BotHarness(app=app, api=api, db=db, clock=clock, settings=settings)
