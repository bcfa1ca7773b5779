"""/broadcast (composing an announcement), /broadcasts (following them), and their buttons.

Thin: each handler parses the press or the message, calls one function of
:mod:`bot.broadcasts.composing` or :mod:`bot.broadcasts.following` (which re-check that this
person may act on that broadcast, change the draft in the database and say what to show), renders
the answer with :mod:`bot.views.broadcasts` and sends it. A restart carries on where the draft
is. The author's progress message is then kept up to date by :mod:`bot.jobs.broadcasts`.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.broadcasts import composing, following
from bot.broadcasts.composing import AudienceStep, Context, Preview, Sent, Step
from bot.broadcasts.drafts import Reason, Refused
from bot.broadcasts.send_time import BadTime, PastTime
from bot.callbacks.broadcasts import (
    Acknowledge,
    BroadcastList,
    DraftButton,
    DraftDimension,
    DraftVersion,
    ManageButton,
    NewBroadcast,
    ToggleGroup,
    ToggleLanguage,
    ToggleRole,
)
from bot.delivery.send import send_payload
from bot.handlers import replies
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed, pressed_any
from bot.handlers.send import answer, say, show
from bot.handlers.viewing import programme_tz
from bot.infra.text import clean
from bot.people.awaiting import DraftReply, DraftVersionReply
from bot.views import broadcasts as views

log = logging.getLogger(__name__)

#: The buttons of a draft (each names the draft it belongs to).
_DRAFT_BUTTONS = (
    DraftButton,
    DraftVersion,
    DraftDimension,
    ToggleGroup,
    ToggleRole,
    ToggleLanguage,
)


async def _context(context: BotContext) -> Context:
    services = context.services
    return Context(services.clock.now(), await programme_tz(services), services.coordinator_ids)


# ------------------------------------------------------------------------------ composing


@allow(Access.STAFF)
async def broadcast_command(update: Update, context: BotContext) -> None:
    """/broadcast: continue the author's draft, or start one."""
    at = await _context(context)
    try:
        step = await composing.start(context.services.db, context.viewer, at)
    except Refused as exc:
        await say(update, views.refusal(exc))
        return
    await _render(update, context, step, at, edit=False)


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


async def on_reply(
    update: Update, context: BotContext, awaited: DraftReply | DraftVersionReply
) -> None:
    """A message the composing asked for: the text, one language's version or a send time."""
    message = update.message
    assert message is not None
    at = await _context(context)
    html, media = _content_of(message)
    try:
        step = await composing.reply(
            context.services.db, context.viewer, awaited, message.text or "", html, media, at
        )
    except Refused as exc:
        await say(update, views.refusal(exc))
        return
    except BadTime:
        await say(update, views.bad_time(at.tz))
        return
    except PastTime:
        await say(update, views.refusal(Refused(Reason.PAST)))
        return
    except ValueError:  # a step the draft cannot take (a stale expectation): started over
        return
    await _render(update, context, step, at, edit=False)


@allow(Access.STAFF)
async def on_draft_button(update: Update, context: BotContext) -> None:
    """Buttons of a draft (see :mod:`bot.callbacks.broadcasts`)."""
    press: composing.DraftPress = pressed_any(update, *_DRAFT_BUTTONS)
    at = await _context(context)
    try:
        step = await composing.press(context.services.db, context.viewer, press, at)
    except Refused as exc:
        await answer(update)
        await say(update, views.refusal(exc))
        return
    except ValueError:  # forged or stale data
        await answer(update)
        return
    await _render(update, context, step, at)


async def _render(
    update: Update, context: BotContext, step: Step, at: Context, *, edit: bool = True
) -> None:
    """Show a step: most are one screen; the preview is a message per language group and the
    send options; a sent broadcast's confirmation becomes its progress message."""
    if isinstance(step, Preview):
        await _preview(update, context, step, at)
    elif isinstance(step, Sent):
        await _after_confirm(update, context, step, at)
    else:
        if isinstance(step, AudienceStep) and step.nobody:  # a preview of nobody
            await say(update, views.refusal(Refused(Reason.NOBODY)))
        await show(update, views.composing(step, at.tz), edit=edit)


async def _preview(update: Update, context: BotContext, step: Preview, at: Context) -> None:
    """Each language group's message, exactly as they will get it, then the send options."""
    chat = update.effective_chat
    assert chat is not None
    if update.callback_query is not None:
        await answer(update)
    for group in step.groups:
        await say(update, views.preview_header(group.language, group.count, group.fallback))
        await send_payload(context.bot, chat.id, group.payload)
    await show(update, views.composing(step.controls, at.tz), edit=False)


async def _after_confirm(update: Update, context: BotContext, step: Sent, at: Context) -> None:
    """Replace the confirmation by the progress message (saying when it goes, and whether the
    quiet hours hold it), remember it, wake the worker."""
    screen = views.progress(step.figures, at.tz, views.enqueued(step.enqueued, at.now, at.tz))
    query = update.callback_query
    assert query is not None and query.message is not None
    await answer(update)
    message = await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
    if isinstance(message, Message):
        await following.remember_progress(
            context.services.db, step.broadcast_id, message.chat_id, message.message_id
        )
    context.services.wake_delivery()


# ------------------------------------------------------------------------ following broadcasts


@allow(Access.STAFF)
async def list_broadcasts(update: Update, context: BotContext) -> None:
    services = context.services
    try:
        items = await following.recent(services.db, context.viewer, services.clock.now())
    except Refused as exc:
        if update.callback_query:
            await answer(update)
        await say(update, views.refusal(exc))
        return
    await show(update, views.broadcast_list(items, await programme_tz(services)))


@allow(Access.STAFF)
async def on_manage_button(update: Update, context: BotContext) -> None:
    """Show, stop, export or remind: the viewer must (still) be allowed to manage it."""
    press = pressed(update, ManageButton)
    services = context.services
    tz = await programme_tz(services)
    try:
        done = await following.manage(
            services.db, context.viewer, press.broadcast_id, press.action, services.clock.now(), tz
        )
    except Refused as exc:
        await answer(update)
        await say(update, views.refusal(exc))
        return
    if done.report is not None:
        await answer(update)
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_document(
            chat.id,
            InputFile(done.report, filename=f"broadcast-{done.broadcast_id}.csv"),
            caption=views.report_caption(done.broadcast_id),
        )
        return
    if done.changed:
        services.wake_delivery()
    if done.stopped is not None:
        await say(update, views.cancelled(done.stopped))
    elif done.reminded is not None:
        await say(update, views.renotified(done.reminded, tz))
    await show(update, views.progress(done.figures, tz), edit=not done.changed)


@allow(Access.INVITED)
async def on_ack(update: Update, context: BotContext) -> None:
    """ "I have read this" under a broadcast: counted only for its recipients."""
    query = update.callback_query
    assert query is not None
    broadcast_id = pressed(update, Acknowledge).broadcast_id
    services = context.services
    counted = await following.acknowledge(
        services.db, broadcast_id, context.viewer.telegram_id, services.clock.now()
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
    replies.expect(on_reply, DraftReply, DraftVersionReply)
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
