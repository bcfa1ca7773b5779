"""Programme content: events of the agenda, logistics, resources and FAQ entries.

Rows are written only by the programme importer. ``key`` is the identifier from the programme
file, stable across imports (it is also the base of an event's calendar UID). Audience columns:
all NULL means everyone; ``visit_id`` or ``delegation_id`` narrows the row to that visit or
delegation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, utcnow

I18nText = dict[str, Any]


class Event(Base):
    """One session of the agenda."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    title: Mapped[I18nText]
    description: Mapped[I18nText] = mapped_column(default=dict)
    place_name: Mapped[I18nText] = mapped_column(default=dict)
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    host_organisation: Mapped[I18nText] = mapped_column(default=dict)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="CASCADE")
    )
    #: Minutes after the end when the quick rating is asked; None: no rating for this event.
    #: No column default: an ORM default would replace an explicit None ("rating: off") on insert.
    rating_delay_minutes: Mapped[int | None]
    cancelled: Mapped[bool] = mapped_column(default=False)
    #: Bumped whenever time or place changes, so reminders for the old time are not sent.
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LogisticsItem(Base):
    """Accommodation, a transport leg, a contact, an emergency number, money, a practical tip."""

    __tablename__ = "logistics_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(32))
    # accommodation | transport | contact | emergency | money | tip
    title: Mapped[I18nText]
    body: Mapped[I18nText] = mapped_column(default=dict)
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    #: Transport legs: departure and arrival times and the meeting point.
    departs_at: Mapped[datetime | None]
    arrives_at: Mapped[datetime | None]
    meeting_point: Mapped[I18nText] = mapped_column(default=dict)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="CASCADE")
    )
    #: Private items (hotels, phones) are shown only to invited people; public ones to anyone.
    public: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


class Resource(Base):
    """A document (file stored here) or a link, with a description."""

    __tablename__ = "resource"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(32), default="general")
    title: Mapped[I18nText]
    description: Mapped[I18nText] = mapped_column(default=dict)
    url: Mapped[str | None] = mapped_column(String(500))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    #: Telegram's file_id once uploaded, so the file is sent by reference afterwards.
    telegram_file_id: Mapped[str | None] = mapped_column(String(200))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="CASCADE")
    )
    public: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


class FaqEntry(Base):
    """A question and its answer, in up to three languages."""

    __tablename__ = "faq_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    question: Mapped[I18nText]
    answer: Mapped[I18nText]
    #: Extra words people use for this entry (any language), to help matching.
    keywords: Mapped[I18nText] = mapped_column(default=dict)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="CASCADE")
    )
    public: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
