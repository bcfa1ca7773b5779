"""/mydata exports what every area stores about a person; /forget erases it, keeping anonymous
aggregates; the retention period erases question texts and the links of named survey answers
and session ratings to their people."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from bot.db.models import (
    Account,
    Event,
    OutboxMessage,
    Question,
    SessionRating,
    Survey,
    SurveyResponse,
)
from bot.delivery import outbox
from bot.people import privacy
from bot.people.access import Role, Viewer
from bot.surveys import results
from bot.transport.updates import SimUser
from tests.harness import BotHarness
from tests.surveys.world import build

COORDINATOR = Viewer(1, "Maja", "en", "en", Role.COORDINATOR)


async def _footprint(bot: BotHarness) -> SimUser:
    """A user with a question, a rating, a named survey response and a delivered message."""
    await build(bot.db, bot.clock.now())
    user = bot.new_user("uk", first_name="Iryna")
    await bot.onboard(user, "uk")
    await bot.register(user, "mentee-1")
    await bot.send(user, "Де готель?")  # a question (answered or not, it is stored)
    async with bot.db.session() as s:
        event = (await s.execute(select(Event))).scalars().first()
        survey = (await s.execute(select(Survey).where(Survey.key == "post-visit"))).scalar_one()
        s.add(
            SessionRating(
                event_id=event.id,
                telegram_id=user.id,
                stars=4,
                comment="Добре",
                created_at=bot.clock.now(),
                updated_at=bot.clock.now(),
            )
        )
        s.add(
            SurveyResponse(
                id="r" * 32,
                survey_id=survey.id,
                answers={"useful": 5},
                telegram_id=user.id,
                participant_name="Iryna",
                submitted_at=bot.clock.now(),
            )
        )
        await outbox.enqueue(
            s,
            [
                outbox.Outgoing(
                    f"test:{user.id}",
                    "reminder",
                    user.id,
                    outbox.text_message("x"),
                    bot.clock.now(),
                )
            ],
        )
    return user


async def test_mydata_lists_every_area(bot: BotHarness) -> None:
    user = await _footprint(bot)
    calls = await bot.send(user, "/mydata")
    document = next(c for c in calls if c.method == "sendDocument")
    data = json.loads(next(iter(document.files.values()))[1])
    assert data["questions"]["asked"][0]["text"] == "Де готель?"
    assert data["feedback"]["session_ratings"][0]["stars"] == 4
    assert data["feedback"]["named_survey_responses"][0]["answers"] == {"useful": 5}
    assert {d["kind"] for d in data["messages"]["deliveries"]} == {"reminder"}


async def test_forget_erases_the_person_and_keeps_anonymous_totals(bot: BotHarness) -> None:
    user = await _footprint(bot)
    await bot.send(user, "/forget")
    await bot.press(user, "Так, видалити")
    async with bot.db.session() as s:
        assert await s.get(Account, user.id) is None
        assert await s.scalar(select(func.count()).select_from(Question)) == 0
        assert await s.scalar(select(func.count()).select_from(SessionRating)) == 0
        response = (await s.execute(select(SurveyResponse))).scalar_one()
        assert response.answers == {"useful": 5}  # still counted in the results ...
        assert (response.telegram_id, response.participant_name) == (None, None)  # ... unnamed
        outbox = await s.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.chat_id == user.id)
        )
        assert outbox == 0


async def test_retention_erases_old_texts_and_links(bot: BotHarness) -> None:
    await _footprint(bot)
    later = bot.clock.now() + timedelta(days=bot.settings.retention_days + 1)
    cutoff = later - timedelta(days=bot.settings.retention_days)
    async with bot.db.session() as s:
        done = await privacy.expire_old_data(s, cutoff)
    assert done["questions"] >= 1 and done["feedback"] == 2  # two links erased
    async with bot.db.session() as s:
        question = (await s.execute(select(Question))).scalars().first()
        assert question is not None and question.text == "" and question.status
        response = (await s.execute(select(SurveyResponse))).scalar_one()
        assert response.telegram_id is None and response.answers == {"useful": 5}
        rating = (await s.execute(select(SessionRating))).scalar_one()  # kept, unlinked
        assert (rating.telegram_id, rating.comment, rating.stars) == (None, None, 4)
        assert rating.created_at == rating.updated_at == cutoff  # its own times are gone
        [rated] = await results.event_ratings(s, COORDINATOR)
        assert (rated.count, rated.comments) == (1, [])  # still counted, without the comment
    async with bot.db.session() as s:  # a second run finds nothing more to do
        assert (await privacy.expire_old_data(s, cutoff))["feedback"] == 0
