"""Public information about the programme: what anyone may see without an invite."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Programme


async def programme(session: AsyncSession) -> Programme | None:
    """The programme row, or None before any programme has been imported."""
    return await session.get(Programme, 1)
