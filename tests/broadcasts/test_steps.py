"""The steps of composing an announcement: an enum with a table of which step may follow which,
checked by the service (a stale or forged press cannot skip the preview or revive a sent one)."""

from __future__ import annotations

import pytest

from bot.broadcasts import drafts
from bot.broadcasts.drafts import NEXT_STEPS, DraftStep, IllegalStep
from bot.callbacks.broadcasts import DraftAction, DraftButton
from bot.db.models import Broadcast
from tests.broadcasts.conftest import World
from tests.broadcasts.test_composing import draft_of, outbox_rows
from tests.harness import BotHarness, texts


def test_every_step_has_its_followers() -> None:
    assert set(NEXT_STEPS) == set(DraftStep)
    assert all(set(after) <= set(DraftStep) for after in NEXT_STEPS.values())
    assert NEXT_STEPS[DraftStep.SENT] == frozenset()  # the step sending sets, and nothing after


@pytest.mark.parametrize("start", list(DraftStep))
@pytest.mark.parametrize("step", list(DraftStep))
def test_move_follows_the_table(start: DraftStep, step: DraftStep) -> None:
    draft = Broadcast(id=1, step=start)
    if step in NEXT_STEPS[start]:
        drafts.move(draft, step)
        assert draft.step == step
    else:
        with pytest.raises(IllegalStep):
            drafts.move(draft, step)
        assert draft.step == start


def test_sending_needs_a_preview_first() -> None:
    legal = [DraftStep.TEXT, DraftStep.VERSIONS, DraftStep.PREVIEW, DraftStep.SENT]
    draft = Broadcast(id=1, step=DraftStep.TEXT)
    for step in legal[1:]:
        drafts.move(draft, step)
    for early in (DraftStep.TEXT, DraftStep.VERSIONS, DraftStep.AUDIENCE):
        with pytest.raises(IllegalStep):
            drafts.move(Broadcast(id=2, step=early), DraftStep.SENT)


async def test_send_pressed_before_the_preview_sends_nothing(bot: BotHarness, world: World) -> None:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    await bot.send(me, "The bus leaves at 8:00.")
    draft = await draft_of(bot, me)
    assert draft.step == DraftStep.VERSIONS
    # A forged (or very old) "Send" of a draft that was never previewed: the service refuses it.
    calls = await bot.press_data(me, DraftButton(DraftAction.SEND, draft.id).pack())
    assert "sent" not in texts(calls).lower()
    assert await outbox_rows(bot) == {}
    again = await draft_of(bot, me)
    assert (again.status, again.step) == ("draft", DraftStep.VERSIONS)
