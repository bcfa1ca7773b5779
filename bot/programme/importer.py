"""Applying a validated programme file to the database, in one transaction.

Records are matched by ``key``. The import is a list of section appliers (:data:`APPLIERS`), run in
order in one session; each compares the file's records with the rows and writes the difference,
noting it in the :class:`~bot.programme.summary.ChangeSummary`. Events removed from the file are
marked cancelled (kept, so that notices can refer to them); other removed records are deleted at
the end, in reverse order of the appliers. A visit left out after it has ended is archived
instead (:func:`archived_visits`): it stays with its delegation, towns and events, so that the
ratings and surveys of a past round remain readable. A dry run does the same work and rolls it
back.

To add a section (for example ``surveys``): add its field to ``ProgrammeFile`` in ``schema.py``,
write ``async def apply_surveys(ctx: ApplyContext) -> None`` (use :func:`sync_records`, which does
the matching, the summary and the removals) and append it to :data:`APPLIERS`; for ``export``,
add a reader to ``export.SECTION_EXPORTERS``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from bot.db.base import Base
from bot.db.engine import Database
from bot.db.models import (
    Delegation,
    Event,
    FaqEntry,
    LogisticsItem,
    Municipality,
    Participant,
    Programme,
    Resource,
    Visit,
)
from bot.i18n import LANGUAGES
from bot.infra.clock import Clock
from bot.people import audit
from bot.programme.checks import local
from bot.programme.loader import LoadedProgramme, LoadResult, load_path
from bot.programme.schema import Audience
from bot.programme.summary import ChangeSummary, EventChange, EventSnapshot, RecordChanges
from bot.surveys.definition import apply_survey_sections

PROGRAMME_ID = 1
_TIME = ("starts_at", "ends_at")
_PLACE = ("place_name", "address", "latitude", "longitude")


def i18n(value: str | Mapping[str, str] | None) -> dict[str, str]:
    """A file text as stored: a plain string is the text of every language."""
    if value is None:
        return {}
    if isinstance(value, str):
        return dict.fromkeys(LANGUAGES, value)
    return dict(value)


@dataclass
class ApplyContext:
    """What the appliers share during one import."""

    session: AsyncSession
    loaded: LoadedProgramme
    tz: ZoneInfo
    now: datetime
    summary: ChangeSummary
    #: section -> key -> row id, for the records of the file (after they are written)
    ids: dict[str, dict[str, int]] = field(default_factory=dict)
    #: section -> ids of rows that will be deleted at the end
    removed: dict[str, set[int]] = field(default_factory=dict)
    #: Visits the file leaves out after they ended, kept as archived (see :func:`archived_visits`)
    archived: list[Visit] = field(default_factory=list)
    _deletions: list[tuple[type[Base], set[int]]] = field(default_factory=list)

    @property
    def doc(self) -> Any:
        return self.loaded.document

    def utc(self, value: datetime | None) -> datetime | None:
        return None if value is None else local(value, self.tz).astimezone(UTC)

    def audience(self, audience: Audience) -> dict[str, int | None]:
        return {
            "visit_id": self.ids["visits"][audience.visit] if audience.visit else None,
            "delegation_id": (
                self.ids["delegations"][audience.delegation] if audience.delegation else None
            ),
        }


def _diff(row: Any, values: Mapping[str, Any]) -> list[str]:
    return [name for name, value in values.items() if getattr(row, name) != value]


async def sync_records(
    ctx: ApplyContext,
    section: str,
    model: type[Any],
    desired: Mapping[str, Mapping[str, Any]],
    options: Iterable[Any] = (),
) -> dict[str, list[str]]:
    """Make the rows of ``model`` match ``desired`` (key -> column values): add, update, and
    schedule the rest for deletion. Returns key -> changed columns for the updated rows."""
    rows = {r.key: r for r in (await ctx.session.scalars(select(model).options(*options))).all()}
    changes = ctx.summary.records.setdefault(section, RecordChanges())
    changed: dict[str, list[str]] = {}
    added: dict[str, Any] = {}
    for key, values in desired.items():
        row = rows.get(key)
        if row is None:
            added[key] = model(key=key, **values)
            ctx.session.add(added[key])
            changes.added.append(key)
            continue
        names = _diff(row, values)
        if names:
            for name in names:
                setattr(row, name, values[name])
            changed[key] = names
            changes.changed.append(key)
    gone = {r.id for k, r in rows.items() if k not in desired}
    changes.removed += [k for k in rows if k not in desired]
    await ctx.session.flush()
    ctx.ids[section] = {k: r.id for k, r in (rows | added).items() if k in desired}
    ctx.removed[section] = gone
    if gone:
        ctx._deletions.append((model, gone))
    return changed


async def archived_visits(ctx: ApplyContext) -> None:
    """Find the visits the file leaves out that have ended (or were archived before): they are
    kept, and so are the delegations and towns they refer to."""
    keys = {v.key for v in ctx.doc.visits}
    today = ctx.now.astimezone(ctx.tz).date()
    rows = (await ctx.session.scalars(select(Visit).where(Visit.key.not_in(keys)))).all()
    ctx.archived = [v for v in rows if v.archived_at is not None or v.ends_on < today]


async def _kept(model: type[Any], ctx: ApplyContext, ids: set[int]) -> dict[str, dict[str, Any]]:
    """Rows that stay for the archived visits, as they are (so nothing about them changes)."""
    rows = (await ctx.session.scalars(select(model).where(model.id.in_(ids)))).all()
    columns = [c.key for c in model.__table__.columns if c.key not in ("id", "key")]
    return {r.key: {c: getattr(r, c) for c in columns} for r in rows}


async def apply_programme(ctx: ApplyContext) -> None:
    info = ctx.doc.programme
    values = {
        "name": i18n(info.name),
        "description": i18n(info.description),
        "how_to_join": i18n(info.how_to_join),
        "timezone": info.timezone,
        "default_language": info.default_language,
    }
    changes = ctx.summary.records.setdefault("programme", RecordChanges())
    row = await ctx.session.get(Programme, PROGRAMME_ID)
    if row is None:
        ctx.session.add(Programme(id=PROGRAMME_ID, content_version=1, updated_at=ctx.now, **values))
        changes.added.append("programme")
    elif names := _diff(row, values):
        for name in names:
            setattr(row, name, values[name])
        changes.changed.append("programme")


async def apply_municipalities(ctx: ApplyContext) -> None:
    desired = {
        m.key: {"name": i18n(m.name), "country": m.country, "description": i18n(m.description)}
        for m in ctx.doc.municipalities
    }
    towns = {v.host_municipality_id for v in ctx.archived}
    towns |= set(
        await ctx.session.scalars(
            select(Delegation.municipality_id).where(
                Delegation.id.in_({v.delegation_id for v in ctx.archived})
            )
        )
    )
    kept = await _kept(Municipality, ctx, towns)
    await sync_records(ctx, "municipalities", Municipality, kept | desired)


async def apply_delegations(ctx: ApplyContext) -> None:
    ids = ctx.ids["municipalities"]
    desired = {
        d.key: {"name": i18n(d.name), "municipality_id": ids[d.municipality]}
        for d in ctx.doc.delegations
    }
    kept = await _kept(Delegation, ctx, {v.delegation_id for v in ctx.archived})
    await sync_records(ctx, "delegations", Delegation, kept | desired)


async def apply_visits(ctx: ApplyContext) -> None:
    desired = {
        v.key: {
            "title": i18n(v.title),
            "delegation_id": ctx.ids["delegations"][v.delegation],
            "host_municipality_id": ctx.ids["municipalities"][v.host],
            "starts_on": v.start,
            "ends_on": v.end,
            "topics": i18n(v.topics),
            "archived_at": None,
        }
        for v in ctx.doc.visits
    }
    kept = await _kept(Visit, ctx, {v.id for v in ctx.archived})
    newly = [key for key, values in kept.items() if values["archived_at"] is None]
    for key in newly:
        kept[key]["archived_at"] = ctx.now
    await sync_records(ctx, "visits", Visit, kept | desired)
    changes = ctx.summary.records["visits"]
    changes.changed = [key for key in changes.changed if key not in newly]
    changes.archived += newly


async def apply_participants(ctx: ApplyContext) -> None:
    desired = {
        p.key: {
            "name": p.name,
            "role": p.role,
            "delegation_id": ctx.ids["delegations"][p.delegation] if p.delegation else None,
            "municipality_id": (
                ctx.ids["municipalities"][p.municipality] if p.municipality else None
            ),
            "language": p.language,
            "position": i18n(p.position),
            "gender": p.gender,
        }
        for p in ctx.doc.participants
    }
    await sync_records(ctx, "participants", Participant, desired)


def _event_values(ctx: ApplyContext, e: Any) -> dict[str, Any]:
    place = e.place
    return {
        "starts_at": ctx.utc(e.start),
        "ends_at": ctx.utc(e.end),
        "title": i18n(e.title),
        "description": i18n(e.description),
        "place_name": i18n(place.name if place else None),
        "address": place.address if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "host_organisation": i18n(e.host),
        **ctx.audience(e.audience),
        # None ("off") is stored as None: the column has no default to take its place
        "rating_delay_minutes": None if e.rating == "off" else e.rating,
        "cancelled": False,
    }


async def apply_events(ctx: ApplyContext) -> None:
    """Events are never deleted: one removed from the file is marked cancelled."""
    rows = {r.key: r for r in (await ctx.session.scalars(select(Event))).all()}
    summary = ctx.summary
    added: list[Event] = []
    for e in ctx.doc.events:
        values = _event_values(ctx, e)
        row = rows.get(e.key)
        if row is None:
            added.append(Event(key=e.key, revision=1, updated_at=ctx.now, **values))
            ctx.session.add(added[-1])
            continue
        names = _diff(row, values)
        if not names:
            continue
        old = EventSnapshot.of(row)
        for name in names:
            setattr(row, name, values[name])
        time_changed = any(n in _TIME for n in names)
        place_changed = any(n in _PLACE for n in names)
        if time_changed or place_changed or "cancelled" in names:
            row.revision += 1
        row.updated_at = ctx.now
        summary.events_changed.append(
            EventChange(
                e.key,
                row.id,
                old,
                EventSnapshot.of(row),
                tuple(names),
                time_changed,
                place_changed,
                row.revision,
            )
        )
    keys = {e.key for e in ctx.doc.events}
    archived = {v.id for v in ctx.archived}
    for key, row in rows.items():
        if key in keys or row.visit_id in archived:  # an archived visit's events stay as they were
            continue
        if not row.cancelled:
            old = EventSnapshot.of(row)
            row.cancelled = True
            row.updated_at = ctx.now
            summary.events_cancelled.append(
                EventChange(key, row.id, old, None, ("cancelled",), revision=row.revision)
            )
        # a cancelled event outlives its visit or delegation: unlink it before they go
        if row.visit_id in ctx.removed.get("visits", ()):
            row.visit_id = None
        if row.delegation_id in ctx.removed.get("delegations", ()):
            row.delegation_id = None
    await ctx.session.flush()
    summary.events_added += [
        EventChange(row.key, None if summary.dry_run else row.id, None, EventSnapshot.of(row))
        for row in added
    ]


async def apply_logistics(ctx: ApplyContext) -> None:
    desired = {
        item.key: {
            "category": item.category,
            "title": i18n(item.title),
            "body": i18n(item.body),
            "address": item.address,
            "latitude": item.lat,
            "longitude": item.lon,
            "phone": item.phone,
            "email": item.email,
            "url": item.url,
            "departs_at": ctx.utc(item.departs),
            "arrives_at": ctx.utc(item.arrives),
            "meeting_point": i18n(item.meeting_point),
            **ctx.audience(item.audience),
            "public": item.public,
            "position": position,
        }
        for position, item in enumerate(ctx.doc.logistics)
    }
    await sync_records(ctx, "logistics", LogisticsItem, desired)


async def apply_resources(ctx: ApplyContext) -> None:
    files = ctx.loaded.files
    desired = {
        r.key: {
            "category": r.category,
            "title": i18n(r.title),
            "description": i18n(r.description),
            "url": r.url,
            "file_name": files[r.key].name if r.key in files else None,
            "file_content": files[r.key].content if r.key in files else None,
            **ctx.audience(r.audience),
            "public": r.public,
            "position": position,
        }
        for position, r in enumerate(ctx.doc.resources)
    }
    changed = await sync_records(
        ctx, "resources", Resource, desired, [undefer(Resource.file_content)]
    )
    stale = [key for key, names in changed.items() if "file_content" in names]
    if stale:  # Telegram's copy of the old file must not be sent for the new one
        await ctx.session.execute(
            update(Resource).where(Resource.key.in_(stale)).values(telegram_file_id=None)
        )


async def apply_faq(ctx: ApplyContext) -> None:
    desired = {
        f.key: {
            "question": i18n(f.question),
            "answer": i18n(f.answer),
            "keywords": dict(f.keywords or {}),
            **ctx.audience(f.audience),
            "public": f.public,
            "position": position,
        }
        for position, f in enumerate(ctx.doc.faq)
    }
    await sync_records(ctx, "faq", FaqEntry, desired)


Applier = Callable[[ApplyContext], Awaitable[None]]

#: The sections in the order they are applied (a section after those it refers to).
APPLIERS: list[Applier] = [
    archived_visits,
    apply_programme,
    apply_municipalities,
    apply_delegations,
    apply_visits,
    apply_participants,
    apply_events,
    apply_logistics,
    apply_resources,
    apply_faq,
    apply_survey_sections,
]


async def _finish(ctx: ApplyContext) -> None:
    for model, ids in reversed(ctx._deletions):
        await ctx.session.execute(delete(model).where(model.id.in_(ids)))
    programme = await ctx.session.get(Programme, PROGRAMME_ID)
    assert programme is not None
    if not ctx.summary.empty and "programme" not in ctx.summary.records["programme"].added:
        programme.content_version += 1
        programme.updated_at = ctx.now
    await ctx.session.flush()
    ctx.summary.content_version = programme.content_version


async def apply_in(
    session: AsyncSession, loaded: LoadedProgramme, now: datetime, *, dry_run: bool = False
) -> ChangeSummary:
    """Apply a validated programme in the caller's transaction (which the caller commits, or
    rolls back for a dry run)."""
    summary = ChangeSummary(dry_run=dry_run)
    ctx = ApplyContext(session, loaded, ZoneInfo(loaded.document.programme.timezone), now, summary)
    for applier in APPLIERS:
        await applier(ctx)
    await _finish(ctx)
    return summary


#: Runs in the import's transaction after a real (not dry) import: change notices, audit entry.
AfterApply = Callable[[AsyncSession, ChangeSummary], Awaitable[object]]


async def import_programme(
    db: Database,
    loaded: LoadedProgramme,
    *,
    dry_run: bool = False,
    clock: Clock | None = None,
    after: AfterApply | None = None,
) -> ChangeSummary:
    """Apply a validated programme in one transaction (rolled back for a dry run); ``after``
    runs in the same transaction once the programme is applied."""
    async with db.sessionmaker() as session, session.begin():
        summary = await apply_in(session, loaded, (clock or Clock()).now(), dry_run=dry_run)
        if dry_run:
            await session.rollback()
        elif after is not None:
            await after(session, summary)
    return summary


async def locked_version(session: AsyncSession) -> int:
    """The programme's content version (0: no programme yet), its row locked until the
    transaction ends, so that two imports cannot both start from the same version."""
    query = select(Programme.content_version).where(Programme.id == PROGRAMME_ID)
    return await session.scalar(query.with_for_update()) or 0


async def audit_import(
    session: AsyncSession,
    summary: ChangeSummary,
    *,
    actor_id: int | None,
    actor_role: str,
    source: str,
    now: datetime,
    notices: int = 0,
) -> None:
    """The audit entry of an applied import (``programme.import``), with what it changed."""
    await audit.record(
        session,
        actor_id=actor_id,
        actor_role=actor_role,
        action="programme.import",
        target=source,
        now=now,
        events_added=len(summary.events_added),
        events_changed=len(summary.events_changed),
        events_cancelled=len(summary.events_cancelled),
        records={
            name: len(c.added) + len(c.changed) + len(c.removed)
            for name, c in summary.records.items()
            if c
        },
        content_version=summary.content_version,
        notices=notices,
    )


@dataclass
class ImportResult:
    """Either the problems of a file (nothing written) or what the import changed."""

    problems: list[Any]
    summary: ChangeSummary | None
    #: The imported programme's time zone (for rendering the summary).
    timezone: str | None = None

    @property
    def ok(self) -> bool:
        return self.summary is not None


async def import_loaded(db: Database, result: LoadResult, **kwargs: Any) -> ImportResult:
    if result.programme is None:
        return ImportResult(result.problems, None)
    summary = await import_programme(db, result.programme, **kwargs)
    return ImportResult([], summary, result.programme.document.programme.timezone)


async def import_file(db: Database, path: Path, **kwargs: Any) -> ImportResult:
    """Load, validate and apply ``path`` (``dry_run=``, ``clock=`` as for import_programme)."""
    return await import_loaded(db, await asyncio.to_thread(load_path, path), **kwargs)
