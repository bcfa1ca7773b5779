"""How fresh this process's in-memory caches are.

Two numbers say when cached data is stale: the programme's ``content_version`` (bumped by every
import) and the ``access`` generation (bumped by every change of who may see what: invites, roles,
languages, expected replies, deletions). :class:`VersionWatch` reads both in one query, at most
once per ``check_every`` seconds, so several bot processes converge within that interval while an
ordinary update costs no query at all. A commit in *this* process that bumped a generation makes
the watch read again at once, so a person never sees their own change late.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass

from sqlalchemy import event, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.db.engine import Database
from bot.db.models import Generation, Programme

ACCESS = "access"
_BUMPED = "freshness.bumped"


@dataclass(frozen=True, slots=True)
class Versions:
    content: int
    access: int


async def read_versions(session: AsyncSession) -> Versions:
    content = select(Programme.content_version).order_by(Programme.id).limit(1).scalar_subquery()
    access = select(Generation.value).where(Generation.name == ACCESS).scalar_subquery()
    row = (await session.execute(select(content, access))).one()
    return Versions(row[0] or 0, row[1] or 0)


async def bump(session: AsyncSession, name: str = ACCESS) -> None:
    """Increase a generation in the caller's transaction (created at 1 when missing)."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(insert(Generation).values(name=name, value=0).on_conflict_do_nothing())
    await session.execute(
        update(Generation).where(Generation.name == name).values(value=Generation.value + 1)
    )
    session.info[_BUMPED] = True


class VersionWatch:
    """The newest versions this process knows, re-read at most every ``check_every`` seconds."""

    def __init__(self, db: Database, check_every: float) -> None:
        self.db = db
        self.check_every = check_every
        self._known: Versions | None = None
        self._checked_at = float("-inf")
        _WATCHES.add(self)

    def invalidate(self) -> None:
        self._checked_at = float("-inf")

    async def current(self) -> Versions:
        now = time.monotonic()
        if self._known is None or now - self._checked_at >= self.check_every:
            async with self.db.session() as session:
                self._known = await read_versions(session)
            self._checked_at = now
        return self._known


_WATCHES: weakref.WeakSet[VersionWatch] = weakref.WeakSet()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_BUMPED, False):
        for watch in list(_WATCHES):
            watch.invalidate()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_BUMPED, None)
