"""The flood limit on one person's text messages (:mod:`bot.people.flood`), before any area.

A private text message (not a command) beyond the person's burst is dropped here — not stored,
not answered — and the first such message gets one "slow down" answer. The count is kept in the
database, so it holds across bot processes and restarts.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.send import say
from bot.i18n import _
from bot.people import service
from bot.people.flood import Verdict

#: Handlers in this group run after the viewer is loaded and before awaited replies are routed.
GROUP = -60


@allow(Access.SYSTEM)
async def limit(update: Update, context: BotContext) -> None:
    message = update.message
    chat = update.effective_chat
    if message is None or message.text is None or chat is None or chat.type != "private":
        return
    if message.text.startswith("/"):  # commands: cheap, and what a person uses to get unstuck
        return
    if update.effective_user is None:
        return
    services = context.services
    verdict = await service.count_message(
        services.db, update.effective_user.id, services.clock.now()
    )
    if verdict is Verdict.PASS:
        return
    if verdict is Verdict.WARN:
        await say(
            update,
            _(
                "⏳ You are sending messages faster than I can read them. Please wait a "
                "moment, then send them again: I did not keep the messages you sent in the "
                "meantime."
            ),
        )
    raise ApplicationHandlerStop


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, limit), group=GROUP)
