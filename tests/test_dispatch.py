"""Routing (bot/handlers/dispatch.py): every update goes to the handler python-telegram-bot
would have chosen by asking each handler of the group in turn."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks.base import Pattern
from bot.handlers.dispatch import RoutedGroup
from bot.transport.updates import SimUser, callback_update, text_update
from tests.harness import BotHarness

Handler = BaseHandler[Any, Any, Any]


def _first_taker(handlers: tuple[Handler, ...], update: Update) -> Handler | None:
    """What PTB does without routing: the first handler whose check takes the update."""
    for handler in handlers:
        check = handler.check_update(update)
        if check is not None and check is not False:
            return handler
    return None


def _updates(bot: BotHarness, group: RoutedGroup, user: SimUser) -> list[Update]:
    message = {
        "message_id": 7,
        "date": 0,
        "chat": user.private_chat(),
        "from": {"id": bot.app.bot.id, "is_bot": True, "first_name": "Bot"},
        "text": "screen",
    }
    commands = sorted(
        c for h in group.handlers if isinstance(h, CommandHandler) for c in h.commands
    )
    presses = [
        h.pattern.example()
        for h in group.handlers
        if isinstance(h, CallbackQueryHandler) and isinstance(h.pattern, Pattern)
    ]
    texts = [f"/{c}" for c in commands] + [f"/{c.upper()} with words" for c in commands]
    texts += ["/nosuchcommand", "hello", "/", "sch:today", "a question?"]
    forged = [p + "x" for p in presses] + [p.split(":")[0] for p in presses]
    forged += ["nosuchkind:1", "x", ":", "sch", "sch:"]
    return [text_update(bot.app.bot, user, t) for t in texts] + [
        callback_update(bot.app.bot, user, data, message) for data in presses + forged
    ]


async def test_every_update_reaches_the_handler_asking_each_in_turn_would(
    bot: BotHarness,
) -> None:
    routed = [h for hs in bot.app.handlers.values() for h in hs if isinstance(h, RoutedGroup)]
    assert routed, "group 0 is routed"
    user = bot.new_user("en")
    checked = 0
    for group in routed:
        for update in _updates(bot, group, user):
            expected = _first_taker(group.handlers, update)
            taken = group.check_update(update)
            assert (taken[0] if taken else None) is expected, update.to_dict()
            checked += expected is not None
    assert checked > 60  # the commands and the presses of every kind found their handler


async def test_routed_updates_are_answered_as_before(bot: BotHarness) -> None:
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    assert "I don’t know this command" in (await bot.send(user, "/nosuchcommand"))[-1].text
    help_text = (await bot.send(user, "/help"))[-1].text
    assert (await bot.send(user, "/HELP"))[-1].text == help_text
    calls = await bot.press_data(user, "nosuchkind:1")
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert [a.params.get("text") for a in answers] == ["This button is out of date."]
