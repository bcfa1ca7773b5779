"""The steps of composing an announcement: an enum with a table of which step may follow which,
checked by the service (a stale or forged press cannot skip the preview or revive a sent one)."""

from __future__ import annotations

import pytest

from bot.broadcasts import drafts
from bot.broadcasts.drafts import NEXT_STEPS, DraftStep, IllegalStep
from bot.callbacks.broadcasts import (
    DraftAction,
    DraftButton,
    DraftVersion,
    ToggleLanguage,
    ToggleRole,
)
from bot.callbacks.menu import Language
from bot.db.models import Account, Broadcast
from bot.infra.freshness import person_changed
from bot.people import access
from bot.people.access import Role
from bot.people.awaiting import DraftInput, DraftReply, DraftVersionReply
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


async def awaiting_of(bot: BotHarness, user_id: int) -> str | None:
    async with bot.db.session() as s:
        account = await s.get(Account, user_id)
        assert account is not None
        return account.awaiting


async def test_a_time_for_a_draft_not_at_its_preview_changes_nothing(
    bot: BotHarness, world: World
) -> None:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    await bot.send(me, "The bus leaves at 8:00.")
    draft = await draft_of(bot, me)
    assert draft.step == DraftStep.VERSIONS
    # A stale expectation of a send time (say, from another process): the draft cannot take it.
    async with bot.db.session() as s:
        await access.set_awaiting(s, me.id, DraftReply(DraftInput.TIME, draft.id))
    calls = await bot.send(me, "tomorrow 08:00")
    assert "Send the announcement" not in texts(calls)
    again = await draft_of(bot, me)
    assert (again.step, again.send_at) == (DraftStep.VERSIONS, None)
    assert await awaiting_of(bot, me.id) is None  # the next message is a message again


async def test_someone_elses_draft_is_neither_shown_nor_changed(
    bot: BotHarness, world: World
) -> None:
    me, host = world.coordinator, world.host_idrija
    await bot.send(me, "/broadcast")
    await bot.send(me, "The bus leaves at 8:00.")
    draft = await draft_of(bot, me)
    # The host's next message forged (or left over) as a version of the coordinator's draft.
    async with bot.db.session() as s:
        await access.set_awaiting(s, host.id, DraftVersionReply(draft.id, Language.SL))
    assert "not available to you" in texts(await bot.send(host, "Avtobus ob 8.00."))
    assert await awaiting_of(bot, host.id) is None
    # Their presses on its buttons: every kind refused, nothing of the draft shown.
    for data in (
        DraftButton(DraftAction.PREVIEW, draft.id),
        DraftButton(DraftAction.DISCARD, draft.id),
        DraftButton(DraftAction.ASK_ACK, draft.id),
        ToggleLanguage(draft.id, Language.UK),
        DraftVersion(draft.id, Language.SL),
    ):
        shown = texts(await bot.press_data(host, data.pack()))
        assert "not available to you" in shown and "8:00" not in shown
    after = await draft_of(bot, me)
    assert (after.status, after.step, after.texts) == (
        "draft",
        DraftStep.VERSIONS,
        {"en": "The bus leaves at 8:00."},
    )
    assert (after.audience, after.ask_ack) == (draft.audience, draft.ask_ack)
    assert await awaiting_of(bot, host.id) is None
    assert await outbox_rows(bot) == {}


async def test_a_preview_of_nobody_goes_back_to_the_audience(bot: BotHarness, world: World) -> None:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    await bot.send(me, "The bus leaves at 8:00.")
    draft = await draft_of(bot, me)
    await bot.press_data(me, DraftButton(DraftAction.AUDIENCE, draft.id).pack())
    await bot.press_data(me, ToggleRole(draft.id, Role.MENTEE).pack())
    await bot.press_data(me, ToggleLanguage(draft.id, Language.SL).pack())
    shown = texts(await bot.press_data(me, DraftButton(DraftAction.PREVIEW, draft.id).pack()))
    assert "reaches nobody" in shown and "Audience" in shown and "Preview:" not in shown
    # /broadcast resumes there, and says so again.
    shown = texts(await bot.send(me, "/broadcast"))
    assert "reaches nobody" in shown and "Preview:" not in shown


async def test_a_stored_expectation_that_does_not_parse_is_none(
    bot: BotHarness, world: World
) -> None:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    draft = await draft_of(bot, me)
    # Stored as an earlier version wrote it: still the text of the draft.
    await stored_awaiting(bot, me.id, f"bc:text:{draft.id}")
    assert "English: ✓" in texts(await bot.send(me, "Lunch at one."))
    # Out of range, or of no kind: the message is an ordinary message, and nothing breaks.
    for stored in ("bc:text:99999999999", "bc:v:1:ru", "area:step:id"):
        await stored_awaiting(bot, me.id, stored)
        await bot.send(me, "Lunch at two.")
        assert (await draft_of(bot, me)).texts == {"en": "Lunch at one."}


async def stored_awaiting(bot: BotHarness, user_id: int, stored: str) -> None:
    """Write the column directly (as an older version, or a broken row, left it)."""
    async with bot.db.session() as s:
        account = await s.get(Account, user_id)
        assert account is not None
        account.awaiting = stored
        await s.flush()
        await person_changed(s, user_id)
