"""The common broadcast — one text, the other languages falling back, one delegation, now — in
at most 6 taps from /broadcast to sent, with Preview reachable from every step; every screen of
the way, and of scheduling one, says what happens next, in each language."""

from __future__ import annotations

import pytest

from bot.callbacks.broadcasts import ManageAction, ManageButton, ToggleGroup
from bot.delivery.worker import DeliveryWorker
from bot.i18n import LANGUAGES
from tests.broadcasts.conftest import World, eventually
from tests.broadcasts.test_composing import outbox_rows
from tests.harness import BotHarness
from tests.taps import Actions, speaking


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_common_broadcast_takes_at_most_six_taps(
    bot: BotHarness, world: World, delivery: DeliveryWorker, language: str
) -> None:
    me = Actions(bot, await speaking(bot, world.coordinator, language), language)
    await me.send("/broadcast")
    await me.send("The bus leaves from the hotel.")
    await me.press("Choose the audience")
    await me.press("👥 Delegations")
    await me.press(ToggleGroup.matching(value=world.ids["zavodske"]))
    assert me.label("Preview") in str(bot.last_message(world.coordinator)["reply_markup"])
    await me.press("Preview")
    await me.press("Send now")
    assert (me.taps, me.typed) == (5, 2)
    rows = await outbox_rows(bot)
    assert {r.chat_id for r in rows.values()} == {u.id for u in world.zavodske}
    # The progress message's edits go through the outbox: let the last one ("✅ done") be made
    # before 🔄 Refresh edits the same message (two writers at once can show the same text; the
    # outbox's last edit is enqueued after the last message is recorded as sent).
    await eventually(lambda: "✅" in bot.last_message(world.coordinator)["text"])
    await bot.delivered()
    await me.press(ManageButton.matching(action=ManageAction.SHOW))  # 🔄 Refresh
    await me.send("/broadcasts")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_scheduling_a_broadcast_says_what_happens_next(
    bot: BotHarness, world: World, language: str
) -> None:
    me = Actions(bot, await speaking(bot, world.coordinator, language), language)
    await me.send("/broadcast")
    await me.send("The bus leaves from the hotel.")
    await me.press("Preview")
    await me.press("Schedule")
    await me.send("2023-10-10 09:00")
    await me.press("Confirm")
    rows = (await outbox_rows(bot)).values()
    assert rows and all(r.status == "pending" for r in rows)  # they wait for their time


async def test_preview_is_one_tap_from_every_step(bot: BotHarness, world: World) -> None:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    await bot.send(me, "Hello")
    assert "Preview" in str(bot.last_message(me)["reply_markup"])  # the languages
    await bot.press(me, "Choose the audience")
    assert "Preview" in str(bot.last_message(me)["reply_markup"])  # the audience
    await bot.press(me, "Roles")
    assert "Preview" in str(bot.last_message(me)["reply_markup"])  # a dimension's choices
