"""What became of broadcasts: figures, the list for ``/broadcasts``, and the per-recipient CSV.

Delivery figures come from the outbox (:func:`bot.delivery.outbox.broadcast_stats`, the first
send of each recipient only — reminders are counted apart); confirmations from the recipients.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import spreadsheets
from bot.broadcasts.sending import KIND, subject
from bot.db.models import OutboxMessage
from bot.db.models.broadcasts import CANCELLED, DRAFT, Broadcast, BroadcastRecipient
from bot.db.models.outbox import SENDING
from bot.delivery import outbox
from bot.delivery.outbox import DeliveryStats
from bot.people.access import Role, Viewer


class State(StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Figures:
    """What became of one broadcast (read inside the session): its report and progress."""

    id: int
    texts: Mapping[str, str]  # the message per language
    send_at: datetime | None
    ask_ack: bool
    delivery: DeliveryStats
    recipients: int
    acked: int
    state: State


def state_of(broadcast: Broadcast, stats: DeliveryStats, now: datetime) -> State:
    if broadcast.status == CANCELLED:
        return State.CANCELLED
    if stats.pending and broadcast.send_at is not None and broadcast.send_at > now:
        return State.SCHEDULED
    return State.SENDING if stats.pending else State.DONE


async def figures_of(
    session: AsyncSession, broadcasts: list[Broadcast], now: datetime
) -> list[Figures]:
    ids = [b.id for b in broadcasts]
    stats = await outbox.broadcast_stats(session, ids)
    counts = {
        row.broadcast_id: (row.total, row.acked)
        for row in await session.execute(
            select(
                BroadcastRecipient.broadcast_id,
                func.count().label("total"),
                func.count(BroadcastRecipient.acked_at).label("acked"),
            )
            .where(BroadcastRecipient.broadcast_id.in_(ids or [-1]))
            .group_by(BroadcastRecipient.broadcast_id)
        )
    }
    out = []
    for b in broadcasts:
        delivery = stats.get(b.id, DeliveryStats())
        total, acked = counts.get(b.id, (0, 0))
        state = state_of(b, delivery, now)
        out.append(
            Figures(b.id, dict(b.texts or {}), b.send_at, b.ask_ack, delivery, total, acked, state)
        )
    return out


async def figures(session: AsyncSession, broadcast: Broadcast, now: datetime) -> Figures:
    return (await figures_of(session, [broadcast], now))[0]


async def recent(
    session: AsyncSession, viewer: Viewer, now: datetime, limit: int = 10
) -> list[Figures]:
    """The newest broadcasts the viewer may see: all for coordinators, their own for hosts."""
    query = select(Broadcast).where(Broadcast.status != DRAFT)
    if viewer.role is not Role.COORDINATOR:
        query = query.where(Broadcast.author_id == viewer.telegram_id)
    rows = (await session.execute(query.order_by(Broadcast.id.desc()).limit(limit))).scalars()
    return await figures_of(session, list(rows), now)


CSV_COLUMNS = (
    "telegram_id",
    "name",
    "role",
    "language",
    "status",
    "error",
    "sent_at",
    "read_at",
    "reminders",
)


async def csv_report(session: AsyncSession, broadcast: Broadcast) -> bytes:
    """One line per recipient (UTF-8 with BOM, so that spreadsheets read the letters right)."""
    rows = (
        await session.execute(
            select(
                OutboxMessage.chat_id,
                OutboxMessage.broadcast_id,
                OutboxMessage.status,
                OutboxMessage.error,
                OutboxMessage.sent_at,
            ).where(OutboxMessage.kind == KIND, OutboxMessage.subject == subject(broadcast.id))
        )
    ).all()
    # The broadcast's own rows carry its id; its reminders ("Remind the others") do not.
    first = {r.chat_id: r for r in rows if r.broadcast_id is not None}
    reminders: dict[int, int] = {}
    for r in rows:
        if r.broadcast_id is None:
            reminders[r.chat_id] = reminders.get(r.chat_id, 0) + 1
    lines = []
    people = (
        await session.execute(
            select(BroadcastRecipient)
            .where(BroadcastRecipient.broadcast_id == broadcast.id)
            .order_by(BroadcastRecipient.telegram_id)
        )
    ).scalars()
    for person in people:
        row = first.get(person.telegram_id)
        status = "" if row is None else ("pending" if row.status == SENDING else row.status)
        lines.append(
            [
                person.telegram_id,
                person.name,
                person.role,
                person.language,
                status,
                (row.error or "") if row else "",
                row.sent_at.isoformat() if row and row.sent_at else "",
                person.acked_at.isoformat() if person.acked_at else "",
                reminders.get(person.telegram_id, 0),
            ]
        )
    return spreadsheets.to_csv(CSV_COLUMNS, lines)
