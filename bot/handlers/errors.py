"""The one error handler: log with the update's context and tell the person, in their language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.handlers.context import BotContext
from bot.i18n import _
from bot.infra import metrics

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    metrics.ERRORS.inc()
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
        await context.bot.send_message(
            chat.id, _("😕 Something went wrong on our side. Please try again in a moment.")
        )
    except Exception:  # the apology itself failed: logged, nothing more to do
        log.exception("could not tell user about the failure of update %s", update.update_id)


def _kind(update: Update) -> str:
    if update.callback_query:
        return f"button {update.callback_query.data!r}"
    if update.message and update.message.text:
        return "command" if update.message.text.startswith("/") else "text"
    if update.message:
        return "message"
    return "other"
