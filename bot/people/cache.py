"""Viewers kept in memory, so that an ordinary update costs no database round trip.

Every entry is dropped when the content or access version changes (see :mod:`bot.infra.freshness`);
one person's entry when their own state changes in another process (language, expected reply:
their account's version is newer than the one cached), when what Telegram tells us about the
person changes (name, language code), and after ``ttl`` seconds, after which loading the viewer
again also refreshes the account's last-seen time. A change committed in this process updates
the person's entry in place (:class:`bot.infra.freshness.PersonChange`), so their next update
costs no reload.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime

from bot.db.engine import Database
from bot.infra.freshness import (
    PersonChange,
    Versions,
    VersionWatch,
    changed_since,
    register_person_cache,
)
from bot.people.access import TelegramPerson, Viewer, load_viewer


@dataclass(frozen=True, slots=True)
class _Entry:
    viewer: Viewer
    person: TelegramPerson
    loaded_at: float


class ViewerCache:
    def __init__(self, db: Database, watch: VersionWatch, ttl: float = 600.0) -> None:
        self.db = db
        self.watch = watch
        self.ttl = ttl
        self._entries: dict[int, _Entry] = {}
        self._versions: Versions | None = None
        register_person_cache(self)

    async def get(
        self, person: TelegramPerson, coordinator_ids: frozenset[int], now: datetime
    ) -> Viewer:
        versions = await self.watch.current()
        known = self._versions
        if versions != known:
            # Claimed before the query: the updates arriving meanwhile do not query too.
            self._versions = versions
            if known is None or (versions.content, versions.access) != (
                known.content,
                known.access,
            ):
                self._entries.clear()
            elif versions.people > known.people:
                try:
                    await self._drop_changed(known.people)
                except BaseException:
                    if self._versions is versions:  # ask again next time
                        self._versions = known
                    raise
        entry = self._entries.get(person.id)
        if (
            entry is not None
            and entry.person == person
            and time.monotonic() - entry.loaded_at < self.ttl
        ):
            return entry.viewer
        async with self.db.session() as session:
            viewer = await load_viewer(session, person, coordinator_ids, now)
        self._entries[person.id] = _Entry(viewer, person, time.monotonic())
        return viewer

    async def _drop_changed(self, people: int) -> None:
        """Drop the viewers of people changed (by another process) since ``people``."""
        async with self.db.session() as session:
            for telegram_id, version in await changed_since(session, people):
                entry = self._entries.get(telegram_id)
                if entry is not None and entry.viewer.version < version:
                    self.forget(telegram_id)

    def forget(self, telegram_id: int) -> None:
        self._entries.pop(telegram_id, None)

    def changed(self, telegram_id: int, change: PersonChange) -> None:
        """A change of this person committed in this process: applied to the entry in place."""
        entry = self._entries.get(telegram_id)
        if entry is None:
            return
        viewer = change.apply(entry.viewer, entry.viewer.version)
        if viewer is None:
            self.forget(telegram_id)
        else:
            self._entries[telegram_id] = replace(
                entry, viewer=replace(viewer, version=change.version)
            )

    def put(self, person: TelegramPerson, viewer: Viewer) -> None:
        """A viewer loaded just now in a transaction that changed the person (joining)."""
        self._entries[person.id] = _Entry(viewer, person, time.monotonic())
