"""Failed updates are posted to the error chat (or the staff chat): no typed text, rate-limited,
through the outbox, and directly when the database is what fails."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import event, select

from bot.db.models import OutboxMessage
from bot.infra import error_reports
from bot.transport.local_api import ApiCall, ApiError
from bot.transport.updates import text_update
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
    await bot.send(user, SECRET)
    await bot.delivered()  # through the outbox
    (post,) = _posts(bot.api.calls, ERROR_CHAT)
    assert not _posts(bot.api.calls, STAFF_CHAT)  # the error chat, not the staff chat
    (row,) = await _outbox_posts(bot)
    assert (row.chat_id, row.status, row.payload["text"]) == (ERROR_CHAT, "sent", post)
    assert f"text, private chat {user.id}, user {user.id}" in post
    assert "The bot hit an error while handling" in post  # the staff language (en)
    assert "Traceback (most recent call last)" in post and "BadRequest: Chat not found" in post
    assert SECRET not in post and "AB123456" not in post


async def test_the_same_failure_is_posted_once_per_interval(bot: BotHarness) -> None:
    bot.settings.staff_chat_id = STAFF_CHAT  # no error chat: the staff chat gets the posts
    user = bot.new_user("en")
    bot.api.fault = _refuse_private
    for _ in range(4):
        await bot.send(user, "/privacy")
    (first,) = [r.payload["text"] for r in await _outbox_posts(bot)]
    assert "command /privacy" in first
    bot.clock.advance(minutes=5)
    await bot.send(user, "/privacy")
    posts = await _outbox_posts(bot)
    assert [r.chat_id for r in posts] == [STAFF_CHAT, STAFF_CHAT]
    assert "(3 more failures like it since the last report.)" in posts[1].payload["text"]


async def test_without_error_or_staff_chat_nothing_is_posted(bot: BotHarness) -> None:
    user = bot.new_user("en")
    bot.api.fault = _refuse_private
    calls = await bot.send(user, "/privacy")
    assert [c for c in calls if c.method == "sendMessage" and c.error is None] == []


async def _outbox_posts(bot: BotHarness) -> list[OutboxMessage]:
    async with bot.db.session() as s:
        query = select(OutboxMessage).where(OutboxMessage.kind == error_reports.KIND)
        return list((await s.scalars(query.order_by(OutboxMessage.id))).all())


async def test_a_failing_database_is_posted_directly(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """When the database is what fails, the post cannot wait in the outbox: it goes directly
    (and the log says so)."""
    bot.settings.staff_chat_id = STAFF_CHAT
    user = bot.new_user("en")  # never seen: the update needs the database to find out who it is

    def down(*_: object) -> None:
        raise ConnectionRefusedError("the database is down")

    engine = bot.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", down)
    start = len(bot.api.calls)
    try:
        with caplog.at_level(logging.WARNING, "bot.handlers.errors"):
            await bot.app.process_update(bot.api.deliver(text_update(bot.app.bot, user, "/menu")))
    finally:
        event.remove(engine, "before_cursor_execute", down)
    posts = _posts(bot.api.calls[start:], STAFF_CHAT)  # the viewer's loading, and what followed
    assert any("ConnectionRefusedError: the database is down" in post for post in posts)
    assert "posting it directly" in caplog.text
    assert await _outbox_posts(bot) == []
