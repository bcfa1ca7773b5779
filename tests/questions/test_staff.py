"""The person behind the bot: the staff chat round trip, /questions, ➕ FAQ, no staff chat."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from telegram.error import TimedOut

from bot.callbacks.questions import FaqAudience, PublishFaq, QuestionAction, QuestionButton
from bot.db.models import FaqEntry, OutboxMessage, Programme, Question
from bot.delivery import outbox
from bot.programme.export import export_file
from bot.programme.importer import import_file
from bot.questions.service import STAFF_EDIT_KIND, STAFF_KIND
from bot.transport.local_api import ApiError
from bot.transport.updates import SimUser
from tests.harness import BotHarness, another_process, texts
from tests.questions.conftest import STAFF_CHAT, coordinator, copy_times_out_once, mentee
from tests.races import meeting

STAFF = {"id": STAFF_CHAT, "type": "supergroup", "title": "Programme staff"}


async def _question(bot: BotHarness) -> Question:
    async with bot.db.session() as session:
        return (await session.execute(select(Question))).scalar_one()


def _staff_message(bot: BotHarness) -> dict[str, Any]:
    keys = [k for k in bot.api.messages if k[0] == STAFF_CHAT]
    assert keys, "nothing was posted in the staff chat"
    return bot.api.messages[max(keys, key=lambda k: k[1])]


async def _ask_and_send_on(bot: BotHarness, user: SimUser, text: str) -> None:
    await bot.send(user, text)
    await bot.press(user, "🙋")
    await bot.delivered()  # the staff chat's copy goes through the outbox


def _sent_to(bot: BotHarness, chat_id: int, since: int) -> list[Any]:
    return [c for c in bot.api.calls[since:] if c.chat_id == chat_id and c.method == "sendMessage"]


async def test_reply_in_the_staff_chat_reaches_the_mentee(demo: BotHarness) -> None:
    user = await mentee(demo, "uk")
    coord = await coordinator(demo)
    await _ask_and_send_on(demo, user, "Чи можна привезти собаку?")
    posted = _staff_message(demo)
    assert "Чи можна привезти собаку?" in posted["text"]
    assert "Olena" in posted["text"] and "Zavodske" in posted["text"]
    assert "Ukrainian" in posted["text"] and "participant" in posted["text"]

    since = len(demo.api.calls)
    await demo.send(coord, "Ні, на жаль, з тваринами не можна.", chat=STAFF, reply_to=posted)
    await demo.delivered()  # the answer goes through the outbox
    to_mentee = _sent_to(demo, user.id, since)
    assert to_mentee and "з тваринами не можна" in to_mentee[0].text
    assert "Координатори відповіли" in to_mentee[0].text  # in the mentee's language
    question = await _question(demo)
    assert question.status == "answered" and question.answered_by_name == "Ana"
    edited = demo.api.messages[(STAFF_CHAT, question.staff_message_id)]
    assert "answered by Ana" in edited["text"] and "з тваринами" in edited["text"]


async def _staff_edits(bot: BotHarness) -> list[OutboxMessage]:
    async with bot.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == STAFF_EDIT_KIND)
        return list((await session.execute(query.order_by(OutboxMessage.id))).scalars())


async def test_the_staff_message_edit_is_retried_through_the_outbox(demo: BotHarness) -> None:
    """Answered, then made a FAQ entry: each edit of the staff chat's message is an outbox row;
    a time-out is retried, and the message ends in the newest state."""
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    await _ask_and_send_on(demo, user, "Can I bring my dog?")
    posted = _staff_message(demo)
    timeouts = {"left": 1}

    def flaky_edit(method: str, params: dict[str, Any]) -> ApiError | None:
        if method == "editMessageText" and timeouts["left"]:
            timeouts["left"] -= 1
            raise TimedOut("Timed out")
        return None

    demo.api.fault = flaky_edit
    await demo.send(coord, "Sorry, no pets.", chat=STAFF, reply_to=posted)
    await demo.delivered()  # the answer went; the edit timed out and waits for its retry
    question = await _question(demo)
    [edit] = await _staff_edits(demo)
    assert edit.status == "pending" and edit.attempts == 1 and "TimedOut" in (edit.error or "")
    assert "answered by" not in demo.api.messages[(STAFF_CHAT, question.staff_message_id)]["text"]
    demo.clock.advance(minutes=1)
    await demo.delivered()
    shown = demo.api.messages[(STAFF_CHAT, question.staff_message_id)]
    assert "answered by Ana" in shown["text"] and "➕ FAQ" in str(shown["reply_markup"])
    preview = await demo.press_data(
        coord, QuestionButton(QuestionAction.FAQ, question.id).pack(), shown
    )
    published = await demo.press_data(
        coord, PublishFaq(question.id, FaqAudience.DELEGATION).pack(), preview[-1].result
    )
    assert "for Zavodske" in texts(published)
    await demo.delivered()
    edits = await _staff_edits(demo)
    assert [(e.status, e.key.rsplit(":", 1)[1]) for e in edits] == [
        ("sent", "answered"),
        ("sent", "faq"),
    ]
    shown = demo.api.messages[(STAFF_CHAT, question.staff_message_id)]
    assert "answered by Ana" in shown["text"] and "reply_markup" not in shown  # no ➕ FAQ left


@pytest.mark.faults  # Telegram refuses the edit on purpose
async def test_a_refused_staff_message_edit_is_recorded(demo: BotHarness) -> None:
    """The staff chat's message was deleted before the answer: the answer still reaches the
    asker, and the refused edit is recorded with Telegram's reason, not swallowed."""
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    await _ask_and_send_on(demo, user, "Can I bring my dog?")
    posted = _staff_message(demo)
    question = await _question(demo)
    del demo.api.messages[(STAFF_CHAT, question.staff_message_id)]  # deleted in the staff chat
    since = len(demo.api.calls)
    await demo.send(coord, "Sorry, no pets.", chat=STAFF, reply_to=posted)
    await demo.delivered()
    assert any("no pets" in c.text for c in _sent_to(demo, user.id, since))
    [edit] = await _staff_edits(demo)
    assert edit.status == "failed"
    assert edit.error == "Message to edit not found"


async def test_answer_button_then_private_message(demo: BotHarness, tmp_path: Path) -> None:
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    await _ask_and_send_on(demo, user, "Can I bring my dog?")
    posted = _staff_message(demo)
    data = posted["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    calls = await demo.press_data(coord, data, posted)
    assert "Type your answer" in texts(calls)
    since = len(demo.api.calls)
    calls = await demo.send(coord, "Sorry, no pets.")
    assert "is on its way" in texts([c for c in calls if c.chat_id == coord.id])
    await demo.delivered()
    assert any("no pets" in c.text for c in _sent_to(demo, user.id, since))
    question = await _question(demo)
    assert question.status == "answered"

    # ➕ FAQ shows what would be published, and to whom; nothing is published yet.
    posted = demo.api.messages[(STAFF_CHAT, question.staff_message_id)]
    data = posted["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert QuestionButton.parse(data) == QuestionButton(QuestionAction.FAQ, question.id)
    preview = await demo.press_data(coord, data, posted)
    shown = texts(preview)
    assert "Can I bring my dog?" in shown and "Sorry, no pets." in shown
    assert "For Zavodske" in str(preview[-1].params)
    async with demo.db.session() as session:
        assert (
            await session.execute(select(FaqEntry).where(FaqEntry.key.like("question-%")))
        ).first() is None
    # Published for the asker's delegation, it is found by the next question.
    published = await demo.press_data(
        coord, PublishFaq(question.id, FaqAudience.DELEGATION).pack(), preview[-1].result
    )
    assert "for Zavodske" in texts(published)
    async with demo.db.session() as session:
        entry = (
            await session.execute(select(FaqEntry).where(FaqEntry.key == f"question-{question.id}"))
        ).scalar_one()
        assert entry.answer == {"en": "Sorry, no pets."}
        assert entry.delegation_id == question.delegation_id is not None
        assert (await session.scalar(select(Programme.content_version))) >= 2
    assert "no pets" in texts(await demo.send(user, "can I bring my dog with me?"))
    # The programme file stays a fixed point: export, import: nothing changed.
    exported = await export_file(demo.db, tmp_path / "after-faq.yaml")
    result = await import_file(demo.db, exported)
    assert result.problems == [] and result.summary is not None
    assert result.summary.empty, result.summary.render(ZoneInfo("UTC"))


async def test_faq_wording_is_edited_before_it_is_published(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    await _ask_and_send_on(
        demo, user, "My passport is FX123456 and my room 214: may I stay longer?"
    )
    question = await _question(demo)
    posted = _staff_message(demo)
    await demo.send(coord, "Yes, until Sunday.", chat=STAFF, reply_to=posted)
    preview = await demo.press_data(
        coord, QuestionButton(QuestionAction.FAQ, question.id).pack(), posted
    )
    asked = await demo.press_data(
        coord, QuestionButton(QuestionAction.REWORD, question.id).pack(), preview[-1].result
    )
    assert "Send the question as the FAQ should show it" in texts(asked)
    done = await demo.send(coord, "May I stay longer than planned?")
    assert "Added to the FAQ" in texts(done) and "Zavodske" in texts(done)
    async with demo.db.session() as session:
        entry = (
            await session.execute(select(FaqEntry).where(FaqEntry.key == f"question-{question.id}"))
        ).scalar_one()
    assert entry.question == {"en": "May I stay longer than planned?"}
    assert "FX123456" not in str(entry.question) and entry.delegation_id == question.delegation_id


async def test_only_coordinators_answer_and_list(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    await _ask_and_send_on(demo, user, "Can I bring my dog?")
    posted = _staff_message(demo)
    intruder = demo.new_user("en")
    await demo.onboard(intruder, "en")
    await demo.send(intruder, "Yes of course", chat=STAFF, reply_to=posted)
    assert (await _question(demo)).status == "open"
    shown = texts(await demo.send(intruder, "/questions"))
    assert "Can I bring my dog" not in shown


async def test_questions_command_lists_open_unhelpful_and_unanswered(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    await _ask_and_send_on(demo, user, "Can I bring my dog?")
    await demo.send(user, "Can I drink water from the tap?")
    await demo.press(user, "👎")
    await demo.send(user, "what is the capital of Peru")
    shown = texts(await demo.send(coord, "/questions"))
    assert "Can I bring my dog?" in shown
    assert "tap" in texts(await demo.press(coord, "👎"))
    assert "capital of Peru" in texts(await demo.press(coord, "🤷"))


async def test_missing_staff_chat_keeps_the_question(demo: BotHarness) -> None:
    demo.settings.staff_chat_id = None
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    await demo.send(user, "Who painted the Mona Lisa?")
    shown = texts(await demo.press(user, "Ask the coordinators"))
    assert "is saved" in shown
    assert "not in the coordinators’ chat" in texts(await demo.send(coord, "/questions"))


async def test_bot_not_in_the_staff_chat_keeps_the_question(demo: BotHarness) -> None:
    def refuse(method: str, params: dict[str, Any]) -> ApiError | None:
        if method == "sendMessage" and str(params.get("chat_id")) == str(STAFF_CHAT):
            return ApiError(403, "Forbidden: bot was kicked from the supergroup chat")
        return None

    user = await mentee(demo, "en")
    demo.api.fault = refuse
    await demo.send(user, "Who painted the Mona Lisa?")
    shown = texts(await demo.press(user, "Ask the coordinators"))
    assert "passed on to the coordinators" in shown
    await demo.delivered()  # Telegram refuses the staff chat's copy: recorded, not retried
    question = await _question(demo)
    assert question.status == "open" and question.forwarded_at is None
    async with demo.db.session() as session:
        row = (
            await session.execute(
                select(OutboxMessage).where(OutboxMessage.kind == "staff_question")
            )
        ).scalar_one()
    assert row.status == "unreachable" and "kicked" in (row.error or "")
    coord = await coordinator(demo)
    assert "not in the coordinators’ chat" in texts(await demo.send(coord, "/questions"))


async def test_a_guest_cannot_flood_the_staff_chat(bot: BotHarness) -> None:
    from sqlalchemy import func, select

    from bot.db.models import Question

    guest = bot.new_user("en")
    await bot.onboard(guest, "en")
    alerts = []
    for n in range(5):
        await bot.send(guest, f"zxqv wvut plok {n}")
        calls = await bot.press(guest, "Ask the coordinators")
        alerts += [c for c in calls if c.method == "answerCallbackQuery" and c.params.get("text")]
    assert any("many questions today" in c.params["text"] for c in alerts)
    async with bot.db.session() as session:
        passed = await session.scalar(
            select(func.count()).select_from(Question).where(Question.status == "open")
        )
    assert passed == 3


async def test_staff_chat_speaks_the_configured_language(demo: BotHarness) -> None:
    demo.settings.staff_language = "sl"
    user = await mentee(demo, "uk")
    await _ask_and_send_on(demo, user, "Чи можна привезти собаку?")
    posted = _staff_message(demo)
    assert "Чи можна привезти собаку?" in posted["text"]
    assert "ukrajinščina" in posted["text"].lower()  # the asker's language, named in Slovenian


async def test_a_bidi_override_in_a_name_or_question_reaches_nobody(demo: BotHarness) -> None:
    """U+202E in a first name would flip the rest of the staff chat's header line."""
    user = demo.new_user(language_code="en", first_name="\u202eanelO")
    await demo.onboard(user, "en")
    await demo.register(user, "mentee-olena")
    await _ask_and_send_on(demo, user, "Can I bring my \u2067dog\u2069 along?")
    posted = _staff_message(demo)["text"]
    assert "anelO" in posted and "Can I bring my dog along?" in posted
    assert not any(ch in posted for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


async def test_the_faq_preview_can_be_cancelled(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    await _ask_and_send_on(demo, user, "Can I bring my cat?")
    posted = _staff_message(demo)
    data = posted["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await demo.press_data(coord, data, posted)
    await demo.send(coord, "Sorry, no pets.")
    # The staff message's edit after the answer goes through the outbox: let it go out first, so
    # that the worker's edit (with its ➕ FAQ button) does not fall among the cancel's calls.
    await demo.delivered()
    question = await _question(demo)
    posted = demo.api.messages[(STAFF_CHAT, question.staff_message_id)]
    preview = await demo.press_data(coord, f"q:faq:{question.id}", posted)
    cancelled = await demo.press_data(coord, f"q:fx:{question.id}", preview[-1].result)
    assert "Not published" in texts(cancelled)
    assert all(not c.buttons for c in cancelled)  # the preview's buttons are gone
    async with demo.db.session() as session:
        assert (
            await session.execute(select(FaqEntry.id).where(FaqEntry.key.like("question-%")))
        ).first() is None


async def test_one_answer_published_on_two_processes_at_once_is_one_faq_entry(
    demo: BotHarness,
) -> None:
    """Publish pressed under two previews of one answer at the same moment, on two processes
    (two coordinators, or one behind a load balancer): both read the question unpublished, their
    inserts meet at the database; one entry, both told it is published, one content version."""
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    await _ask_and_send_on(demo, user, "Can I bring my dog?")
    await demo.send(coord, "Sorry, no pets.", chat=STAFF, reply_to=_staff_message(demo))
    await demo.delivered()  # the answer, and the staff message's edit after it
    question = await _question(demo)
    faq = QuestionButton(QuestionAction.FAQ, question.id).pack()
    previews = []
    for _ in range(2):
        calls = await demo.press_data(coord, faq, _staff_message(demo))
        previews += [
            c.result
            for c in calls
            if c.method == "sendMessage" and c.chat_id == STAFF_CHAT and "dog" in c.text
        ]
    assert len(previews) == 2
    async with demo.db.session() as session:
        version = await session.scalar(select(Programme.content_version))
    publish = PublishFaq(question.id, FaqAudience.DELEGATION).pack()
    async with another_process(demo) as other:
        with meeting(demo.db, "faq_entry") as inserts:
            shown = await asyncio.gather(
                demo.press_data(coord, publish, previews[0]),
                other.press_data(coord, publish, previews[1]),
            )
    assert len(inserts) == 2
    assert all("for Zavodske" in texts(calls) for calls in shown)
    async with demo.db.session() as session:
        key = f"question-{question.id}"
        entries = (await session.scalars(select(FaqEntry).where(FaqEntry.key == key))).all()
        linked = await session.scalar(select(Question.faq_entry_id))
        assert await session.scalar(select(Programme.content_version)) == version + 1
    assert len(entries) == 1 and linked == entries[0].id


async def _answer_from_the_list(bot: BotHarness, coord: SimUser, text: str) -> None:
    """The coordinator answers with ✍️ Answer under /questions (no staff-chat message needed)."""
    await bot.send(coord, "/questions")
    await bot.press(coord, "✍️")
    await bot.send(coord, text)


async def _copies(bot: BotHarness) -> list[OutboxMessage]:
    async with bot.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == STAFF_KIND)
        return list((await session.execute(query)).scalars())


async def test_an_answer_before_the_copy_went_updates_the_waiting_copy(demo: BotHarness) -> None:
    """Answered while the staff chat's copy still waits in the outbox: the copy goes out
    showing the answer (no edit of a message that does not exist yet, and none skipped)."""
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    copy_times_out_once(demo)
    await _ask_and_send_on(demo, user, "Can I bring my dog?")
    assert [c.status for c in await _copies(demo)] == ["pending"]  # retried later
    assert not [k for k in demo.api.messages if k[0] == STAFF_CHAT]
    await _answer_from_the_list(demo, coord, "Sorry, no pets.")
    demo.clock.advance(minutes=1)
    await demo.delivered()
    question = await _question(demo)
    shown = demo.api.messages[(STAFF_CHAT, question.staff_message_id)]
    assert "Can I bring my dog?" in shown["text"] and "answered by Ana" in shown["text"]
    assert [k for k in demo.api.messages if k[0] == STAFF_CHAT] == [
        (STAFF_CHAT, question.staff_message_id)
    ]
    assert await _staff_edits(demo) == []


async def test_an_answer_while_the_copy_is_being_sent_edits_it_once_sent(
    demo: BotHarness,
) -> None:
    """Answered while the copy is being sent (claimed, its message id not known yet): the edit
    is held, and goes once the copy is recorded as sent, so the message ends answered."""
    user = await mentee(demo, "en")
    coord = await coordinator(demo)
    copy_times_out_once(demo)
    await _ask_and_send_on(demo, user, "Can I bring my dog?")
    async with demo.db.session() as session:  # another process claims the copy for a minute
        later = demo.clock.now() + timedelta(seconds=30)
        (claimed,) = await outbox.claim(session, "elsewhere", later, 10, timedelta(minutes=1))
    assert claimed.kind == STAFF_KIND
    await _answer_from_the_list(demo, coord, "Sorry, no pets.")
    [edit] = await _staff_edits(demo)
    assert edit.status == "held"
    demo.clock.advance(minutes=2)  # that process died; its lease ran out: this one sends the copy
    await demo.delivered()
    question = await _question(demo)
    shown = demo.api.messages[(STAFF_CHAT, question.staff_message_id)]
    assert "answered by Ana" in shown["text"]
    [edit] = await _staff_edits(demo)
    assert edit.status == "sent" and edit.payload["message_id"] == question.staff_message_id
