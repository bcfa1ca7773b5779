"""Announcements and the quiet hours (22:00-07:00 programme time): what the author is told.

A broadcast sent in the quiet hours waits for their end ("Send at 07:00") unless the author
sends it "now anyway" (urgent); a time typed into them is moved to their end; "Remind the
others" waits too. Each confirmation says how many people it goes to, and whether now or until
when it waits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.callbacks.broadcasts import DraftAction, DraftButton, ManageAction, ManageButton
from bot.cli.broadcasts import broadcast_file
from bot.delivery.worker import DeliveryWorker
from tests.broadcasts.conftest import World, eventually
from tests.broadcasts.test_composing import draft_of, outbox_rows
from tests.broadcasts.test_lifecycle import compose, delegation, statuses
from tests.harness import BotHarness, texts

TZ = ZoneInfo("Europe/Ljubljana")  # no programme row: BOT_TIMEZONE's default governs
NIGHT = datetime(2023, 10, 9, 23, 30, tzinfo=TZ)
MORNING = datetime(2023, 10, 10, 7, 0, tzinfo=TZ)


async def _to_preview(bot: BotHarness, world: World, text: str) -> str:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    await bot.send(me, text)
    draft = await draft_of(bot, me)
    await bot.press_data(me, DraftButton(DraftAction.AUDIENCE, draft.id).pack())
    await bot.press_data(me, delegation(world.ids["zavodske"])(draft.id).pack())
    return texts(await bot.press_data(me, DraftButton(DraftAction.PREVIEW, draft.id).pack()))


async def _due_times(bot: BotHarness) -> set[datetime]:
    return {r.due_at.replace(tzinfo=UTC) for r in (await outbox_rows(bot)).values()}


async def test_in_the_daytime_the_confirmation_says_it_goes_now(
    bot: BotHarness, world: World
) -> None:
    shown = await _to_preview(bot, world, "Lunch is at one.")
    assert "Quiet hours" not in shown
    labels = [
        b["text"]
        for row in bot.last_message(world.coordinator)["reply_markup"]["inline_keyboard"]
        for b in row
    ]
    assert "📨 Send now" in labels and not any("anyway" in label for label in labels)
    confirmed = texts(await bot.press(world.coordinator, "Send now"))
    assert "The announcement goes to 3 people now." in confirmed
    assert await _due_times(bot) == {bot.clock.now()}


async def test_sent_in_the_quiet_hours_it_waits_and_the_author_is_told_until_when(
    bot: BotHarness, world: World
) -> None:
    bot.clock.set(NIGHT)
    shown = await _to_preview(bot, world, "The bus leaves at nine.")
    assert "Quiet hours last until 10 Oct 2023, 07:00" in shown
    bot.find_button(world.coordinator, "⚡ Send now anyway")  # offered only now
    confirmed = texts(await bot.press(world.coordinator, "Send at 07:00"))
    assert (
        "Quiet hours: the announcement waits until 10 Oct 2023, 07:00, then goes to 3 people."
        in confirmed
    )
    assert "goes to 3 people now" not in confirmed
    assert await _due_times(bot) == {MORNING.astimezone(UTC)}
    listed = texts(await bot.send(world.coordinator, "/broadcasts"))
    assert "scheduled" in listed and "Sending time: 10 Oct 2023, 07:00" in listed


async def test_send_now_anyway_goes_in_the_quiet_hours(bot: BotHarness, world: World) -> None:
    bot.clock.set(NIGHT)
    await _to_preview(bot, world, "The hotel's water is off until noon.")
    confirmed = texts(await bot.press(world.coordinator, "Send now anyway"))
    assert "The announcement goes to 3 people now." in confirmed
    assert await _due_times(bot) == {NIGHT.astimezone(UTC)}


async def test_a_time_typed_into_the_quiet_hours_is_moved_to_their_end(
    bot: BotHarness, world: World
) -> None:
    bot.clock.set(datetime(2023, 10, 9, 21, 0, tzinfo=TZ))
    await _to_preview(bot, world, "Good night.")
    await bot.press(world.coordinator, "Schedule")
    asked = texts(await bot.send(world.coordinator, "23:00"))
    assert "Send the announcement to 3 people on 9 Oct 2023, 23:00?" in asked
    assert "That is in the quiet hours: it will wait until 10 Oct 2023, 07:00." in asked
    confirmed = texts(await bot.press(world.coordinator, "Confirm"))
    assert "waits until 10 Oct 2023, 07:00, then goes to 3 people" in confirmed
    assert await _due_times(bot) == {MORNING.astimezone(UTC)}


async def test_remind_the_others_waits_for_the_morning(
    bot: BotHarness, world: World, delivery: DeliveryWorker
) -> None:
    me = world.coordinator
    sent = await compose(
        bot, me, "Please read the rules", delegation(world.ids["zavodske"]), ack=True
    )

    async def delivered() -> bool:
        return await statuses(bot) == ["sent"] * 3

    await eventually(delivered)
    await bot.delivered()  # the progress message's last edit too (it goes through the outbox)
    bot.clock.set(NIGHT)
    shown = texts(await bot.press_data(me, ManageButton(ManageAction.RENOTIFY, sent.id).pack()))
    assert "Quiet hours: the reminder waits until 10 Oct 2023, 07:00, then goes to 3 people." in (
        shown
    )
    reminders = [r for k, r in (await outbox_rows(bot)).items() if k.endswith(":n1")]
    assert len(reminders) == 3
    assert {r.due_at.replace(tzinfo=UTC) for r in reminders} == {MORNING.astimezone(UTC)}
    assert {r.status for r in reminders} == {"pending"}


async def test_the_command_line_says_when_it_goes(
    bot: BotHarness, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("Breakfast is at eight.", encoding="utf-8")
    bot.clock.set(NIGHT)
    line = await broadcast_file(bot.db, bot.settings, path, "role=mentee", clock=bot.clock)
    assert line.endswith("at 2023-10-10 07:00 (the end of the quiet hours; --urgent sends in them)")
    assert await _due_times(bot) == {MORNING.astimezone(UTC)}
    urgent = await broadcast_file(
        bot.db, bot.settings, path, "role=mentee", clock=bot.clock, urgent=True
    )
    assert urgent.endswith(", now")
    assert await _due_times(bot) == {MORNING.astimezone(UTC), NIGHT.astimezone(UTC)}
