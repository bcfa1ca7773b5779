"""The delivery rate shared by every bot process: one token bucket kept in the database.

One process's :class:`~bot.delivery.pacing.Pacer` keeps Telegram's overall limit for that process
only; several processes on one PostgreSQL database would each keep it and together send several
times too fast. So, on PostgreSQL, a worker takes tokens from the bucket in ``delivery_budget``
before every claim and claims only as many rows as it got: the bucket holds at most ``capacity``
tokens (the worker uses a tenth of a second's worth, so that a slow transaction wastes no
budget) and refills at ``rate`` a second, so all processes together send at most ``rate`` a
second, plus ``capacity`` in a window that follows an idle moment; each process's own pacer
still spreads its share evenly. Each take locks the one row for the moment of a
short transaction (three statements). Time is the processes' wall clock: hosts are expected to
agree within milliseconds (NTP); a clock behind another's only refills less.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.outbox import DeliveryBudget

NAME = "delivery"


@dataclass(frozen=True, slots=True)
class Grant:
    """Rows the caller may claim now; when none, how long until ``want`` of them are available."""

    count: int
    wait: float


async def take(session: AsyncSession, want: int, rate: float, capacity: float, now: float) -> Grant:
    """Take up to ``want`` tokens (whole messages) in the caller's transaction; commit at once."""
    row = DeliveryBudget.__table__.c
    lock = update(DeliveryBudget).where(row.name == NAME).values(tokens=row.tokens)
    if not (await session.execute(lock)).rowcount:
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        await session.execute(
            insert(DeliveryBudget)
            .values(name=NAME, tokens=capacity, refilled_at=now)
            .on_conflict_do_nothing()
        )
        await session.execute(lock)
    tokens, refilled_at = (
        await session.execute(select(row.tokens, row.refilled_at).where(row.name == NAME))
    ).one()
    available = min(capacity, tokens + max(0.0, now - refilled_at) * rate)
    count = max(0, min(want, int(available + 1e-9)))
    await session.execute(
        update(DeliveryBudget)
        .where(row.name == NAME)
        .values(tokens=available - count, refilled_at=max(now, refilled_at))
    )
    wait = 0.0 if count else (min(want, capacity) - available) / rate
    return Grant(count, max(wait, 0.0))


async def give_back(session: AsyncSession, count: int, capacity: float) -> None:
    """Return tokens taken but not used (fewer rows were due than granted)."""
    if count > 0:
        row = DeliveryBudget.__table__.c
        refilled = func.min if session.bind.dialect.name == "sqlite" else func.least
        await session.execute(
            update(DeliveryBudget)
            .where(row.name == NAME)
            .values(tokens=refilled(row.tokens + count, capacity))
        )
