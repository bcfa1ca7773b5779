"""``/status`` for coordinators: the essentials of /metrics, in their language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.send import show
from bot.infra.status import snapshot
from bot.views import status as views


@allow(Access.COORDINATOR)
async def status_command(update: Update, context: BotContext) -> None:
    services = context.services
    figures = await snapshot(services.db, services.clock.now())
    await show(update, views.status(figures))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("status", status_command, filters=filters.ChatType.PRIVATE))
