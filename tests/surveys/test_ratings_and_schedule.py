"""Session ratings, and what the minute job puts in the outbox: invitations, at most two
reminders, rating prompts, never in quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.callbacks.surveys import (
    MoveAction,
    Rate,
    RatingComment,
    SurveyAction,
    SurveyButton,
    SurveyMove,
)
from bot.db.models import OutboxMessage, SessionRating, SurveyParticipation
from bot.jobs.surveys import tick
from bot.surveys.flow import MAX_TEXT
from tests.harness import BotHarness, texts
from tests.surveys.test_answering import answer_the_required
from tests.surveys.world import TZ, VISIT_END, build


async def outbox_keys(bot: BotHarness) -> dict[str, OutboxMessage]:
    async with bot.db.session() as s:
        return {m.key: m for m in (await s.execute(select(OutboxMessage))).scalars()}


async def mentee(bot: BotHarness, language: str = "en", n: int = 1):  # type: ignore[no-untyped-def]
    user = bot.new_user(language)
    await bot.onboard(user, language)
    await bot.register(user, f"mentee-{n}")
    return user


async def test_rating_prompt_after_the_session_then_rate_change_and_comment(
    bot: BotHarness,
) -> None:
    ids = await build(bot.db, bot.clock.now())
    user = await mentee(bot, "uk")
    host = bot.new_user("en")
    await bot.onboard(host, "en")
    await bot.register(host, "host-1")
    services = bot.app.bot_data["services"]
    bot.clock.set(datetime(2023, 10, 9, 8, 10, tzinfo=UTC))  # 10 min after the talk
    await tick(services)
    assert not [k for k in await outbox_keys(bot) if k.startswith("rating:")]
    bot.clock.advance(minutes=5)
    await tick(services)
    await tick(services)  # twice: still one prompt
    keys = [k for k in await outbox_keys(bot) if k.startswith("rating:")]
    assert keys == [f"rating:{user.id}:e{ids['talk']}"]  # the mentee only, not the host
    prompt = (await outbox_keys(bot))[keys[0]].payload
    assert "Цивільний захист" in prompt["text"] and "від 1 до 5" in prompt["text"]

    talk = ids["talk"]
    assert "4/5" in texts(await bot.press_data(user, Rate(talk, 4).pack()))
    assert "2/5" in texts(await bot.press_data(user, Rate(talk, 2).pack()))  # changed
    await bot.press_data(user, RatingComment(talk).pack())
    assert str(MAX_TEXT) in texts(await bot.send(user, "я" * 5000))
    assert "збережено" in texts(await bot.send(user, "Дуже змістовно"))
    async with bot.db.session() as s:
        [rating] = (await s.execute(select(SessionRating))).scalars().all()
    assert (rating.stars, rating.comment) == (2, "Дуже змістовно")
    # The dinner has ratings off, and nobody rates an event that was not for them.
    assert "не можна оцінити" in texts(await bot.press_data(user, Rate(ids["dinner"], 5).pack()))
    assert "cannot be rated" in texts(await bot.press_data(host, Rate(talk, 5).pack()))


async def test_survey_invitation_at_visit_end_and_at_most_two_reminders(bot: BotHarness) -> None:
    ids = await build(bot.db, bot.clock.now())
    first, second = await mentee(bot, "en", 1), await mentee(bot, "sl", 2)
    services = bot.app.bot_data["services"]
    sid = ids["post-visit"]
    bot.clock.set(VISIT_END + timedelta(minutes=59))
    await tick(services)
    assert not [k for k in await outbox_keys(bot) if k.startswith("survey:")]
    bot.clock.set(VISIT_END + timedelta(minutes=60))  # 17:00 in Ljubljana
    await tick(services)
    keys = await outbox_keys(bot)
    assert {f"survey:{first.id}:s{sid}:invite", f"survey:{second.id}:s{sid}:invite"} <= set(keys)
    assert "Po obisku" in keys[f"survey:{second.id}:s{sid}:invite"].payload["text"]

    # The first finishes; the second does not and gets two reminders, never a third.
    await answer_the_required(bot, first, sid)
    for data in (
        SurveyMove(MoveAction.SKIP, sid, 5),
        SurveyMove(MoveAction.SKIP, sid, 6),
        SurveyButton(SurveyAction.SUBMIT, sid),
    ):
        await bot.press_data(first, data.pack())
    for hours in (24, 48, 72, 96):
        bot.clock.set(VISIT_END + timedelta(minutes=60, hours=hours))
        await tick(services)
    reminders = {k: m for k, m in (await outbox_keys(bot)).items() if ":r" in k}
    assert set(reminders) == {f"survey:{second.id}:s{sid}:r1", f"survey:{second.id}:s{sid}:r2"}
    for message in reminders.values():  # invited at 17:00 + 24 h: not quiet, sent at once
        local = message.due_at.astimezone(TZ)
        assert 7 <= local.hour < 22
    async with bot.db.session() as s:
        parts = {p.telegram_id: p for p in (await s.execute(select(SurveyParticipation))).scalars()}
    assert parts[second.id].reminders_sent == 2 and parts[first.id].reminders_sent == 0


async def test_messages_due_at_night_wait_for_the_morning(bot: BotHarness) -> None:
    ids = await build(bot.db, bot.clock.now())
    user = await mentee(bot, "en")
    bot.clock.set(datetime(2023, 10, 13, 22, 30, tzinfo=UTC))  # 00:30 in Ljubljana
    await tick(bot.app.bot_data["services"])
    invite = (await outbox_keys(bot))[f"survey:{user.id}:s{ids['post-visit']}:invite"]
    local = invite.due_at.astimezone(TZ)
    assert (local.date().isoformat(), local.hour) == ("2023-10-14", 7)
