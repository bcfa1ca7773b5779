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
    made = await insert_new_rows(session, model, [values], unique, returning)
    return made[0] if made else None


#: Rows a statement: well inside either database's limit on bound parameters.
_CHUNK = 500


async def insert_new_rows(
    session: AsyncSession,
    model: type[Any],
    rows: list[dict[str, Any]],
    unique: list[InstrumentedAttribute[Any]],
    returning: InstrumentedAttribute[Any],
) -> list[Any]:
    """:func:`insert_new` for many rows at once: the ``returning`` column of the rows that were
    new (those whose ``unique`` columns existed, in the table or earlier in ``rows``, are
    skipped)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    made: list[Any] = []
    for start in range(0, len(rows), _CHUNK):
        stmt = (
            insert(model)
            .values(rows[start : start + _CHUNK])
            .on_conflict_do_nothing(index_elements=unique)
            .returning(returning)
        )
        made += (await session.execute(stmt)).scalars().all()
    return made
