"""Broadcasts: the announcement (a draft while it is being composed) and its recipients.

A broadcast is composed step by step in the bot; the draft is this same row with
``status="draft"`` and ``step`` saying where the author is, so a restart (or the next update
landing on another process) carries on. Confirming it resolves the audience into
:class:`BroadcastRecipient` rows and enqueues one outbox row per recipient; what became of each
message is read from the outbox (``outbox_message.broadcast_id``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, utcnow

#: Values of :attr:`Broadcast.status`.
DRAFT = "draft"
CONFIRMED = "confirmed"
CANCELLED = "cancelled"


class Broadcast(Base):
    """One announcement to many people, from its draft to its report."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Telegram id of the author; None when sent from the command line.
    author_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    #: Where the author is while composing: text | versions | audience | preview | confirm.
    step: Mapped[str] = mapped_column(String(16), default="text")
    #: The message per language, Telegram HTML: ``{"uk": ..., "sl": ..., "en": ...}`` (any subset).
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: ``{"kind": "photo" | "document", "file": <file_id or URL>}`` or None.
    media: Mapped[dict[str, Any] | None]
    #: The audience filter, see :class:`bot.broadcasts.audience.Audience`.
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Show an "I have read this" button and count the confirmations.
    ask_ack: Mapped[bool] = mapped_column(default=False)
    #: When to send; None: at once on confirmation.
    send_at: Mapped[datetime | None]
    #: How many times the unconfirmed recipients were reminded.
    renotified: Mapped[int] = mapped_column(default=0)
    #: The author's progress message, edited while the broadcast is being sent.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class BroadcastRecipient(Base):
    """One person a confirmed broadcast goes to, as resolved at confirmation."""

    __tablename__ = "broadcast_recipient"

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcast.id", ondelete="CASCADE"), primary_key=True
    )
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="")
    language: Mapped[str] = mapped_column(String(2))
    #: When they pressed "I have read this" (None: not yet, or not asked).
    acked_at: Mapped[datetime | None]
