"""The common broadcast — one text, the other languages falling back, one delegation, now — in
at most 6 taps from /broadcast to sent, with Preview reachable from every step."""

from __future__ import annotations

from bot.delivery.worker import DeliveryWorker
from tests.broadcasts.conftest import World
from tests.broadcasts.test_composing import outbox_rows
from tests.harness import BotHarness, texts
from tests.taps import Actions


async def test_the_common_broadcast_takes_at_most_six_taps(
    bot: BotHarness, world: World, delivery: DeliveryWorker
) -> None:
    me = Actions(bot, world.coordinator)
    await me.send("/broadcast")
    shown = texts(await me.send("The bus leaves at 8:00."))
    assert "Next:" in shown  # every screen says what comes next
    await me.press("Choose the audience")
    await me.press("Delegations")
    shown = texts(await me.press("Zavodske"))
    assert "Preview" in str(bot.last_message(world.coordinator)["reply_markup"])
    assert "Then back to the audience, or on to the preview." in shown
    await me.press("Preview")
    await me.press("Send now")
    assert (me.taps, me.typed) == (5, 2)
    rows = await outbox_rows(bot)
    assert {r.chat_id for r in rows.values()} == {u.id for u in world.zavodske}


async def test_preview_is_one_tap_from_every_step(bot: BotHarness, world: World) -> None:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    await bot.send(me, "Hello")
    assert "Preview" in str(bot.last_message(me)["reply_markup"])  # the languages
    await bot.press(me, "Choose the audience")
    assert "Preview" in str(bot.last_message(me)["reply_markup"])  # the audience
    await bot.press(me, "Roles")
    assert "Preview" in str(bot.last_message(me)["reply_markup"])  # a dimension's choices
