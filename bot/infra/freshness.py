"""How fresh this process's in-memory caches are.

Four numbers say when cached data is stale: the programme's ``content_version`` (bumped by every
import), the ``access`` generation (bumped by every change of who may see what: invites, roles,
deletions), the newest signal learnt from use (the search index's wordings) and the ``people``
generation (bumped by a change of one person's own state: their
language, the reply the bot expects from them; the person's account records the new value as its
``version``, so a process drops only the cached viewers of the people whose account version is
newer than the one it cached). :class:`VersionWatch` reads the three in one query, at most once
per ``check_every`` seconds, so several bot processes converge within that interval while an
ordinary update costs no query at all. A commit in *this* process that bumped the access
generation makes the watch read again at once, and one that changed a person updates that
person's cached viewer in place at once (:class:`PersonChange`: the change applied to the cached
value when the cache holds the account's version from just before it, else the value dropped), so
a person never sees their own change late and their next update costs no reload.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.db.engine import Database
from bot.db.mirror import mirror
from bot.db.models import Account, Generation, Phrasing, Programme

ACCESS = "access"
PEOPLE = "people"
_BUMPED = "freshness.bumped"
_PEOPLE_CHANGED = "freshness.people"


@dataclass(frozen=True, slots=True)
class Versions:
    content: int
    access: int
    people: int = 0
    #: Grows with every signal learnt from use (the newest ``phrasing`` row): the search index
    #: is rebuilt when it changes (``bot.search.content``).
    learnt: int = 0


def _generation(name: str) -> Any:
    return select(Generation.value).where(Generation.name == name).scalar_subquery()


async def read_versions(session: AsyncSession) -> Versions:
    content = select(Programme.content_version).order_by(Programme.id).limit(1).scalar_subquery()
    learnt = select(func.max(Phrasing.id)).scalar_subquery()
    row = (
        await session.execute(select(content, _generation(ACCESS), _generation(PEOPLE), learnt))
    ).one()
    return Versions(row[0] or 0, row[1] or 0, row[2] or 0, row[3] or 0)


_GENERATION = Generation.__table__
_ACCOUNT = Account.__table__
#: Built once (bot.db.mirror): a generation increased, and a person's account given its version.
_INCREMENT = (
    update(_GENERATION)
    .where(_GENERATION.c.name == bindparam("counter"))
    .values(value=_GENERATION.c.value + 1)
    .returning(_GENERATION.c.value)
)
_SET_VERSION = (
    update(_ACCOUNT)
    .where(_ACCOUNT.c.telegram_id == bindparam("person"))
    .values(version=bindparam("new_version"))
)


async def _increment(session: AsyncSession, name: str) -> int:
    """Increase a generation in the caller's transaction (created at 1 when missing)."""
    value = (await session.execute(_INCREMENT, {"counter": name})).scalar()
    if value is None:  # the first change of its kind: create the counter, then count
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        await session.execute(
            insert(Generation).values(name=name, value=0).on_conflict_do_nothing()
        )
        value = (await session.execute(_INCREMENT, {"counter": name})).scalar_one()
    return value


async def bump(session: AsyncSession, name: str = ACCESS) -> None:
    """Increase a generation in the caller's transaction: every cached viewer is dropped."""
    await _increment(session, name)
    session.info[_BUMPED] = True


#: What a change does to a person's cached value (a ``Viewer``: ``bot.people.access``).
Patch = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class PersonChange:
    """One committed change of one person's own state, as this process's caches learn it."""

    #: The account's version just before the change (None: not known).
    was: int | None
    #: The account's version the change gave it.
    version: int
    #: The change applied to a cached value of version ``was`` (None: the value is dropped).
    patch: Patch | None

    def apply(self, cached: Any, cached_version: int) -> Any | None:
        """The new value of a cached ``cached`` of ``cached_version``; None: drop it."""
        if self.patch is None or self.was is None or cached_version != self.was:
            return None  # another change came between what we hold and this one
        return self.patch(cached)


def _then(first: Patch | None, second: Patch | None) -> Patch | None:
    if first is None or second is None:
        return None
    return lambda value: second(first(value))


def reread_after_commit(session: AsyncSession) -> None:
    """The caller's transaction changes what the versions say (a signal learnt): this process's
    watches read them again once it commits."""
    session.info[_BUMPED] = True


async def person_changed(
    session: AsyncSession, telegram_id: int, *, was: int | None = None, patch: Patch | None = None
) -> None:
    """One person's own state changed in the caller's transaction: only their viewer changes.

    ``was`` is the account's version read in the statement that changed the row (so the row was
    locked then), ``patch`` what the change does to their viewer: a cache holding exactly that
    version applies it after the commit, any other drops the viewer. Call it after updating the
    person's account row, so that every such transaction locks the account first and the counter
    second (two of them never wait for each other crosswise).
    """
    version = await _increment(session, PEOPLE)
    await session.execute(_SET_VERSION, {"person": telegram_id, "new_version": version})
    mirror(session, Account, telegram_id, version=version)
    changes: dict[int, PersonChange] = session.info.setdefault(_PEOPLE_CHANGED, {})
    earlier = changes.get(telegram_id)
    if earlier is not None:  # two changes in one transaction: both, from the first one's base
        was, patch = earlier.was, _then(earlier.patch, patch)
    changes[telegram_id] = PersonChange(was, version, patch)


async def changed_since(session: AsyncSession, people: int) -> list[tuple[int, int]]:
    """The people (and their account's version) whose own state changed after the ``people``
    generation was ``people``."""
    rows = await session.execute(
        select(Account.telegram_id, Account.version).where(Account.version > people)
    )
    return [(telegram_id, version) for telegram_id, version in rows.all()]


class PersonCache(Protocol):
    def changed(self, telegram_id: int, change: PersonChange) -> None: ...


_PERSON_CACHES: weakref.WeakSet[Any] = weakref.WeakSet()


def register_person_cache(cache: PersonCache) -> None:
    """``cache.changed(id, change)`` is called after every commit in this process that changed
    ``id``."""
    _PERSON_CACHES.add(cache)


class VersionWatch:
    """The newest versions this process knows, re-read at most every ``check_every`` seconds.

    One read at a time: the updates that find the versions due while a read is under way wait
    for that read instead of each starting their own (with many updates at once, every one of
    them used to read).
    """

    def __init__(self, db: Database, check_every: float) -> None:
        self.db = db
        self.check_every = check_every
        self._known: Versions | None = None
        self._checked_at = float("-inf")
        self._reading: asyncio.Task[Versions] | None = None
        _WATCHES.add(self)

    def invalidate(self) -> None:
        """A change committed here: the next caller reads again (a read under way may have
        begun before the commit, so its result is not kept)."""
        self._checked_at = float("-inf")
        self._reading = None

    async def current(self) -> Versions:
        if self._known is not None and time.monotonic() - self._checked_at < self.check_every:
            return self._known
        reading = self._reading
        if (
            reading is None
            or reading.done()
            or reading.get_loop() is not asyncio.get_running_loop()
        ):
            reading = self._reading = asyncio.create_task(self._read())
        return await asyncio.shield(reading)

    async def _read(self) -> Versions:
        started = time.monotonic()
        try:
            async with self.db.session() as session:
                versions = await read_versions(session)
        finally:
            mine = self._reading is asyncio.current_task()
            if mine:
                self._reading = None
        if mine:  # not invalidated meanwhile
            self._known, self._checked_at = versions, started
        return versions


_WATCHES: weakref.WeakSet[VersionWatch] = weakref.WeakSet()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_BUMPED, False):
        for watch in list(_WATCHES):
            watch.invalidate()
    for telegram_id, change in session.info.pop(_PEOPLE_CHANGED, {}).items():
        for cache in list(_PERSON_CACHES):
            cache.changed(telegram_id, change)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_BUMPED, None)
    session.info.pop(_PEOPLE_CHANGED, None)
