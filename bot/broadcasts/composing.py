"""Composing a broadcast: what the /broadcast handler calls, one transaction per call.

Plain values in (the viewer, a typed button, the text of a message, the time), a plain step out
(:data:`Step`), which the handler renders with :mod:`bot.views.broadcasts` and sends. The draft,
its :class:`~bot.broadcasts.drafts.DraftStep` (moved only as
:data:`~bot.broadcasts.drafts.NEXT_STEPS` allows), what the author's next message is taken as and
the audit log all change here; the audience is resolved at most once per call.

Every call re-checks that the viewer may broadcast and that the draft is theirs
(:func:`bot.broadcasts.drafts.own_draft`); a refusal is raised as
:class:`~bot.broadcasts.drafts.Refused` after what it changed (the expected reply forgotten) is
committed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts import audience as audiences
from bot.broadcasts import content, drafts, report, sending
from bot.broadcasts.audience import DIMENSIONS, Audience, Choice, Recipient
from bot.broadcasts.drafts import Author, DraftStep, Reason, Refused
from bot.broadcasts.report import Figures
from bot.broadcasts.send_time import BadTime, PastTime, parse_send_time
from bot.broadcasts.sending import Enqueued
from bot.callbacks.broadcasts import (
    Dimension,
    DraftAction,
    DraftButton,
    DraftDimension,
    DraftVersion,
    ToggleGroup,
    ToggleLanguage,
    ToggleRole,
)
from bot.db.engine import Database
from bot.db.models.broadcasts import Broadcast
from bot.people import access, audit
from bot.people.access import Viewer
from bot.people.awaiting import DraftInput, DraftReply, DraftVersionReply

#: The buttons of a draft (each names the draft it belongs to).
DraftPress = DraftButton | DraftVersion | DraftDimension | ToggleGroup | ToggleRole | ToggleLanguage


@dataclass(frozen=True)
class Draft:
    """What the screens show of a draft (taken inside the transaction that changed it)."""

    id: int
    step: DraftStep
    texts: Mapping[str, str]
    media: Mapping[str, Any] | None
    ask_ack: bool
    send_at: datetime | None

    @classmethod
    def of(cls, row: Broadcast) -> Draft:
        return cls(
            row.id,
            DraftStep(row.step),
            dict(row.texts or {}),
            row.media,
            row.ask_ack,
            row.send_at,
        )


# ------------------------------------------------------------------------------------ steps


@dataclass(frozen=True)
class AskText:
    """Waiting for the text; ``written``: back from the languages, the text kept."""

    draft_id: int
    written: bool = False


@dataclass(frozen=True)
class Versions:
    """The version per language."""

    draft: Draft


@dataclass(frozen=True)
class AskVersion:
    draft_id: int
    language: str


@dataclass(frozen=True)
class AudienceStep:
    """Who gets it: the names of what the audience picks and how many people it reaches;
    ``nobody`` when a preview was asked for and nobody would get it."""

    draft_id: int
    names: Mapping[str, list[Any]]
    count: int
    dimensions: tuple[str, ...]
    limited: bool
    nobody: bool = False


@dataclass(frozen=True)
class Choices:
    """The values of one audience dimension, ticked as ``audience`` picks them."""

    draft_id: int
    dimension: str
    options: tuple[Choice, ...]
    audience: Audience


@dataclass(frozen=True)
class Controls:
    """The send options under the preview; ``quiet_until``: when the quiet hours end, if on."""

    draft: Draft
    count: int
    quiet_until: datetime | None


@dataclass(frozen=True)
class Group:
    """One language group of the preview: how many read it, the language whose text they get
    instead of their own (if any), and the message exactly as they get it."""

    language: str
    count: int
    fallback: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class Preview:
    groups: tuple[Group, ...]
    controls: Controls


@dataclass(frozen=True)
class AskTime:
    draft_id: int


@dataclass(frozen=True)
class Confirm:
    """A time was typed (``draft.send_at``); ``goes_at``: when it goes (after the quiet hours)."""

    draft: Draft
    count: int
    goes_at: datetime


@dataclass(frozen=True)
class Sent:
    """Confirmed into the outbox: the broadcast's figures and what was enqueued."""

    broadcast_id: int
    enqueued: Enqueued
    figures: Figures


@dataclass(frozen=True)
class Discarded:
    pass


#: The steps of composing that are one screen (the preview and the sending are more).
OneScreen = (
    AskText
    | Versions
    | AskVersion
    | AudienceStep
    | Choices
    | Controls
    | AskTime
    | Confirm
    | Discarded
)
Step = OneScreen | Preview | Sent


@dataclass(frozen=True)
class Context:
    """What every step may need besides the viewer: the time, the programme's time zone and
    the configured coordinators (they count as recipients)."""

    now: datetime
    tz: ZoneInfo
    coordinator_ids: Iterable[int]


#: Refusals after which no reply is expected any more (the draft is gone or not theirs).
_GONE = (Reason.NOT_ALLOWED, Reason.NOT_FOUND, Reason.NOT_DRAFT)


@asynccontextmanager
async def _transaction(db: Database) -> AsyncIterator[AsyncSession]:
    """A transaction that is committed also when the step is refused (a refusal changes only
    what should stay changed: the expected reply); the refusal is raised after the commit."""
    refusal: Refused | ValueError | None = None
    async with db.session() as s:
        try:
            yield s
        except (Refused, ValueError) as exc:
            refusal = exc
    if refusal is not None:
        raise refusal


# ----------------------------------------------------------------------------- the calls


async def start(db: Database, viewer: Viewer, at: Context) -> Step:
    """/broadcast: the author's draft where they left it, or a new one."""
    async with _transaction(db) as s:
        who = await drafts.author(s, viewer)
        draft = await drafts.current_draft(s, viewer.telegram_id)
        if draft is None:
            draft = await drafts.new_draft(s, who, at.now)
        if draft.step == DraftStep.TEXT or (not draft.texts and draft.media is None):
            await access.set_awaiting(s, viewer.telegram_id, DraftReply(DraftInput.TEXT, draft.id))
            return AskText(draft.id)
        if draft.step == DraftStep.VERSIONS:
            return Versions(Draft.of(draft))
        if draft.step == DraftStep.AUDIENCE:
            return await _audience(s, who, draft, at)
        return await _preview(s, who, draft, at)


async def reply(
    db: Database,
    viewer: Viewer,
    awaited: DraftReply | DraftVersionReply,
    text: str,
    html: str,
    media: dict[str, Any] | None,
    at: Context,
) -> Step:
    """A message the composing asked for (``awaited``): the text (``html``, with a photo or
    document), one language's version, or a send time (``text``). Raises :class:`Refused`,
    :class:`~bot.broadcasts.send_time.BadTime`, :class:`~bot.broadcasts.send_time.PastTime`,
    or ValueError for a step the draft cannot take."""
    async with _transaction(db) as s:
        try:
            who, draft = await drafts.own_draft(s, viewer, awaited.draft_id)
            if isinstance(awaited, DraftReply) and awaited.step is DraftInput.TIME:
                send_at = parse_send_time(text, at.now, at.tz)
                drafts.move(draft, DraftStep.CONFIRM)
                draft.send_at = send_at
                people = await sending.recipients(s, draft, who.scope, at.coordinator_ids)
                step: Step = Confirm(Draft.of(draft), len(people), sending.release(send_at, at.tz))
            else:
                if isinstance(awaited, DraftReply):  # the text
                    drafts.set_text(draft, viewer.language, html, media)
                else:
                    drafts.set_text(draft, awaited.language.value, html)
                drafts.move(draft, DraftStep.VERSIONS)
                step = Versions(Draft.of(draft))
        except (BadTime, PastTime):  # the question stands: another time may come
            raise
        except (Refused, ValueError) as exc:
            # The draft is gone or not theirs, or it cannot take this step: no reply is expected
            # any more.
            if not isinstance(exc, Refused) or exc.reason in _GONE:
                await access.set_awaiting(s, viewer.telegram_id, None)
            raise
        await access.set_awaiting(s, viewer.telegram_id, None)
        return step


async def press(db: Database, viewer: Viewer, pressed: DraftPress, at: Context) -> Step:
    """A button of a draft. Raises :class:`Refused`; ValueError (or
    :class:`~bot.broadcasts.audience.AudienceError`) for a forged or stale press."""
    async with _transaction(db) as s:
        who, draft = await drafts.own_draft(s, viewer, pressed.draft_id)
        return await _pressed(s, who, draft, pressed, at)


async def _pressed(
    s: AsyncSession, who: Author, draft: Broadcast, pressed: DraftPress, at: Context
) -> Step:
    viewer = who.viewer
    if isinstance(pressed, DraftVersion):
        language = pressed.language.value
        await access.set_awaiting(
            s, viewer.telegram_id, DraftVersionReply(draft.id, pressed.language)
        )
        return AskVersion(draft.id, language)
    if isinstance(pressed, DraftDimension):
        dimension = pressed.dimension.field
        return await _choices(s, who, draft.id, dimension, Audience.from_json(draft.audience))
    if isinstance(pressed, ToggleGroup | ToggleRole | ToggleLanguage):
        dimension, value = _toggled(pressed)
        chosen = Audience.from_json(draft.audience).toggled(dimension, value)
        drafts.set_audience(who, draft, chosen)
        return await _choices(s, who, draft.id, dimension, chosen)
    action = pressed.action
    if action is DraftAction.TEXT:  # Back from the languages: the text step, the text kept
        await access.set_awaiting(s, viewer.telegram_id, DraftReply(DraftInput.TEXT, draft.id))
        return AskText(draft.id, written=True)
    if action is DraftAction.VERSIONS:
        await access.set_awaiting(s, viewer.telegram_id, None)
        drafts.move(draft, DraftStep.VERSIONS)
        return Versions(Draft.of(draft))
    if action is DraftAction.AUDIENCE:
        drafts.check_ready(draft)
        drafts.move(draft, DraftStep.AUDIENCE)
        return await _audience(s, who, draft, at)
    if action is DraftAction.EVERYONE:
        drafts.set_audience(who, draft, Audience())
        return await _audience(s, who, draft, at)
    if action is DraftAction.PREVIEW:
        await access.set_awaiting(s, viewer.telegram_id, None)
        drafts.check_ready(draft)
        drafts.move(draft, DraftStep.PREVIEW)
        draft.send_at = None
        return await _preview(s, who, draft, at)
    if action is DraftAction.ASK_ACK:
        draft.ask_ack = not draft.ask_ack
        people = await sending.recipients(s, draft, who.scope, at.coordinator_ids)
        return _controls(draft, len(people), at)
    if action is DraftAction.SCHEDULE:
        await access.set_awaiting(s, viewer.telegram_id, DraftReply(DraftInput.TIME, draft.id))
        return AskTime(draft.id)
    if action in (DraftAction.SEND, DraftAction.URGENT):
        enqueued = await sending.confirm(
            s,
            who,
            draft,
            at.now,
            at.coordinator_ids,
            at.tz,
            urgent=action is DraftAction.URGENT,
        )
        await audit.record_by(s, viewer, "broadcast.send", f"broadcast {draft.id}", at.now)
        return Sent(draft.id, enqueued, await report.figures(s, draft, at.now))
    assert action is DraftAction.DISCARD, action
    await access.set_awaiting(s, viewer.telegram_id, None)
    await drafts.discard(s, viewer.telegram_id)
    return Discarded()


def _toggled(pressed: ToggleGroup | ToggleRole | ToggleLanguage) -> tuple[str, int | str]:
    """The audience dimension and the value a tick button names."""
    if isinstance(pressed, ToggleRole):
        return "roles", pressed.role.value
    if isinstance(pressed, ToggleLanguage):
        return "languages", pressed.language.value
    return Dimension(pressed.dimension.value).field, pressed.value


async def _choices(
    s: AsyncSession, who: Author, draft_id: int, dimension: str, chosen: Audience
) -> Choices:
    options = await audiences.choices(s, dimension, who.scope)
    return Choices(draft_id, dimension, tuple(options), chosen)


async def _audience(
    s: AsyncSession,
    who: Author,
    draft: Broadcast,
    at: Context,
    people: list[Recipient] | None = None,
) -> AudienceStep:
    """The audience step; ``people``: the recipients, when the caller resolved them already
    (a preview of nobody)."""
    preview_of_nobody = people is not None
    if people is None:
        people = await sending.recipients(s, draft, who.scope, at.coordinator_ids)
    names = await audiences.names(s, Audience.from_json(draft.audience))
    dimensions = tuple(d for d in DIMENSIONS if not (who.scope.limited and d == "municipalities"))
    return AudienceStep(
        draft.id, names, len(people), dimensions, who.scope.limited, nobody=preview_of_nobody
    )


async def _preview(s: AsyncSession, who: Author, draft: Broadcast, at: Context) -> Step:
    """Each language group's message, exactly as they will get it, then the send options; the
    audience step again when nobody would get it."""
    people = await sending.recipients(s, draft, who.scope, at.coordinator_ids)
    if not people:
        return await _audience(s, who, draft, at, people)
    by_language = Counter(p.language for p in people)
    groups = tuple(
        Group(
            language,
            by_language[language],
            content.version(draft.texts or {}, language)[1],
            sending.payload(draft, language),
        )
        for language in sorted(by_language)
    )
    return Preview(groups, _controls(draft, len(people), at))


def _controls(draft: Broadcast, count: int, at: Context) -> Controls:
    goes_at = sending.release(at.now, at.tz)
    return Controls(Draft.of(draft), count, goes_at if goes_at != at.now else None)
