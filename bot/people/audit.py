"""Recording and reading the audit log of coordinators' and hosts' actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import spreadsheets
from bot.db.models import AuditEntry
from bot.people.access import Viewer


async def record(
    session: AsyncSession,
    *,
    actor_id: int | None,
    actor_role: str,
    action: str,
    target: str = "",
    now: datetime,
    **details: Any,
) -> None:
    """Add an entry in the caller's transaction, so it exists exactly when the action does."""
    session.add(
        AuditEntry(
            at=now,
            actor_id=actor_id,
            actor_role=actor_role,
            action=action,
            target=target[:200],
            details=details,
        )
    )


async def record_by(
    session: AsyncSession, viewer: Viewer, action: str, target: str, now: datetime, **details: Any
) -> None:
    """:func:`record` for an action of the person handling the update."""
    await record(
        session,
        actor_id=viewer.telegram_id,
        actor_role=viewer.role.value if viewer.role else "",
        action=action,
        target=target,
        now=now,
        **details,
    )


async def recent(session: AsyncSession, limit: int = 20) -> Sequence[AuditEntry]:
    rows = await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return rows.scalars().all()


async def export_csv(session: AsyncSession) -> bytes:
    """The whole log as CSV (UTF-8 with BOM, so Excel opens it right)."""
    entries = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
    return spreadsheets.to_csv(
        ["id", "at_utc", "actor_id", "actor_role", "action", "target", "details"],
        (
            [
                entry.id,
                entry.at.isoformat(),
                entry.actor_id or "",
                entry.actor_role,
                entry.action,
                entry.target,
                json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
            ]
            for entry in entries
        ),
    )
