"""Which parts of the programme concern a person: events, logistics, resources, their visit.

Everything here works on a :class:`ProgrammeContent`, an in-memory picture of the programme's
content at one ``Programme.content_version`` (see :mod:`bot.agenda.cache`), so that answering
"what is on today for me" costs no query once the picture is loaded.

Audience rules (:class:`Scope`):

- an item with neither ``visit_id`` nor ``delegation_id`` is for everyone who is invited;
- ``visit_id`` narrows it to that visit, ``delegation_id`` to that delegation;
- a mentee's visits are their delegation's visits; a host's visits are those their municipality
  hosts (and the delegations of those visits); coordinators see everything;
- guests (no invite) see no event at all, and of logistics and resources only the items marked
  ``public`` that are meant for everyone;
- an archived visit (a past round, see *The next round* in the README) and its events are not
  part of the content at all: nobody's agenda shows them, while their ratings and surveys stay
  readable in the results, which are read from the database.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agenda.content import (
    Delegation,
    Event,
    FaqEntry,
    LogisticsItem,
    Municipality,
    Participant,
    Programme,
    Resource,
    Visit,
    plain,
)
from bot.db import models
from bot.db.engine import Database
from bot.people.access import Role

#: Logistics categories in the order they are shown.
LOGISTICS_CATEGORIES = ("accommodation", "transport", "contact", "emergency", "money", "tip")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Scope:
    """What one person may see, as sets of visit and delegation ids."""

    invited: bool
    everything: bool = False
    visit_ids: frozenset[int] = frozenset()
    delegation_ids: frozenset[int] = frozenset()

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.invited, self.everything, self.visit_ids, self.delegation_ids)

    def concerns(
        self, visit_id: int | None, delegation_id: int | None, public: bool = False
    ) -> bool:
        """Whether an item with this audience concerns the person."""
        if not self.invited:
            return public and visit_id is None and delegation_id is None
        if self.everything:
            return True
        return (visit_id is None or visit_id in self.visit_ids) and (
            delegation_id is None or delegation_id in self.delegation_ids
        )

    def sees_events_for(self, visit_id: int | None, delegation_id: int | None) -> bool:
        """Whether events with this audience concern the person (guests see no event)."""
        return self.invited and self.concerns(visit_id, delegation_id)

    def sees_event(self, event: Event) -> bool:
        return self.sees_events_for(event.visit_id, event.delegation_id)


GUEST = Scope(invited=False)
EVERYTHING = Scope(invited=True, everything=True)


@dataclass(eq=False)
class ProgrammeContent:
    """The programme's content at one content version; read-only once built."""

    version: int
    tz: ZoneInfo
    programme: Programme | None
    events: list[Event]  # by start time
    visits: dict[int, Visit]
    delegations: dict[int, Delegation]
    municipalities: dict[int, Municipality]
    participants: list[Participant]
    logistics: list[LogisticsItem]  # by category order, then position
    resources: list[Resource]  # by category, then position
    events_by_id: dict[int, Event] = field(init=False)
    #: Positions in ``events`` by audience (visit id, delegation id): a person's agenda is made of
    #: the few audiences that concern them, without looking at every event of the programme.
    events_by_audience: dict[tuple[int | None, int | None], list[int]] = field(init=False)
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.events_by_id = {e.id: e for e in self.events}
        self.events_by_audience = {}
        for i, e in enumerate(self.events):
            self.events_by_audience.setdefault((e.visit_id, e.delegation_id), []).append(i)

    def memo(self, key: Any, build: Callable[[], T]) -> T:
        """A value derived from this content, computed once (content never changes in place)."""
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[key] = build()
            return value

    # ------------------------------------------------------------------------ time helpers

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The UTC span of ``day`` in the programme's time zone."""
        start = datetime.combine(day, time(0), self.tz)
        end = datetime.combine(day + timedelta(days=1), time(0), self.tz)
        return start, end


async def programme_timezone(session: AsyncSession, default: ZoneInfo) -> ZoneInfo:
    """The one clock of the bot: the programme file's time zone, for everything it schedules,
    shows or parses; ``default`` (``BOT_TIMEZONE``) only while no programme exists."""
    query = select(models.Programme.timezone).order_by(models.Programme.id).limit(1)
    name = (await session.execute(query)).scalar()
    return ZoneInfo(name) if name else default


async def load_content(
    session: AsyncSession, version: int, default_tz: ZoneInfo
) -> ProgrammeContent:
    """Read the whole programme content (not the files' bytes) from the database, as plain
    values (:mod:`bot.agenda.content`)."""
    query = select(models.Programme).order_by(models.Programme.id).limit(1)
    programme = (await session.execute(query)).scalar()
    tz = ZoneInfo(programme.timezone) if programme is not None else default_tz
    visits = await _all(session, models.Visit, Visit, models.Visit.archived_at.is_(None))
    current = {v.id for v in visits}
    events = await _all(session, models.Event, Event)
    logistics = await _all(session, models.LogisticsItem, LogisticsItem)
    order = {c: i for i, c in enumerate(LOGISTICS_CATEGORIES)}
    resources = await _all(session, models.Resource, Resource)
    participants = await _all(session, models.Participant, Participant)
    return ProgrammeContent(
        version=version,
        tz=tz,
        programme=plain(Programme, programme) if programme is not None else None,
        events=sorted(
            (e for e in events if e.visit_id is None or e.visit_id in current),
            key=lambda e: (e.starts_at, e.id),
        ),
        visits=_by_id(visits),
        delegations=_by_id(await _all(session, models.Delegation, Delegation)),
        municipalities=_by_id(await _all(session, models.Municipality, Municipality)),
        participants=sorted(participants, key=lambda p: (p.name, p.id)),
        logistics=sorted(
            logistics, key=lambda i: (order.get(i.category, len(order)), i.position, i.id)
        ),
        resources=sorted(resources, key=lambda r: (r.category, r.position, r.id)),
    )


async def _all(session: AsyncSession, model: type[Any], kind: type[T], *where: Any) -> list[T]:
    """The rows of ``model`` (``where`` holds), as ``kind``: only its columns are read."""
    query = select(*(getattr(model, f.name) for f in fields(kind))).where(*where)  # type: ignore[arg-type]
    return [kind(*row) for row in await session.execute(query)]


async def faq_entries(session: AsyncSession) -> list[FaqEntry]:
    """Every FAQ entry, in the programme's order (not part of the content: search indexes them)."""
    entries = await _all(session, models.FaqEntry, FaqEntry)
    return sorted(entries, key=lambda e: (e.position, e.id))


def _by_id(rows: Iterable[Any]) -> dict[int, Any]:
    return {row.id: row for row in rows}


# ------------------------------------------------------------------------------------ scopes


def scope_for(
    content: ProgrammeContent,
    role: Role | None,
    delegation_id: int | None,
    municipality_id: int | None,
) -> Scope:
    """The scope of a person with ``role`` in ``delegation_id`` / ``municipality_id``."""
    if role is None:
        return GUEST
    if role is Role.COORDINATOR:
        return EVERYTHING
    # A host's scope follows from their municipality, a mentee's from their delegation.
    key = municipality_id if role is Role.HOST else delegation_id
    return content.memo(
        ("scope", role, key), lambda: _scope(content, role, delegation_id, municipality_id)
    )


def _scope(
    content: ProgrammeContent, role: Role, delegation_id: int | None, municipality_id: int | None
) -> Scope:
    if role is Role.HOST:
        visits = [v for v in content.visits.values() if v.host_municipality_id == municipality_id]
        delegations = {v.delegation_id for v in visits}
    else:
        visits = [v for v in content.visits.values() if v.delegation_id == delegation_id]
        delegations = {delegation_id} if delegation_id is not None else set()
    return Scope(
        invited=True,
        visit_ids=frozenset(v.id for v in visits),
        delegation_ids=frozenset(delegations),
    )


# ------------------------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class Agenda:
    """One person's events (cancelled ones included) with their start times for bisecting."""

    events: tuple[Event, ...]
    starts: tuple[datetime, ...]

    @property
    def active(self) -> list[Event]:
        return [e for e in self.events if not e.cancelled]


def agenda(content: ProgrammeContent, scope: Scope) -> Agenda:
    """Every event that concerns ``scope``, by start time."""

    def build() -> Agenda:
        positions = sorted(
            i
            for (visit_id, delegation_id), found in content.events_by_audience.items()
            if scope.sees_events_for(visit_id, delegation_id)
            for i in found
        )
        events = tuple(content.events[i] for i in positions)
        return Agenda(events, tuple(e.starts_at for e in events))

    return content.memo(("agenda", scope.key), build)


def events_between(agenda_: Agenda, start: datetime, end: datetime) -> list[Event]:
    """Active events starting in [start, end)."""
    lo = bisect.bisect_left(agenda_.starts, start)
    hi = bisect.bisect_left(agenda_.starts, end)
    return [e for e in agenda_.events[lo:hi] if not e.cancelled]


def day_events(content: ProgrammeContent, scope: Scope, day: date) -> list[Event]:
    """The active events of ``day`` (programme time) that concern ``scope``."""
    start, end = content.day_bounds(day)
    return events_between(agenda(content, scope), start, end)


def next_events(content: ProgrammeContent, scope: Scope, now: datetime, limit: int) -> list[Event]:
    """Events still running or yet to start, soonest first (at most ``limit``)."""
    found: list[Event] = []
    mine = agenda(content, scope)
    # Running events started earlier; none lasts longer than a day in practice, look back 1 day.
    lo = bisect.bisect_left(mine.starts, now - timedelta(days=1))
    for event in mine.events[lo:]:
        if event.cancelled or event.ends_at <= now:
            continue
        found.append(event)
        if len(found) >= limit:
            break
    return found


def agenda_days(content: ProgrammeContent, scope: Scope) -> list[date]:
    """The days (programme time) on which ``scope`` has active events, in order."""

    def build() -> list[date]:
        return sorted({content.local_date(e.starts_at) for e in agenda(content, scope).active})

    return content.memo(("days", scope.key), build)


def visible_event(content: ProgrammeContent, scope: Scope, event_id: int) -> Event | None:
    """The event if it exists and concerns ``scope`` (callback data is never trusted)."""
    event = content.events_by_id.get(event_id)
    return event if event is not None and scope.sees_event(event) else None


# ---------------------------------------------------------------------- logistics, resources


def logistics_items(
    content: ProgrammeContent, scope: Scope, category: str | None = None
) -> list[LogisticsItem]:
    return [
        i
        for i in content.logistics
        if (category is None or i.category == category)
        and scope.concerns(i.visit_id, i.delegation_id, i.public)
    ]


def logistics_categories(content: ProgrammeContent, scope: Scope) -> list[str]:
    present = {i.category for i in logistics_items(content, scope)}
    known = [c for c in LOGISTICS_CATEGORIES if c in present]
    return known + sorted(present - set(LOGISTICS_CATEGORIES))


def resources(
    content: ProgrammeContent, scope: Scope, category: str | None = None
) -> list[Resource]:
    return [
        r
        for r in content.resources
        if (category is None or r.category == category)
        and scope.concerns(r.visit_id, r.delegation_id, r.public)
    ]


def resource_categories(content: ProgrammeContent, scope: Scope) -> list[str]:
    return sorted({r.category for r in resources(content, scope)})


def visible_resource(content: ProgrammeContent, scope: Scope, resource_id: int) -> Resource | None:
    for r in content.resources:
        if r.id == resource_id:
            return r if scope.concerns(r.visit_id, r.delegation_id, r.public) else None
    return None


# ------------------------------------------------------------------------------ the dossier


@dataclass(frozen=True, slots=True)
class Dossier:
    """One visit as its participants need it: who, where, when, how to get there."""

    visit: Visit
    delegation: Delegation | None
    host: Municipality | None
    host_people: list[Participant]
    accommodation: list[LogisticsItem]
    transport: list[LogisticsItem]  # by departure
    contacts: list[LogisticsItem]


def dossiers(content: ProgrammeContent, scope: Scope) -> list[Dossier]:
    """The visits that concern ``scope`` (their own delegation's, or the ones they host)."""
    if not scope.invited:
        return []
    visits = sorted(
        (v for v in content.visits.values() if scope.everything or v.id in scope.visit_ids),
        key=lambda v: (v.starts_on, v.id),
    )
    return [_dossier(content, scope, v) for v in visits]


def _dossier(content: ProgrammeContent, scope: Scope, visit: Visit) -> Dossier:
    visit_scope = Scope(
        invited=True,
        visit_ids=frozenset({visit.id}),
        delegation_ids=frozenset({visit.delegation_id}),
    )

    def items(category: str) -> list[LogisticsItem]:
        return logistics_items(content, visit_scope, category)

    far = datetime.max.replace(tzinfo=content.tz)
    return Dossier(
        visit=visit,
        delegation=content.delegations.get(visit.delegation_id),
        host=content.municipalities.get(visit.host_municipality_id),
        host_people=[
            p
            for p in content.participants
            if p.role == Role.HOST.value and p.municipality_id == visit.host_municipality_id
        ],
        accommodation=items("accommodation"),
        transport=sorted(items("transport"), key=lambda i: i.departs_at or far),
        contacts=items("contact"),
    )


async def resource_file(db: Database, resource_id: int) -> tuple[str | None, bytes | None]:
    """A file resource's Telegram ``file_id`` if it was uploaded before, else its bytes."""
    async with db.session() as session:
        row = (
            await session.execute(
                select(models.Resource.telegram_file_id).where(models.Resource.id == resource_id)
            )
        ).one_or_none()
        if row is None:
            return None, None
        if row.telegram_file_id:
            return row.telegram_file_id, None
        content = await session.scalar(
            select(models.Resource.file_content).where(models.Resource.id == resource_id)
        )
    return None, content


async def remember_file_id(db: Database, resource_id: int, file_id: str) -> None:
    """Keep the ``file_id`` Telegram gave the first upload, so later sends reuse it."""
    async with db.session() as session:
        await session.execute(
            update(models.Resource)
            .where(models.Resource.id == resource_id)
            .values(telegram_file_id=file_id)
        )
