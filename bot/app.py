"""Builds the ``telegram.ext.Application``: handlers, jobs, start-up and shutdown.

The same function serves Telegram (polling or webhook), the console and the tests; only the
request object differs (Telegram's HTTP client or :class:`~bot.transport.local_api.LocalBotApi`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.config import Settings
from bot.db.engine import Database
from bot.delivery.worker import start_delivery, stop_delivery
from bot.handlers import register_all
from bot.handlers.commands import register_commands
from bot.handlers.context import BotContext, LocaleScopedProcessor
from bot.infra import metrics
from bot.infra.clock import Clock
from bot.infra.gc_tuning import settle
from bot.infra.http import start_monitoring, stop_monitoring
from bot.infra.logs import update_scope
from bot.infra.services import SERVICES_KEY, Services
from bot.jobs.agenda import start_reminders
from bot.jobs.broadcasts import start_progress
from bot.jobs.people import start_retention
from bot.jobs.search import schedule_index
from bot.jobs.surveys import start_feedback
from bot.questions import service as questions
from bot.transport.aiohttp_request import AiohttpRequest

log = logging.getLogger(__name__)

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]


class MeasuredApplication(Application[Any, BotContext, Any, Any, Any, Any]):
    """PTB's Application, counting and timing every update it processes (for the metrics)."""

    async def process_update(self, update: object) -> None:
        kind = metrics.update_kind(update)
        metrics.UPDATES.labels(kind).inc()
        started = time.perf_counter()
        with update_scope(update):
            try:
                await super().process_update(update)
            finally:
                seconds = time.perf_counter() - started
                metrics.UPDATE_SECONDS.observe(seconds)
                log.debug("update handled: %s in %.1f ms", kind, seconds * 1000)


#: Start-up steps of the areas, in order: the delivery worker first (the broadcasts' progress
#: messages listen to it), then the periodic jobs that fill the outbox.
StartHook = Callable[[BotApplication, Services], Awaitable[None]]
START_HOOKS: list[StartHook] = [
    start_monitoring,
    start_delivery,
    start_progress,
    start_retention,
    start_reminders,
    start_feedback,
]
#: Run after the application stopped taking updates and before its HTTP client closes.
STOP_HOOKS: list[StartHook] = [stop_monitoring, stop_delivery]


def build_application(
    settings: Settings,
    db: Database,
    *,
    clock: Clock | None = None,
    request: BaseRequest | None = None,
    register_bot_commands: bool = True,
    concurrent_updates: int = 32,
    tune_gc: bool = False,
) -> BotApplication:
    """The bot, ready for ``initialize()``; ``request`` replaces Telegram's HTTP client.

    Up to ``concurrent_updates`` updates of different chats are handled at once; one chat's
    updates are handled one after another, in order (:class:`LocaleScopedProcessor`).
    ``tune_gc`` (``python -m bot run``): once started, load the programme content and freeze the
    start-up heap out of the garbage collector's way (:mod:`bot.infra.gc_tuning`), and build the
    search index a moment later (:mod:`bot.jobs.search`).
    """
    services = Services(settings=settings, db=db, clock=clock or Clock())
    # The staff chat's copy of a question: its message id, for replies and later edits.
    services.sent_hooks[questions.STAFF_KIND] = questions.staff_message_sent
    builder = (
        ApplicationBuilder()
        .application_class(MeasuredApplication)
        .token(settings.token_value or "0:console")
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .defaults(Defaults(parse_mode=ParseMode.HTML, disable_notification=False))
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(LocaleScopedProcessor(concurrent_updates))
        .arbitrary_callback_data(False)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    elif settings.http_client == "aiohttp":
        builder = builder.request(AiohttpRequest()).get_updates_request(
            AiohttpRequest(connection_pool_size=1)
        )

    async def post_init(app: BotApplication) -> None:
        if register_bot_commands:
            await register_commands(app, settings.coordinator_ids)
        for hook in START_HOOKS:
            await hook(app, services)
        if tune_gc:
            await services.current_content()
            settle()
            schedule_index(app, services)

    async def post_stop(app: BotApplication) -> None:
        for hook in reversed(STOP_HOOKS):
            await hook(app, services)

    builder = builder.post_init(post_init).post_stop(post_stop)
    app: BotApplication = builder.build()
    app.bot_data[SERVICES_KEY] = services
    register_all(app)
    return app
