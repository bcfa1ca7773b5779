"""The local Bot API refuses what Telegram refuses: one test per rule (see its module docstring).

Each test drives the Bot API as the bot does, through python-telegram-bot's ``Bot`` on top of
:class:`LocalBotApi`, so the refusal arrives as the exception the bot would get from Telegram.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.infra.clock import ManualClock
from bot.transport.local_api import LocalBotApi
from bot.transport.updates import SimUser, callback_update, text_update

USER = SimUser(id=4242, first_name="Ana")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2024, 5, 6, 10, 0, tzinfo=UTC))


@pytest.fixture
async def wire(clock: ManualClock) -> AsyncIterator[tuple[Bot, LocalBotApi]]:
    api = LocalBotApi(clock=clock)
    async with Bot("1:test", request=api, get_updates_request=api) as bot:
        yield bot, api


def _press(bot: Bot, api: LocalBotApi, message_id: int) -> str:
    update = callback_update(bot, USER, "x", api.messages[(USER.id, message_id)])
    api.deliver(update)
    assert update.callback_query is not None
    return update.callback_query.id


async def test_a_callback_query_is_answered_once(wire: tuple[Bot, LocalBotApi]) -> None:
    bot, api = wire
    sent = await bot.send_message(USER.id, "menu")
    query_id = _press(bot, api, sent.message_id)
    assert await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)


async def test_a_callback_query_expires_after_its_window(
    wire: tuple[Bot, LocalBotApi], clock: ManualClock
) -> None:
    bot, api = wire
    sent = await bot.send_message(USER.id, "menu")
    fresh = _press(bot, api, sent.message_id)
    stale = _press(bot, api, sent.message_id)
    clock.advance(seconds=14)
    assert await bot.answer_callback_query(fresh)
    clock.advance(seconds=2)  # 16 s after the press
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(stale)


async def test_an_unknown_query_id_is_refused(wire: tuple[Bot, LocalBotApi]) -> None:
    bot, _api = wire
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await bot.answer_callback_query("no-such-query")


async def test_a_callback_answer_over_200_characters_is_refused(
    wire: tuple[Bot, LocalBotApi],
) -> None:
    bot, api = wire
    sent = await bot.send_message(USER.id, "menu")
    query_id = _press(bot, api, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query_id, "x" * 201)
    assert await bot.answer_callback_query(query_id, "x" * 200)  # the refusal did not count


async def test_an_edit_to_identical_content_is_refused(wire: tuple[Bot, LocalBotApi]) -> None:
    bot, _api = wire
    keys = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(USER.id, "<b>Menu</b>", parse_mode="HTML", reply_markup=keys)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(
            "<b>Menu</b>", USER.id, sent.message_id, parse_mode="HTML", reply_markup=keys
        )
    assert await bot.edit_message_text("Menu", USER.id, sent.message_id, reply_markup=None)


async def test_editing_a_missing_message_is_refused(wire: tuple[Bot, LocalBotApi]) -> None:
    bot, _api = wire
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("new", USER.id, 999_999)


async def test_editing_a_persons_message_is_refused(wire: tuple[Bot, LocalBotApi]) -> None:
    bot, api = wire
    update = api.deliver(text_update(bot, USER, "hello"))
    assert update.message is not None
    with pytest.raises(BadRequest, match="can't be edited"):
        await bot.edit_message_text("changed", USER.id, update.message.message_id)


async def test_deleting_a_missing_message_is_refused(wire: tuple[Bot, LocalBotApi]) -> None:
    bot, _api = wire
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(USER.id, 999_999)


async def test_a_message_48_hours_old_cannot_be_deleted(
    wire: tuple[Bot, LocalBotApi], clock: ManualClock
) -> None:
    bot, _api = wire
    young = await bot.send_message(USER.id, "young")
    old = await bot.send_message(USER.id, "old")
    clock.advance(hours=47, minutes=59)
    assert await bot.delete_message(USER.id, young.message_id)
    clock.advance(minutes=1)
    with pytest.raises(BadRequest, match="can't be deleted"):
        await bot.delete_message(USER.id, old.message_id)


async def test_a_person_who_blocked_the_bot_gets_nothing(wire: tuple[Bot, LocalBotApi]) -> None:
    bot, api = wire
    sent = await bot.send_message(USER.id, "before")
    api.block(USER.id)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER.id, "after")
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.edit_message_text("after", USER.id, sent.message_id)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")  # "use send_message"
async def test_a_keyboard_sent_as_json_text_is_read_as_over_http(
    wire: tuple[Bot, LocalBotApi],
) -> None:
    bot, api = wire
    keys = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    sent = await bot.do_api_request(
        "sendMessage", {"chat_id": USER.id, "text": "menu", "reply_markup": keys}
    )
    assert sent["reply_markup"] == {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    assert api.calls[-1].buttons == [{"text": "A", "callback_data": "a"}]
    with pytest.raises(BadRequest, match=r"(?i)can't parse reply keyboard markup json object"):
        await bot.do_api_request(
            "sendMessage", {"chat_id": USER.id, "text": "menu", "reply_markup": "[[{'text'"}
        )
