"""Free-text questions people ask the bot, how they were answered, and the votes on the answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONType, utcnow


class Question(Base):
    """One question: what was asked, what the bot answered, and the person behind it if any.

    ``status``: ``auto`` (answered from the FAQ or the live programme), ``declined`` (the bot had
    no answer and nobody was asked yet), ``open`` (waiting for a coordinator), ``answered`` (a
    coordinator answered).
    """

    __tablename__ = "question"
    __table_args__ = (
        Index("ix_question_status", "status"),
        Index("ix_question_staff_message", "staff_chat_id", "staff_message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asker_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.telegram_id", ondelete="CASCADE")
    )
    asker_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str | None] = mapped_column(String(16))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="SET NULL")
    )
    #: The asker's language (answers are in it) and the language the question was typed in.
    language: Mapped[str] = mapped_column(String(2))
    typed_language: Mapped[str | None] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    #: What the bot answered: "faq:<key>", "logistics:<key>", "resource:<key>" or "intent:<name>".
    answer_key: Mapped[str | None] = mapped_column(String(80))
    score: Mapped[float | None]
    #: Other close entries, offered as buttons.
    alternatives: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: +1 helpful, -1 not helpful, None not voted.
    vote: Mapped[int | None]
    voted_at: Mapped[datetime | None]
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    staff_message_id: Mapped[int | None] = mapped_column(BigInteger)
    forwarded_at: Mapped[datetime | None]
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(BigInteger)
    answered_by_name: Mapped[str | None] = mapped_column(String(200))
    answered_at: Mapped[datetime | None]
    faq_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("faq_entry.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Phrasing(Base):
    """A wording that led to an entry (+1) or away from it (-1), learnt from use.

    ``terms`` are the question's content words as sorted lemmas, never the text as typed, and no
    person is recorded: see :mod:`bot.search.learning`. ``source``: vote, tap or staff.
    """

    __tablename__ = "phrasing"
    __table_args__ = (Index("ix_phrasing_entry_key", "entry_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_key: Mapped[str] = mapped_column(String(80))
    terms: Mapped[str] = mapped_column(String(500))
    signal: Mapped[int]
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
