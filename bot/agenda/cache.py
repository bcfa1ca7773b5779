"""The programme's content kept in memory, reloaded when ``Programme.content_version`` changes.

Every import bumps the content version in the database; each bot process learns the version from
its :class:`~bot.infra.freshness.VersionWatch` (read at most once a second, so an ordinary update
costs no query) and rebuilds its :class:`~bot.agenda.service.ProgrammeContent` only when it
changed, so several processes stay consistent without talking to each other.
"""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agenda.service import ProgrammeContent, load_content
from bot.db.engine import Database
from bot.db.models import Programme


class ContentCache:
    """One process's copy of the programme content."""

    def __init__(self, default_tz: ZoneInfo) -> None:
        self._default_tz = default_tz
        self._content: ProgrammeContent | None = None
        self._lock = asyncio.Lock()

    async def get(self, db: Database, version: int) -> ProgrammeContent:
        """The content at ``version`` (loaded from ``db`` when this process holds another)."""
        content = self._content
        if content is not None and content.version == version:
            return content
        async with self._lock:
            content = self._content
            if content is None or content.version != version:
                async with db.session() as session:
                    content = await load_content(session, version, self._default_tz)
                self._content = content
            return content


async def current_version(session: AsyncSession) -> int:
    """The programme's content version; 0 before any programme is loaded."""
    version = await session.scalar(
        select(Programme.content_version).order_by(Programme.id).limit(1)
    )
    return version or 0
