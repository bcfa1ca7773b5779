"""Each message is checked in the language its reader had when it was sent (tests/rendering.py),
not in the language the chat ends the test with."""

from __future__ import annotations

from bot.callbacks.menu import Language, SetLanguage
from bot.transport.local_api import ApiCall
from tests.harness import BotHarness
from tests.rendering import problems


async def test_a_chat_that_changes_language_is_checked_in_each_language_in_turn(
    bot: BotHarness,
) -> None:
    user = bot.new_user(language_code="sl")
    await bot.onboard(user, "sl")
    in_slovenian = await bot.send(user, "/menu")
    await bot.send(user, "/language")
    await bot.press_data(user, SetLanguage(Language("uk")).pack())
    in_ukrainian = await bot.send(user, "/menu")

    index = {id(call): i for i, call in enumerate(bot.api.calls)}
    read_in = bot.sent_in.by_call
    assert {read_in[index[id(c)]] for c in in_slovenian if c.chat_id == user.id} == {"sl"}
    assert {read_in[index[id(c)]] for c in in_ukrainian if c.chat_id == user.id} == {"uk"}
    assert "Glavni meni" in in_slovenian[-1].text
    assert "Головне меню" in in_ukrainian[-1].text


def test_the_rules_are_those_of_the_language_the_message_was_read_in() -> None:
    call = ApiCall("sendMessage", {"chat_id": 1, "text": "Iščite napis »Lekarna«, ob 7.30."})
    assert problems([call], lambda _i, _c: "sl") == []
    assert problems([call], lambda _i, _c: "uk") != []  # Slovenian quotes on a Ukrainian screen
    late = ApiCall("sendMessage", {"chat_id": 1, "text": "Odprto od 7:30."})
    assert problems([late], lambda _i, _c: "uk") == []
    assert problems([late], lambda _i, _c: "sl") != []  # a Slovenian time with a colon


def test_slovenian_buttons_take_the_short_imperative() -> None:
    def screen(*labels: str) -> ApiCall:
        markup = {"inline_keyboard": [[{"text": t, "callback_data": "x"} for t in labels]]}
        return ApiCall("sendMessage", {"chat_id": 1, "text": "Izberite:", "reply_markup": markup})

    assert problems([screen("❓ Zastavi vprašanje", "Pošlji")], lambda _i, _c: "sl") == []
    assert len(problems([screen("❓ Zastavite vprašanje", "Pošljite")], lambda _i, _c: "sl")) == 2
