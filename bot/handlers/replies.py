"""Routes a message to the area that asked for it (a survey comment, a broadcast text ...).

When a step asks a person for something, its service stores a typed value
(:mod:`bot.people.awaiting`) in the person's account (:func:`bot.people.access.set_awaiting`); the
next message they send in private goes to the function the area registered for that kind with
:func:`expect`, with the value. A command instead cancels the expectation and runs as usual.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.people import service
from bot.people.awaiting import Awaited

#: Called with the update, the context and the awaited value (of a kind it registered for).
ReplyHandler = Callable[[Update, BotContext, Any], Awaitable[None]]

_EXPECTED: dict[type[Awaited], ReplyHandler] = {}

GROUP = -50


def expect(handler: ReplyHandler, *kinds: type[Awaited]) -> None:
    """Register the function that takes replies awaited as ``kinds``."""
    for kind in kinds:
        _EXPECTED[kind] = handler


@allow(Access.SYSTEM)
async def route(update: Update, context: BotContext) -> None:
    message = update.message
    if message is None or not context.has_viewer or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    awaiting = context.viewer.awaiting  # cached; every change of it bumps the access version
    if awaiting is None:  # nothing, or a stored value of no kind (bot.people.awaiting.parse)
        return
    text = message.text or ""
    handler = _EXPECTED.get(type(awaiting))
    if text.startswith("/") or handler is None:
        await service.stop_awaiting(context.services.db, context.viewer.telegram_id)
        return
    await handler(update, context, awaiting)
    raise ApplicationHandlerStop


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, route), group=GROUP)
