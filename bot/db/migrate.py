"""Applies the Alembic migrations shipped in the package (``db upgrade``; also on start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db.engine import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Any, config: Config, revision: str) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (the newest by default)."""
    config = alembic_config()
    async with db.engine.begin() as connection:
        await connection.run_sync(_upgrade, config, revision)


def revision_of(connection: Any) -> str | None:
    """The schema revision recorded in the database of ``connection`` (None: none yet)."""
    return MigrationContext.configure(connection).get_current_revision()


async def migrated(url: str) -> Database:
    """The database at ``url``, brought to the newest schema first: every command that reads or
    writes the database opens it here, so a fresh one never ends in "no such table"."""
    db = Database.from_url(url)
    try:
        await upgrade(db)
    except BaseException:
        await db.dispose()
        raise
    return db


async def current_revision(db: Database) -> str | None:
    async with db.engine.connect() as connection:
        return await connection.run_sync(revision_of)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _revision(connection: Any, config: Config, message: str) -> None:
    config.attributes["connection"] = connection
    command.revision(config, message=message, autogenerate=True)


async def new_revision(db: Database, message: str) -> None:
    """Write a migration for what the models have and the database lacks (developers)."""
    async with db.engine.begin() as connection:
        await connection.run_sync(_revision, alembic_config(), message)
