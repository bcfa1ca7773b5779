"""Questions people type: answering them, storing them, and the coordinators behind the bot.

Every question is stored. A message about danger is answered first, with the emergency entries and
the medical contact (:mod:`bot.search.safety`). Otherwise the bot answers from the live programme
(:mod:`bot.search.intents`) or from the ranked FAQ, logistics and resources
(:mod:`bot.search.index`), each question of a several-question message on its own
(:mod:`bot.search.parts`); below the confidence threshold it offers the plausible entries as
choices, or says it has no answer, and offers to pass the question on. Passed-on questions wait
for a coordinator (``open``) until one answers; answers can become FAQ entries; votes, taps and
staff answers teach the ranking (:mod:`bot.search.learning`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.inserts import insert_new
from bot.db.models import Account, FaqEntry, Programme, Question
from bot.db.models.outbox import CANCELLED, FAILED, PENDING, SENT, UNREACHABLE
from bot.delivery import outbox
from bot.delivery.outbox import Claimed
from bot.i18n import LANGUAGES
from bot.infra import metrics
from bot.infra.text import clean
from bot.people.access import Viewer
from bot.questions.listing import Listing
from bot.search import learning
from bot.search.content import safety_documents
from bot.search.index import CHOICE_RATIO, Document, SearchIndex, SearchResult, day_term
from bot.search.intents import CONTACT, WEEKDAY, Intent, detect_intent
from bot.search.parts import question_groups
from bot.search.safety import Danger, danger_in
from bot.search.text import detect_language, tokens

#: Longest question stored (Telegram allows 4,096 characters in a message).
MAX_TEXT = 4000


class Status(StrEnum):
    AUTO = "auto"
    DECLINED = "declined"
    OPEN = "open"
    ANSWERED = "answered"


class BadInput(StrEnum):
    EMPTY = "empty"
    NO_WORDS = "no_words"  # only emoji, punctuation or numbers


def check_input(text: str) -> BadInput | None:
    """Why a message cannot be a question, or None when it can."""
    if not text.strip():
        return BadInput.EMPTY
    letters = [c for c in text if unicodedata.category(c).startswith("L")]
    if len(letters) < 2:
        return BadInput.NO_WORDS
    return None


@dataclass(frozen=True, slots=True)
class Resolution:
    """How the bot answers a question: safety first, a live intent, ranked entries (sure, or
    offered as choices), or not at all; ``also`` answers the other questions of the message."""

    typed_language: str | None
    intent: Intent | None = None
    result: SearchResult | None = None
    danger: Danger | None = None
    safety: tuple[Document, ...] = ()
    also: tuple[Document, ...] = ()

    @property
    def answered(self) -> bool:
        return (
            bool(self.safety)
            or self.intent is not None
            or (self.result is not None and self.result.confident)
        )

    @property
    def best(self) -> Document | None:
        if self.result is None or not self.result.confident or self.result.best is None:
            return None
        return self.result.best.document

    @property
    def alternatives(self) -> list[Document]:
        """Close entries beside a sure answer, or the choices offered instead of one."""
        if self.intent is not None or self.safety or self.result is None:
            return []
        if self.result.confident:
            close = [m.document for m in self.result.close()]
        else:
            close = [m.document for m in self.result.choices()]
        return [d for d in close if d not in self.also]

    @property
    def choices(self) -> list[Document]:
        """Entries offered because none is sure enough: the choices for the whole message,
        then those for its other questions (the order of :func:`offered_keys`)."""
        if self.answered or self.result is None:
            return []
        return [*self.alternatives, *self.also]

    @property
    def answer_key(self) -> str | None:
        if self.safety:
            return self.safety[0].key
        if self.intent is not None:
            return f"intent:{self.intent.name}"
        best = self.best
        return best.key if best else None

    @property
    def score(self) -> float | None:
        if self.result is None or self.result.best is None:
            return None
        return round(self.result.best.score, 3)


def resolve(
    text: str,
    index: SearchIndex,
    allowed: Callable[[Document], bool] | None,
    today: date,
    *,
    live: bool,
) -> Resolution:
    """Decide how to answer ``text``; ``live`` is False for guests (no agenda, no logistics).

    The ranked result is kept beside a live intent: it is the fallback when the programme has
    nothing live for the intent.
    """
    result = index.search(text, allowed)
    language = result.language.code if result.language else None
    danger = danger_in(text)
    if danger is not None:
        safety = tuple(safety_documents(index, allowed or (lambda _d: True)))
        if safety:
            return Resolution(language, result=result, danger=danger, safety=safety)
    intent = detect_intent(text, today) if live else None
    if intent is not None and intent.day is not None:
        day = day_term(intent.day.weekday())
        titled = next(
            (
                m
                for m in result.matches
                if m.topic >= _DAY_ENTRY_TOPIC
                or (
                    intent.name == WEEKDAY
                    and m.topic >= _DAY_TITLED_TOPIC
                    and index.titled(m.document, day)
                )
            ),
            None,
        )
        if titled is not None:  # "what happens on Saturday" has its own entry: it answers
            others = [m for m in result.matches if m is not titled]
            result, intent = SearchResult(result.language, [titled, *others], True), None
    if intent is not None and intent.name == CONTACT and _names_one(result):
        intent = None  # "kontakt gostitelja": the host's contact, not every contact
    result, also = _several(text, index, allowed, result)
    return Resolution(language, intent=intent, result=result, also=also)


#: An entry whose title or question is this much about what a question about a day asks, or
#: names the weekday asked about ("What happens on Saturday?"), answers it rather than the
#: day's agenda.
_DAY_ENTRY_TOPIC = 0.9
#: ... as long as the question asks for this much of that title: a title that names the day
#: among many other words is about those.
_DAY_TITLED_TOPIC = 0.2


#: A contact question sure of one contact whose title it asks for this much ("kontakt
#: gostitelja" / "Gostitelj — Marko Novak") gets that contact, not the list of every contact.
_NAMED_CONTACT_TOPIC = 0.2


def _names_one(result: SearchResult) -> bool:
    best = result.best
    return (
        result.confident
        and best is not None
        and best.topic >= _NAMED_CONTACT_TOPIC
        and getattr(best.document.payload, "category", None) == "contact"
    )


def _several(
    text: str,
    index: SearchIndex,
    allowed: Callable[[Document], bool] | None,
    whole: SearchResult,
) -> tuple[SearchResult, tuple[Document, ...]]:
    """A message with several questions: the first sure part answers, the others' best entries
    are offered beside it. One question (or parts none of which is sure): the whole message."""
    groups = [
        [(t, index.search(t, allowed)) for t in g] for g in question_groups(text, whole.confident)
    ]
    parts = [p for g in groups for _t, p in g]
    # A part of one word is an item of a list ("витрати на автобус і літак"), not a question;
    # a clause sure of an entry while a clause of the same question points to another is no
    # question of its own ("kako pridem noter, ko je recepcija zaprta": not the departure); nor
    # is a part sure of an entry the message as a whole does not rank among its likeliest (in
    # a story, "Нам їх потім хтось віддасть?" is about the allowance, not the laundry).
    likely = {m.document.key for m in whole.matches}
    sure = [
        p
        for g in groups
        for t, p in g
        if p.confident
        and p.best is not None
        and len(tokens(t)) >= _PART_WORDS
        and (whole.confident or p.best.document.key in likely)
        and not any(_points_elsewhere(index, o, p) for _u, o in g if o is not p)
    ]
    if not sure:
        # No part is sure: the likeliest entry for the whole and for each part are offered.
        offered = _unique(m.document for p in [whole, *parts] for m in p.choices()[:1])
        if len(offered) >= 2 and not whole.confident:
            return SearchResult(whole.language, [], False), tuple(offered)
        return whole, ()
    first = sure[0]
    assert first.best is not None
    main = whole if whole.confident and whole.best is not None else first
    seen = {main.best.document.key} if main.best else set()
    also: list[Document] = []
    for part in parts:
        offered = part.best if part.confident else next(iter(part.choices()), None)
        if offered is not None and offered.document.key not in seen:
            seen.add(offered.document.key)
            also.append(offered.document)
    return main, tuple(also)


def _points_elsewhere(index: SearchIndex, clause: SearchResult, sure: SearchResult) -> bool:
    """Whether an unsure clause's likeliest entry is one the sure clause beside it does not
    rank, nor its twin, and nearly as strong: the two read one question two ways."""
    choices = clause.choices()
    if clause.confident or not choices or sure.best is None:
        return False
    theirs = choices[0]
    mine = {m.document.key for m in sure.matches}
    return (
        theirs.document.key not in mine
        and not index.twins(theirs.document, sure.best.document)
        and theirs.score >= CHOICE_RATIO * sure.best.score
    )


#: Words a part of a message needs to be answered on its own.
_PART_WORDS = 2


def _unique(documents: Iterable[Document]) -> list[Document]:
    out: list[Document] = []
    for doc in documents:
        if all(doc.key != d.key for d in out):
            out.append(doc)
    return out


def offered_keys(resolution: Resolution) -> list[str]:
    """The entries offered as buttons, in button order (a tap names its place here)."""
    return [d.key for d in [*resolution.alternatives, *resolution.also]]


def detected_language(text: str) -> str | None:
    language = detect_language(tokens(text))
    return language.code if language else None


# ------------------------------------------------------------------------------- storage


async def record(
    session: AsyncSession,
    viewer: Viewer,
    text: str,
    resolution: Resolution | None,
    now: datetime,
) -> Question:
    """Store a question with what the bot made of it."""
    question = Question(
        asker_id=viewer.telegram_id,
        asker_name=clean(viewer.first_name)[:200],  # shown to the staff: no bidi tricks
        role=viewer.role.value if viewer.role else None,
        delegation_id=viewer.delegation_id,
        language=viewer.language,
        typed_language=resolution.typed_language if resolution else None,
        text=text[:MAX_TEXT],
        status=Status.AUTO if resolution and resolution.answered else Status.DECLINED,
        answer_key=resolution.answer_key if resolution else None,
        score=resolution.score if resolution else None,
        alternatives=offered_keys(resolution) if resolution else [],
        created_at=now,
    )
    session.add(question)
    await session.flush()
    metrics.QUESTIONS.labels("answered" if question.status == Status.AUTO else "declined").inc()
    return question


async def get(session: AsyncSession, question_id: int) -> Question | None:
    return await session.get(Question, question_id)


async def mine(session: AsyncSession, question_id: int, telegram_id: int) -> Question | None:
    """The question if ``telegram_id`` asked it (button data is never trusted)."""
    question = await session.get(Question, question_id)
    return question if question is not None and question.asker_id == telegram_id else None


async def choose_alternative(
    session: AsyncSession, question: Question, key: str, now: datetime
) -> None:
    """The asker tapped an offered entry: it is now the answer, 👍/👎 apply to it, and the
    wording counts for it next time."""
    question.answer_key = key
    if question.status == Status.DECLINED:
        question.status = Status.AUTO
    question.vote = None
    question.voted_at = None
    await learning.learn(session, question, +1, learning.TAP, now)


async def vote(session: AsyncSession, question: Question, helpful: bool, now: datetime) -> None:
    """👍/👎 on an automatic answer; a changed vote takes back the signal of the first."""
    if question.vote is not None:
        await learning.learn(session, question, -question.vote, learning.VOTE, now)
    question.vote = 1 if helpful else -1
    question.voted_at = now
    await learning.learn(session, question, question.vote, learning.VOTE, now)


#: Questions a person may pass on to the coordinators in a day: enough for anyone with real
#: questions, too few to flood the staff chat.
MAX_PASSED_ON_PER_DAY = {True: 20, False: 3}  # invited: 20, guests: 3


async def may_pass_on(
    session: AsyncSession, telegram_id: int, invited: bool, now: datetime
) -> bool:
    """Whether this person may pass on one more question today."""
    count = await session.scalar(
        select(func.count())
        .select_from(Question)
        .where(
            Question.asker_id == telegram_id,
            Question.status.in_([Status.OPEN, Status.ANSWERED]),
            Question.created_at > now - timedelta(days=1),
        )
    )
    return (count or 0) < MAX_PASSED_ON_PER_DAY[invited]


async def open_for_staff(session: AsyncSession, question: Question) -> None:
    """The question now waits for a coordinator (whether or not the staff chat got it)."""
    if question.status != Status.ANSWERED:
        question.status = Status.OPEN
    metrics.QUESTIONS.labels("passed_on").inc()


#: Outbox kinds: the question's copy in the staff chat, a coordinator's answer to the asker, and
#: the edits of that copy (answered; made a FAQ entry).
STAFF_KIND = "staff_question"
ANSWER_KIND = "answer"
STAFF_EDIT_KIND = "staff_edit"


def outbox_subject(question_id: int) -> str:
    """The outbox subject of a question's staff-chat copy and of its answer."""
    return f"q{question_id}"


async def post_to_staff(
    session: AsyncSession, question: Question, chat_id: int, payload: dict[str, Any], now: datetime
) -> int:
    """Put the question's copy for the staff chat in the outbox (once per question)."""
    item = outbox.outgoing(STAFF_KIND, chat_id, outbox_subject(question.id), payload, now)
    return await outbox.enqueue(session, [item])


async def staff_message_sent(
    session: AsyncSession, row: Claimed, message_id: int, now: datetime
) -> None:
    """Delivery hook of :data:`STAFF_KIND`: the staff chat's message of the question, which
    replies (answers) and later edits refer to; the edits held until it was sent are now due.

    The question's row is written first: an edit being enqueued meanwhile
    (:func:`edit_staff_copy`) holds it, so its held edit is committed before the release below
    looks for it."""
    if row.subject is None or not row.subject.startswith("q"):
        return
    await session.execute(
        update(Question)
        .where(Question.id == int(row.subject[1:]))
        .values(staff_chat_id=row.chat_id, staff_message_id=message_id, forwarded_at=now)
    )
    await outbox.release_held(session, row.subject, row.chat_id, message_id, now)


async def send_answer(
    session: AsyncSession, question: Question, payload: dict[str, Any], now: datetime
) -> bool:
    """Put the coordinator's answer to the asker in the outbox; False when the asker is known
    to have blocked the bot (it is tried all the same)."""
    item = outbox.outgoing(
        ANSWER_KIND, question.asker_id, outbox_subject(question.id), payload, now
    )
    await outbox.enqueue(session, [item])
    account = await session.get(Account, question.asker_id)
    return account is None or account.reachable


async def edit_staff_copy(
    session: AsyncSession, question: Question, message: dict[str, Any], stage: str, now: datetime
) -> bool:
    """Make the question's staff-chat message show ``message`` (a
    :func:`~bot.delivery.outbox.text_message` payload), once per ``stage`` ("answered", "faq").

    The copy still waits in the outbox: it goes as ``message`` (no edit needed). Sent: an edit
    of it is enqueued. Being sent: the edit is held until the copy is recorded as sent and its
    message id known (:func:`staff_message_sent`). An earlier stage's edit not sent yet is
    cancelled, so an older state never lands after a newer one. False when the copy did not and
    will not reach the staff chat (refused, cancelled, or there is no staff chat).
    """
    subject = outbox_subject(question.id)
    # The question's row first (PostgreSQL: a worker recording the copy as sent writes it before
    # releasing held edits, so it waits for this transaction, or was done before the copy is read
    # below); on SQLite the first write takes the one write lock, with the same effect.
    await session.execute(select(Question.id).where(Question.id == question.id).with_for_update())
    await outbox.cancel(session, subject=subject, kind=STAFF_EDIT_KIND)
    copy = await outbox.original(session, STAFF_KIND, subject)
    if copy is None or copy.status in (FAILED, UNREACHABLE, CANCELLED):
        return False
    if copy.status == PENDING and await outbox.rewrite(session, copy.id, message):
        return True
    sent = copy.status == SENT and copy.message_id is not None
    edit = outbox.edit_text_message(
        copy.message_id or 0,  # held: set when the copy is sent
        message["text"],
        parse_mode=message.get("parse_mode"),
        reply_markup=message.get("reply_markup"),
    )
    item = outbox.outgoing(
        STAFF_EDIT_KIND, copy.chat_id, subject, edit, now, occurrence=stage, held=not sent
    )
    await outbox.enqueue(session, [item])
    return True


async def by_staff_message(session: AsyncSession, chat_id: int, message_id: int) -> Question | None:
    return (
        await session.execute(
            select(Question).where(
                Question.staff_chat_id == chat_id, Question.staff_message_id == message_id
            )
        )
    ).scalar_one_or_none()


async def answer(
    session: AsyncSession, question: Question, text: str, by: Viewer, now: datetime
) -> None:
    if question.status == Status.AUTO:
        # The bot had answered it, and the asker still needed a person: not that entry.
        await learning.learn(session, question, -1, learning.STAFF, now)
    question.status = Status.ANSWERED
    question.answer_text = text[:MAX_TEXT]
    question.answered_by = by.telegram_id
    question.answered_by_name = by.first_name[:200]
    question.answered_at = now


_FILTERS = {
    Listing.OPEN: Question.status == Status.OPEN,
    Listing.UNHELPFUL: (Question.status == Status.AUTO) & (Question.vote == -1),
    Listing.UNANSWERED: Question.status == Status.DECLINED,
}


async def listing(session: AsyncSession, kind: Listing, limit: int = 10) -> list[Question]:
    """Newest first."""
    rows = await session.execute(
        select(Question).where(_FILTERS[kind]).order_by(Question.id.desc()).limit(limit)
    )
    return list(rows.scalars())


async def counts(session: AsyncSession) -> dict[Listing, int]:
    out = {}
    for kind, condition in _FILTERS.items():
        out[kind] = await session.scalar(
            select(func.count()).select_from(Question).where(condition)
        )
    return {k: int(v or 0) for k, v in out.items()}


async def to_faq(
    session: AsyncSession,
    question: Question,
    wording: str | None = None,
    *,
    everyone: bool = False,
) -> FaqEntry | None:
    """Turn an answered question into a (private) FAQ entry; None if it has no answer.

    ``wording`` is the question as the coordinator rewrote it for the FAQ (None: as asked; the
    coordinator saw it first). The entry is shown to invited people of the asker's delegation,
    or to every invited person with ``everyone`` (or when the asker has no delegation). Its key
    ``question-<id>`` and ``question.faq_entry_id`` record where it came from, so that /forget
    and retention remove it with the question's words. The question and the answer are stored
    under the languages they were written in; the coordinators add the other languages in the
    programme file. The content version is bumped so every process re-indexes.
    """
    if question.status != Status.ANSWERED or not question.answer_text:
        return None
    if question.faq_entry_id is not None:
        return await session.get(FaqEntry, question.faq_entry_id)
    asked_in = question.typed_language if question.typed_language in LANGUAGES else None
    if wording is not None:
        typed = detected_language(wording)
        asked_in = typed if typed in LANGUAGES else asked_in
    answered_in = detected_language(question.answer_text)
    key = f"question-{question.id}"
    values = {
        "key": key,
        "question": {asked_in or question.language: (wording or question.text)[:1000]},
        "answer": {
            answered_in if answered_in in LANGUAGES else question.language: question.answer_text
        },
        "keywords": {},
        "delegation_id": None if everyone else question.delegation_id,
        "public": False,
        # Last in the list, numbered as an import numbers entries (0, 1, ...), so that exporting
        # the programme and importing the file again changes nothing.
        "position": await session.scalar(select(func.count()).select_from(FaqEntry)) or 0,
    }
    # Published at the same moment by another process (the question read unpublished there
    # too): its entry stands, this one is not made.
    made = await insert_new(session, FaqEntry, values, [FaqEntry.key], FaqEntry.id)
    entry = await session.scalar(select(FaqEntry).where(FaqEntry.key == key))
    assert entry is not None
    question.faq_entry_id = entry.id
    if made is not None:
        await session.execute(
            update(Programme).values(content_version=Programme.content_version + 1)
        )
    return entry


async def counts_since(session: AsyncSession, since: datetime) -> dict[Status, int]:
    """Questions asked since ``since`` by their status now."""
    rows = await session.execute(
        select(Question.status, func.count())
        .where(Question.created_at >= since)
        .group_by(Question.status)
    )
    return {Status(status): int(n) for status, n in rows}


async def waiting_for_staff(session: AsyncSession) -> int:
    """Questions passed on to the coordinators and not answered yet."""
    count = await session.scalar(
        select(func.count()).select_from(Question).where(Question.status == Status.OPEN)
    )
    return int(count or 0)
