"""Composing a broadcast in the bot, as a coordinator and as a host, with every refusal."""

from __future__ import annotations

from sqlalchemy import select

from bot.broadcasts.following import PROGRESS_KIND
from bot.callbacks.broadcasts import (
    DraftAction,
    DraftButton,
    GroupDimension,
    ToggleGroup,
    ToggleLanguage,
    ToggleRole,
)
from bot.callbacks.menu import Language
from bot.db.models import AuditEntry, Broadcast, OutboxMessage
from bot.delivery.worker import DeliveryWorker
from bot.people.access import Role
from bot.transport.updates import SimUser
from tests.broadcasts.conftest import World, eventually
from tests.harness import STICKER, BotHarness, texts
from tests.taps import Actions


def bold(text: str, word: str) -> dict[str, object]:
    """A text message with ``word`` in bold, as Telegram sends it (entities)."""
    return {
        "text": text,
        "entities": [{"type": "bold", "offset": text.index(word), "length": len(word)}],
    }


async def draft_of(bot: BotHarness, user: SimUser) -> Broadcast:
    async with bot.db.session() as s:
        found = (
            (
                await s.execute(
                    select(Broadcast)
                    .where(Broadcast.author_id == user.id)
                    .order_by(Broadcast.id.desc())
                )
            )
            .scalars()
            .first()
        )
    assert found is not None
    return found


async def outbox_rows(bot: BotHarness) -> dict[str, OutboxMessage]:
    """The outbox's messages to people (not the edits of the author's progress message)."""
    messages = select(OutboxMessage).where(OutboxMessage.kind != PROGRESS_KIND)
    async with bot.db.session() as s:
        return {r.key: r for r in (await s.execute(messages)).scalars()}


async def test_coordinator_composes_previews_and_sends(
    bot: BotHarness, world: World, delivery: DeliveryWorker
) -> None:
    me = world.coordinator
    assert "New announcement" in texts(await bot.send(me, "/broadcast"))
    calls = await bot.send_content(me, bold("The bus leaves at 8:00 sharp.", "8:00"))
    shown = texts(calls)
    assert "English: ✓" in shown
    assert "Ukrainian: missing; readers get the text in English" in shown
    await bot.press(me, "Slovenian")
    shown = texts(await bot.send_content(me, bold("Avtobus odpelje ob 8.00.", "8.00")))
    assert "Slovenian: ✓" in shown
    shown = texts(await bot.press(me, "Choose the audience"))
    assert (
        "Who gets it: everyone" in shown and "The announcement will reach 7 people" in shown
    )  # 4 mentees, 2 hosts, 1 coord.
    await bot.press(me, "Delegations")
    await bot.press(me, "Zavodske")
    shown = texts(await bot.press(me, "Audience"))
    assert "Zavodske" in shown and "The announcement will reach 3 people" in shown
    calls = await bot.press(me, "Preview")
    shown = texts(calls)
    assert "Preview: English</b> — 1 person will" in shown
    assert "Preview: Ukrainian</b> — 2 people will" in shown
    assert "No text in Ukrainian: they get the text in English" in shown
    previews = [
        c
        for c in calls
        if c.method == "sendMessage"
        and "8:00" in str(c.params["text"])
        and "Preview" not in str(c.params["text"])
    ]
    assert [c.params["text"] for c in previews] == ["The bus leaves at <b>8:00</b> sharp."] * 2
    await bot.press(me, "Ask for read confirmation")
    assert "Announcement #" in texts(await bot.press(me, "Send now"))  # the preview confirmed it
    draft = await draft_of(bot, me)
    assert draft.status == "confirmed"

    async def delivered() -> bool:
        rows = await outbox_rows(bot)
        return len(rows) == 3 and all(r.status == "sent" for r in rows.values())

    await eventually(delivered)
    rows = await outbox_rows(bot)
    z1 = world.zavodske[0]
    assert set(rows) == {f"broadcast:{u.id}:b{draft.id}" for u in world.zavodske}
    assert rows[f"broadcast:{z1.id}:b{draft.id}"].payload["text"] == (
        "The bus leaves at <b>8:00</b> sharp."
    )
    got = bot.last_message(z1)
    assert got["text"] == "The bus leaves at 8:00 sharp."
    assert "Прочитано" in got["reply_markup"]["inline_keyboard"][0][0]["text"]
    async with bot.db.session() as session:
        trail = (await session.execute(select(AuditEntry.action, AuditEntry.actor_id))).all()
    assert (("broadcast.send", me.id)) in trail
    await eventually(
        lambda: (
            "Sent 3 · waiting 0"
            in bot.api.messages[(me.id, draft.progress_message_id or 0)]["text"]
            if draft.progress_message_id
            else False
        )
    )


async def test_draft_survives_a_restart(bot: BotHarness, world: World) -> None:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    await bot.send(me, "Meeting moved to 10:00")
    await bot.press(me, "Choose the audience")
    # A new process: nothing in memory, the draft and its step are in the database.
    calls = await bot.send(me, "/broadcast")
    assert "The announcement will reach 7 people" in texts(calls)


async def test_host_reaches_only_their_delegation(bot: BotHarness, world: World) -> None:
    host = world.host_idrija
    await bot.send(host, "/broadcast")
    await bot.send(host, "Lunch is at the town hall.")
    shown = texts(await bot.press(host, "Choose the audience"))
    assert (
        "The announcement will reach 3 people" in shown and "only the delegations visiting" in shown
    )
    calls = await bot.press(host, "Delegations")
    labels = [b["text"] for b in calls[-1].buttons]
    assert any("Zavodske" in label for label in labels)
    assert not any("Bucha" in label for label in labels)
    draft = await draft_of(bot, host)
    forged = ToggleGroup(draft.id, GroupDimension.DELEGATIONS, world.ids["bucha"]).pack()
    says = Actions(bot, host).look  # each refusal says what to do instead (tests/taps.py)
    assert "only to the delegations visiting your municipality" in texts(
        says(await bot.press_data(host, forged))
    )
    forged_town = ToggleGroup(
        draft.id, GroupDimension.MUNICIPALITIES, world.ids["zavodske-town"]
    ).pack()
    assert "only to the delegations" in texts(says(await bot.press_data(host, forged_town)))
    await bot.press_data(host, DraftButton(DraftAction.PREVIEW, draft.id).pack())
    await bot.press(host, "Send now")
    rows = await outbox_rows(bot)
    assert {r.chat_id for r in rows.values()} == {u.id for u in world.zavodske}


async def test_refusals(bot: BotHarness, world: World) -> None:
    mentee = world.zavodske[0]
    staff_only = "лише для приймаючої сторони та координаторів"
    assert staff_only in texts(await bot.send(mentee, "/broadcast"))
    me = world.coordinator
    says = Actions(bot, me).look  # each refusal says what to do instead (tests/taps.py)
    await bot.send(me, "/broadcast")
    draft = await draft_of(bot, me)
    # A mentee pressing (or forging) a button of the coordinator's draft.
    assert staff_only in texts(
        await bot.press_data(mentee, DraftButton(DraftAction.PREVIEW, draft.id).pack())
    )
    # Another staff member pressing it: not theirs.
    other = DraftButton(DraftAction.AUDIENCE, draft.id).pack()
    shown = Actions(bot, world.host_idrija).look(await bot.press_data(world.host_idrija, other))
    assert "not available to you" in texts(shown)
    # An empty message (a sticker), then an over-long text.
    assert "message is empty" in texts(says(await bot.send_content(me, STICKER)))
    calls = says(await bot.send(me, "x" * 4097))
    assert "4097 characters" in texts(calls) and "at most 4096" in texts(calls)
    assert not (await draft_of(bot, me)).texts
    # A photo with a caption, then a version over the caption limit.
    photo = {
        "photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 9, "height": 9}],
        "caption": "Map of the route",
    }
    assert "With a photo" in texts(await bot.send_content(me, photo))
    await bot.press(me, "Slovenian")
    calls = says(await bot.send(me, "y" * 1025))
    assert "with a photo or document Telegram allows at most 1024" in texts(calls)
    # An audience of nobody: Slovenian-reading mentees do not exist.
    await bot.press_data(me, DraftButton(DraftAction.AUDIENCE, draft.id).pack())
    await bot.press_data(me, ToggleRole(draft.id, Role.MENTEE).pack())
    await bot.press_data(me, ToggleLanguage(draft.id, Language.SL).pack())
    assert "reaches nobody" in texts(
        says(await bot.press_data(me, DraftButton(DraftAction.PREVIEW, draft.id).pack()))
    )
    await bot.press_data(me, ToggleLanguage(draft.id, Language.SL).pack())
    # A time in the past, a time not understood, then a good one.
    await bot.press_data(me, DraftButton(DraftAction.PREVIEW, draft.id).pack())
    await bot.press(me, "Schedule")
    assert "already passed" in texts(says(await bot.send(me, "2023-10-09 07:00")))  # now 08:00
    assert "did not understand" in texts(says(await bot.send(me, "soon")))
    assert "to 4 people on 10 Oct 2023, 08:00?" in texts(await bot.send(me, "tomorrow 08:00"))
    # Old buttons of a sent broadcast are refused as a draft.
    await bot.press(me, "Confirm")
    assert "already been sent" in texts(
        says(await bot.press_data(me, DraftButton(DraftAction.PREVIEW, draft.id).pack()))
    )


async def test_the_languages_step_goes_back_to_the_text(bot: BotHarness, world: World) -> None:
    me = world.coordinator
    await bot.send(me, "/broadcast")
    await bot.send(me, "Lunch at one.")
    back = await bot.press(me, "Back")  # from the languages to the text step
    assert "Send the text of the announcement" in texts(back)
    again = await bot.press(me, "Languages")  # and forward again, the text kept
    assert "English: ✓" in texts(again)
    await bot.press(me, "Back")
    shown = texts(await bot.send(me, "Lunch at two."))  # a new text replaces it
    assert "English: ✓" in shown
    draft = await draft_of(bot, me)
    assert draft.texts == {"en": "Lunch at two."}
