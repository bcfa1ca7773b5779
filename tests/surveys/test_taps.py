"""Tap budget of launching a survey: /survey opens the surveys to send, not the results; every
screen of launching, reading the results and closing says what happens next, in each language."""

from __future__ import annotations

import pytest

from bot.callbacks.surveys import ManageAction, Results, ResultsAction, SurveyManage
from bot.i18n import LANGUAGES
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts
from tests.surveys.world import build
from tests.taps import Actions


async def _coordinator(bot: BotHarness, language: str) -> Actions:
    await build(bot.db, bot.clock.now())
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code=language)
    await bot.onboard(coordinator, language)
    return Actions(bot, coordinator, language)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_launching_a_survey_takes_three_taps(bot: BotHarness, language: str) -> None:
    me = await _coordinator(bot, language)
    shown = texts(await me.send("/survey"))
    assert me.label("Responses: {finished} of {invited} invited ({rate})")[:8] not in shown
    await me.press(SurveyManage.matching(action=ManageAction.PICK_AUDIENCE))
    await me.press("All participants")
    shown = texts(await me.press("🚀 Send"))
    assert me.label("Invitations are on their way to {n} person.")[:10] in shown
    assert (me.taps, me.typed) == (3, 1)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_results_and_closing_say_what_happens_next(bot: BotHarness, language: str) -> None:
    me = await _coordinator(bot, language)
    await me.send("/results")
    await me.press(Results.matching(action=ResultsAction.SHOW))
    await me.press("⬅️ Back")
    await me.press("⭐ Session ratings")
    await me.press("⬅️ Back")
    await me.press(Results.matching(action=ResultsAction.SHOW))
    await me.press("🔒 Close the survey")
    shown = texts(await me.press("🔒 Close"))
    assert me.label("The survey is closed.") in shown
    await me.send("/results")
    await me.press(Results.matching(action=ResultsAction.SHOW))  # closed: its results


async def test_a_survey_nobody_was_invited_to_says_why_it_is_empty(bot: BotHarness) -> None:
    await build(bot.db, bot.clock.now())
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    await bot.send(coordinator, "/results")
    shown = texts(await bot.press(coordinator, "Honest feedback"))
    assert "0 of 0" not in shown and "Nobody has been invited yet" in shown
