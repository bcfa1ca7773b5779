"""What nobody else handled: unknown commands, messages the bot cannot read, group chats.

Registered last in group 0, so an area's own handler always wins.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.send import say
from bot.i18n import _


@allow(Access.ANYONE)
async def unknown_command(update: Update, context: BotContext) -> None:
    await say(update, _("I don't know this command. Send /help to see what I can do."))


@allow(Access.ANYONE)
async def unreadable(update: Update, context: BotContext) -> None:
    await say(
        update,
        _("I can read only text messages. Type your question in words, or open the /menu."),
    )


@allow(Access.ANYONE)
async def free_text(update: Update, context: BotContext) -> None:
    await say(update, _("Please choose a section in the /menu."))


@allow(Access.ANYONE)
async def group_command(update: Update, context: BotContext) -> None:
    bot = update.get_bot()
    await say(
        update,
        _("I work in private chats. Write to me at t.me/{username}.", username=bot.username),
    )


@allow(Access.ANYONE)
async def ignore(update: Update, context: BotContext) -> None:
    """Edited messages, channel posts and group chatter are ignored on purpose."""


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, ignore))
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, free_text))
    app.add_handler(MessageHandler(private, unreadable))
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, group_command))
