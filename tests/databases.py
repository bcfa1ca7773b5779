"""New, empty databases beside the test database: for restores and upgrades (both kinds)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.db.engine import Database
from tests.conftest import PG_URL, _admin

_numbers = itertools.count(1)


@pytest.fixture
async def fresh(db: Database, tmp_path: Path) -> AsyncIterator[Callable[[], Awaitable[Database]]]:
    """Makes new, empty databases of the same kind as ``db`` (no tables at all)."""
    made: list[tuple[Database, str | None]] = []

    async def make() -> Database:
        n = next(_numbers)
        if db.dialect == "sqlite":
            database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / f'fresh{n}.sqlite3'}")
            made.append((database, None))
        else:
            name = f"{PG_URL.database}_fresh{n}"
            await _admin(f'DROP DATABASE IF EXISTS "{name}"')
            await _admin(f'CREATE DATABASE "{name}"')
            url = PG_URL.set(database=name).render_as_string(hide_password=False)
            database = Database.from_url(url)
            made.append((database, name))
        return database

    yield make
    for database, name in made:
        await database.dispose()
        if name is not None:
            await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
