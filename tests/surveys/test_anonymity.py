"""An anonymous survey keeps no link between a person and their answers, only that they finished."""

from __future__ import annotations

import re

from sqlalchemy import String, cast, func, inspect, select

from bot.broadcasts.audience import Audience
from bot.db.models import OutboxMessage, SurveyParticipation, SurveyResponse
from bot.handlers.surveys import tick
from bot.surveys import flow
from bot.surveys.schedule import launch
from tests.harness import BotHarness, texts
from tests.surveys.world import TZ, build

ANSWERS = {"uk": (2, "Мовний бар'єр"), "sl": (5, "Nič posebnega")}


async def test_anonymous_answers_cannot_be_joined_to_people(bot: BotHarness) -> None:
    ids = await build(bot.db, bot.clock.now())
    sid = ids["anon"]
    users = {}
    for n, language in enumerate(ANSWERS, start=1):
        users[language] = bot.new_user(language)
        await bot.onboard(users[language], language)
        await bot.register(users[language], f"mentee-{n}")
    async with bot.db.session() as s:
        planned = await launch(
            s, sid, Audience(roles=frozenset({"mentee"})), [], bot.clock.now(), TZ
        )
    assert {p.chat_id for p in planned} == {u.id for u in users.values()}
    for language, user in users.items():
        stars, worry = ANSWERS[language]
        await bot.press_data(user, f"srv:o:{sid}")
        await bot.press_data(user, f"srv:a:{sid}:0:{stars}")
        await bot.send(user, worry)
        done = texts(await bot.press_data(user, f"srv:s:{sid}"))
        assert {"uk": "без вашого імені", "sl": "brez vašega imena"}[language] in done
        bot.clock.advance(minutes=7)
    await tick(bot.app.bot_data["services"])

    async with bot.db.session() as s:
        responses = list((await s.execute(select(SurveyResponse))).scalars())
        parts = list((await s.execute(select(SurveyParticipation))).scalars())
        outbox_texts = " ".join(
            str(m.payload) for m in (await s.execute(select(OutboxMessage))).scalars()
        )
    # The answers are all there ...
    assert sorted((r.answers["mood"], r.answers["worry"]) for r in responses) == sorted(
        ANSWERS.values()
    )
    # ... with no person, no time, and ids that are random tokens, not a sequence.
    for response in responses:
        assert response.telegram_id is None and response.participant_name is None
        assert response.submitted_at is None
        assert re.fullmatch(r"[0-9a-f]{32}", response.id)
    # The people are known to have finished, and nothing more.
    assert all(p.finished and p.draft == {} for p in parts)
    # No column of a response refers to a person, a participation or a time.
    table = SurveyResponse.__table__
    assert {fk.column.table.name for fk in table.foreign_keys} == {"survey"}
    shared = set(table.columns.keys()) & set(SurveyParticipation.__table__.columns.keys())
    assert shared == {"id", "survey_id", "telegram_id"}  # telegram_id: named surveys only
    async with bot.db.session() as s:
        for column in ("id", "telegram_id"):
            joined = await s.execute(
                select(func.count())
                .select_from(SurveyResponse)
                .join(
                    SurveyParticipation,
                    cast(getattr(SurveyParticipation, column), String)
                    == cast(getattr(SurveyResponse, column), String),
                )
            )
            assert joined.scalar_one() == 0, column
    # Reminders and invitations carry no answers.
    assert "Мовний" not in outbox_texts and "posebnega" not in outbox_texts


async def test_unfinished_anonymous_drafts_are_deleted_when_the_survey_closes(
    bot: BotHarness,
) -> None:
    ids = await build(bot.db, bot.clock.now())
    sid = ids["anon"]
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    await bot.register(user, "mentee-1")
    async with bot.db.session() as s:
        await launch(s, sid, Audience(roles=frozenset({"mentee"})), [], bot.clock.now(), TZ)
    await bot.press_data(user, f"srv:o:{sid}")
    await bot.press_data(user, f"srv:a:{sid}:0:3")
    async with bot.db.session() as s:
        assert await flow.close(s, sid, bot.clock.now())
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
        assert part.draft == {} and not part.finished
    assert inspect(SurveyResponse).primary_key[0].type.length == 32
