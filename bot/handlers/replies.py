"""Routes a message to the area that asked for it (a survey comment, a broadcast text ...).

When a handler asks a person for something, it stores ``area:step:id`` in the person's account
(:func:`bot.people.access.set_awaiting`); the next message they send in private goes to the function
the area registered with :func:`expect`. A command instead cancels the expectation and runs as
usual.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.people import service

#: Called with the update, the context and the awaiting value's remainder after "area:".
ReplyHandler = Callable[[Update, BotContext, str], Awaitable[None]]

_EXPECTED: dict[str, ReplyHandler] = {}

GROUP = -50


def expect(area: str, handler: ReplyHandler) -> None:
    """Register the function that takes replies awaited under ``area``."""
    _EXPECTED[area] = handler


@allow(Access.SYSTEM)
async def route(update: Update, context: BotContext) -> None:
    message = update.message
    if message is None or not context.has_viewer or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    awaiting = context.viewer.awaiting  # cached; every change of it bumps the access version
    if not awaiting:
        return
    text = message.text or ""
    area, _sep, rest = awaiting.partition(":")
    handler = _EXPECTED.get(area)
    if text.startswith("/") or handler is None:
        await service.stop_awaiting(context.services.db, context.viewer.telegram_id)
        return
    await handler(update, context, rest)
    raise ApplicationHandlerStop


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, route), group=GROUP)
