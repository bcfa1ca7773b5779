"""An anonymous survey keeps no link between a person and their answers, only that they finished.

The attacker here has the whole database: every column, PostgreSQL's ``xmin`` (the transaction
that wrote a row) and ``ctid`` (its physical place), SQLite's physical order, the keys' order, and
knows in which order the people submitted. Each join they would try is tried, and must do no
better than chance.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import DateTime, String, cast, func, select, text
from sqlalchemy.exc import OperationalError

from bot.broadcasts.audience import Audience
from bot.callbacks.surveys import (
    AnswerAction,
    ExportFormat,
    Results,
    ResultsAction,
    ResultsExport,
    SurveyAction,
    SurveyAnswer,
    SurveyButton,
)
from bot.db.models import OutboxMessage, Participant, SurveyParticipation, SurveyResponse
from bot.jobs.surveys import tick
from bot.surveys import flow
from bot.surveys.due import launch
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts
from tests.surveys.world import TZ, build

ANSWERS = {"uk": (2, "Мовний бар'єр"), "sl": (5, "Nič posebnega")}
K = 5  # the settings' default BOT_ANONYMOUS_BATCH


async def _people(bot: BotHarness, n: int) -> tuple[int, list[SimUser]]:
    """The anonymous survey, launched to ``n`` new mentees of the world's delegation."""
    ids = await build(bot.db, bot.clock.now())
    async with bot.db.session() as s:
        for i in range(n):
            s.add(
                Participant(
                    key=f"crowd-{i}",
                    name=f"Crowd {i}",
                    role="mentee",
                    delegation_id=ids["delegation"],
                )
            )
    users = []
    for i in range(n):
        user = bot.new_user("en", first_name=f"Crowd{i}")
        await bot.onboard(user, "en")
        await bot.register(user, f"crowd-{i}")
        users.append(user)
    async with bot.db.session() as s:
        await launch(s, ids["anon"], Audience(roles=frozenset({"mentee"})), [], bot.clock.now(), TZ)
    return ids["anon"], users


async def _answer(bot: BotHarness, sid: int, user: SimUser, stars: int, worry: str) -> str:
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 0, stars).pack())
    await bot.send(user, worry)
    return texts(await bot.press_data(user, SurveyButton(SurveyAction.SUBMIT, sid).pack()))


async def _physical(bot: BotHarness, table: str, column: str) -> list[Any]:
    """``column`` of ``table`` in the rows' physical order."""
    order = " ORDER BY ctid" if bot.db.dialect == "postgresql" else ""
    async with bot.db.session() as s:
        return list((await s.execute(text(f"SELECT {column} FROM {table}{order}"))).scalars())


async def _xmin(bot: BotHarness, table: str, column: str) -> dict[Any, int]:
    async with bot.db.session() as s:
        rows = await s.execute(text(f"SELECT {column}, xmin::text::bigint FROM {table}"))
        return {key: int(xid) for key, xid in rows.all()}


def _hits(guessed_order: list[str], true_order: list[str]) -> int:
    """How many authors an attacker gets right by pairing the n-th row with the n-th submitter."""
    return sum(g == t for g, t in zip(guessed_order, true_order, strict=True))


async def test_known_joins_do_no_better_than_chance(bot: BotHarness) -> None:
    n = 4 * K
    sid, users = await _people(bot, n)
    order = [f"worry of {i}" for i in range(n)]  # the submission order, known to the attacker
    for i, user in enumerate(users):
        await _answer(bot, sid, user, 1 + i % 5, order[i])
        bot.clock.advance(minutes=1)
    async with bot.db.session() as s:
        rows = (await s.execute(select(SurveyResponse.id, SurveyResponse.answers))).all()
        sealed = await s.scalar(select(func.count()).where(SurveyParticipation.sealed.is_(True)))
    assert sorted(a["worry"] for _id, a in rows) == sorted(order) and sealed == 0
    worry_of = {key: answers["worry"] for key, answers in rows}

    # Keys are random, and their order says nothing.
    assert all(re.fullmatch(r"[0-9a-f]{32}", key) for key in worry_of)
    by_key = [worry_of[k] for k in sorted(worry_of)]
    # Physical order: PostgreSQL's ctid; SQLite keeps no rowid and stores rows by the random key.
    physical = [worry_of[k] for k in await _physical(bot, "survey_response", "id")]
    # Chance gives about one hit per batch of K shuffled rows (4 here); order of submission, 20.
    assert _hits(by_key, order) < n // 2
    assert _hits(physical, order) < n // 2
    if bot.db.dialect == "sqlite":
        async with bot.db.session() as s:
            try:
                await s.execute(text("SELECT rowid FROM survey_response"))
                raise AssertionError("survey_response has a rowid")
            except OperationalError:
                pass
    else:
        # xmin: each response shares its transaction with K participation rows, never one.
        responses = await _xmin(bot, "survey_response", "id")
        parts = await _xmin(bot, "survey_participation", "telegram_id")
        for xid in set(responses.values()):
            assert sum(v == xid for v in parts.values()) >= K
            assert sum(v == xid for v in responses.values()) >= K
        # The transaction ids of the people's submissions come in their order; the responses'
        # ids, ranked, put K responses on each rank.
        ranked = sorted(responses, key=lambda k: responses[k])
        assert len({responses[k] for k in ranked}) == n // K
    # No time column of a response is ever filled for an anonymous survey.
    async with bot.db.session() as s:
        for column in SurveyResponse.__table__.columns:
            if isinstance(column.type, DateTime) or column.name in ("telegram_id", "submitted_at"):
                filled = await s.scalar(select(func.count()).where(column.is_not(None)))
                assert filled == 0, column.name


async def test_answers_wait_for_a_batch_and_few_results_are_not_shown(bot: BotHarness) -> None:
    sid, _crowd = await _people(bot, 0)
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
        done = await _answer(bot, sid, user, stars, worry)
        assert {"uk": "без вашого імені", "sl": "brez vašega imena"}[language] in done
        bot.clock.advance(minutes=7)
    await tick(bot.app.bot_data["services"])
    async with bot.db.session() as s:
        assert (await s.execute(select(SurveyResponse))).first() is None  # 2 < K: sealed
        parts = list((await s.execute(select(SurveyParticipation))).scalars())
    assert [p.sealed for p in parts] == [True, True]

    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    shown = texts(await bot.press_data(coordinator, Results(ResultsAction.SHOW, sid).pack()))
    assert "2 answers are held back" in shown and "at least 5" in shown
    assert "Мовний" not in shown

    async with bot.db.session() as s:
        assert await flow.close(s, sid, bot.clock.now(), K)
    async with bot.db.session() as s:
        responses = list((await s.execute(select(SurveyResponse))).scalars())
        parts = list((await s.execute(select(SurveyParticipation))).scalars())
        outbox_texts = " ".join(
            str(m.payload) for m in (await s.execute(select(OutboxMessage))).scalars()
        )
    # Closing publishes the last ballots, with no person, no time and random keys ...
    assert sorted((r.answers["mood"], r.answers["worry"]) for r in responses) == sorted(
        ANSWERS.values()
    )
    for response in responses:
        assert response.telegram_id is None and response.participant_name is None
        assert response.submitted_at is None
    assert all(p.draft == {} and not p.sealed for p in parts)
    # ... but two responses are still too few to show, in the chat or as a file.
    calls = await bot.press_data(coordinator, ResultsExport(sid, ExportFormat.CSV).pack())
    assert not [c for c in calls if c.method == "sendDocument"]
    assert "at least 5" in texts(calls) and "Мовний" not in texts(calls)
    # No column of a response refers to a person, a participation or a time.
    table = SurveyResponse.__table__
    assert {fk.column.table.name for fk in table.foreign_keys} == {"survey"}
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


async def test_a_last_small_batch_is_mixed_with_published_answers(bot: BotHarness) -> None:
    sid, users = await _people(bot, K + 2)
    for i, user in enumerate(users):
        await _answer(bot, sid, user, 3, f"w{i}")
    async with bot.db.session() as s:
        first = set((await s.execute(select(SurveyResponse.id))).scalars())
    assert len(first) == K
    async with bot.db.session() as s:
        assert await flow.close(s, sid, bot.clock.now(), K)
    async with bot.db.session() as s:
        rows = (await s.execute(select(SurveyResponse.id, SurveyResponse.answers))).all()
    assert sorted(a["worry"] for _k, a in rows) == sorted(f"w{i}" for i in range(K + 2))
    # The closing batch took K - 2 published answers with it and wrote them again: K new keys.
    assert len({key for key, _a in rows} - first) == K
    if bot.db.dialect == "postgresql":
        # Every response hides among K: K responses of its transaction, or K people of it.
        xids = list((await _xmin(bot, "survey_response", "id")).values())
        people = list((await _xmin(bot, "survey_participation", "telegram_id")).values())
        assert all(xids.count(x) >= K or people.count(x) >= K for x in xids)


async def test_unfinished_anonymous_drafts_are_deleted_when_the_survey_closes(
    bot: BotHarness,
) -> None:
    sid, (user,) = await _people(bot, 1)
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 0, 3).pack())
    async with bot.db.session() as s:
        assert await flow.close(s, sid, bot.clock.now(), K)
    async with bot.db.session() as s:
        part = (
            await s.execute(
                select(SurveyParticipation).where(SurveyParticipation.telegram_id == user.id)
            )
        ).scalar_one()
        assert part.draft == {} and not part.finished and not part.sealed
        assert (await s.execute(select(SurveyResponse))).first() is None
