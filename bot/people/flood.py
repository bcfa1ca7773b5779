"""A flood limit on one person's free text, shared by every bot process through the database.

One account once sent 1,000 messages in a row: 1,000 question rows were stored and everyone's
answers waited behind them. Each person may send a burst of ``BURST`` messages, refilled by one
every ``REFILL``; a message beyond that is dropped before any area sees it, the first of them with
one "slow down" answer. The limit is the generic cell rate algorithm: one number per person, the
*theoretical arrival time* (``account.flood_tat``, seconds since the epoch), pushed ``REFILL``
further by every accepted message. A message is accepted by one conditional ``UPDATE`` checked by
its row count, so processes behind one webhook or several polling processes share one limit, with
no read-then-write race; whether the person was already told to slow down is kept beside it
(``account.flood_warned``) the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Account

BURST = 8
REFILL = timedelta(seconds=3)


class Verdict(Enum):
    PASS = "pass"  # the message goes on
    WARN = "warn"  # refused: say "slow down" (once per flood)
    DROP = "drop"  # refused silently


async def take(session: AsyncSession, telegram_id: int, now: datetime) -> Verdict:
    """Count one free-text message of ``telegram_id`` at ``now`` against the shared limit."""
    t = now.timestamp()
    refill = REFILL.total_seconds()
    tat = func.coalesce(Account.flood_tat, t)
    accepted = await session.execute(
        update(Account)
        .where(
            Account.telegram_id == telegram_id,
            func.coalesce(Account.flood_tat, 0.0) <= t + (BURST - 1) * refill,
        )
        .values(flood_tat=case((tat > t, tat), else_=t) + refill, flood_warned=False)
        .execution_options(synchronize_session=False)
    )
    if accepted.rowcount:  # type: ignore[attr-defined]
        return Verdict.PASS
    warned = await session.execute(
        update(Account)
        .where(Account.telegram_id == telegram_id, Account.flood_warned.is_(False))
        .values(flood_warned=True)
        .execution_options(synchronize_session=False)
    )
    if warned.rowcount:  # type: ignore[attr-defined]
        return Verdict.WARN
    known = await session.scalar(
        select(Account.telegram_id).where(Account.telegram_id == telegram_id)
    )
    return Verdict.DROP if known is not None else Verdict.PASS  # no account yet: not limited
