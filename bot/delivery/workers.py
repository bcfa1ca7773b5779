"""Delivery workers' identity and heartbeat: a crashed worker's claimed rows are taken over at once.

Each worker is ``host:pid:random`` and keeps a row in ``delivery_worker`` whose ``heartbeat_at`` it
renews every few seconds. A worker is dead when its heartbeat is older than ``dead_after``, or,
on the same host, at once when its process is gone (or when its process id is now this worker's
own: a restarted container's bot often gets the same id). The outbox rows a dead worker left in
``sending`` are made due again immediately, instead of after the 60-second lease.

Those rows are the window of messages that may reach a recipient twice: each was claimed, and
some may have been sent before the crash without the outcome being recorded. The window is at most
the dead worker's claimed rows, and of those only the ones it had in flight or unrecorded (its
``concurrency`` plus about ``flush_interval`` worth of sending) can have been sent; every takeover
is logged with that count.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.outbox import SENDING, DeliveryWorkerRow, OutboxMessage

_T = OutboxMessage.__table__


def parse_id(worker_id: str) -> tuple[str, int | None]:
    """(host, pid) of a ``host:pid:random`` worker id (pid None when the id has another form)."""
    parts = worker_id.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return parts[0], int(parts[1])
    return worker_id, None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


async def beat(session: AsyncSession, worker_id: str, now: datetime) -> None:
    """Record that ``worker_id`` is alive (registering it the first time)."""
    done = await session.execute(
        update(DeliveryWorkerRow).where(DeliveryWorkerRow.id == worker_id).values(heartbeat_at=now)
    )
    if not done.rowcount:
        host, pid = parse_id(worker_id)
        session.add(
            DeliveryWorkerRow(
                id=worker_id, host=host, pid=pid or 0, started_at=now, heartbeat_at=now
            )
        )
        await session.flush()


async def retire(session: AsyncSession, worker_id: str) -> None:
    """A worker that stopped cleanly (its rows given back) leaves the table."""
    await session.execute(delete(DeliveryWorkerRow).where(DeliveryWorkerRow.id == worker_id))


async def take_over_dead(
    session: AsyncSession, worker_id: str, now: datetime, dead_after: timedelta
) -> dict[str, int]:
    """Make the rows of every dead worker due now; returns rows taken over per dead worker.

    Run by ``worker_id`` in this process: a worker registered on this host is dead when its
    process is gone or has this process's id.
    """
    host, pid = socket.gethostname(), os.getpid()
    rows = (await session.execute(select(DeliveryWorkerRow))).scalars().all()
    dead = [
        row.id
        for row in rows
        if row.id != worker_id
        and (
            row.heartbeat_at < now - dead_after
            or (row.host == host and (row.pid == pid or not process_alive(row.pid)))
        )
    ]
    if not dead:
        return {}
    claimed = dict(
        (
            await session.execute(
                select(_T.c.claimed_by, func.count())
                .where(_T.c.status == SENDING, _T.c.claimed_by.in_(dead))
                .group_by(_T.c.claimed_by)
            )
        ).all()
    )
    await session.execute(
        update(_T)
        .where(_T.c.status == SENDING, _T.c.claimed_by.in_(dead))
        .values(next_attempt_at=now, claimed_until=now)
    )
    await session.execute(delete(DeliveryWorkerRow).where(DeliveryWorkerRow.id.in_(dead)))
    return {name: int(claimed.get(name, 0)) for name in dead}
