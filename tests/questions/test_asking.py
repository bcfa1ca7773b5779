"""Free-text questions through the real Application: answers in the reader's language, declines,
live data, votes, bad input and what guests may learn."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Question
from tests.harness import BotHarness, texts
from tests.questions.conftest import mentee


async def _questions(bot: BotHarness) -> list[Question]:
    async with bot.db.session() as session:
        return list((await session.execute(select(Question).order_by(Question.id))).scalars())


async def test_ukrainian_question_about_the_hotel_is_answered_in_ukrainian(
    demo: BotHarness,
) -> None:
    user = await mentee(demo, "uk")
    shown = texts(await demo.send(user, "Де ми живемо, яка адреса готелю?"))
    assert "Готель" in shown or "готел" in shown
    assert "Hotel in central" not in shown
    (question,) = await _questions(demo)
    assert question.status == "auto"
    assert question.answer_key in ("intent:hotel", "faq:hotel-address")


async def test_slovenian_question_about_tomorrow_shows_tomorrows_agenda(demo: BotHarness) -> None:
    user = await mentee(demo, "sl")
    calls = await demo.send(user, "Kaj imamo jutri na programu?")
    shown = texts(calls)
    assert "Jutri" in shown  # the day heading, in Slovenian
    assert "torek" in shown.lower()  # Monday 9 Oct is today: tomorrow is Tuesday
    (question,) = await _questions(demo)
    assert question.answer_key == "intent:tomorrow"


async def test_english_question_about_emergency_numbers(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    shown = texts(await demo.send(user, "what number do I call in an emergency?"))
    assert "112" in shown and "113" in shown


async def test_russian_question_with_a_typo_is_answered_in_ukrainian(demo: BotHarness) -> None:
    user = await mentee(demo, "uk")
    shown = texts(await demo.send(user, "сколько суточных платят и когда выплачиваюют?"))
    assert "Добові" in shown or "добові" in shown
    (question,) = await _questions(demo)
    assert question.typed_language == "ru"
    assert question.answer_key in ("faq:daily-allowance", "logistics:allowance")


async def test_question_typed_in_another_language_is_answered_in_the_chosen_one(
    demo: BotHarness,
) -> None:
    user = await mentee(demo, "sl")
    shown = texts(await demo.send(user, "Where can I smoke?"))
    assert "kajenje" in shown.lower()


async def test_nonsense_is_declined_and_can_be_sent_on(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    shown = texts(await demo.send(user, "what is the capital of Peru"))
    assert "don’t have a good answer" in shown
    calls = await demo.press(user, "Ask the coordinators")
    assert "passed on to the coordinators" in texts(calls)
    await demo.delivered()  # the staff chat's copy goes through the outbox
    (question,) = await _questions(demo)
    assert question.status == "open" and question.staff_message_id is not None


async def test_close_answers_are_offered_as_buttons(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    calls = await demo.send(user, "food")
    labels = [b["text"] for b in calls[-1].buttons]
    assert any(label.startswith("➡️") for label in labels)
    await demo.press(user, "➡️")
    (question,) = await _questions(demo)
    assert question.answer_key in question.alternatives


async def test_votes_are_stored(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    await demo.send(user, "Can I drink water from the tap?")
    calls = await demo.press(user, "👎")
    assert any(c.method == "answerCallbackQuery" for c in calls)
    (question,) = await _questions(demo)
    assert question.vote == -1


async def test_someone_else_cannot_vote_on_my_question(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    await demo.send(user, "Can I drink water from the tap?")
    _message, data = demo.find_button(user, "👍")
    other = demo.new_user("en")
    await demo.onboard(other, "en")
    await demo.press_data(other, data)
    (question,) = await _questions(demo)
    assert question.vote is None


async def test_bad_input_is_answered_without_a_search(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    for text in ("   ", "🙂", "12345 678"):
        shown = texts(await demo.send(user, text))
        assert "in words" in shown
    assert await _questions(demo) == []


async def test_long_and_mixed_script_questions_are_handled(demo: BotHarness) -> None:
    user = await mentee(demo, "uk")
    long_text = "Де готель? " + "ж" * 3990
    calls = await demo.send(user, long_text)
    assert all(c.error is None for c in calls)
    calls = await demo.send(user, "wifi пароль у hotelu?")
    assert "Wi-Fi" in texts(calls)
    stored = await _questions(demo)
    assert len(stored[0].text) == 4000


async def test_guest_gets_only_public_information(demo: BotHarness) -> None:
    guest = demo.new_user("en")
    await demo.onboard(guest, "en")
    shown = texts(await demo.send(guest, "Where is the hotel?"))
    assert "registered participants" in shown
    assert "Domžale" not in shown
    shown = texts(await demo.send(guest, "how much is the daily allowance?"))
    assert "30" not in shown
    shown = texts(await demo.send(guest, "emergency numbers?"))
    assert "112" in shown


async def test_live_intents_for_a_mentee(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    assert "Daily shuttle" in texts(await demo.send(user, "when does the bus leave?"))
    assert "Ana Zupan" in texts(await demo.send(user, "who is my contact person?"))
    shown = texts(await demo.send(user, "what's on on Friday?"))
    assert "Friday" in shown
    shown = texts(await demo.send(user, "when is the next meeting"))
    assert "Welcome at the Municipality of Domžale" in shown


async def test_a_message_about_feeling_unwell_gets_the_emergency_numbers_at_once(
    demo: BotHarness,
) -> None:
    user = await mentee(demo, "uk")
    shown = texts(await demo.send(user, "мені дуже погано, паморочиться голова"))
    assert "🆘" in shown and "112" in shown
    assert "лікар" in shown.lower()  # the programme's medical contact beside the numbers
    (question,) = await _questions(demo)
    assert question.status == "auto" and question.answer_key == "logistics:emergency-112"


async def test_latin_typed_fire_message_gets_the_emergency_numbers(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    shown = texts(await demo.send(user, "u nas pozhezha v hoteli"))
    assert "🆘" in shown and "112" in shown


async def test_an_unsure_question_offers_choices_and_a_tap_answers_it(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    calls = await demo.send(user, "smoking balcony")
    labels = [b["text"] for b in calls[-1].buttons]
    assert "not sure I understood" in texts(calls)
    assert any(label.startswith("➡️") for label in labels)
    assert "🙋 Ask the coordinators" in labels
    (question,) = await _questions(demo)
    assert question.status == "declined" and question.alternatives
    await demo.press(user, "➡️")
    (question,) = await _questions(demo)
    assert question.status == "auto" and question.answer_key == question.alternatives[0]
    await demo.press(user, "👍")
    (question,) = await _questions(demo)
    assert question.vote == 1


async def test_two_questions_in_one_message_each_get_an_answer(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    calls = await demo.send(user, "Where can I smoke? And is tap water safe to drink?")
    shown = texts(calls)
    assert "smok" in shown.lower()
    assert "more than one thing" in shown
    assert any("water" in b["text"].lower() for b in calls[-1].buttons)


async def test_a_guest_in_danger_gets_the_public_emergency_numbers(demo: BotHarness) -> None:
    guest = demo.new_user(language_code="en", first_name="Guest")
    await demo.onboard(guest, "en")
    shown = texts(await demo.send(guest, "there is a fire in our hotel"))
    assert "🆘" in shown and "112" in shown
