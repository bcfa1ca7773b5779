"""Builds the ``telegram.ext.Application``: handlers, jobs, start-up and shutdown.

The same function serves Telegram (polling or webhook), the console and the tests; only the
request object differs (Telegram's HTTP client or :class:`~bot.transport.local_api.LocalBotApi`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.clock import Clock
from bot.commands import register_commands
from bot.config import Settings
from bot.db.engine import Database
from bot.handlers import register_all
from bot.handlers.context import SERVICES_KEY, BotContext, LocaleScopedProcessor
from bot.services import Services

log = logging.getLogger(__name__)

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]

#: Start-up and shutdown steps of the areas (the delivery worker, reminder jobs ...), in order.
StartHook = Callable[[BotApplication, Services], Awaitable[None]]
START_HOOKS: list[StartHook] = []
STOP_HOOKS: list[StartHook] = []


def build_application(
    settings: Settings,
    db: Database,
    *,
    clock: Clock | None = None,
    request: BaseRequest | None = None,
    register_bot_commands: bool = True,
    concurrent_updates: int = 1,
) -> BotApplication:
    """The bot, ready for ``initialize()``; ``request`` replaces Telegram's HTTP client."""
    services = Services(settings=settings, db=db, clock=clock or Clock())
    builder = (
        ApplicationBuilder()
        .token(settings.token or "0:console")
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .defaults(Defaults(parse_mode=ParseMode.HTML, disable_notification=False))
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(LocaleScopedProcessor(concurrent_updates))
        .arbitrary_callback_data(False)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)

    async def post_init(app: BotApplication) -> None:
        if register_bot_commands:
            await register_commands(app, settings.coordinator_ids)
        for hook in START_HOOKS:
            await hook(app, services)

    async def post_shutdown(app: BotApplication) -> None:
        for hook in reversed(STOP_HOOKS):
            await hook(app, services)

    builder = builder.post_init(post_init).post_shutdown(post_shutdown)
    app: BotApplication = builder.build()
    app.bot_data[SERVICES_KEY] = services
    register_all(app)
    return app


def services_of(app: BotApplication) -> Services:
    return app.bot_data[SERVICES_KEY]
