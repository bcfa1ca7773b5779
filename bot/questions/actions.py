"""What the question handlers call: one transaction each, plain values in, rows or outcomes out.

The rules are in :mod:`bot.questions.service` (storing, votes, passing on, answers, FAQ
entries); the handlers (:mod:`bot.handlers.questions`) parse, call one function here, render
and send. Button data is never trusted: each function re-checks who may act on the question.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.agenda.service import ProgrammeContent
from bot.db.engine import Database
from bot.db.models import FaqEntry, Question
from bot.people import access
from bot.people.access import Viewer
from bot.people.awaiting import QuestionReply, StaffInput
from bot.questions import service as questions
from bot.questions.service import Listing, Resolution, Status
from bot.search.content import IndexCache
from bot.search.index import SearchIndex


async def search_index(db: Database, cache: IndexCache, content: ProgrammeContent) -> SearchIndex:
    """The search index over ``content`` (built on first use, then kept by ``cache``)."""
    async with db.session() as s:
        return await cache.get(s, content)


async def store(
    db: Database, viewer: Viewer, text: str, resolution: Resolution, now: datetime
) -> int:
    """Store the question with how the bot answered it; returns its id."""
    async with db.session() as s:
        return (await questions.record(s, viewer, text, resolution, now)).id


async def vote(
    db: Database, question_id: int, telegram_id: int, helpful: bool, now: datetime
) -> bool:
    """👍/👎 of the asker on an automatic answer; False when it is not theirs or not one."""
    async with db.session() as s:
        question = await questions.mine(s, question_id, telegram_id)
        if question is None or question.status != Status.AUTO:
            return False
        await questions.vote(s, question, helpful, now)
    return True


async def choose(
    db: Database,
    question_id: int,
    telegram_id: int,
    place: int,
    allowed: Callable[[str], bool],
    now: datetime,
) -> str | None:
    """The asker tapped the offered entry at ``place``: its key, or None when the question is
    not theirs, there is no such place, or ``allowed`` refuses the entry now."""
    async with db.session() as s:
        question = await questions.mine(s, question_id, telegram_id)
        offered = question.alternatives if question is not None else []
        key = offered[place] if 0 <= place < len(offered) else None
        if question is None or key is None or not allowed(key):
            return None
        await questions.choose_alternative(s, question, key, now)
    return key


class PassOn(StrEnum):
    GONE = "gone"  # no such question of this person
    ALREADY = "already"  # passed on (or answered) before
    TOO_MANY = "too_many"  # the day's limit
    OPEN = "open"  # now waiting for a coordinator


#: Renders a question (or its answer) as an outbox payload, in the reader's language.
Render = Callable[[Question], dict[str, Any]]


async def pass_on(
    db: Database,
    question_id: int,
    viewer: Viewer,
    now: datetime,
    staff_chat_id: int | None,
    render: Render,
) -> tuple[PassOn, Question | None]:
    """The asker passes the question on to the coordinators: it waits for them (``open``), and
    its copy for the staff chat, rendered by ``render``, goes into the outbox when there is one."""
    async with db.session() as s:
        question = await questions.mine(s, question_id, viewer.telegram_id)
        if question is None:
            return PassOn.GONE, None
        if question.status in (Status.OPEN, Status.ANSWERED):
            return PassOn.ALREADY, question
        if not await questions.may_pass_on(s, viewer.telegram_id, viewer.invited, now):
            return PassOn.TOO_MANY, question
        await questions.open_for_staff(s, question)
        if staff_chat_id is not None:
            await questions.post_to_staff(s, question, staff_chat_id, render(question), now)
    return PassOn.OPEN, question


class Awaiting(StrEnum):
    GONE = "gone"
    ANSWERED = "answered"  # answered already (when only an open question may be answered)
    SET = "set"


async def await_reply(
    db: Database, question_id: int, telegram_id: int, step: StaffInput, *, open_only: bool
) -> tuple[Awaiting, Question | None]:
    """The coordinator's next private message is awaited as ``step`` for the question."""
    async with db.session() as s:
        question = await questions.get(s, question_id)
        if question is None:
            return Awaiting.GONE, None
        if open_only and question.status == Status.ANSWERED:
            return Awaiting.ANSWERED, question
        await access.set_awaiting(s, telegram_id, QuestionReply(step, question.id))
    return Awaiting.SET, question


async def by_staff_message(db: Database, chat_id: int, message_id: int) -> Question | None:
    async with db.session() as s:
        return await questions.by_staff_message(s, chat_id, message_id)


async def question(db: Database, question_id: int) -> Question | None:
    async with db.session() as s:
        return await questions.get(s, question_id)


class Answered(StrEnum):
    GONE = "gone"
    ALREADY = "already"  # answered before
    SENT = "sent"  # on its way to the asker
    BLOCKED = "blocked"  # on its way, but the asker is known to have blocked the bot


async def answer(
    db: Database,
    question_id: int,
    text: str,
    by: Viewer,
    now: datetime,
    render: Render,
    staff: Render,
) -> tuple[Answered, Question | None]:
    """A coordinator's answer: stored, and (rendered by ``render``) put in the outbox for the
    asker; the question's staff-chat message is edited to what ``staff`` renders (outbox)."""
    async with db.session() as s:
        found = await questions.get(s, question_id)
        if found is None:
            return Answered.GONE, None
        if found.status == Status.ANSWERED:
            return Answered.ALREADY, found
        await questions.answer(s, found, text, by, now)
        reachable = await questions.send_answer(s, found, render(found), now)
        await questions.edit_staff_copy(s, found, staff(found), "answered", now)
    return (Answered.SENT if reachable else Answered.BLOCKED), found


async def publish(
    db: Database,
    question_id: int,
    wording: str | None,
    now: datetime,
    staff: Render,
    *,
    everyone: bool,
) -> tuple[Question | None, FaqEntry | None]:
    """The answered question as a FAQ entry (see :func:`bot.questions.service.to_faq`); its
    staff-chat message is edited to what ``staff`` renders (outbox)."""
    async with db.session() as s:
        found = await questions.get(s, question_id)
        entry = await questions.to_faq(s, found, wording, everyone=everyone) if found else None
        if found is not None and entry is not None:
            await questions.edit_staff_copy(s, found, staff(found), "faq", now)
    return found, entry


async def listing(db: Database, kind: Listing) -> tuple[list[Question], dict[Listing, int]]:
    """/questions: the newest of ``kind``, and how many there are of each kind."""
    async with db.session() as s:
        return await questions.listing(s, kind), await questions.counts(s)
