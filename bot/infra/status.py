"""How the bot is doing, read from the database: for ``/status``, ``/metrics`` and ``/health``.

Figures come from the database rather than from one process's counters, so every process (and
the coordinator's ``/status``) sees the same answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import text

from bot.db.engine import Database
from bot.delivery import outbox
from bot.infra import metrics
from bot.infra.clock import Clock
from bot.questions import service as questions

#: The window of the "last 24 hours" figures.
WINDOW = timedelta(hours=24)
#: When this process started (for the uptime).
STARTED = time.monotonic()


@dataclass(frozen=True)
class Snapshot:
    """The essentials: outbox backlog, messages and questions of the last day."""

    now: datetime
    backlog: outbox.Backlog
    #: Outbox rows created in :data:`WINDOW` by status (``pending``, ``sent``, ``failed``, ...).
    deliveries: dict[str, int] = field(default_factory=dict)
    #: Questions asked in :data:`WINDOW` by status.
    questions: dict[questions.Status, int] = field(default_factory=dict)
    #: Questions passed on and waiting for a coordinator's answer (any age).
    waiting_for_staff: int = 0
    revision: str | None = None
    uptime_seconds: float = 0.0


async def database_ok(db: Database) -> bool:
    """Whether the database answers a trivial query."""
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:  # any failure means "not reachable"; the caller reports it
        return False
    return True


async def snapshot(db: Database, now: datetime) -> Snapshot:
    from bot.db import migrate  # Alembic only when asked (start-up stays light)

    since = now - WINDOW
    async with db.session() as s:
        backlog = await outbox.backlog(s, now)
        deliveries = await outbox.outcomes_since(s, since)
        asked = await questions.counts_since(s, since)
        waiting = await questions.waiting_for_staff(s)
    return Snapshot(
        now=now,
        backlog=backlog,
        deliveries=deliveries,
        questions=asked,
        waiting_for_staff=waiting,
        revision=await migrate.current_revision(db),
        uptime_seconds=time.monotonic() - STARTED,
    )


def pool_figures(db: Database) -> dict[str, int]:
    """The connection pool's size, connections checked out and overflow (where the pool says)."""
    pool = db.engine.pool
    figures: dict[str, int] = {}
    for state, name in (("size", "size"), ("checked_out", "checkedout"), ("overflow", "overflow")):
        reader = getattr(pool, name, None)
        if callable(reader):
            figures[state] = int(reader())
    return figures


async def refresh_gauges(db: Database, clock: Clock) -> None:
    """Set the database gauges of :mod:`bot.infra.metrics` (on each scrape)."""
    now = clock.now()
    async with db.session() as s:
        backlog = await outbox.backlog(s, now)
    metrics.OUTBOX_DEPTH.set(backlog.depth)
    metrics.OUTBOX_OLDEST_DUE.set(backlog.oldest_age(now))
    for state, value in pool_figures(db).items():
        metrics.DB_POOL.labels(state).set(value)
