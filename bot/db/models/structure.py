"""The programme's structure: the programme, municipalities, delegations, visits, participants.

Rows are written by the programme importer; ``key`` columns hold the identifiers used in the
programme file so that a re-import finds the same row again.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, utcnow

#: A text in several languages: ``{"uk": ..., "sl": ..., "en": ...}`` (any subset).
I18nText = dict[str, Any]


class Programme(Base):
    """The one programme this database serves (a single row, id 1)."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[I18nText]
    description: Mapped[I18nText] = mapped_column(default=dict)
    how_to_join: Mapped[I18nText] = mapped_column(default=dict)
    timezone: Mapped[str] = mapped_column(String(64))
    default_language: Mapped[str] = mapped_column(String(2))
    content_version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Municipality(Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[I18nText]
    country: Mapped[str] = mapped_column(String(2))  # "SI" or "UA"
    description: Mapped[I18nText] = mapped_column(default=dict)


class Delegation(Base):
    """The group of officials a partner municipality sends."""

    __tablename__ = "delegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[I18nText]
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="RESTRICT"))

    municipality: Mapped[Municipality] = relationship(lazy="raise")


class Visit(Base):
    """A delegation's mentoring visit to a host municipality."""

    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[I18nText]
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="RESTRICT"))
    host_municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="RESTRICT")
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    topics: Mapped[I18nText] = mapped_column(default=dict)
    #: Set when an import leaves out a visit that has ended: the visit, its delegation, events,
    #: ratings and surveys are kept for the results; re-importing the visit clears it.
    archived_at: Mapped[datetime | None]

    delegation: Mapped[Delegation] = relationship(lazy="raise")
    host: Mapped[Municipality] = relationship(lazy="raise")


class Participant(Base):
    """A person of the programme for whom invites can be made (mentee, host or coordinator)."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # mentee | host | coordinator
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="SET NULL")
    )
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="SET NULL")
    )
    language: Mapped[str | None] = mapped_column(String(2))
    position: Mapped[I18nText] = mapped_column(default=dict)
    gender: Mapped[str | None] = mapped_column(String(1))  # f | m: the form of the role label
