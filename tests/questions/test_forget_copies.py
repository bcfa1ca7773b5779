"""/forget and retention reach the copies of a person's question: the message in the staff chat
(edited to a short notice through the outbox), the FAQ entry made from it, and a coordinator's
name on the answers they gave; /mydata lists them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.db.models import FaqEntry, Question
from bot.delivery import outbox
from bot.delivery.worker import start_delivery, stop_delivery
from bot.infra.services import services_of
from bot.people import privacy
from bot.questions import service as questions
from bot.transport.updates import SimUser
from tests.broadcasts.conftest import eventually
from tests.harness import BotHarness
from tests.questions.conftest import STAFF_CHAT, coordinator, copy_times_out_once, mentee

STAFF = {"id": STAFF_CHAT, "type": "supergroup", "title": "Programme staff"}
WORDS = "Мій паспорт FX123456, кімната 214: чи можна продовжити номер?"


@pytest.fixture
async def delivering(demo: BotHarness) -> AsyncIterator[BotHarness]:
    services = services_of(demo.app)
    started = services.delivery is None
    if started:
        await start_delivery(demo.app, services)
    yield demo
    if started:
        await stop_delivery(demo.app, services)


async def _answered_and_in_the_faq(bot: BotHarness) -> tuple[SimUser, SimUser, Question]:
    user = await mentee(bot, "uk")
    coord = await coordinator(bot)
    await bot.send(user, WORDS)
    await bot.press(user, "🙋")
    await bot.delivered()
    async with bot.db.session() as s:
        question = (await s.execute(select(Question))).scalar_one()
    posted = bot.api.messages[(STAFF_CHAT, question.staff_message_id)]
    await bot.send(coord, "Так, до неділі.", chat=STAFF, reply_to=posted)
    await bot.delivered()
    async with bot.db.session() as s:
        question = (await s.execute(select(Question))).scalar_one()
        assert await questions.to_faq(s, question) is not None  # ➕ FAQ
    return user, coord, question


def _staff_text(bot: BotHarness, question: Question) -> str:
    return str(bot.api.messages[(STAFF_CHAT, question.staff_message_id)]["text"])


async def test_forget_reaches_the_staff_chat_the_faq_and_the_answers(
    delivering: BotHarness,
) -> None:
    bot = delivering
    user, _coord, question = await _answered_and_in_the_faq(bot)
    assert "FX123456" in _staff_text(bot, question)
    calls = await bot.send(user, "/mydata")
    document = next(c for c in calls if c.method == "sendDocument")
    data = json.loads(next(iter(document.files.values()))[1])["questions"]
    assert data["asked"][0]["copied_to_staff_chat"] is True
    assert "FX123456" in json.dumps(data["faq_entries_made_from_my_questions"], ensure_ascii=False)

    await bot.send(user, "/forget")
    await bot.press(user, "Так, видалити")

    async def edited() -> bool:
        return "FX123456" not in _staff_text(bot, question)

    await eventually(edited)
    assert "deleted at the asker’s request" in _staff_text(bot, question)
    async with bot.db.session() as s:
        assert (
            await s.scalar(
                select(func.count())
                .select_from(FaqEntry)
                .where(FaqEntry.key == f"question-{question.id}")
            )
            == 0
        )


async def test_a_coordinator_who_forgets_leaves_answers_unsigned(demo: BotHarness) -> None:
    _user, coord, question = await _answered_and_in_the_faq(demo)
    async with demo.db.session() as s:
        assert (await s.get(Question, question.id)).answered_by_name == "Ana"  # type: ignore[union-attr]
        await privacy.forget_person(s, coord.id, demo.clock.now())
    async with demo.db.session() as s:
        kept = await s.get(Question, question.id)
        assert kept is not None and kept.answer_text == "Так, до неділі."
        assert (kept.answered_by, kept.answered_by_name) == (None, None)


async def test_retention_erases_the_copies_too(delivering: BotHarness) -> None:
    bot = delivering
    _user, _coord, question = await _answered_and_in_the_faq(bot)
    later = bot.clock.now() + timedelta(days=bot.settings.retention_days + 1)
    cutoff = later - timedelta(days=bot.settings.retention_days)
    async with bot.db.session() as s:
        done = await privacy.expire_old_data(s, cutoff, bot.clock.now())
    assert done["questions"] == 1

    async def edited() -> bool:
        return "FX123456" not in _staff_text(bot, question)

    await eventually(edited)
    async with bot.db.session() as s:
        assert (
            await s.scalar(
                select(func.count())
                .select_from(FaqEntry)
                .where(FaqEntry.key == f"question-{question.id}")
            )
            == 0
        )


async def test_forget_while_the_copy_is_being_sent_erases_it_once_sent(
    delivering: BotHarness,
) -> None:
    """/forget while another process is sending the question's copy to the staff chat (its
    message id not known yet): the notice waits, and replaces the words once the copy is sent."""
    bot = delivering
    user = await mentee(bot, "uk")
    await bot.send(user, WORDS)
    copy_times_out_once(bot)  # then another process claims it
    await bot.press(user, "🙋")
    await bot.delivered()
    async with bot.db.session() as s:
        later = bot.clock.now() + timedelta(seconds=30)
        (claimed,) = await outbox.claim(s, "elsewhere", later, 10, timedelta(minutes=1))
    assert claimed.kind == questions.STAFF_KIND
    await bot.send(user, "/forget")
    await bot.press(user, "Так, видалити")
    bot.clock.advance(minutes=2)  # that process died; its lease ran out: this one sends the copy

    def erased() -> bool:
        posted = [m for k, m in bot.api.messages.items() if k[0] == STAFF_CHAT]
        return bool(posted) and all("FX123456" not in str(m["text"]) for m in posted)

    await eventually(erased)
    (posted,) = [m for k, m in bot.api.messages.items() if k[0] == STAFF_CHAT]
    assert "deleted at the asker’s request" in posted["text"]
