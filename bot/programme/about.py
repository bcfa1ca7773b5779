"""Public information about the programme: what anyone may see without an invite."""

from __future__ import annotations

from bot.agenda.content import Programme, plain
from bot.db import models
from bot.db.engine import Database


async def programme(db: Database) -> Programme | None:
    """The programme, or None before any programme has been imported."""
    async with db.session() as session:
        row = await session.get(models.Programme, 1)
        return plain(Programme, row) if row is not None else None
