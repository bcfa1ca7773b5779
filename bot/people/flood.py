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

from sqlalchemy import Double, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Account

BURST = 8
REFILL = timedelta(seconds=3)


class Verdict(Enum):
    PASS = "pass"  # the message goes on
    WARN = "warn"  # refused: say "slow down" (once per flood)
    DROP = "drop"  # refused silently


_ACCOUNT = Account.__table__
_NOW = bindparam("now", type_=Double())
_REFILL = bindparam("refill", type_=Double())
_TAT = func.coalesce(_ACCOUNT.c.flood_tat, _NOW)
#: Built once (bot.db.mirror): a message accepted when the person's arrival time allows it;
#: else "slow down" said once; else whether the person has an account at all.
_ACCEPT = (
    update(_ACCOUNT)
    .where(
        _ACCOUNT.c.telegram_id == bindparam("person"),
        func.coalesce(_ACCOUNT.c.flood_tat, 0.0) <= bindparam("latest", type_=Double()),
    )
    .values(flood_tat=case((_TAT > _NOW, _TAT), else_=_NOW) + _REFILL, flood_warned=False)
)
_WARN = (
    update(_ACCOUNT)
    .where(_ACCOUNT.c.telegram_id == bindparam("person"), _ACCOUNT.c.flood_warned.is_(False))
    .values(flood_warned=True)
)
_KNOWN = select(_ACCOUNT.c.telegram_id).where(_ACCOUNT.c.telegram_id == bindparam("person"))


async def take(session: AsyncSession, telegram_id: int, now: datetime) -> Verdict:
    """Count one free-text message of ``telegram_id`` at ``now`` against the shared limit."""
    t = now.timestamp()
    refill = REFILL.total_seconds()
    accepted = await session.execute(
        _ACCEPT,
        {"person": telegram_id, "now": t, "refill": refill, "latest": t + (BURST - 1) * refill},
    )
    if accepted.rowcount:  # type: ignore[attr-defined]
        return Verdict.PASS
    warned = await session.execute(_WARN, {"person": telegram_id})
    if warned.rowcount:  # type: ignore[attr-defined]
        return Verdict.WARN
    known = await session.scalar(_KNOWN, {"person": telegram_id})
    return Verdict.DROP if known is not None else Verdict.PASS  # no account yet: not limited
