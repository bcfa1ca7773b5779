"""Unknown commands, messages the bot cannot read, edits, groups, errors, per-language commands."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.callbacks.menu import MainMenu
from bot.transport.local_api import ApiError
from tests.harness import STICKER, BotHarness, texts

GROUP = {"id": -100123, "type": "supergroup", "title": "Some group"}


async def test_unknown_command_gets_help_in_the_users_language(bot: BotHarness) -> None:
    user = bot.new_user("sl")
    await bot.onboard(user, "sl")
    calls = await bot.send(user, "/frobnicate now")
    assert "Tega ukaza ne poznam" in texts(calls)


@pytest.mark.parametrize(
    "content",
    [
        STICKER,
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"location": {"latitude": 46.1, "longitude": 14.6}},
    ],
)
async def test_unreadable_messages_get_a_sensible_reply(
    bot: BotHarness, content: dict[str, Any]
) -> None:
    user = bot.new_user("uk")
    await bot.onboard(user, "uk")
    calls = await bot.send_content(user, content)
    assert "лише текстові повідомлення" in texts(calls)


async def test_edited_messages_are_ignored_on_purpose(bot: BotHarness) -> None:
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    calls = await bot.send_content(user, {"text": "hello again"}, edited=True)
    assert calls == []


async def test_group_chatter_is_ignored_and_commands_point_to_private_chat(bot: BotHarness) -> None:
    user = bot.new_user("en")
    assert await bot.send(user, "just chatting", chat=GROUP) == []
    calls = await bot.send(user, "/start", chat=GROUP)
    assert "private chats" in texts(calls) and calls[0].chat_id == GROUP["id"]


@pytest.mark.faults
async def test_a_failing_handler_is_logged_and_the_user_told(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    user = bot.new_user("uk")
    await bot.onboard(user, "uk")
    failures = iter([ApiError(400, "Bad Request: something odd")])

    def fault(method: str, params: dict[str, Any]) -> ApiError | None:
        return next(failures, None) if method == "editMessageText" else None

    bot.api.fault = fault
    with caplog.at_level(logging.ERROR):
        calls = await bot.press(user, "Мова")
    assert "Щось пішло не так" in texts(calls)
    assert any(
        "failed" in r.getMessage() and str(user.id) in r.getMessage() for r in caplog.records
    )


async def test_commands_and_descriptions_registered_per_language(bot: BotHarness) -> None:
    assert set(bot.api.commands) == {"uk", "sl", "en", ""}
    uk = {c["command"]: c["description"] for c in bot.api.commands["uk"]}
    assert uk["menu"] == "Головне меню"
    assert bot.api.descriptions["sl"].startswith("Žepni vodnik")


@pytest.mark.parametrize("data", ["q:send:-1x", "menu:main:x", "about:sho", "gone:button"])
async def test_a_button_no_handler_knows_is_answered_at_once_with_the_current_screen(
    bot: BotHarness, data: str
) -> None:
    user = bot.new_user("sl")
    await bot.onboard(user, "sl")
    await bot.send(user, "/help")
    calls = await bot.press_data(user, data)  # the harness checks: answered exactly once
    [notice] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert notice.params["text"] == "Ta gumb ni več veljaven."
    assert "Glavni meni" in bot.last_message(user)["text"]


async def test_pressing_the_screen_already_shown_changes_nothing(bot: BotHarness) -> None:
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    await bot.send(user, "/menu")
    message = bot.last_message(user)
    calls = await bot.press_data(user, MainMenu().pack(), message)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    await bot.send(user, "/language")
    picker, data = bot.find_button(user, "English ✓")  # the language already chosen
    calls = await bot.press_data(user, data, picker)
    assert "editMessageText" in [c.method for c in calls]  # the picker gives way to the menu
    # A double tap: the second press still carries the picker, the menu is on screen already.
    calls = await bot.press_data(user, data, picker)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
