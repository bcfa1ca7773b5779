"""Failed updates are posted to the error chat (or the staff chat): no typed text, rate-limited."""

from __future__ import annotations

from typing import Any

import pytest

from bot.transport.local_api import ApiCall, ApiError
from tests.harness import BotHarness

ERROR_CHAT = -100_777_000_001
STAFF_CHAT = -100_555_000_111
SECRET = "my passport number is AB123456"

pytestmark = pytest.mark.faults  # a refused answer is how these tests make an update fail


def _refuse_private(method: str, params: dict[str, Any]) -> ApiError | None:
    """Telegram refuses every message to a person (a group's messages still go through)."""
    if method == "sendMessage" and int(params["chat_id"]) > 0:
        return ApiError(400, "Bad Request: chat not found")
    return None


def _posts(calls: list[ApiCall], chat_id: int) -> list[str]:
    return [
        str(c.params["text"])
        for c in calls
        if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id and c.error is None
    ]


async def test_a_failed_update_is_posted_without_the_typed_text(bot: BotHarness) -> None:
    bot.settings.error_chat_id = ERROR_CHAT
    bot.settings.staff_chat_id = STAFF_CHAT
    user = bot.new_user("uk")
    bot.api.fault = _refuse_private
    calls = await bot.send(user, SECRET)
    (post,) = _posts(calls, ERROR_CHAT)
    assert not _posts(calls, STAFF_CHAT)  # the error chat, not the staff chat
    assert f"text, private chat {user.id}, user {user.id}" in post
    assert "The bot failed on an update" in post  # the staff language (en)
    assert "Traceback (most recent call last)" in post and "BadRequest: Chat not found" in post
    assert SECRET not in post and "AB123456" not in post


async def test_the_same_failure_is_posted_once_per_interval(bot: BotHarness) -> None:
    bot.settings.staff_chat_id = STAFF_CHAT  # no error chat: the staff chat gets the posts
    user = bot.new_user("en")
    bot.api.fault = _refuse_private
    first = _posts(await bot.send(user, "/privacy"), STAFF_CHAT)
    assert len(first) == 1 and "command /privacy" in first[0]
    for _ in range(3):
        assert not _posts(await bot.send(user, "/privacy"), STAFF_CHAT)
    bot.clock.advance(minutes=5)
    (later,) = _posts(await bot.send(user, "/privacy"), STAFF_CHAT)
    assert "(3 more failures like it since the last report.)" in later


async def test_without_error_or_staff_chat_nothing_is_posted(bot: BotHarness) -> None:
    user = bot.new_user("en")
    bot.api.fault = _refuse_private
    calls = await bot.send(user, "/privacy")
    assert [c for c in calls if c.method == "sendMessage" and c.error is None] == []
