"""The one error handler: log with the update's context, tell the person, tell the developers.

Every failure is also posted to ``BOT_ERROR_CHAT_ID`` (without it, to the staff chat; without
either, nowhere): what kind of update failed, without any text a person typed, and the
traceback; at most once per kind of failure every few minutes (:mod:`bot.infra.error_reports`).
The post goes through the outbox; when it cannot be put there (the database is what fails) it
is sent directly, and the log says so. It cannot loop: a failure of the post is logged here, and
python-telegram-bot never passes an error handler's own errors to the error handlers.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from telegram import Update
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.handlers.context import BotContext
from bot.i18n import _, ngettext, use_locale
from bot.infra import error_reports, metrics
from bot.views.common import next_line

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    metrics.ERRORS.inc()
    await _report(update, context)
    if isinstance(update, Update):
        user = update.effective_user
        chat = update.effective_chat
        log.error(
            "update %s failed (user %s, chat %s, kind %s)",
            update.update_id,
            user.id if user else None,
            chat.id if chat else None,
            _kind(update),
            exc_info=error,
        )
    else:
        log.error("error outside an update: %r", update, exc_info=error)
        return
    if isinstance(error, Forbidden) or chat is None or chat.type != "private":
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # The connection to Telegram failed: the apology would most likely fail the same way.
        return
    try:
        then = next_line(_("Please try again in a moment."))
        await context.bot.send_message(
            chat.id, _("😕 Something went wrong on our side.") + "\n\n" + then
        )
    except Exception:  # the apology itself failed: logged, nothing more to do
        log.exception("could not tell user about the failure of update %s", update.update_id)


def _kind(update: Update) -> str:
    if update.callback_query:
        return f"button {update.callback_query.data!r}"
    if update.message and update.message.text:
        text = update.message.text
        return f"command {text.split()[0]}" if text.startswith("/") else "text"
    if update.message:
        return "message"
    return "other"


def summary(update: object) -> str:
    """What failed, without anything a person wrote: the update's kind (a command's name, a
    button's data, which the bot made), the chat's type and the ids."""
    if not isinstance(update, Update):
        return "outside an update"
    parts = [f"update {update.update_id}", _kind(update)]
    if update.effective_chat is not None:
        parts.append(f"{update.effective_chat.type} chat {update.effective_chat.id}")
    if update.effective_user is not None:
        parts.append(f"user {update.effective_user.id}")
    return ", ".join(parts)


def failure_kind(error: BaseException) -> str:
    """The exception's type and the innermost line of the bot's own code it passed through."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f"{Path('bot')}/" in f.filename.replace("\\", "/")] or frames
    if not ours:
        return type(error).__name__
    return f"{type(error).__name__} at {Path(ours[-1].filename).name}:{ours[-1].lineno}"


def report_text(update: object, error: BaseException, held_back: int) -> str:
    """The post: headline, how many like it were held back, the traceback (its end, when the
    whole would not fit in a message)."""
    lines = [
        _(
            "⚠️ The bot hit an error while handling a message or button press: {summary}",
            summary=summary(update),
        )
    ]
    if held_back:
        lines.append(
            ngettext(
                "({n} more failure like it since the last report.)",
                "({n} more failures like it since the last report.)",
                held_back,
            )
        )
    head = "\n".join(lines) + "\n\n"
    trace = "".join(traceback.format_exception(error)).strip()
    room = MessageLimit.MAX_TEXT_LENGTH - len(head)
    if len(trace) > room:
        trace = "…" + trace[-(room - 1) :]
    return head + trace


async def _report(update: object, context: BotContext) -> None:
    error = context.error
    services = context.services
    settings = services.settings
    chat_id = settings.error_chat_id or settings.staff_chat_id
    if error is None or chat_id is None:
        return
    failure, now = failure_kind(error), services.clock.now()
    held_back = services.error_reports.admit(failure, now)
    if held_back is None:
        return
    with use_locale(settings.staff_language):
        text = report_text(update, error, held_back)
    try:
        await error_reports.enqueue(services.db, chat_id, failure, text, now)
    except Exception:
        log.warning(
            "could not put the failure's post in the outbox; posting it directly", exc_info=True
        )
    else:
        services.wake_delivery()
        return
    try:
        await context.bot.send_message(chat_id, text, parse_mode=None)
    except Exception:  # never a loop: logged, and PTB does not re-dispatch an error handler's error
        log.exception("could not post the failure to the error chat %s", chat_id)
