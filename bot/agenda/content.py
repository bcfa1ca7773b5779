"""The programme's content as plain values: what the services hand to views, handlers and jobs.

One frozen type per concept, read from its database row inside the service's session
(:func:`plain`), so nothing above the domain ever holds a database row: no lazy load can fire
outside a session, no field can be assigned by mistake, and a cached programme of thousands of
events costs less memory than the rows it was read from (slots, no ORM state). Equality is
identity, like the rows': the content of one version holds one value per row.

A text in several languages (``I18nText``) stays the mapping the row holds; treat it as read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

#: A text in several languages: ``{"uk": ..., "sl": ..., "en": ...}`` (any subset).
I18nText = Mapping[str, Any]

T = TypeVar("T")


def plain(kind: type[T], row: Any) -> T:
    """``kind`` with the same-named attributes of ``row`` (a database row)."""
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True, eq=False)
class Programme:
    name: I18nText
    description: I18nText
    how_to_join: I18nText


@dataclass(frozen=True, slots=True, eq=False)
class Municipality:
    id: int
    key: str
    name: I18nText
    country: str  # "SI" or "UA"


@dataclass(frozen=True, slots=True, eq=False)
class Delegation:
    id: int
    key: str
    name: I18nText
    municipality_id: int


@dataclass(frozen=True, slots=True, eq=False)
class Visit:
    id: int
    key: str
    title: I18nText
    delegation_id: int
    host_municipality_id: int
    starts_on: date
    ends_on: date
    topics: I18nText


@dataclass(frozen=True, slots=True, eq=False)
class Participant:
    """A person of the programme (mentee, host or coordinator), linked to an account or not."""

    id: int
    key: str
    name: str
    role: str  # mentee | host | coordinator
    delegation_id: int | None
    municipality_id: int | None
    language: str | None
    position: I18nText
    gender: str | None  # f | m: the form of the role label


@dataclass(frozen=True, slots=True, eq=False)
class Event:
    """One session of the agenda."""

    id: int
    key: str
    starts_at: datetime
    ends_at: datetime
    title: I18nText
    description: I18nText
    place_name: I18nText
    address: str | None
    latitude: float | None
    longitude: float | None
    host_organisation: I18nText
    visit_id: int | None
    delegation_id: int | None
    cancelled: bool
    revision: int  # bumped when time or place changes
    updated_at: datetime


@dataclass(frozen=True, slots=True, eq=False)
class LogisticsItem:
    """Accommodation, a transport leg, a contact, an emergency number, money, a practical tip."""

    id: int
    key: str
    category: str
    title: I18nText
    body: I18nText
    address: str | None
    latitude: float | None
    longitude: float | None
    phone: str | None
    email: str | None
    url: str | None
    departs_at: datetime | None
    arrives_at: datetime | None
    meeting_point: I18nText
    visit_id: int | None
    delegation_id: int | None
    public: bool
    position: int


@dataclass(frozen=True, slots=True, eq=False)
class Resource:
    """A document (its bytes stay in the database) or a link."""

    id: int
    key: str
    category: str
    title: I18nText
    description: I18nText
    url: str | None
    file_name: str | None
    visit_id: int | None
    delegation_id: int | None
    public: bool
    position: int


@dataclass(frozen=True, slots=True, eq=False)
class FaqEntry:
    """A question and its answer, in up to three languages."""

    id: int
    key: str
    question: I18nText
    answer: I18nText
    keywords: I18nText
    visit_id: int | None
    delegation_id: int | None
    public: bool
    position: int
