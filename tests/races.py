"""Two transactions writing at the same moment, for tests of races between bot processes: the
engine's own statement hook holds an insert until another one arrives (no code of the bot is
replaced)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.util import await_

from bot.db.engine import Database


def _inserts_into(statement: str, table: str) -> bool:
    return statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()} ")


@contextmanager
def meeting(db: Database, table: str, patience: float = 2.0) -> Iterator[list[str]]:
    """Within the block, the first INSERT into ``table`` waits (at most ``patience`` seconds)
    until a second one arrives, so that two transactions write at the same moment, each having
    read before the other wrote. Yields the statements that arrived."""
    arrived: list[str] = []
    both = asyncio.Event()

    def meet(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if not _inserts_into(statement, table):
            return
        arrived.append(statement)
        if len(arrived) >= 2:
            both.set()
        else:
            with contextlib.suppress(TimeoutError):
                await_(asyncio.wait_for(both.wait(), patience))

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", meet)
    try:
        yield arrived
    finally:
        event.remove(engine, "before_cursor_execute", meet)
