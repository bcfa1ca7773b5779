"""An INSERT that skips a row whose unique key exists already (``ON CONFLICT DO NOTHING``), on
both databases: how two transactions writing the same thing at the same moment agree on one row.
The second waits for the first (PostgreSQL on the unique index, SQLite for its one writer) and
then inserts nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


async def insert_new(
    session: AsyncSession,
    model: type[Any],
    values: dict[str, Any],
    unique: list[InstrumentedAttribute[Any]],
    returning: InstrumentedAttribute[Any],
) -> Any | None:
    """Insert a ``model`` row of ``values`` unless one with the same ``unique`` columns exists;
    the new row's ``returning`` column, or None when the row existed."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(returning)
    )
    return (await session.execute(stmt)).scalar_one_or_none()
