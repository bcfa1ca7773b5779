"""What nobody else handled: unknown commands, messages the bot cannot read, group chats, and
buttons whose data no handler knows (left by an older version of the bot, or forged).

Registered last in group 0, so an area's own handler always wins; :func:`finish_query` runs after
every group and answers a button press that no handler answered.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, TypeHandler, filters

from bot.handlers import send
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.send import answer, say, show
from bot.i18n import _
from bot.views.common import next_line
from bot.views.menu import main_menu

#: After every area's group: the last word on a button press.
FINISH_GROUP = 1000


@allow(Access.ANYONE)
async def unknown_command(update: Update, context: BotContext) -> None:
    then = next_line(_("Send /help to see what I can do."))
    await say(update, _("I don’t know this command.") + "\n\n" + then)


@allow(Access.ANYONE)
async def unreadable(update: Update, context: BotContext) -> None:
    then = next_line(_("Type your question in words, or open the /menu."))
    await say(update, _("I can only read text messages.") + "\n\n" + then)


@allow(Access.ANYONE)
async def free_text(update: Update, context: BotContext) -> None:
    await say(update, next_line(_("Please choose a section in the /menu.")))


@allow(Access.ANYONE)
async def group_command(update: Update, context: BotContext) -> None:
    bot = update.get_bot()
    await say(
        update,
        _("I only work in private chats. Write to me at t.me/{username}.", username=bot.username),
    )


@allow(Access.ANYONE)
async def stale_button(update: Update, context: BotContext) -> None:
    """A button no handler knows: say so at once, and put the current screen in its place."""
    query = update.callback_query
    assert query is not None
    await answer(update, _("This button is out of date."))
    message = query.message
    sender = message.from_user if isinstance(message, Message) else None
    if context.has_viewer and sender is not None and sender.id == context.bot.id:
        await show(update, main_menu(context.viewer))


@allow(Access.SYSTEM)
async def finish_query(update: Update, context: BotContext) -> None:
    await send.finish(update, context)


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
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(TypeHandler(Update, finish_query), group=FINISH_GROUP)
