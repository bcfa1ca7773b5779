"""/broadcast (composing an announcement), /broadcasts (following them), and their buttons.

Thin: every press and reply re-checks, in :mod:`bot.broadcasts.drafts`, that this person may act
on that broadcast; the draft itself lives in the database, so a restart carries on. The
author's progress message is then kept up to date by :mod:`bot.jobs.broadcasts`.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from telegram import InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.broadcasts import audience as audiences
from bot.broadcasts import drafts, report, sending
from bot.broadcasts.audience import DIMENSIONS, Audience, AudienceError
from bot.broadcasts.content import version
from bot.broadcasts.drafts import Author, DraftStep, Reason, Refused
from bot.broadcasts.send_time import BadTime, PastTime, parse_send_time
from bot.callbacks.broadcasts import (
    Acknowledge,
    BroadcastList,
    Dimension,
    DraftAction,
    DraftButton,
    DraftDimension,
    DraftVersion,
    ManageAction,
    ManageButton,
    NewBroadcast,
    ToggleGroup,
    ToggleLanguage,
    ToggleRole,
)
from bot.db.models.broadcasts import Broadcast
from bot.delivery.send import send_payload
from bot.handlers import replies
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed, pressed_any
from bot.handlers.send import answer, say, show
from bot.handlers.viewing import programme_tz
from bot.infra.text import clean
from bot.people import access, audit
from bot.views import broadcasts as views
from bot.views.common import Screen

log = logging.getLogger(__name__)

AREA = "bc"
#: Management buttons that leave a trace in the audit log.
_AUDITED = {
    ManageAction.STOP: "broadcast.cancel",
    ManageAction.RENOTIFY: "broadcast.renotify",
    ManageAction.EXPORT: "broadcast.export",
}


# ------------------------------------------------------------------------------ composing


@allow(Access.STAFF)
async def broadcast_command(update: Update, context: BotContext) -> None:
    """/broadcast: continue the author's draft, or start one."""
    services = context.services
    async with services.db.session() as s:
        try:
            who = await drafts.author(s, context.viewer)
        except Refused as exc:
            await say(update, views.refusal(exc))
            return
        draft = await drafts.current_draft(s, context.viewer.telegram_id)
        if draft is None:
            draft = await drafts.new_draft(s, who, services.clock.now())
    await _resume(update, context, who, draft)


async def _resume(update: Update, context: BotContext, who: Author, draft: Broadcast) -> None:
    if draft.step == DraftStep.TEXT or (not draft.texts and draft.media is None):
        await _await(context, f"text:{draft.id}")
        await show(update, views.ask_text(draft.id), edit=False)
    elif draft.step == DraftStep.VERSIONS:
        await show(update, views.versions(draft), edit=False)
    elif draft.step == DraftStep.AUDIENCE:
        await _show_audience(update, context, who, draft)
    else:
        await _preview(update, context, who, draft)


async def _await(context: BotContext, what: str | None) -> None:
    async with context.services.db.session() as s:
        await access.set_awaiting(s, context.viewer.telegram_id, f"{AREA}:{what}" if what else None)


def _content_of(message: Message) -> tuple[str, dict[str, Any] | None]:
    """The HTML text (or caption) of ``message`` and its photo or document, if any."""
    media = None
    if message.photo:
        media = {"kind": "photo", "file": message.photo[-1].file_id}
    elif message.document:
        media = {"kind": "document", "file": message.document.file_id}
    if message.text:
        return clean(message.text_html), media
    if message.caption:
        return clean(message.caption_html), media
    return "", media


async def on_reply(update: Update, context: BotContext, rest: str) -> None:
    """A message the composing asked for: ``text:<id>``, ``v:<id>:<lang>`` or ``time:<id>``."""
    message = update.message
    assert message is not None
    what, _sep, args = rest.partition(":")
    draft_id, _sep, lang = args.partition(":")
    services = context.services
    viewer = context.viewer
    async with services.db.session() as s:
        try:
            who, draft = await drafts.own_draft(s, viewer, int(draft_id))
            if what == "time":
                draft.send_at = parse_send_time(
                    message.text or "", services.clock.now(), await programme_tz(services)
                )
                drafts.move(draft, DraftStep.CONFIRM)
                count = len(await sending.recipients(s, draft, who.scope, services.coordinator_ids))
            else:
                html, media = _content_of(message)
                if what == "text":
                    drafts.set_text(draft, viewer.language, html, media)
                else:
                    drafts.set_text(draft, lang, html)
                drafts.move(draft, DraftStep.VERSIONS)
        except Refused as exc:
            if exc.reason in (Reason.NOT_ALLOWED, Reason.NOT_FOUND, Reason.NOT_DRAFT):
                await access.set_awaiting(s, viewer.telegram_id, None)
            await say(update, views.refusal(exc))
            return
        except BadTime:
            await say(update, views.bad_time(await programme_tz(services)))
            return
        except PastTime:
            await say(update, views.refusal(Refused(Reason.PAST)))
            return
        except ValueError:  # a malformed stored value: start over
            await access.set_awaiting(s, viewer.telegram_id, None)
            return
        await access.set_awaiting(s, viewer.telegram_id, None)
    if what == "time":
        assert draft.send_at is not None
        tz = await programme_tz(services)
        goes_at = sending.release(draft.send_at, tz)
        await show(update, views.confirm(draft, count, tz, goes_at), edit=False)
    else:
        await show(update, views.versions(draft), edit=False)


async def _show_audience(
    update: Update, context: BotContext, who: Author, draft: Broadcast
) -> None:
    services = context.services
    audience = Audience.from_json(draft.audience)
    async with services.db.session() as s:
        names = await audiences.names(s, audience)
        people = await sending.recipients(s, draft, who.scope, services.coordinator_ids)
    dims = [d for d in DIMENSIONS if not (who.scope.limited and d == "municipalities")]
    await show(update, views.audience(draft.id, names, len(people), dims, who.scope.limited))


async def _preview(update: Update, context: BotContext, who: Author, draft: Broadcast) -> None:
    """Each language group's message, exactly as they will get it, then the send options."""
    services = context.services
    async with services.db.session() as s:
        people = await sending.recipients(s, draft, who.scope, services.coordinator_ids)
    if not people:
        await say(update, views.refusal(Refused(Reason.NOBODY)))
        await _show_audience(update, context, who, draft)
        return
    chat = update.effective_chat
    assert chat is not None
    if update.callback_query is not None:
        await answer(update)
    by_language = Counter(p.language for p in people)
    for lang in sorted(by_language):
        _text, fallback = version(draft.texts or {}, lang)
        await say(update, views.preview_header(lang, by_language[lang], fallback))
        await send_payload(context.bot, chat.id, sending.payload(draft, lang))
    await show(update, await _controls(context, draft, len(people)), edit=False)


async def _controls(context: BotContext, draft: Broadcast, count: int) -> Screen:
    """The send options under the preview; in the quiet hours, until when they last."""
    services = context.services
    tz = await programme_tz(services)
    now = services.clock.now()
    goes_at = sending.release(now, tz)
    return views.preview_controls(draft, count, goes_at if goes_at != now else None, tz)


#: The buttons of a draft (each names the draft it belongs to).
_DRAFT_BUTTONS = (
    DraftButton,
    DraftVersion,
    DraftDimension,
    ToggleGroup,
    ToggleRole,
    ToggleLanguage,
)
DraftPress = DraftButton | DraftVersion | DraftDimension | ToggleGroup | ToggleRole | ToggleLanguage


@allow(Access.STAFF)
async def on_draft_button(update: Update, context: BotContext) -> None:
    """Buttons of a draft (see :mod:`bot.callbacks.broadcasts`)."""
    press: DraftPress = pressed_any(update, *_DRAFT_BUTTONS)
    services = context.services
    async with services.db.session() as s:
        try:
            who, draft = await drafts.own_draft(s, context.viewer, press.draft_id)
            screen = await _draft_action(s, context, who, draft, press)
        except Refused as exc:
            await answer(update)
            await say(update, views.refusal(exc))
            return
        except (ValueError, AudienceError):  # forged or stale data
            await answer(update)
            return
    if isinstance(screen, Screen):
        await show(update, screen)
    elif screen == "audience":
        await _show_audience(update, context, who, draft)
    elif screen == "preview":
        await _preview(update, context, who, draft)
    elif screen == "ask_text":
        await show(update, views.ask_text(draft.id), edit=False)
    elif isinstance(screen, sending.Enqueued):
        await _after_confirm(update, context, draft, screen)
    elif screen == "dropped":
        await show(update, Screen(views.discarded()))


async def _draft_action(
    s: Any, context: BotContext, who: Author, draft: Broadcast, press: DraftPress
) -> Screen | str | sending.Enqueued:
    services = context.services
    viewer = context.viewer
    if isinstance(press, DraftVersion):
        lang = press.language.value
        await access.set_awaiting(s, viewer.telegram_id, f"{AREA}:v:{draft.id}:{lang}")
        return views.ask_version(draft.id, lang)
    if isinstance(press, DraftDimension):
        dimension = press.dimension.field
        options = await audiences.choices(s, dimension, who.scope)
        return views.choices(draft.id, dimension, options, Audience.from_json(draft.audience))
    if isinstance(press, ToggleGroup | ToggleRole | ToggleLanguage):
        dimension, value = _toggled(press)
        audience = Audience.from_json(draft.audience).toggled(dimension, value)
        drafts.set_audience(who, draft, audience)
        options = await audiences.choices(s, dimension, who.scope)
        return views.choices(draft.id, dimension, options, audience)
    action = press.action
    if action is DraftAction.TEXT:  # Back from the languages: the text step, the text kept
        await access.set_awaiting(s, viewer.telegram_id, f"{AREA}:text:{draft.id}")
        return views.ask_text(draft.id, written=True)
    if action is DraftAction.VERSIONS:
        await access.set_awaiting(s, viewer.telegram_id, None)
        drafts.move(draft, DraftStep.VERSIONS)
        return views.versions(draft)
    if action is DraftAction.AUDIENCE:
        drafts.check_ready(draft)
        drafts.move(draft, DraftStep.AUDIENCE)
        return "audience"
    if action is DraftAction.EVERYONE:
        drafts.set_audience(who, draft, Audience())
        return "audience"
    if action is DraftAction.PREVIEW:
        await access.set_awaiting(s, viewer.telegram_id, None)
        drafts.check_ready(draft)
        drafts.move(draft, DraftStep.PREVIEW)
        draft.send_at = None
        return "preview"
    if action is DraftAction.ASK_ACK:
        draft.ask_ack = not draft.ask_ack
        people = await sending.recipients(s, draft, who.scope, services.coordinator_ids)
        return await _controls(context, draft, len(people))
    if action is DraftAction.SCHEDULE:
        await access.set_awaiting(s, viewer.telegram_id, f"{AREA}:time:{draft.id}")
        return views.ask_time(draft.id, await programme_tz(services))
    if action in (DraftAction.SEND, DraftAction.URGENT):
        now = services.clock.now()
        enqueued = await sending.confirm(
            s,
            who,
            draft,
            now,
            services.coordinator_ids,
            await programme_tz(services),
            urgent=action is DraftAction.URGENT,
        )
        await audit.record_by(s, viewer, "broadcast.send", f"broadcast {draft.id}", now)
        return enqueued
    assert action is DraftAction.DISCARD, action
    await access.set_awaiting(s, viewer.telegram_id, None)
    await drafts.discard(s, viewer.telegram_id)
    return "dropped"


def _toggled(press: ToggleGroup | ToggleRole | ToggleLanguage) -> tuple[str, int | str]:
    """The audience dimension and the value a tick button names."""
    if isinstance(press, ToggleRole):
        return "roles", press.role.value
    if isinstance(press, ToggleLanguage):
        return "languages", press.language.value
    return Dimension(press.dimension.value).field, press.value


async def _after_confirm(
    update: Update, context: BotContext, broadcast: Broadcast, enqueued: sending.Enqueued
) -> None:
    """Replace the confirmation by the progress message (saying when it goes, and whether the
    quiet hours hold it), remember it, wake the worker."""
    services = context.services
    now = services.clock.now()
    async with services.db.session() as s:
        figures = await report.figures(s, broadcast, now)
    tz = await programme_tz(services)
    screen = views.progress(figures, tz, views.enqueued(enqueued, now, tz))
    query = update.callback_query
    assert query is not None and query.message is not None
    await answer(update)
    message = await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
    async with services.db.session() as s:
        stored = await s.get(Broadcast, broadcast.id)
        if stored is not None and isinstance(message, Message):
            stored.progress_chat_id = message.chat_id
            stored.progress_message_id = message.message_id
    services.wake_delivery()


# ------------------------------------------------------------------------ following broadcasts


@allow(Access.STAFF)
async def list_broadcasts(update: Update, context: BotContext) -> None:
    services = context.services
    async with services.db.session() as s:
        try:
            await drafts.author(s, context.viewer)
        except Refused as exc:
            if update.callback_query:
                await answer(update)
            await say(update, views.refusal(exc))
            return
        items = await report.recent(s, context.viewer, services.clock.now())
    await show(update, views.broadcast_list(items, await programme_tz(services)))


@allow(Access.STAFF)
async def on_manage_button(update: Update, context: BotContext) -> None:
    """Show, stop, export or remind: the viewer must (still) be allowed to manage it."""
    press = pressed(update, ManageButton)
    action = press.action
    services = context.services
    now = services.clock.now()
    tz = await programme_tz(services)
    notice: str | None = None
    async with services.db.session() as s:
        try:
            broadcast = await drafts.managed(s, context.viewer, press.broadcast_id)
        except Refused as exc:
            await answer(update)
            await say(update, views.refusal(exc))
            return
        if action is ManageAction.STOP:
            notice = views.cancelled(await sending.cancel(s, broadcast, now))
        elif action is ManageAction.RENOTIFY:
            notice = views.renotified(await sending.renotify(s, broadcast, now, tz), tz)
        elif action is ManageAction.EXPORT:
            data = await report.csv_report(s, broadcast)
        if action in _AUDITED:
            await audit.record_by(
                s, context.viewer, _AUDITED[action], f"broadcast {broadcast.id}", now
            )
    if action is ManageAction.EXPORT:
        await answer(update)
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_document(
            chat.id,
            InputFile(data, filename=f"broadcast-{broadcast.id}.csv"),
            caption=views.report_caption(broadcast.id),
        )
        return
    if notice is not None:
        services.wake_delivery()
        await say(update, notice)
    async with services.db.session() as s:
        figures = await report.figures(s, broadcast, now)
    await show(update, views.progress(figures, tz), edit=notice is None)


@allow(Access.INVITED)
async def on_ack(update: Update, context: BotContext) -> None:
    """ "I have read this" under a broadcast: counted only for its recipients."""
    query = update.callback_query
    assert query is not None
    broadcast_id = pressed(update, Acknowledge).broadcast_id
    services = context.services
    async with services.db.session() as s:
        counted = await sending.acknowledge(
            s, broadcast_id, context.viewer.telegram_id, services.clock.now()
        )
    if not counted:
        await answer(update, views.not_a_recipient())
        return
    await answer(update, views.acked())
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:  # already removed, or the message is too old to edit
        log.info("ack of broadcast %s: keyboard not removed: %s", broadcast_id, exc.message)


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    replies.expect(AREA, on_reply)
    app.add_handler(CommandHandler("broadcast", broadcast_command, filters=private))
    app.add_handler(CommandHandler("broadcasts", list_broadcasts, filters=private))
    app.add_handler(CallbackQueryHandler(list_broadcasts, pattern=BroadcastList.pattern))
    app.add_handler(CallbackQueryHandler(broadcast_command, pattern=NewBroadcast.pattern))
    # Ids are range-checked where they are parsed (within the database's integers); a forged
    # id matches no pattern and gets the answer for buttons nobody handles.
    app.add_handler(CallbackQueryHandler(on_ack, pattern=Acknowledge.pattern))
    app.add_handler(CallbackQueryHandler(on_manage_button, pattern=ManageButton.pattern))
    for kind in _DRAFT_BUTTONS:
        app.add_handler(CallbackQueryHandler(on_draft_button, pattern=kind.pattern))
