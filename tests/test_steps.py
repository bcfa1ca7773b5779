"""Multi-step flows: every step has Back, and a used step makes nothing more — on a double tap,
and on a press after the bot restarted (the memory of used steps is in the database).

Flows: /invite (tests/people/test_admin.py walks its Back buttons), the survey launch, role
changes in /roles, /forget, answering a survey; each through the real Application.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import func, select, text

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
from bot.db.models import Account, AuditEntry, Invite, OutboxMessage, SurveyResponse
from bot.transport.local_api import ApiCall
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, restarted, texts
from tests.people.test_admin import _coordinator, _structure, delegation_invite_last_step
from tests.surveys.test_answering import invited
from tests.surveys.world import build


def _labels(calls: list[ApiCall]) -> list[str]:
    return [str(b.get("text", "")) for c in calls for b in c.buttons]


def _to(user_id: int, calls: list[ApiCall]) -> list[str]:
    """The methods of the calls about ``user_id``'s chat (a restarted delivery worker may send
    other people their messages meanwhile)."""
    return [c.method for c in calls if c.method == "answerCallbackQuery" or c.chat_id == user_id]


async def _count(bot: BotHarness, model: object) -> int:
    async with bot.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


async def test_a_used_invite_step_makes_nothing_after_a_restart(bot: BotHarness) -> None:
    await _structure(bot)
    coordinator = await _coordinator(bot)
    step, data = await delegation_invite_last_step(bot, coordinator)
    await bot.press_data(coordinator, data, step)
    async with restarted(bot) as again:
        pressed = await again.press_data(coordinator, data, step)  # the old step, a new process
    assert [c.method for c in pressed] == ["answerCallbackQuery"]
    assert await _count(bot, Invite) == 1


@asynccontextmanager
async def _invites_refused(bot: BotHarness) -> AsyncIterator[None]:
    """The database refuses every new invite row (a trigger: a failure of the real database,
    as a full disk or a lost connection would be) while the block runs."""
    postgres = bot.db.dialect == "postgresql"
    create = (
        [
            "CREATE FUNCTION refuse_row() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; "
            "END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_invite BEFORE INSERT ON invite FOR EACH ROW "
            "EXECUTE FUNCTION refuse_row()",
        ]
        if postgres
        else [
            "CREATE TRIGGER refuse_invite BEFORE INSERT ON invite "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ]
    )
    drop = (
        ["DROP TRIGGER refuse_invite ON invite", "DROP FUNCTION refuse_row()"]
        if postgres
        else ["DROP TRIGGER refuse_invite"]
    )
    async with bot.db.session() as s:
        for statement in create:
            await s.execute(text(statement))
    try:
        yield
    finally:
        async with bot.db.session() as s:
            for statement in drop:
                await s.execute(text(statement))


async def test_a_step_whose_invite_failed_can_be_pressed_again(bot: BotHarness) -> None:
    """The step is used up in the transaction that makes the invite: when making it fails, the
    step is not used, and the next press makes the invite."""
    await _structure(bot)
    coordinator = await _coordinator(bot)
    step, data = await delegation_invite_last_step(bot, coordinator)
    async with _invites_refused(bot):
        with bot.tolerating():
            await bot.press_data(coordinator, data, step)
    assert await _count(bot, Invite) == 0
    assert bot.failures  # the update failed in the error handler
    bot.failures.clear()
    pressed = await bot.press_data(coordinator, data, step)
    assert "t.me/" in texts(pressed)
    assert await _count(bot, Invite) == 1


async def test_a_survey_launch_step_makes_nothing_after_a_restart(bot: BotHarness) -> None:
    ids = await build(bot.db, bot.clock.now())
    for n in (1, 2):
        user = bot.new_user("en")
        await bot.onboard(user, "en")
        await bot.register(user, f"mentee-{n}")
    coordinator = bot.new_user("en")
    coordinator.id = COORDINATOR_ID
    await bot.onboard(coordinator, "en")
    await bot.press_data(coordinator, SurveyManage(ManageAction.PICK_AUDIENCE, ids["anon"]).pack())
    await bot.press(coordinator, "All participants")
    step, send = bot.find_button(coordinator, "Send")
    assert "on their way to 2 people" in texts(await bot.press_data(coordinator, send, step))
    async with restarted(bot) as again:
        pressed = await again.press_data(coordinator, send, step)
    assert _to(coordinator.id, pressed) == ["answerCallbackQuery"]
    async with bot.db.session() as s:
        launches = await s.scalar(select(func.count()).where(AuditEntry.action == "survey.launch"))
    assert launches == 1


async def test_roles_step_by_step_with_back_and_a_double_tap(bot: BotHarness) -> None:
    await _structure(bot)
    coordinator = await _coordinator(bot)
    mentee = bot.new_user("uk", first_name="Iryna")
    await bot.onboard(mentee, "uk")
    await bot.register(mentee, "p1")
    listed = await bot.send(coordinator, "/roles")
    assert any(label.startswith("⬅️") for label in _labels(listed))  # back to the menu
    card = await bot.press(coordinator, "Iryna Koval")
    assert "⬅️ Back" in _labels(card)
    step, host = bot.find_button(coordinator, "host")
    await bot.press_data(coordinator, host, step)
    again = await bot.press_data(coordinator, host, step)  # a double tap: nothing more changes
    assert [c.method for c in again] == ["answerCallbackQuery"]
    async with bot.db.session() as s:
        grants = await s.scalar(select(func.count()).where(AuditEntry.action == "role.grant"))
        account = await s.get(Account, mentee.id)
    assert grants == 1 and account is not None and account.role_override == "host"
    assert "Roles" in texts(await bot.press(coordinator, "Back"))


async def test_forget_has_a_way_back_and_a_second_tap_changes_nothing(bot: BotHarness) -> None:
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    shown = await bot.send(user, "/forget")
    assert any(label.startswith("⬅️") for label in _labels(shown))
    assert "Main menu" in texts(await bot.press(user, "Menu"))  # Back: nothing is deleted
    async with bot.db.session() as s:
        assert await s.get(Account, user.id) is not None
    await bot.send(user, "/forget")
    step, yes = bot.find_button(user, "Yes, delete my data")
    deleted = await bot.press_data(user, yes, step)
    assert "has been deleted" in texts(deleted)
    async with restarted(bot) as again:
        pressed = await again.press_data(user, yes, step)
    assert [c.method for c in pressed] == ["answerCallbackQuery"]


async def test_every_survey_step_has_back_and_a_second_send_keeps_the_thanks(
    bot: BotHarness,
) -> None:
    user, ids = await invited(bot, "en")
    sid = ids["post-visit"]
    first = await bot.press_data(user, SurveyButton(SurveyAction.OPEN, sid).pack())
    assert "⬅️ Back" in _labels(first)  # the first question: back to the introduction
    # The press edits its message (the delivery worker may send the invitation meanwhile).
    intro = [c for c in await bot.press(user, "Back") if c.method == "editMessageText"]
    assert "You can stop at any time" in texts(intro) and _labels(intro) == ["Start"]
    await bot.press(user, "Start")
    answer, toggle = AnswerAction.ANSWER, AnswerAction.TOGGLE
    for press in (
        SurveyAnswer(answer, sid, 0, 1),
        SurveyAnswer(answer, sid, 1, 0),
        SurveyAnswer(answer, sid, 2, 2),
        SurveyAnswer(toggle, sid, 3, 1),
        SurveyMove(MoveAction.NEXT, sid, 3),
        SurveyAnswer(answer, sid, 4, 0),
        SurveyMove(MoveAction.SKIP, sid, 5),
        SurveyMove(MoveAction.SKIP, sid, 6),
    ):
        shown = await bot.press_data(user, press.pack())
        assert "⬅️ Back" in _labels(shown), press
    summary = bot.last_message(user)
    assert "Check them before sending" in summary["text"]
    back = await bot.press(user, "Back")  # from the summary to the last question
    assert "7 / 7" in texts(back)
    await bot.press_data(user, SurveyMove(MoveAction.SKIP, sid, 6).pack())
    step, send = bot.find_button(user, "Send answers")
    assert "Thank you" in texts(await bot.press_data(user, send, step))
    again = await bot.press_data(user, send, step)  # a double tap: the thanks stay
    assert [c.method for c in again] == ["answerCallbackQuery"]
    async with restarted(bot) as later:
        pressed = await later.press_data(user, send, step)
    assert [c.method for c in pressed] == ["answerCallbackQuery"]
    assert "Thank you" in bot.last_message(user)["text"]
    assert await _count(bot, SurveyResponse) == 1
    async with bot.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) is not None


async def test_results_and_surveys_lead_back(bot: BotHarness) -> None:
    await build(bot.db, bot.clock.now())
    coordinator = bot.new_user("en")
    coordinator.id = COORDINATOR_ID
    await bot.onboard(coordinator, "en")
    listed = await bot.send(coordinator, "/results")
    assert "⬅️ Menu" in _labels(listed)
    survey = await bot.press(coordinator, "📊")
    assert "⬅️ Back" in _labels(survey)
    assert "Choose a survey" in texts(await bot.press(coordinator, "Back"))
    ratings = await bot.press(coordinator, "Session ratings")
    assert "⬅️ Back" in _labels(ratings)
    assert "Choose a survey" in texts(await bot.press(coordinator, "Back"))
    assert "⬅️ Menu" in _labels(await bot.send(coordinator, "/survey"))
