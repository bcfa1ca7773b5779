"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from bot.db import migrate
from bot.db.base import Base
from bot.db.engine import Database


async def _drop_everything(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _diff(connection: object) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
    return compare_metadata(context, Base.metadata)


async def test_upgrade_matches_models(db: Database) -> None:
    await _drop_everything(db)
    try:
        await migrate.upgrade(db)
        assert await migrate.current_revision(db) == migrate.head_revision()
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(_diff)
        assert diff == [], f"models and migrations differ; run `python -m bot db revision`: {diff}"
        if db.dialect == "sqlite":  # its physical order must not be the order of insertion
            async with db.engine.connect() as conn:
                sql = await conn.scalar(
                    text("SELECT sql FROM sqlite_master WHERE name = 'survey_response'")
                )
            assert "WITHOUT ROWID" in sql
        await migrate.upgrade(db)  # a second upgrade is a no-op
    finally:
        if db.dialect == "postgresql":
            await _drop_everything(db)
            async with db.engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)


@pytest.mark.parametrize("value", ["2023-10-09T08:00:00+02:00"])
async def test_times_round_trip_as_aware_utc(db: Database, value: str) -> None:
    from datetime import UTC, datetime

    from bot.db.models import Account

    moment = datetime.fromisoformat(value)
    async with db.session() as session:
        session.add(
            Account(telegram_id=2**40 + 7, first_name="A", created_at=moment, last_seen_at=moment)
        )
    async with db.session() as session:
        account = await session.get(Account, 2**40 + 7)
        assert account is not None
        assert account.created_at == moment and account.created_at.tzinfo == UTC
    with pytest.raises(Exception, match="naive"):
        async with db.session() as session:
            session.add(Account(telegram_id=5, first_name="B", created_at=datetime(2023, 1, 1)))


async def test_the_start_up_check_knows_when_the_schema_is_at_the_head(db: Database) -> None:
    """``run`` skips Alembic only when the database is certainly at the shipped head."""
    from bot.db.schema_state import at_head, shipped_head

    assert shipped_head() == migrate.head_revision()
    assert not await at_head(db)  # tables made by the models, no version recorded
    await _drop_everything(db)
    try:
        await migrate.upgrade(db)
        assert await at_head(db)
        async with db.engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = 'c411664f4aba'"))
        assert not await at_head(db)
    finally:
        if db.dialect == "postgresql":
            await _drop_everything(db)
            async with db.engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
