"""Tap budget of answering a question passed on to the coordinators."""

from __future__ import annotations

from tests.harness import BotHarness
from tests.questions.conftest import coordinator, mentee
from tests.questions.test_staff import STAFF, _staff_message
from tests.taps import Actions


async def test_answering_a_passed_on_question_takes_one_reply(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    await demo.send(user, "Can I bring my dog?")
    await demo.press(user, "🙋")
    await demo.delivered()
    me = Actions(demo, await coordinator(demo))
    since = len(demo.api.calls)
    await me.send("No pets, sorry.", chat=STAFF, reply_to=_staff_message(demo))
    await demo.delivered()
    assert any(c.chat_id == user.id and "No pets" in c.text for c in demo.api.calls[since:])
    assert (me.taps, me.typed) == (0, 1)


async def test_answering_from_the_button_takes_one_tap_and_the_answer(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    await demo.send(user, "Can I bring my cat?")
    await demo.press(user, "🙋")
    await demo.delivered()
    me = Actions(demo, await coordinator(demo))
    await me.press_under(_staff_message(demo), "Answer")
    since = len(demo.api.calls)
    await me.send("No cats either.")
    await demo.delivered()
    assert any(c.chat_id == user.id and "No cats" in c.text for c in demo.api.calls[since:])
    assert (me.taps, me.typed) == (1, 1)
