"""/mydata sends a person everything stored about them; /forget deletes it after a confirmation."""

from __future__ import annotations

import json
import logging

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks.menu import ForgetConfirmed
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.send import show
from bot.i18n import _
from bot.people import service
from bot.views.common import Screen, back_to_menu, button, keyboard

log = logging.getLogger(__name__)


@allow(Access.ANYONE)
async def mydata(update: Update, context: BotContext) -> None:
    services = context.services
    user_id = context.viewer.telegram_id
    document = await service.export_data(services.db, user_id, services.clock.now())
    content = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        InputFile(content, filename=f"my-data-{user_id}.json"),
        caption=_("📄 Everything the bot stores about you."),
    )


@allow(Access.ANYONE)
async def forget(update: Update, context: BotContext) -> None:
    text = _(
        "<b>Delete my data?</b>\nThe bot will delete your account, your link to the "
        "programme, your questions (with their copies in the coordinators’ chat and FAQ "
        "entries made from them), ratings and survey answers that name you, and the records "
        "of messages delivered to you. Anonymous totals are kept. You can start again later "
        "with a new invite. This cannot be undone."
    )
    rows = [[button(_("🗑 Yes, delete my data"), ForgetConfirmed())], [back_to_menu()]]
    await show(update, Screen(text, keyboard(rows)))


@allow(Access.ANYONE)
async def forget_confirmed(update: Update, context: BotContext) -> None:
    services = context.services
    await service.forget(
        services.db,
        context.viewer.telegram_id,
        services.clock.now(),
        services.settings.staff_language,
    )
    await show(update, Screen(_("✅ Your data has been deleted. Goodbye!")))


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("mydata", mydata, filters=private))
    app.add_handler(CommandHandler("forget", forget, filters=private))
    app.add_handler(CallbackQueryHandler(forget_confirmed, pattern=ForgetConfirmed.pattern))
