"""A programme file sent to the bot by a coordinator: problems, or the summary with Apply/Cancel.

The file is downloaded (never more than the loader's limit; Telegram lets bots download at most
20 MB), checked and kept as a pending import by :mod:`bot.programme.uploads`; the buttons carry
only its id and are checked again when pressed. Documents from anyone else get the fallback's
answer, as before.
"""

from __future__ import annotations

import math

from telegram import Document, InputFile, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.agenda.reminders import outside_quiet_hours
from bot.callbacks.programme import ImportAction, ImportDecision
from bot.handlers import fallback
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow, permits
from bot.handlers.pressed import pressed
from bot.handlers.send import answer, show
from bot.handlers.viewing import programme_tz
from bot.jobs.agenda import change_text
from bot.people.access import Viewer
from bot.programme import uploads
from bot.programme.loader import MAX_FILE_MB
from bot.programme.problems import Problem
from bot.views import programme as views

#: Telegram's cloud Bot API serves files to bots up to this size.
TELEGRAM_DOWNLOAD_MB = 20
_MB = 1024 * 1024


async def _send(update: Update, context: BotContext, report: views.Report) -> None:
    """Show the report (editing the pressed button's message) and attach the whole list."""
    await show(update, report.screen)
    chat = update.effective_chat
    if report.attachment is not None and chat is not None:
        name, content = report.attachment
        await context.bot.send_document(chat.id, InputFile(content, filename=name))


async def _download(update: Update, context: BotContext, document: Document) -> bytes | None:
    """The file's bytes, or None after telling the sender why it cannot be read."""
    name = document.file_name or "file"
    size = document.file_size or 0
    if size > TELEGRAM_DOWNLOAD_MB * _MB:
        await show(update, views.too_big_to_download(name, math.ceil(size / _MB), MAX_FILE_MB))
        return None
    if size > MAX_FILE_MB * _MB:  # refused before downloading, as the loader would
        problem = Problem("file_too_large", {"limit": str(MAX_FILE_MB)}, file=name)
        await _send(update, context, views.problems(name, [problem]))
        return None
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        return bytes(await telegram_file.download_as_bytearray())
    except BadRequest as exc:
        if "too big" in str(exc).lower():
            await show(update, views.too_big_to_download(name, TELEGRAM_DOWNLOAD_MB, MAX_FILE_MB))
        else:
            await show(update, views.download_failed(name))
        return None


@allow(Access.ANYONE)
async def document_received(update: Update, context: BotContext) -> None:
    """Coordinators: a programme file to check; everyone else: the fallback's answer."""
    viewer = context.viewer if context.has_viewer else None
    message = update.message
    if not permits(viewer, Access.COORDINATOR) or message is None or message.document is None:
        await fallback.unreadable(update, context)
        return
    assert viewer is not None
    document = message.document
    content = await _download(update, context, document)
    if content is None:
        return
    services = context.services
    outcome = await uploads.preview(
        services.db,
        viewer.telegram_id,
        document.file_name or "file",
        content,
        services.clock.now(),
    )
    if outcome.state == "problems":
        await _send(update, context, views.problems(outcome.file_name, outcome.problems))
    elif outcome.state == "no_changes":
        await show(update, views.no_changes(outcome.file_name))
    else:
        await _send(update, context, views.preview(outcome))


def _import_id(update: Update) -> int:
    return pressed(update, ImportDecision).import_id


async def _answer_old_button(update: Update, outcome: uploads.Outcome) -> None:
    assert update.callback_query is not None
    await answer(update, views.not_pending(outcome.status), alert=True)


@allow(Access.COORDINATOR)
async def apply_pressed(update: Update, context: BotContext) -> None:
    services = context.services
    viewer: Viewer = context.viewer
    now = services.clock.now()
    outcome = await uploads.apply(
        services.db,
        _import_id(update),
        actor_id=viewer.telegram_id,
        actor_role=str(viewer.role),
        now=now,
        render=change_text,
    )
    if outcome.state in ("gone", "decided"):
        await _answer_old_button(update, outcome)
        return
    if outcome.state == "problems":
        await _send(update, context, views.problems(outcome.file_name, outcome.problems))
        return
    if outcome.state == "changed":
        await _send(update, context, views.preview(outcome))
        return
    services.versions.invalidate()  # this process shows the new programme at once
    tz = await programme_tz(services)
    goes_at = outside_quiet_hours(now, tz)
    if outcome.notices:
        services.wake_delivery()
    await _send(update, context, views.applied(outcome, goes_at if goes_at != now else None, tz))


@allow(Access.COORDINATOR)
async def cancel_pressed(update: Update, context: BotContext) -> None:
    services = context.services
    outcome = await uploads.cancel(
        services.db,
        _import_id(update),
        actor_id=context.viewer.telegram_id,
        now=services.clock.now(),
    )
    if outcome.state != "cancelled":
        await _answer_old_button(update, outcome)
        return
    await show(update, views.cancelled(outcome.file_name))


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & filters.Document.ALL, document_received))
    for action, callback in (
        (ImportAction.APPLY, apply_pressed),
        (ImportAction.CANCEL, cancel_pressed),
    ):
        app.add_handler(
            CallbackQueryHandler(callback, pattern=ImportDecision.matching(action=action))
        )
