"""The steps of answering a survey (answering, reviewing, finished) and the table of which may
follow which: answers are sent only from the summary, and only once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.callbacks.surveys import (
    SurveyAction,
    SurveyButton,
)
from bot.db.models import SurveyParticipation
from bot.surveys.flow import NEXT_STEPS, SurveyStep, may_move, step_of
from tests.harness import BotHarness, texts
from tests.surveys.test_answering import answer_the_required, invited, stored_response


def test_every_step_has_its_followers() -> None:
    assert set(NEXT_STEPS) == set(SurveyStep)
    assert NEXT_STEPS[SurveyStep.FINISHED] == frozenset()
    assert SurveyStep.FINISHED not in NEXT_STEPS[SurveyStep.ANSWERING]


@pytest.mark.parametrize(
    ("reviewing", "finished", "step"),
    [
        (False, False, SurveyStep.ANSWERING),
        (True, False, SurveyStep.REVIEWING),
        (True, True, SurveyStep.FINISHED),
    ],
)
def test_the_step_is_read_from_the_participation(
    reviewing: bool, finished: bool, step: SurveyStep
) -> None:
    part = SurveyParticipation(reviewing=reviewing, finished=finished)
    assert step_of(part) is step
    assert [s for s in SurveyStep if may_move(part, s)] == sorted(
        NEXT_STEPS[step], key=list(SurveyStep).index
    )


async def test_send_before_the_summary_shows_the_summary_and_stores_nothing(
    bot: BotHarness,
) -> None:
    user, ids = await invited(bot, "en")
    sid = ids["post-visit"]
    await answer_the_required(bot, user, sid)
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert step_of(part) is SurveyStep.ANSWERING
    # A forged (or very old) Send: the service does not skip the review; the summary comes.
    shown = texts(await bot.press_data(user, SurveyButton(SurveyAction.SUBMIT, sid).pack()))
    assert "Check them before sending" in shown and "Thank you" not in shown
    assert await stored_response(bot) == []
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert step_of(part) is SurveyStep.REVIEWING
    # From the summary, Send is the legal next step.
    done = texts(await bot.press_data(user, SurveyButton(SurveyAction.SUBMIT, sid).pack()))
    assert "Thank you" in done
    assert len(await stored_response(bot)) == 1
