"""Steps of a flow that make something, used once.

A coordinator's step (the last step of ``/invite``, the Send of a survey launch) is the message
its buttons are on. :func:`claim` records that message as used in the caller's transaction, so
the thing is made once: a double tap, a press on another bot process, or a press after a restart
finds the step used and makes nothing. If the transaction fails, the claim goes with it and the
step can be used again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.db.models import UsedStep


async def claim(session: AsyncSession, chat_id: int, message_id: int, now: datetime) -> bool:
    """True the first time the step on ``message_id`` in ``chat_id`` is used, False after."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(UsedStep)
        .values(chat_id=chat_id, message_id=message_id, used_at=now)
        .on_conflict_do_nothing(index_elements=[UsedStep.chat_id, UsedStep.message_id])
        .returning(UsedStep.chat_id)
    )
    return (await session.execute(stmt)).first() is not None


async def use(db: Database, chat_id: int, message_id: int, now: datetime) -> bool:
    """:func:`claim` in a transaction of its own, committed before the thing is made."""
    async with db.session() as session:
        return await claim(session, chat_id, message_id, now)
