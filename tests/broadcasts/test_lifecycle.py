"""After composing: scheduled sending, progress and report, acks and reminders, cancelling, CSV,
audience counts, and the command line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.broadcasts.audience import EVERYTHING, Audience, host_scope, resolve
from bot.broadcasts.following import PROGRESS_KIND
from bot.callbacks.base import CallbackData
from bot.callbacks.broadcasts import (
    Acknowledge,
    DraftAction,
    DraftButton,
    GroupDimension,
    ManageAction,
    ManageButton,
    ToggleGroup,
    ToggleLanguage,
    ToggleRole,
)
from bot.callbacks.menu import Language
from bot.cli.broadcasts import FileError, broadcast_file, markdown_to_html, read_file
from bot.db.models import Broadcast, OutboxMessage
from bot.db.models.outbox import FINAL_STATUSES
from bot.delivery.worker import DeliveryWorker
from bot.people.access import Role
from bot.transport.local_api import ApiError
from bot.transport.updates import SimUser
from tests.broadcasts.conftest import World, eventually
from tests.broadcasts.test_composing import draft_of, outbox_rows
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts


def delegation(delegation_id: int) -> Callable[[int], CallbackData]:
    return lambda draft_id: ToggleGroup(draft_id, GroupDimension.DELEGATIONS, delegation_id)


def role(value: Role) -> Callable[[int], CallbackData]:
    return lambda draft_id: ToggleRole(draft_id, value)


def language(value: Language) -> Callable[[int], CallbackData]:
    return lambda draft_id: ToggleLanguage(draft_id, value)


async def compose(
    bot: BotHarness,
    me: SimUser,
    text: str,
    *toggles: Callable[[int], CallbackData],
    ack: bool = False,
    at: str | None = None,
) -> Broadcast:
    """Write ``text``, tick ``toggles`` (each: the tick button of a draft id), preview, send or
    schedule."""
    await bot.send(me, "/broadcast")
    await bot.send(me, text)
    draft = await draft_of(bot, me)
    await bot.press_data(me, DraftButton(DraftAction.AUDIENCE, draft.id).pack())
    for toggle in toggles:
        await bot.press_data(me, toggle(draft.id).pack())
    await bot.press_data(me, DraftButton(DraftAction.PREVIEW, draft.id).pack())
    if ack:
        await bot.press(me, "Ask for read confirmation")
    if at is None:
        await bot.press(me, "Send now")
    else:
        await bot.press(me, "Schedule")
        await bot.send(me, at)
        await bot.press(me, "Confirm")
    return await draft_of(bot, me)


async def statuses(bot: BotHarness) -> list[str]:
    return sorted(r.status for r in (await outbox_rows(bot)).values())


async def test_audience_counts(bot: BotHarness, world: World) -> None:
    ids = world.ids
    async with bot.db.session() as s:

        async def count(scope=EVERYTHING, **picked: frozenset) -> int:  # type: ignore[no-untyped-def]
            return len(await resolve(s, Audience(**picked), [COORDINATOR_ID], scope))

        assert await count() == 7
        assert await count(roles=frozenset({"mentee"})) == 4
        assert await count(roles=frozenset({"coordinator"})) == 1  # from the settings
        assert await count(languages=frozenset({"uk"})) == 3
        assert await count(visits=frozenset({ids["v-idrija"]})) == 4  # 3 mentees + the host
        assert (
            await count(
                delegations=frozenset({ids["zavodske"], ids["bucha"]}), languages=frozenset({"uk"})
            )
            == 3
        )
        assert await count(municipalities=frozenset({ids["zavodske-town"]})) == 3
        assert await count(municipalities=frozenset({ids["idrija"]})) == 1
        host = await host_scope(s, ids["idrija"])
        assert await count(host) == 3
        assert await count(host, visits=frozenset({ids["v-idrija"]})) == 3  # not the hosts


async def test_scheduled_send_waits_for_its_time(
    bot: BotHarness, world: World, delivery: DeliveryWorker
) -> None:
    me = world.coordinator
    sent = await compose(
        bot, me, "Visit to the fire brigade", delegation(world.ids["bucha"]), at="2023-10-09 09:30"
    )
    assert "scheduled" in texts(await bot.send(me, "/broadcasts"))
    rows = list((await outbox_rows(bot)).values())
    expected = [(f"broadcast:{world.bucha.id}:b{sent.id}", "pending")]
    assert [(r.key, r.status) for r in rows] == expected
    assert rows[0].due_at == sent.send_at
    bot.clock.advance(hours=1, minutes=31)
    delivery.notify()

    async def done() -> bool:
        return await statuses(bot) == ["sent"]

    await eventually(done)
    assert bot.last_message(world.bucha)["text"] == "Visit to the fire brigade"


async def test_acks_renotify_and_csv(
    bot: BotHarness, world: World, delivery: DeliveryWorker
) -> None:
    me = world.coordinator
    z1, z2, z3 = world.zavodske
    blocked = ApiError(403, "Forbidden: bot was blocked by the user")
    bot.api.fault = lambda method, p: (  # z3 has blocked the bot
        blocked if method == "sendMessage" and int(p["chat_id"]) == z3.id else None
    )
    # The delivery worker meets z3's refusal while the author's last tap is still being handled.
    with bot.tolerating():
        sent = await compose(
            bot, me, "Please read the safety rules", delegation(world.ids["zavodske"]), ack=True
        )

        async def finished() -> bool:
            return await statuses(bot) == ["sent", "sent", "unreachable"]

        await eventually(finished)
        # The progress message's edits go through the outbox: let them finish before the
        # author's buttons edit the same message (two writers at once could show the same text).
        await bot.delivered()
    # z1 confirms; a stranger's press is not counted.
    calls = await bot.press(z1, "Прочитано")
    answer = next(c for c in calls if c.method == "answerCallbackQuery")
    assert "Дякуємо" in answer.params["text"]
    assert "reply_markup" not in bot.last_message(z1)  # the button is gone
    calls = await bot.press_data(world.bucha, Acknowledge(sent.id).pack(), bot.last_message(z1))
    assert (
        "для тих, хто отримав"
        in next(c for c in calls if c.method == "answerCallbackQuery").params["text"]
    )
    await bot.press_data(me, ManageButton(ManageAction.SHOW, sent.id).pack())
    assert "Confirmed as read: 1 of 3" in bot.last_message(me)["text"]
    # Remind those who got it and have not confirmed: z2 only.
    assert "Reminder sent to 1 person" in texts(
        await bot.press_data(me, ManageButton(ManageAction.RENOTIFY, sent.id).pack())
    )

    async def reminded() -> bool:
        rows = await outbox_rows(bot)
        row = rows.get(f"broadcast:{z2.id}:b{sent.id}:n1")
        return row is not None and row.status == "sent"

    await eventually(reminded)
    await bot.delivered()  # and the progress edit that follows the reminder
    assert bot.last_message(z2)["text"].startswith("🔔 Нагадування")
    assert len(await outbox_rows(bot)) == 4
    # The CSV matches the figures.
    calls = await bot.press_data(me, ManageButton(ManageAction.EXPORT, sent.id).pack())
    document = next(c for c in calls if c.method == "sendDocument")
    _name, data = next(iter(document.files.values()))
    lines = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_id = {int(line["telegram_id"]): line for line in lines}
    assert set(by_id) == {z1.id, z2.id, z3.id}
    assert [by_id[u.id]["status"] for u in (z1, z2, z3)] == ["sent", "sent", "unreachable"]
    assert by_id[z1.id]["read_at"] and not by_id[z2.id]["read_at"]
    assert by_id[z2.id]["reminders"] == "1" and by_id[z1.id]["reminders"] == "0"
    assert "blocked" in by_id[z3.id]["error"]
    assert by_id[z1.id]["language"] == "uk" and by_id[z3.id]["language"] == "en"


async def test_cancel_a_scheduled_broadcast(
    bot: BotHarness, world: World, delivery: DeliveryWorker
) -> None:
    me = world.coordinator
    sent = await compose(bot, me, "Dinner moved", role(Role.MENTEE), at="tomorrow 18:00")
    # A host cannot cancel the coordinator's broadcast, even with a forged button.
    assert "not available to you" in texts(
        await bot.press_data(world.host_idrija, ManageButton(ManageAction.STOP, sent.id).pack())
    )
    assert "4 messages will not be sent" in texts(
        await bot.press_data(me, ManageButton(ManageAction.STOP, sent.id).pack())
    )
    assert await statuses(bot) == ["cancelled"] * 4
    bot.clock.advance(days=2)
    delivery.notify()
    assert "cancelled" in texts(await bot.send(me, "/broadcasts"))
    async with bot.db.session() as s:
        stored = await s.get(Broadcast, sent.id)
        assert stored is not None and stored.status == "cancelled"


async def test_progress_message_becomes_the_report(
    bot: BotHarness, world: World, delivery: DeliveryWorker
) -> None:
    me = world.coordinator
    sent = await compose(bot, me, "Welcome to Slovenia!", language(Language.UK))

    def reported() -> bool:
        message = bot.api.messages.get((me.id, sent.progress_message_id or 0))
        return message is not None and "done" in message["text"]

    await eventually(reported)
    message = bot.api.messages[(me.id, sent.progress_message_id or 0)]
    assert "Sent 3 · waiting 0 · failed 0 · unreachable 0 (of 3)" in message["text"]
    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert any("Report (CSV)" in label for label in labels)

    # The edits went through the outbox, none of them refused (no edit to identical content),
    # and none of them counts as a message of the broadcast.
    async def progress_edits() -> list[OutboxMessage]:
        async with bot.db.session() as s:
            query = select(OutboxMessage).where(OutboxMessage.kind == PROGRESS_KIND)
            return list((await s.scalars(query)).all())

    async def edits_recorded() -> bool:  # the last edit is shown before its outcome is written
        return {e.status for e in await progress_edits()} == {"sent"}

    await eventually(edits_recorded)
    edits = await progress_edits()
    assert {(e.chat_id, e.subject, e.broadcast_id) for e in edits} == {(me.id, f"b{sent.id}", None)}
    assert len({e.payload["text"] for e in edits}) == len(edits)
    refused = [c for c in bot.api.calls if c.method == "editMessageText" and c.error is not None]
    assert refused == []


async def test_hosts_see_only_their_own_broadcasts(bot: BotHarness, world: World) -> None:
    await compose(bot, world.coordinator, "From the office", role(Role.HOST))
    await compose(bot, world.host_idrija, "From Idrija")

    async def delivered() -> bool:  # else a delivery may land inside the list's update
        return set(await statuses(bot)) <= set(FINAL_STATUSES)

    await eventually(delivered)
    shown = texts(await bot.send(world.host_idrija, "/broadcasts"))
    assert "From Idrija" in shown and "From the office" not in shown
    shown = texts(await bot.send(world.coordinator, "/broadcasts"))
    assert "From Idrija" in shown and "From the office" in shown


# ------------------------------------------------------------------------------ command line


def test_file_formats(tmp_path: Path) -> None:
    yaml_file = tmp_path / "a.yaml"
    yaml_file.write_text("uk: Автобус о <b>8:00</b>\nen: Bus at <b>8:00</b>\nack: true\n")
    assert read_file(yaml_file) == (
        {"uk": "Автобус о <b>8:00</b>", "en": "Bus at <b>8:00</b>"},
        {"ack": True},
    )
    md = tmp_path / "a.md"
    md.write_text("Bus at **8:00** & lunch\n[sl]\nAvtobus ob _8.00_, [zemljevid](https://x.si/m)\n")
    texts_, _options = read_file(md)
    assert texts_ == {
        "en": "Bus at <b>8:00</b> &amp; lunch",
        "sl": 'Avtobus ob <i>8.00</i>, <a href="https://x.si/m">zemljevid</a>',
    }
    assert markdown_to_html("a < b") == "a &lt; b"
    bad = tmp_path / "b.yaml"
    bad.write_text("de: Hallo\n")
    with pytest.raises(FileError):
        read_file(bad)


async def test_cli_enqueues_for_the_audience(bot: BotHarness, world: World, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("[en]\nThe bus is **late**.\n[uk]\nАвтобус **запізнюється**.\n")
    line = await broadcast_file(
        bot.db,
        bot.settings,
        path,
        "delegation=zavodske;role=mentee",
        clock=bot.clock,
        dry_run=True,
    )
    assert line == "would go to 3 people (en 1, uk 2), now"
    assert await outbox_rows(bot) == {}
    line = await broadcast_file(
        bot.db,
        bot.settings,
        path,
        "delegation=zavodske",
        clock=bot.clock,
        at="2023-10-09 12:00",
    )
    assert line.endswith("goes to 3 people (en 1, uk 2), at 2023-10-09 12:00")
    rows = await outbox_rows(bot)
    z1 = world.zavodske[0]
    key = next(k for k in rows if k.startswith(f"broadcast:{z1.id}:"))
    assert rows[key].payload["text"] == "Автобус <b>запізнюється</b>."
    with pytest.raises(FileError):
        await broadcast_file(bot.db, bot.settings, path, "delegation=nowhere", clock=bot.clock)
    with pytest.raises(FileError):
        await broadcast_file(
            bot.db, bot.settings, path, "everyone", clock=bot.clock, at="2023-10-09 07:00"
        )
    async with bot.db.session() as s:
        assert len((await s.execute(select(OutboxMessage))).all()) == 3
