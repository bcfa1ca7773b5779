"""The outbox: one row per message the bot sends on its own initiative.

Broadcasts, reminders, change notices and survey messages are all written here (see
:mod:`bot.delivery.outbox` for the API) and drained by the one delivery worker
(:mod:`bot.delivery.worker`). A row is identified by its idempotency ``key``, built from the kind,
the recipient, the object and the occurrence (``"reminder:123456:event42:r3"``), so scheduling the
same message twice inserts it once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, utcnow

#: Every value of :attr:`OutboxMessage.status`.
PENDING = "pending"  # waiting for ``next_attempt_at``
SENDING = "sending"  # claimed by a worker until ``claimed_until``
SENT = "sent"
FAILED = "failed"  # Telegram refused it (400) or retries ran out; ``error`` says why
UNREACHABLE = "unreachable"  # the recipient blocked the bot (403); never retried
CANCELLED = "cancelled"
#: An edit of a message still being sent: due once that message is sent and its id known
#: (:func:`bot.delivery.outbox.release_held`).
HELD = "held"
FINAL_STATUSES = (SENT, FAILED, UNREACHABLE, CANCELLED)


class OutboxMessage(Base):
    """One message to one chat, and what became of it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The claim query: due rows (pending, or sending with an expired lease) oldest first.
        Index("ix_outbox_message_claim", "status", "next_attempt_at"),
        Index("ix_outbox_message_broadcast_status", "broadcast_id", "status"),
        # Cancelling: the pending rows about one subject (of one kind, to one chat).
        Index("ix_outbox_message_subject", "subject", "chat_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    #: Which feature sent it: "broadcast", "reminder", "change", "survey", ...
    kind: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    #: ``{"method": "sendMessage" | "sendPhoto" | "sendDocument", "text" | "caption": ...,
    #: "parse_mode": ..., "reply_markup": <Bot API JSON>, "file": <file_id or URL>}``
    payload: Mapped[dict[str, Any]]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    #: Send attempts that reached Telegram and failed or succeeded (a postponement is not one).
    attempts: Mapped[int] = mapped_column(default=0)
    #: The earliest moment a worker may take the row: ``due_at`` at first, then the retry time;
    #: while the row is ``sending`` it equals ``claimed_until``, so an expired lease makes the
    #: row due again and one index serves the claim query.
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    #: The broadcast this row belongs to (the broadcasts module owns that table); indexed by
    #: ``ix_outbox_message_broadcast_status``.
    broadcast_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: What the message is about, as in its key (``kind:chat_id:subject[:occurrence]``): an event
    #: id, ``s<survey>``, ``b<broadcast>``, ``q<question>`` ...; :func:`bot.delivery.outbox.cancel`
    #: selects by it. (Last, as the migration that added it put it.)
    subject: Mapped[str | None] = mapped_column(String(64))


class DeliveryWorkerRow(Base):
    """A running delivery worker and its last sign of life (see :mod:`bot.delivery.workers`).

    A worker that stops cleanly deletes its row; a row whose heartbeat is old, or whose process is
    gone from this host, marks a dead worker whose claimed outbox rows are taken over at once.
    """

    __tablename__ = "delivery_worker"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeliveryBudget(Base):
    """The token bucket all delivery workers share (see :mod:`bot.delivery.budget`)."""

    __tablename__ = "delivery_budget"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    #: Wall-clock seconds (Unix time) of the last refill.
    refilled_at: Mapped[float] = mapped_column(Float)
