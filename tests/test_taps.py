"""Tap budget of inviting a person: /invite to a link and QR code."""

from __future__ import annotations

from tests.harness import BotHarness, texts
from tests.people.test_admin import _coordinator, _structure
from tests.taps import Actions


async def test_inviting_one_person_takes_three_taps(bot: BotHarness) -> None:
    await _structure(bot)
    me = Actions(bot, await _coordinator(bot))
    await me.send("/invite")
    await me.press("One person")
    await me.press("Iryna Koval")
    shown = texts(await me.press("7 days"))
    assert "https://t.me/" in shown
    assert (me.taps, me.typed) == (3, 1)
