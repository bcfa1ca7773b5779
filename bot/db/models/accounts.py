"""Telegram accounts, how they are linked to participants, and invites."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Double, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, utcnow


class Account(Base):
    """One Telegram user who has talked to the bot."""

    __tablename__ = "account"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    language_code: Mapped[str | None] = mapped_column(String(16))  # as Telegram reports it
    language: Mapped[str | None] = mapped_column(String(2))  # as the user chose it
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), unique=True
    )
    #: Role granted in the bot by a coordinator; overrides the participant's role when set.
    role_override: Mapped[str | None] = mapped_column(String(16))
    reminder_minutes: Mapped[int | None] = mapped_column(Integer, default=30)
    digest_enabled: Mapped[bool] = mapped_column(default=True)
    reachable: Mapped[bool] = mapped_column(default=True)
    #: The reply the bot expects next ("area:step:id"), kept here so a restart loses nothing.
    awaiting: Mapped[str | None] = mapped_column(String(64))
    bad_code_count: Mapped[int] = mapped_column(default=0)
    last_bad_code_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The "people" generation of this person's last own change (language, expected reply): a
    #: process whose cached viewers are older re-loads only the people whose version is newer.
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", index=True)
    #: The flood limit on free text (bot.people.flood): when the next message would be due at the
    #: steady rate (seconds since the epoch), and whether "slow down" was said in this flood.
    flood_tat: Mapped[float | None] = mapped_column(Double)
    flood_warned: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Which kind ``awaiting`` is (the kind's prefix, bot.people.awaiting): expected replies are
    #: cancelled by this column, not by a prefix of the text. (Last, as
    #: the migration that added it put it.)
    awaiting_kind: Mapped[str | None] = mapped_column(String(16))


class Invite(Base):
    """An invite code; only its SHA-256 is stored."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE")
    )
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="CASCADE")
    )
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE")
    )
    label: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime | None]
    max_uses: Mapped[int] = mapped_column(default=1)
    uses: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Generation(Base):
    """Counters bumped by every change of a kind ("access"), so each process's caches notice it."""

    __tablename__ = "generation"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class UsedStep(Base):
    """A message of the bot whose step was used: its buttons made something (an invite, a survey
    launch). A second press of them, in any process and after a restart, makes nothing more
    (:func:`bot.infra.steps.take`)."""

    __tablename__ = "used_step"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
