"""The main menu, help and the public page about the programme."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks.menu import About, AboutPage, MainMenu
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.send import show
from bot.i18n import _
from bot.programme import about
from bot.views import about as views
from bot.views.common import Screen, back_to_menu, keyboard
from bot.views.menu import main_menu


@allow(Access.ANYONE)
async def menu(update: Update, context: BotContext) -> None:
    await show(update, main_menu(context.viewer))


@allow(Access.ANYONE)
async def help_command(update: Update, context: BotContext) -> None:
    text = _(
        "<b>How to use the bot</b>\n"
        "/menu — the main menu\n"
        "/language — change the language\n"
        "/privacy — what the bot stores about you\n\n"
        "You can also simply type a question."
    )
    await show(update, Screen(text, keyboard([[back_to_menu()]])))


@allow(Access.ANYONE)
async def about_page(update: Update, context: BotContext) -> None:
    programme = await about.programme(context.services.db)
    await show(update, views.about(programme))


@allow(Access.ANYONE)
async def how_to_join(update: Update, context: BotContext) -> None:
    programme = await about.programme(context.services.db)
    await show(update, views.how_to_join(programme))


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("menu", menu, filters=private))
    app.add_handler(CommandHandler("help", help_command, filters=private))
    app.add_handler(CallbackQueryHandler(menu, pattern=MainMenu.pattern))
    app.add_handler(
        CallbackQueryHandler(about_page, pattern=About.matching(page=AboutPage.PROGRAMME))
    )
    app.add_handler(
        CallbackQueryHandler(how_to_join, pattern=About.matching(page=AboutPage.HOW_TO_JOIN))
    )
