"""Multi-step flows: every step has Back, and a used step makes nothing more — on a double tap,
and on a press after the bot restarted (the memory of used steps is in the database).

Flows: /invite (tests/people/test_admin.py walks its Back buttons), the survey launch, role
changes in /roles, /forget, answering a survey; each through the real Application.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

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
from bot.db.models import Account, AuditEntry, Invite, OutboxMessage, SurveyResponse, UsedStep
from bot.transport.local_api import ApiCall
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, another_process, restarted, texts
from tests.people.test_admin import _coordinator, _structure, delegation_invite_last_step
from tests.races import meeting
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
async def _refused(bot: BotHarness, table: str) -> AsyncIterator[None]:
    """The database refuses every new row of ``table`` (a trigger: a failure of the real
    database, as a full disk or a lost connection would be) while the block runs."""
    postgres = bot.db.dialect == "postgresql"
    create = (
        [
            "CREATE FUNCTION refuse_row() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; "
            "END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} FOR EACH ROW "
            "EXECUTE FUNCTION refuse_row()",
        ]
        if postgres
        else [
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ]
    )
    drop = (
        [f"DROP TRIGGER refuse_{table} ON {table}", "DROP FUNCTION refuse_row()"]
        if postgres
        else [f"DROP TRIGGER refuse_{table}"]
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
    async with _refused(bot, "invite"):
        with bot.tolerating():
            await bot.press_data(coordinator, data, step)
    assert await _count(bot, Invite) == 0
    assert bot.failures  # the update failed in the error handler
    bot.failures.clear()
    pressed = await bot.press_data(coordinator, data, step)
    assert "t.me/" in texts(pressed)
    assert await _count(bot, Invite) == 1


async def _survey_launch_step(bot: BotHarness) -> tuple[SimUser, dict[str, Any], str]:
    """A coordinator at the last step of sending the anonymous survey to its two participants:
    the coordinator, the step's message and its Send button's data."""
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
    return coordinator, step, send


async def _launches(bot: BotHarness) -> int:
    async with bot.db.session() as s:
        found = await s.scalar(select(func.count()).where(AuditEntry.action == "survey.launch"))
    return int(found or 0)


async def test_a_survey_launch_step_makes_nothing_after_a_restart(bot: BotHarness) -> None:
    coordinator, step, send = await _survey_launch_step(bot)
    assert "on their way to 2 people" in texts(await bot.press_data(coordinator, send, step))
    async with restarted(bot) as again:
        pressed = await again.press_data(coordinator, send, step)
    assert _to(coordinator.id, pressed) == ["answerCallbackQuery"]
    assert await _launches(bot) == 1


async def test_a_step_whose_launch_failed_can_be_pressed_again(bot: BotHarness) -> None:
    """The database refuses the invitations (outbox rows) on the first press: nothing is sent
    or recorded, the step is not used, and the next press launches the survey."""
    coordinator, step, send = await _survey_launch_step(bot)
    async with _refused(bot, "outbox_message"):
        with bot.tolerating():
            failed = await bot.press_data(coordinator, send, step)
    assert "on their way" not in texts(failed)
    assert await _launches(bot) == 0 and await _count(bot, OutboxMessage) == 0
    assert await _count(bot, UsedStep) == 0
    bot.failures.clear()
    assert "on their way to 2 people" in texts(await bot.press_data(coordinator, send, step))
    assert await _launches(bot) == 1 and await _count(bot, OutboxMessage) == 2


async def test_one_invite_step_pressed_on_two_processes_at_once_makes_one_invite(
    bot: BotHarness,
) -> None:
    """Both presses read the step unused; their claims meet at the database: one invite, and
    the second press is only answered."""
    await _structure(bot)
    coordinator = await _coordinator(bot)
    step, data = await delegation_invite_last_step(bot, coordinator)
    async with another_process(bot) as other:
        with meeting(bot.db, "used_step") as claims:
            pressed = await asyncio.gather(
                bot.press_data(coordinator, data, step), other.press_data(coordinator, data, step)
            )
    assert len(claims) == 2
    assert sorted(len(calls) for calls in pressed)[0] == 1  # answerCallbackQuery only
    assert await _count(bot, Invite) == 1


async def test_one_launch_step_pressed_on_two_processes_at_once_launches_once(
    bot: BotHarness,
) -> None:
    coordinator, step, send = await _survey_launch_step(bot)
    async with another_process(bot) as other:
        with meeting(bot.db, "used_step") as claims:
            await asyncio.gather(
                bot.press_data(coordinator, send, step), other.press_data(coordinator, send, step)
            )
    assert len(claims) == 2
    assert await _launches(bot) == 1 and await _count(bot, OutboxMessage) == 2


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
    step, host = bot.find_button(coordinator, "Host")
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
