"""Tap budget of answering a question passed on to the coordinators, in the staff chat or from
/questions, and of publishing the answer as a FAQ entry; every screen of the way says what
happens next, in each language (the staff chat's and the coordinator's)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.callbacks.questions import QuestionAction, QuestionButton, QuestionList
from bot.db.models import Account
from bot.i18n import LANGUAGES
from bot.questions.listing import Listing
from bot.transport.updates import SimUser
from tests.harness import BotHarness, texts
from tests.questions.conftest import coordinator, mentee
from tests.questions.test_staff import STAFF, _staff_message
from tests.taps import Actions, speaking


async def _passed_on(demo: BotHarness, language: str, question: str) -> tuple[SimUser, Actions]:
    """A mentee's question in the staff chat (whose language is ``language``), and the
    coordinator who answers it, reading the staff message first."""
    demo.settings.staff_language = language
    user = await mentee(demo, "en")
    await demo.send(user, question)
    await demo.press(user, "🙋")
    since = len(demo.api.calls)
    await demo.delivered()
    me = Actions(demo, await speaking(demo, await coordinator(demo), language), language)
    me.look(demo.api.calls[since:], STAFF["id"])  # the question as the staff chat sees it
    return user, me


@pytest.mark.parametrize("language", LANGUAGES)
async def test_answering_a_passed_on_question_takes_one_reply(
    demo: BotHarness, language: str
) -> None:
    user, me = await _passed_on(demo, language, "Can I bring my dog?")
    since = len(demo.api.calls)
    await me.send("No pets, sorry.", chat=STAFF, reply_to=_staff_message(demo))
    await demo.delivered()
    assert any(c.chat_id == user.id and "No pets" in c.text for c in demo.api.calls[since:])
    assert (me.taps, me.typed) == (0, 1)
    me.look(demo.api.calls[since:], STAFF["id"])  # the staff message, now answered


@pytest.mark.parametrize("language", LANGUAGES)
async def test_answering_from_the_button_takes_one_tap_and_the_answer(
    demo: BotHarness, language: str
) -> None:
    user, me = await _passed_on(demo, language, "Can I bring my cat?")
    await me.press_under(STAFF["id"], "✍️ Answer")
    since = len(demo.api.calls)
    await me.send("No cats either.")
    await demo.delivered()
    assert any(c.chat_id == user.id and "No cats" in c.text for c in demo.api.calls[since:])
    assert (me.taps, me.typed) == (1, 1)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_answering_from_questions_takes_one_tap_and_the_answer(
    demo: BotHarness, language: str
) -> None:
    user, me = await _passed_on(demo, language, "Can I bring my parrot?")
    await me.send("/questions")
    await me.press(QuestionButton.matching(action=QuestionAction.ANSWER))
    since = len(demo.api.calls)
    await me.send("No parrots.")
    await demo.delivered()
    assert any(c.chat_id == user.id and "No parrots" in c.text for c in demo.api.calls[since:])
    assert (me.taps, me.typed) == (1, 2)
    for listing in (Listing.UNHELPFUL, Listing.UNANSWERED):
        await me.press(QuestionList.matching(listing=listing))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_publishing_an_answer_as_faq_takes_two_taps(demo: BotHarness, language: str) -> None:
    _user, me = await _passed_on(demo, language, "Can I bring my hamster?")
    await me.send("No hamsters.", chat=STAFF, reply_to=_staff_message(demo))
    await demo.delivered()
    await me.press_under(STAFF["id"], "➕ FAQ")
    shown = texts(await me.press_under(STAFF["id"], "🌍 For everyone invited"))
    assert (me.taps, me.typed) == (2, 1)
    added = me.label("➕ Added to the FAQ as “{key}”, for everyone invited.")
    assert added.split("{")[0] in shown


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_answer_that_cannot_be_delivered_says_how_to_reach_the_asker(
    demo: BotHarness, language: str
) -> None:
    user, me = await _passed_on(demo, language, "Can I bring my tortoise?")
    demo.api.block(user.id)
    async with demo.db.session() as session:  # as a refused delivery marks it
        await session.execute(
            update(Account).where(Account.telegram_id == user.id).values(reachable=False)
        )
    shown = texts(await me.send("No tortoises.", chat=STAFF, reply_to=_staff_message(demo)))
    reach = me.label("Reach {name} another way; “➕ FAQ” can still publish the answer for others.")
    assert reach.split("{")[0] in shown and "Olena" in shown
