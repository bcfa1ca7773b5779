"""Composing a broadcast: the draft in the database, step by step, and who may touch which one.

Every function re-checks permissions from the :class:`~bot.people.access.Viewer` (never from
callback data): coordinators may broadcast to anyone and manage every broadcast; hosts may broadcast
to the delegations visiting their municipality and manage their own broadcasts; nobody else may do
either. A draft belongs to its author alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts import content
from bot.broadcasts.audience import Audience, AudienceError, Scope, check_scope, scope_of
from bot.db.models.broadcasts import DRAFT, Broadcast
from bot.i18n import LANGUAGES
from bot.people.access import Role, Viewer


class Reason(StrEnum):
    NOT_ALLOWED = "not_allowed"  # not a coordinator or host (any more)
    NOT_FOUND = "not_found"  # no such broadcast, or not theirs
    NOT_DRAFT = "not_draft"  # already confirmed or cancelled
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CAPTION_TOO_LONG = "caption_too_long"
    NOBODY = "nobody"
    PAST = "past"
    OUT_OF_SCOPE = "out_of_scope"  # a host naming another delegation


class DraftStep(StrEnum):
    """Where the author of a draft is (``Broadcast.step``); a restart resumes there."""

    TEXT = "text"  # waiting for the first text (or photo, or document)
    VERSIONS = "versions"  # a version per language
    AUDIENCE = "audience"
    PREVIEW = "preview"  # each language group's message; send now or choose a time
    CONFIRM = "confirm"  # a time chosen: confirm
    SENT = "sent"  # confirmed (its outbox rows exist); no step follows


_COMPOSING = frozenset({DraftStep.VERSIONS, DraftStep.AUDIENCE, DraftStep.PREVIEW})

#: Which step may follow which. Between the composing steps the author moves freely (preview is
#: one tap away from every step, and older screens' back buttons stay pressable); a time is
#: chosen from the preview; only a previewed draft is sent; nothing follows "sent".
NEXT_STEPS: dict[DraftStep, frozenset[DraftStep]] = {
    DraftStep.TEXT: frozenset({DraftStep.VERSIONS}),
    DraftStep.VERSIONS: _COMPOSING,
    DraftStep.AUDIENCE: _COMPOSING,
    DraftStep.PREVIEW: _COMPOSING | {DraftStep.CONFIRM, DraftStep.SENT},
    DraftStep.CONFIRM: _COMPOSING | {DraftStep.CONFIRM, DraftStep.SENT},
    DraftStep.SENT: frozenset(),
}


class IllegalStep(ValueError):
    """A step that may not follow the draft's current one (a stale or forged press)."""


def check_move(draft: Broadcast, step: DraftStep) -> None:
    """Raise :class:`IllegalStep` unless :data:`NEXT_STEPS` lets ``step`` follow the draft's."""
    current = DraftStep(draft.step)
    if step not in NEXT_STEPS[current]:
        raise IllegalStep(f"draft {draft.id}: {current} may not be followed by {step}")


def move(draft: Broadcast, step: DraftStep) -> None:
    """Put the draft at ``step`` (refused as in :func:`check_move`)."""
    check_move(draft, step)
    draft.step = step


class Refused(Exception):
    """The request is refused; ``reason`` says why, ``details`` fill the message."""

    def __init__(self, reason: Reason, **details: Any) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class Author:
    """Who is composing, and what they may reach."""

    viewer: Viewer
    scope: Scope


async def author(session: AsyncSession, viewer: Viewer) -> Author:
    """The viewer as a broadcast author; refused unless coordinator or a host with a delegation."""
    scope = await scope_of(session, viewer)
    if scope is None:
        raise Refused(Reason.NOT_ALLOWED)
    return Author(viewer, scope)


async def current_draft(session: AsyncSession, author_id: int) -> Broadcast | None:
    return (
        (
            await session.execute(
                select(Broadcast)
                .where(Broadcast.author_id == author_id, Broadcast.status == DRAFT)
                .order_by(Broadcast.id.desc())
            )
        )
        .scalars()
        .first()
    )


async def new_draft(session: AsyncSession, who: Author, now: datetime) -> Broadcast:
    """A fresh draft; the author's earlier drafts are discarded."""
    await discard(session, who.viewer.telegram_id)
    draft = Broadcast(
        author_id=who.viewer.telegram_id,
        status=DRAFT,
        step=DraftStep.TEXT,
        texts={},
        audience={},
        created_at=now,
    )
    session.add(draft)
    await session.flush()
    return draft


async def discard(session: AsyncSession, author_id: int) -> None:
    await session.execute(
        delete(Broadcast).where(Broadcast.author_id == author_id, Broadcast.status == DRAFT)
    )


async def own_draft(
    session: AsyncSession, viewer: Viewer, broadcast_id: int
) -> tuple[Author, Broadcast]:
    """The viewer's draft ``broadcast_id``, with the viewer as author (refused otherwise)."""
    who = await author(session, viewer)
    draft = await session.get(Broadcast, broadcast_id)
    if draft is None or draft.author_id != viewer.telegram_id:
        raise Refused(Reason.NOT_FOUND)
    if draft.status != DRAFT:
        raise Refused(Reason.NOT_DRAFT)
    return who, draft


async def managed(session: AsyncSession, viewer: Viewer, broadcast_id: int) -> Broadcast:
    """A confirmed (or cancelled) broadcast the viewer may see and manage."""
    await author(session, viewer)
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status == DRAFT:
        raise Refused(Reason.NOT_FOUND)
    if viewer.role is not Role.COORDINATOR and broadcast.author_id != viewer.telegram_id:
        raise Refused(Reason.NOT_FOUND)
    return broadcast


def _refuse_problems(problems: list[content.TextProblem]) -> None:
    if not problems:
        return
    first = problems[0]
    raise Refused(
        Reason(first.problem.value), language=first.language, length=first.length, limit=first.limit
    )


def set_text(
    draft: Broadcast, language: str, html: str, media: dict[str, Any] | None = None
) -> None:
    """Store the ``language`` version (and, with the first text, a photo or document)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    media = media if media is not None else draft.media
    if not content.visible_text(html).strip() and media is None:
        raise Refused(Reason.EMPTY)
    _refuse_problems(content.check({language: html}, media))
    texts = dict(draft.texts or {})
    if html.strip():
        texts[language] = html
    else:
        texts.pop(language, None)
    draft.texts = texts
    draft.media = media


def set_audience(who: Author, draft: Broadcast, audience: Audience) -> None:
    try:
        check_scope(audience, who.scope)
    except AudienceError:
        raise Refused(Reason.OUT_OF_SCOPE) from None
    draft.audience = audience.to_json()


def check_ready(draft: Broadcast) -> None:
    """Refuse a draft whose texts Telegram would not take."""
    _refuse_problems(content.check(draft.texts or {}, draft.media))
