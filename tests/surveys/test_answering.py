"""Answering the post-visit survey through the real Application, in each language: invitation,
back, skip, change from the summary, submit, resume after a restart, and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.app import build_application
from bot.callbacks.surveys import (
    AnswerAction,
    ManageAction,
    MoveAction,
    SurveyAction,
    SurveyAnswer,
    SurveyButton,
    SurveyManage,
    SurveyMove,
)
from bot.db.models import OutboxMessage, SurveyParticipation, SurveyQuestion, SurveyResponse
from bot.jobs.surveys import tick
from bot.runtime import running
from bot.surveys.flow import MAX_TEXT
from bot.transport.updates import SimUser
from tests.harness import BotHarness, texts
from tests.surveys.world import VISIT_END, build

THANKS = {"en": "Thank you", "uk": "Дякуємо", "sl": "Hvala"}
BACK = {"en": "Back", "uk": "Назад", "sl": "Nazaj"}


async def invited(bot: BotHarness, language: str = "en", n: int = 1) -> tuple[SimUser, dict]:
    """A registered mentee of the visit, invited by the minute job once the visit is over."""
    ids = await build(bot.db, bot.clock.now())
    user = bot.new_user(language)
    await bot.onboard(user, language)
    await bot.register(user, f"mentee-{n}")
    bot.clock.set(VISIT_END + timedelta(minutes=61))
    await tick(bot.app.bot_data["services"])
    return user, ids


async def answer_the_required(bot: BotHarness, user: SimUser, sid: int) -> None:
    """Open the post-visit survey and answer its five required questions; the two optional ones
    (6 and 7) are not yet seen."""
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    answer, toggle = AnswerAction.ANSWER, AnswerAction.TOGGLE
    for data in (
        SurveyAnswer(answer, sid, 0, 4),
        SurveyAnswer(answer, sid, 1, 8),
        SurveyAnswer(answer, sid, 2, 0),
        SurveyAnswer(toggle, sid, 3, 0),
        SurveyMove(MoveAction.NEXT, sid, 3),
        SurveyAnswer(answer, sid, 4, 1),
    ):
        await bot.press_data(user, data.pack())


async def stored_response(bot: BotHarness) -> list[SurveyResponse]:
    async with bot.db.session() as s:
        return list((await s.execute(select(SurveyResponse))).scalars())


@pytest.mark.parametrize("language", ["uk", "sl", "en"])
async def test_complete_survey_with_back_skip_and_change(bot: BotHarness, language: str) -> None:
    user, ids = await invited(bot, language)
    sid = ids["post-visit"]
    async with bot.db.session() as s:
        invitation = (
            await s.execute(
                select(OutboxMessage).where(
                    OutboxMessage.chat_id == user.id, OutboxMessage.key.endswith("invite")
                )
            )
        ).scalar_one()
    assert {"uk": "Після візиту", "sl": "Po obisku", "en": "After the visit"}[
        language
    ] in invitation.payload["text"]
    [[start]] = invitation.payload["reply_markup"]["inline_keyboard"]

    shown = texts(await bot.press_data(user, start["callback_data"]))
    assert "1 / 7" in shown
    assert {"uk": "Наскільки", "sl": "Kako koristen", "en": "How useful"}[language] in shown
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 0, 4).pack())
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 1, 9).pack())
    back = texts(await bot.press(user, BACK[language]))  # back to question 2
    assert "2 / 7" in back
    bot.find_button(user, "✓ 9")  # the screen shows the stored answer (the worker may have
    # delivered the invitation meanwhile, so the survey is not always the newest message)
    await bot.press_data(
        user, SurveyAnswer(AnswerAction.ANSWER, sid, 1, 10).pack()
    )  # a changed mind, stored
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 2, 1).pack())  # "2"
    await bot.press_data(user, SurveyAnswer(AnswerAction.TOGGLE, sid, 3, 0).pack())  # "1"
    await bot.press_data(user, SurveyAnswer(AnswerAction.TOGGLE, sid, 3, 2).pack())  # "3"
    await bot.press_data(
        user, SurveyAnswer(AnswerAction.TOGGLE, sid, 3, 0).pack()
    )  # unticked again
    await bot.press_data(user, SurveyMove(MoveAction.NEXT, sid, 3).pack())
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 4, 1).pack())
    shown = texts(await bot.send(user, "Plan floods together <early>"))
    assert "7 / 7" in shown
    summary = texts(
        await bot.press_data(user, SurveyMove(MoveAction.SKIP, sid, 6).pack())
    )  # skip the optional one
    assert "✏️" not in summary and "—" in summary  # the skipped answer
    await bot.press(user, "✏️ 1")
    shown = texts(
        await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 0, 5).pack())
    )  # changed: back to summary
    assert "→ 5" in shown
    done = texts(await bot.press_data(user, SurveyButton(SurveyAction.SUBMIT, sid).pack()))
    assert THANKS[language] in done

    [response] = await stored_response(bot)
    assert response.answers == {
        "useful": 5,
        "recommend": 10,
        "best": "2",
        "topics": ["3"],
        "again": True,
        "idea": "Plan floods together <early>",
        "other": None,
    }
    assert response.telegram_id == user.id and response.submitted_at == bot.clock.now()
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert part.finished and part.draft == {}


async def test_restart_resumes_where_the_person_stopped(bot: BotHarness) -> None:
    user, ids = await invited(bot, "uk")
    sid = ids["post-visit"]
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 0, 3).pack())
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 1, 7).pack())
    old_message = bot.last_message(user)
    await bot.app.stop()  # the process ends; a new one starts on the same database a day later
    api = bot.api  # Telegram keeps its messages while the bot restarts
    bot.clock.advance(days=1)
    app = build_application(bot.settings, bot.db, clock=bot.clock, request=api)
    async with running(app):
        again = BotHarness(app=app, api=api, db=bot.db, clock=bot.clock, settings=bot.settings)
        await again.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack(), old_message)
        shown = api.messages[(user.id, old_message["message_id"])]["text"]
        assert "3 / 7" in shown and "Найкраща частина?" in shown
        await again.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 2, 0).pack())
        async with bot.db.session() as s:
            part = (await s.execute(select(SurveyParticipation))).scalar_one()
        assert part.draft == {"useful": 3, "recommend": 7, "best": "1"} and part.position == 3
    await bot.app.start()


async def test_a_step_writes_the_expected_reply_only_when_it_is_not_stored(
    bot: BotHarness,
) -> None:
    """Each step reads the expected reply with the participation: a step that expects what is
    stored writes no account; one after another process changed it (behind this process's
    cached viewer) stores the survey's again, so the person's next text is the answer."""
    from sqlalchemy import event

    from bot.db.models import Account
    from bot.people.awaiting import RatingCommentReply, SurveyReply

    user, ids = await invited(bot, "en")
    sid = ids["post-visit"]
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 0, 3).pack())
    statements: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_: object) -> None:
        statements.append(" ".join(statement.split()))

    engine = bot.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 1, 7).pack())
        same = list(statements)
        async with bot.db.session() as s:  # another process: a comment asked for
            await s.execute(
                update(Account)
                .where(Account.telegram_id == user.id)
                .values(
                    awaiting=RatingCommentReply(1).pack(),
                    awaiting_kind=RatingCommentReply.prefix,
                )
            )
        statements.clear()
        await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 2, 0).pack())
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert [x for x in same if x.startswith("UPDATE account")] == []
    assert len([x for x in statements if x.startswith("UPDATE account SET awaiting")]) == 1
    async with bot.db.session() as s:
        account = await s.get(Account, user.id)
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert account is not None and account.awaiting == SurveyReply(sid).pack()
    assert part.draft == {"useful": 3, "recommend": 7, "best": "1"} and part.position == 3


async def test_second_submission_is_not_counted(bot: BotHarness) -> None:
    user, ids = await invited(bot, "en")
    sid = ids["post-visit"]
    answer, toggle = AnswerAction.ANSWER, AnswerAction.TOGGLE
    for data in (
        SurveyButton(SurveyAction.OPEN, sid),
        SurveyAnswer(answer, sid, 0, 1),
        SurveyAnswer(answer, sid, 1, 0),
        SurveyAnswer(answer, sid, 2, 2),  # the third choice
        SurveyAnswer(toggle, sid, 3, 1),
        SurveyMove(MoveAction.NEXT, sid, 3),
        SurveyAnswer(answer, sid, 4, 0),
        SurveyMove(MoveAction.SKIP, sid, 5),
        SurveyMove(MoveAction.SKIP, sid, 6),
    ):
        await bot.press_data(user, data.pack())
    assert "Thank you" in texts(
        await bot.press_data(user, SurveyButton(SurveyAction.SUBMIT, sid).pack())
    )
    again = texts(await bot.press_data(user, SurveyButton(SurveyAction.SUBMIT, sid).pack()))
    assert "already sent your answers" in again
    # A button of an old message. (The answer is read from the press's own calls: the newest
    # message of the chat may be a session-rating prompt that the real-time timer job sent
    # meanwhile, as it did in a slow landing run.)
    old_button = SurveyAnswer(AnswerAction.ANSWER, sid, 0, 5).pack()
    assert "already sent your answers" in texts(await bot.press_data(user, old_button))
    [response] = await stored_response(bot)
    assert response.answers["useful"] == 1


async def test_required_questions_cannot_be_skipped_or_left_empty(bot: BotHarness) -> None:
    user, ids = await invited(bot, "en")
    sid = ids["post-visit"]
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    assert "needs an answer" in texts(
        await bot.press_data(user, SurveyMove(MoveAction.SKIP, sid, 0).pack())
    )
    assert "not one of the answers" in texts(
        await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 0, 9).pack())
    )
    assert "Some required questions" in texts(
        await bot.press_data(user, SurveyButton(SurveyAction.SUBMIT, sid).pack())
    )
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert part.draft == {} and not part.finished
    assert await stored_response(bot) == []


async def test_free_text_where_a_choice_is_expected(bot: BotHarness) -> None:
    user, ids = await invited(bot, "en")
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, ids["post-visit"]).pack())
    shown = texts(await bot.send(user, "five"))
    assert "Please answer with the buttons" in shown and "1 / 7" in shown
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert part.draft == {}


PRESS_START = {
    "en": "press “Start”",
    "uk": "натисніть «Почати»",
    "sl": "pritisnite »Začni«",
}


@pytest.mark.parametrize("language", ["uk", "sl", "en"])
async def test_text_typed_on_the_introduction_is_not_an_answer(
    bot: BotHarness, language: str
) -> None:
    """Back from the first question leads to the introduction; a message typed there is not the
    first question's answer (here a free-text question): nothing is stored, and the person is
    told to press Start, in their language."""
    user, ids = await invited(bot, language)
    sid = ids["post-visit"]
    async with bot.db.session() as s:
        await s.execute(
            update(SurveyQuestion).where(SurveyQuestion.key == "useful").values(kind="text")
        )
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    await bot.press(user, BACK[language])  # the introduction, with its Start button
    shown = await bot.send(user, "My idea: a flood plan for the whole valley")
    assert PRESS_START[language] in texts(shown)
    assert "/ 7" not in texts(shown)  # no question screen instead
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert part.draft == {} and part.position == 0
    # Start, then the same text answers the first question.
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    await bot.send(user, "My idea: a flood plan for the whole valley")
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert part.draft == {"useful": "My idea: a flood plan for the whole valley"}


async def test_overlong_text_is_refused_with_the_limit_and_its_tail_ignored(
    bot: BotHarness,
) -> None:
    user, ids = await invited(bot, "en")
    sid = ids["post-visit"]
    await answer_the_required(bot, user, sid)
    refused = texts(await bot.send(user, "x" * 5000))
    assert "5000 characters" in refused and f"the limit is {MAX_TEXT}" in refused
    # Telegram delivers the rest of a long text as a second message right after: not an answer.
    tail = texts(await bot.send(user, "the end of the long text"))
    assert "none of it was saved" in tail
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
    assert "idea" not in part.draft and part.position == 5


async def test_closed_survey_refuses_answers_and_keeps_nothing_new(bot: BotHarness) -> None:
    from tests.conftest import COORDINATOR_ID

    user, ids = await invited(bot, "en")
    sid = ids["post-visit"]
    await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 0, 2).pack())
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    await bot.press_data(coordinator, SurveyManage(ManageAction.CLOSE, sid).pack())
    assert "is closed" in texts(
        await bot.press_data(coordinator, SurveyManage(ManageAction.CLOSE_CONFIRMED, sid).pack())
    )
    refused = texts(await bot.press_data(user, SurveyAnswer(AnswerAction.ANSWER, sid, 1, 5).pack()))
    assert "survey is closed" in refused
    async with bot.db.session() as s:
        part = (await s.execute(select(SurveyParticipation))).scalar_one()
        pending = (
            (
                await s.execute(
                    select(OutboxMessage.status).where(
                        OutboxMessage.key.startswith(f"survey:{user.id}:")
                    )
                )
            )
            .scalars()
            .all()
        )
    assert part.draft == {"useful": 2}  # a named survey keeps what was given
    assert pending and "pending" not in pending  # the invitation was sent or cancelled


async def test_not_invited_person_cannot_answer(bot: BotHarness) -> None:
    await build(bot.db, bot.clock.now())
    stranger = bot.new_user("en")
    await bot.onboard(stranger, "en")
    assert "registered participants only" in texts(
        await bot.press_data(stranger, SurveyAnswer(AnswerAction.ANSWER, 1, 0, 5).pack())
    )
    assert await stored_response(bot) == []
