"""Tap budget of launching a survey: /survey opens the surveys to send, not the results."""

from __future__ import annotations

from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts
from tests.surveys.world import build
from tests.taps import Actions


async def test_launching_a_survey_takes_three_taps(bot: BotHarness) -> None:
    await build(bot.db, bot.clock.now())
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    me = Actions(bot, coordinator)
    shown = texts(await me.send("/survey"))
    assert "Choose a survey to send it" in shown and "Responses:" not in shown
    shown = texts(await me.press("Honest feedback"))
    assert "Who should receive" in shown
    await me.press("All participants")
    shown = texts(await me.press("Send"))
    assert "Invitations are on their way" in shown
    assert (me.taps, me.typed) == (3, 1)


async def test_a_survey_nobody_was_invited_to_says_why_it_is_empty(bot: BotHarness) -> None:
    await build(bot.db, bot.clock.now())
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    await bot.send(coordinator, "/results")
    shown = texts(await bot.press(coordinator, "Honest feedback"))
    assert "0 of 0" not in shown and "Nobody has been invited yet" in shown
