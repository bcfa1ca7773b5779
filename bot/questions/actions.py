"""What the question handlers call: one transaction each, plain values in, plain values out.

The rules are in :mod:`bot.questions.service` (storing, votes, passing on, answers, FAQ
entries); the handlers (:mod:`bot.handlers.questions`) parse, call one function here, render
and send. Button data is never trusted: each function re-checks who may act on the question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.agenda.content import FaqEntry, plain
from bot.agenda.service import ProgrammeContent
from bot.db import models
from bot.db.engine import Database
from bot.people import access
from bot.people.access import Viewer
from bot.people.awaiting import QuestionReply, StaffInput
from bot.questions import service as questions
from bot.questions.service import Listing, Resolution, Status
from bot.search.content import IndexCache
from bot.search.index import SearchIndex


@dataclass(frozen=True, slots=True)
class Question:
    """A question as the screens show it (taken inside the transaction that changed it)."""

    id: int
    asker_name: str
    role: str | None
    delegation_id: int | None
    language: str  # the asker's: answers are in it
    text: str
    status: str  # see Status
    answer_key: str | None  # what the bot answered
    forwarded_at: datetime | None  # when its copy went to the staff chat
    answer_text: str | None
    answered_by_name: str | None
    faq_entry_id: int | None


def _plain(row: models.Question | None) -> Question | None:
    return plain(Question, row) if row is not None else None


async def search_index(db: Database, cache: IndexCache, content: ProgrammeContent) -> SearchIndex:
    """The search index over ``content`` (built on first use, then kept by ``cache``)."""
    return await cache.get(db, content)


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
        found = await questions.mine(s, question_id, viewer.telegram_id)
        if found is None:
            return PassOn.GONE, None
        if found.status in (Status.OPEN, Status.ANSWERED):
            return PassOn.ALREADY, _plain(found)
        if not await questions.may_pass_on(s, viewer.telegram_id, viewer.invited, now):
            return PassOn.TOO_MANY, _plain(found)
        await questions.open_for_staff(s, found)
        question = plain(Question, found)
        if staff_chat_id is not None:
            await questions.post_to_staff(s, found, staff_chat_id, render(question), now)
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
        found = await questions.get(s, question_id)
        if found is None:
            return Awaiting.GONE, None
        if open_only and found.status == Status.ANSWERED:
            return Awaiting.ANSWERED, _plain(found)
        await access.set_awaiting(s, telegram_id, QuestionReply(step, found.id))
        return Awaiting.SET, _plain(found)


async def by_staff_message(db: Database, chat_id: int, message_id: int) -> Question | None:
    async with db.session() as s:
        return _plain(await questions.by_staff_message(s, chat_id, message_id))


async def question(db: Database, question_id: int) -> Question | None:
    async with db.session() as s:
        return _plain(await questions.get(s, question_id))


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
            return Answered.ALREADY, _plain(found)
        await questions.answer(s, found, text, by, now)
        question = plain(Question, found)
        reachable = await questions.send_answer(s, found, render(question), now)
        await questions.edit_staff_copy(s, found, staff(question), "answered", now)
    return (Answered.SENT if reachable else Answered.BLOCKED), question


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
        if found is None or entry is None:
            return _plain(found), None
        question = plain(Question, found)
        await questions.edit_staff_copy(s, found, staff(question), "faq", now)
        return question, plain(FaqEntry, entry)


async def listing(db: Database, kind: Listing) -> tuple[list[Question], dict[Listing, int]]:
    """/questions: the newest of ``kind``, and how many there are of each kind."""
    async with db.session() as s:
        found = [plain(Question, q) for q in await questions.listing(s, kind)]
        return found, await questions.counts(s)
