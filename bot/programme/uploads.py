"""Programme files sent to the bot: validate and preview, then apply or cancel.

:func:`preview` validates the file with the same loader as ``python -m bot import``, computes
what it would change (a dry run) and keeps the file as a :class:`PendingImport`, so the decision
survives a restart. :func:`apply` validates the stored file again and applies it in one
transaction, with the caller's change notices and an audit entry, unless the programme changed
since the preview: then it returns the new summary instead of applying blindly.

A file sent in a chat has no folder beside it, so its ``file:`` references may name only the
files the database already holds for those resources (what ``export`` wrote); new files are
imported with the command line.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from bot.agenda.cache import current_version
from bot.agenda.reminders import RenderNotice, enqueue_change_notices
from bot.db.engine import Database
from bot.db.models import PendingImport, Resource
from bot.db.models.imports import APPLIED, CANCELLED, PENDING, REJECTED, SUPERSEDED
from bot.programme.checks import ResourceFile
from bot.programme.importer import apply_in, audit_import, locked_version
from bot.programme.loader import LoadedProgramme, LoadResult, load_bytes
from bot.programme.problems import Problem
from bot.programme.summary import ChangeSummary


@dataclass
class Outcome:
    """What a preview or a decision came to.

    ``state`` is one of: ``problems`` (the file is rejected, ``problems`` say why), ``no_changes``,
    ``preview`` (``summary`` is what Apply would do), ``changed`` (the programme changed since the
    preview: ``summary`` is the new one, the import still pending), ``applied`` (``summary`` is
    what was done, ``notices`` how many change notices were queued), ``cancelled``, ``gone`` (no
    such import), or ``decided`` (the import is no longer pending: ``status`` says why).
    """

    state: str
    import_id: int | None = None
    file_name: str = ""
    problems: list[Problem] = field(default_factory=list)
    summary: ChangeSummary | None = None
    tz: ZoneInfo | None = None
    notices: int = 0
    status: str = ""


async def stored_files(session: AsyncSession) -> dict[str, ResourceFile]:
    """The resource files the database holds, by resource key."""
    rows = await session.scalars(
        select(Resource)
        .where(Resource.file_content.is_not(None))
        .options(undefer(Resource.file_content))
    )
    return {r.key: ResourceFile(r.file_name or r.key, r.file_content or b"") for r in rows}


async def _load(db: Database, file_name: str, content: bytes) -> LoadResult:
    async with db.session() as session:
        stored = await stored_files(session)
    return await asyncio.to_thread(load_bytes, content, file_name, None, stored)


def _tz(loaded: LoadedProgramme) -> ZoneInfo:
    return ZoneInfo(loaded.document.programme.timezone)


async def _dry_run(
    db: Database, loaded: LoadedProgramme, now: datetime
) -> tuple[ChangeSummary, int]:
    """What applying would change, and the content version that answer holds for."""
    async with db.sessionmaker() as session, session.begin():
        version = await current_version(session)
        summary = await apply_in(session, loaded, now, dry_run=True)
        await session.rollback()
    return summary, version


async def preview(
    db: Database, uploader_id: int, file_name: str, content: bytes, now: datetime
) -> Outcome:
    """Validate a file sent to the bot; keep it as the uploader's pending import when it would
    change something (an earlier pending file of theirs is superseded)."""
    result = await _load(db, file_name, content)
    if result.programme is None:
        return Outcome("problems", file_name=file_name, problems=result.problems)
    summary, version = await _dry_run(db, result.programme, now)
    tz = _tz(result.programme)
    if summary.empty:
        return Outcome("no_changes", file_name=file_name, summary=summary, tz=tz)
    async with db.session() as session:
        await session.execute(
            update(PendingImport)
            .where(PendingImport.uploader_id == uploader_id, PendingImport.status == PENDING)
            .values(status=SUPERSEDED, decided_at=now)
        )
        row = PendingImport(
            uploader_id=uploader_id,
            file_name=file_name,
            content=content,
            base_version=version,
            created_at=now,
        )
        session.add(row)
        await session.flush()
        import_id = row.id
    return Outcome("preview", import_id, file_name, summary=summary, tz=tz)


async def _pending(
    session: AsyncSession, import_id: int, *, lock: bool = False
) -> tuple[PendingImport | None, Outcome | None]:
    """The pending import, or the outcome that says why it cannot be decided."""
    row = await session.get(PendingImport, import_id, with_for_update=lock)
    if row is None:
        return None, Outcome("gone", import_id)
    if row.status != PENDING:
        return None, Outcome("decided", import_id, row.file_name, status=row.status)
    return row, None


async def apply(
    db: Database,
    import_id: int,
    *,
    actor_id: int,
    actor_role: str,
    now: datetime,
    render: RenderNotice,
) -> Outcome:
    """Apply a pending import atomically with its change notices (each rendered by ``render``
    in its recipient's language) and audit entry."""
    async with db.session() as session:
        row, refused = await _pending(session, import_id)
        if row is None:
            return refused or Outcome("gone", import_id)
        file_name, content, base_version = row.file_name, row.content, row.base_version
    result = await _load(db, file_name, content)
    loaded = result.programme
    async with db.session() as session:
        row, refused = await _pending(session, import_id, lock=True)
        if row is None:
            return refused or Outcome("gone", import_id)
        if loaded is None:
            _decide(row, REJECTED, actor_id, now)
            return Outcome("problems", import_id, file_name, problems=result.problems)
        if await locked_version(session) == base_version:
            summary = await apply_in(session, loaded, now)
            notices = await enqueue_change_notices(session, summary, now, render)
            await audit_import(
                session,
                summary,
                actor_id=actor_id,
                actor_role=actor_role,
                source=file_name,
                now=now,
                notices=notices,
            )
            _decide(row, APPLIED, actor_id, now)
            return Outcome(
                "applied", import_id, file_name, summary=summary, tz=_tz(loaded), notices=notices
            )
    summary, version = await _dry_run(db, loaded, now)
    async with db.session() as session:
        await session.execute(
            update(PendingImport)
            .where(PendingImport.id == import_id, PendingImport.status == PENDING)
            .values(base_version=version)
        )
    return Outcome("changed", import_id, file_name, summary=summary, tz=_tz(loaded))


async def cancel(db: Database, import_id: int, *, actor_id: int, now: datetime) -> Outcome:
    async with db.session() as session:
        row, refused = await _pending(session, import_id, lock=True)
        if row is None:
            return refused or Outcome("gone", import_id)
        _decide(row, CANCELLED, actor_id, now)
        return Outcome("cancelled", import_id, row.file_name)


def _decide(row: PendingImport, status: str, actor_id: int, now: datetime) -> None:
    row.status, row.decided_at, row.decided_by = status, now, actor_id
