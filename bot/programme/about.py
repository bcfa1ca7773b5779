"""Public information about the programme: what anyone may see without an invite."""

from __future__ import annotations

from bot.db.engine import Database
from bot.db.models import Programme


async def programme(db: Database) -> Programme | None:
    """The programme row, or None before any programme has been imported."""
    async with db.session() as session:
        return await session.get(Programme, 1)
