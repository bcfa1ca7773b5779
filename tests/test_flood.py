"""One person's flood of messages: a short burst is answered, beyond it one "slow down", and
nothing of the rest is stored; after a pause the person is answered again. The limit is kept in
the database: two bot processes on one database share it."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import Question
from bot.people.flood import BURST, REFILL
from tests.harness import BotHarness, another_process, texts


async def test_a_flood_gets_one_slow_down_and_is_not_stored(bot: BotHarness) -> None:
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    other = bot.new_user("uk")
    await bot.onboard(other, "uk")
    answers = [texts(await bot.send(user, f"where is the hotel {n}?")) for n in range(60)]
    slow = [a for a in answers if "faster than I can read" in a]
    assert len(slow) == 1
    assert all(a == "" for a in answers[BURST + 1 :])  # the rest: silence
    async with bot.db.session() as s:
        stored = await s.scalar(
            select(func.count()).select_from(Question).where(Question.asker_id == user.id)
        )
    assert stored is not None and stored <= BURST
    # Someone else is not limited by it.
    assert "faster" not in texts(await bot.send(other, "де готель?"))
    # After a pause the bucket has refilled.
    bot.clock.advance(seconds=REFILL.total_seconds() * 2)
    again = texts(await bot.send(user, "where is the hotel?"))
    assert again and "faster" not in again


async def test_two_processes_share_one_limit(bot: BotHarness) -> None:
    """A flood spread over two processes (as behind a webhook load balancer) is one flood."""
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    async with another_process(bot) as other:
        answers = [
            texts(await (bot if n % 2 else other).send(user, f"where is the hotel {n}?"))
            for n in range(40)
        ]
    assert len([a for a in answers if "faster than I can read" in a]) == 1
    assert all(a == "" for a in answers[BURST + 1 :])
    async with bot.db.session() as s:
        stored = await s.scalar(
            select(func.count()).select_from(Question).where(Question.asker_id == user.id)
        )
    assert stored is not None and stored <= BURST
