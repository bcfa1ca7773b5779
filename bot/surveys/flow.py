"""Answering a survey: one question at a time, back, skip, a summary to review, submit.

Every step is one short transaction on the person's :class:`SurveyParticipation` row, so an
answer is stored the moment it is given and a restart resumes at ``position``. Each function
returns an :class:`Outcome` and the :class:`SurveyState` to show next.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Participant, Survey, SurveyParticipation, SurveyQuestion, SurveyResponse
from bot.db.models.accounts import Account
from bot.delivery import outbox
from bot.people import access
from bot.surveys import ballots

#: Longest free-text answer or comment accepted, in characters.
MAX_TEXT = 2000


class Outcome(StrEnum):
    OK = "ok"
    SAVED = "saved"  # an answer from an older message of the survey: stored, position kept
    CLOSED = "closed"
    NOT_INVITED = "not_invited"
    FINISHED = "finished"  # already submitted
    INVALID = "invalid"  # not an answer this question takes
    REQUIRED = "required"  # a required question cannot be skipped or left empty
    INCOMPLETE = "incomplete"  # submit with a required question unanswered
    TOO_LONG = "too_long"
    SUBMITTED = "submitted"


class SurveyStep(StrEnum):
    """Where a person is in a survey (read from their participation row's flags)."""

    ANSWERING = "answering"  # question by question
    REVIEWING = "reviewing"  # the summary was reached: a change returns to it, Send is offered
    FINISHED = "finished"  # submitted; nothing follows


#: Which step may follow which: answers are sent only from the summary, once.
NEXT_STEPS: dict[SurveyStep, frozenset[SurveyStep]] = {
    SurveyStep.ANSWERING: frozenset({SurveyStep.ANSWERING, SurveyStep.REVIEWING}),
    SurveyStep.REVIEWING: frozenset({SurveyStep.REVIEWING, SurveyStep.FINISHED}),
    SurveyStep.FINISHED: frozenset(),
}


def step_of(part: SurveyParticipation) -> SurveyStep:
    if part.finished:
        return SurveyStep.FINISHED
    return SurveyStep.REVIEWING if part.reviewing else SurveyStep.ANSWERING


def may_move(part: SurveyParticipation, step: SurveyStep) -> bool:
    return step in NEXT_STEPS[step_of(part)]


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    text: dict[str, str]
    required: bool
    choices: list[dict[str, Any]]
    low: dict[str, str]
    high: dict[str, str]

    @classmethod
    def of(cls, row: SurveyQuestion) -> Question:
        return cls(
            row.key, row.kind, row.text, row.required, row.choices, row.low_label, row.high_label
        )

    @property
    def choice_keys(self) -> list[str]:
        return [c["key"] for c in self.choices]


@dataclass(frozen=True)
class SurveyState:
    survey_id: int
    title: dict[str, str]
    intro: dict[str, str]
    anonymous: bool
    questions: list[Question]
    position: int = 0
    answers: dict[str, Any] = field(default_factory=dict)
    finished: bool = False
    closes_at: datetime | None = None

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def at_summary(self) -> bool:
        return self.position >= self.total

    @property
    def current(self) -> Question | None:
        return None if self.at_summary else self.questions[self.position]

    @property
    def missing(self) -> list[int]:
        """Indexes of required questions without an answer."""
        return [
            i
            for i, q in enumerate(self.questions)
            if q.required and self.answers.get(q.key) in (None, [], "")
        ]


def is_closed(survey: Survey, now: datetime) -> bool:
    if survey.closed_at is not None:
        return True
    return survey.closes_at is not None and survey.closes_at <= now


async def questions_of(session: AsyncSession, survey_id: int) -> list[Question]:
    rows = await session.execute(
        select(SurveyQuestion)
        .where(SurveyQuestion.survey_id == survey_id)
        .order_by(SurveyQuestion.position)
    )
    return [Question.of(q) for q in rows.scalars()]


#: The questions of each survey at the revision last read, in this process (definitions change
#: only with an import, which gives the survey a new ``questions_revision``).
_QUESTIONS: dict[int, tuple[str, list[Question]]] = {}


async def _questions(session: AsyncSession, survey: Survey) -> list[Question]:
    cached = _QUESTIONS.get(survey.id)
    if cached is not None and cached[0] == survey.questions_revision:
        return cached[1]
    questions = await questions_of(session, survey.id)
    _QUESTIONS[survey.id] = (survey.questions_revision, questions)
    return questions


def _state(survey: Survey, questions: list[Question], part: SurveyParticipation) -> SurveyState:
    return SurveyState(
        survey.id,
        survey.title,
        survey.intro,
        survey.anonymous,
        questions,
        min(part.position, len(questions)),
        dict(part.draft or {}),
        part.finished,
        survey.closes_at,
    )


@dataclass
class _Loaded:
    survey: Survey
    questions: list[Question]
    part: SurveyParticipation


#: Built once (building it cost more than running it): the survey, the person's participation
#: (locked) and the reply the bot expects from them.
_LOAD = (
    select(Survey, SurveyParticipation, Account.awaiting)
    .join(
        SurveyParticipation,
        and_(
            SurveyParticipation.survey_id == Survey.id,
            SurveyParticipation.telegram_id == bindparam("person"),
        ),
    )
    .join(Account, Account.telegram_id == SurveyParticipation.telegram_id)
    .where(Survey.id == bindparam("survey"))
    .with_for_update(of=SurveyParticipation)
)


async def _load(
    session: AsyncSession, survey_id: int, telegram_id: int, now: datetime
) -> tuple[Outcome, _Loaded | None]:
    """The survey and the person's participation (locked) in one statement; the questions from
    this process's cache while their revision holds."""
    row = (await session.execute(_LOAD, {"survey": survey_id, "person": telegram_id})).first()
    if row is None:
        missing = await session.get(Survey, survey_id) is None
        return (Outcome.CLOSED if missing else Outcome.NOT_INVITED), None
    survey, part, expected = row
    access.note_awaiting(session, telegram_id, expected)
    loaded = _Loaded(survey, await _questions(session, survey), part)
    if part.finished:
        return Outcome.FINISHED, loaded
    if is_closed(survey, now):
        return Outcome.CLOSED, loaded
    return Outcome.OK, loaded


async def show(
    session: AsyncSession, survey_id: int, telegram_id: int, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """Where the person is (the invitation's Start button, /survey, a resume)."""
    outcome, loaded = await _load(session, survey_id, telegram_id, now)
    return outcome, _state(loaded.survey, loaded.questions, loaded.part) if loaded else None


def parse_choice(question: Question, pressed: int) -> Any:
    """The stored value of a button's answer (a rating, 0-10, yes 1 / no 0, or the place of a
    single choice), or None when it is not an answer of ``question``."""
    if question.kind == "rating" and 1 <= pressed <= 5:
        return pressed
    if question.kind == "nps" and 0 <= pressed <= 10:
        return pressed
    if question.kind == "yes_no" and pressed in (1, 0):
        return pressed == 1
    if question.kind == "single" and 0 <= pressed < len(question.choices):
        return question.choice_keys[pressed]
    return None


def _store(loaded: _Loaded, index: int, value: Any, *, advance: bool) -> Outcome:
    part = loaded.part
    question = loaded.questions[index]
    part.draft = {**(part.draft or {}), question.key: value}
    if not advance:
        return Outcome.OK
    if index != part.position:
        return Outcome.SAVED
    _move(part, len(loaded.questions), index + 1)
    return Outcome.OK


def _move(part: SurveyParticipation, total: int, position: int) -> None:
    part.position = total if part.reviewing else min(position, total)
    if part.position >= total:
        assert may_move(part, SurveyStep.REVIEWING), step_of(part)
        part.reviewing = True


async def _step(
    session: AsyncSession, survey_id: int, telegram_id: int, now: datetime, index: int | None
) -> tuple[Outcome, _Loaded | None]:
    outcome, loaded = await _load(session, survey_id, telegram_id, now)
    if (
        outcome is Outcome.OK
        and loaded
        and index is not None
        and not 0 <= index < len(loaded.questions)
    ):
        return Outcome.INVALID, loaded
    return outcome, loaded


def _result(outcome: Outcome, loaded: _Loaded | None) -> tuple[Outcome, SurveyState | None]:
    return outcome, _state(loaded.survey, loaded.questions, loaded.part) if loaded else None


async def answer(
    session: AsyncSession,
    survey_id: int,
    telegram_id: int,
    index: int,
    pressed: int,
    now: datetime,
) -> tuple[Outcome, SurveyState | None]:
    """A button answer (rating, nps, yes/no, single choice) to question ``index``."""
    outcome, loaded = await _step(session, survey_id, telegram_id, now, index)
    if outcome is not Outcome.OK or loaded is None:
        return _result(outcome, loaded)
    value = parse_choice(loaded.questions[index], pressed)
    if value is None:
        return _result(Outcome.INVALID, loaded)
    return _result(_store(loaded, index, value, advance=True), loaded)


async def answer_text(
    session: AsyncSession, survey_id: int, telegram_id: int, index: int, text: str, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """A typed answer to a free-text question (too long: refused, nothing stored)."""
    outcome, loaded = await _step(session, survey_id, telegram_id, now, index)
    if outcome is not Outcome.OK or loaded is None:
        return _result(outcome, loaded)
    if loaded.questions[index].kind != "text":
        return _result(Outcome.INVALID, loaded)
    text = text.strip()
    if len(text) > MAX_TEXT:
        return _result(Outcome.TOO_LONG, loaded)
    if not text:
        return _result(Outcome.INVALID, loaded)
    return _result(_store(loaded, index, text, advance=True), loaded)


async def toggle(
    session: AsyncSession, survey_id: int, telegram_id: int, index: int, place: int, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """Tick or untick the choice at ``place`` of a multiple-choice question (stored at once, no
    move)."""
    outcome, loaded = await _step(session, survey_id, telegram_id, now, index)
    if outcome is not Outcome.OK or loaded is None:
        return _result(outcome, loaded)
    question = loaded.questions[index]
    if question.kind != "multiple" or not 0 <= place < len(question.choices):
        return _result(Outcome.INVALID, loaded)
    ticked = set((loaded.part.draft or {}).get(question.key) or [])
    ticked ^= {question.choice_keys[place]}
    value = [k for k in question.choice_keys if k in ticked]
    return _result(_store(loaded, index, value, advance=False), loaded)


async def next_question(
    session: AsyncSession, survey_id: int, telegram_id: int, index: int, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """Done with a multiple-choice question: move on (a required one needs a tick)."""
    outcome, loaded = await _step(session, survey_id, telegram_id, now, index)
    if outcome is not Outcome.OK or loaded is None:
        return _result(outcome, loaded)
    question = loaded.questions[index]
    value = (loaded.part.draft or {}).get(question.key) or []
    if question.required and not value:
        return _result(Outcome.REQUIRED, loaded)
    return _result(_store(loaded, index, value or None, advance=True), loaded)


async def skip(
    session: AsyncSession, survey_id: int, telegram_id: int, index: int, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """Leave an optional question unanswered (stored as None) and move on."""
    outcome, loaded = await _step(session, survey_id, telegram_id, now, index)
    if outcome is not Outcome.OK or loaded is None:
        return _result(outcome, loaded)
    if loaded.questions[index].required:
        return _result(Outcome.REQUIRED, loaded)
    return _result(_store(loaded, index, None, advance=True), loaded)


async def go_to(
    session: AsyncSession, survey_id: int, telegram_id: int, index: int, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """Show question ``index``: the Back button (index - 1) and the summary's Change buttons."""
    outcome, loaded = await _step(session, survey_id, telegram_id, now, index)
    if outcome is Outcome.OK and loaded is not None:
        loaded.part.position = index
    return _result(outcome, loaded)


def outbox_subject(survey_id: int) -> str:
    """The outbox subject of every invitation and reminder of one survey."""
    return f"s{survey_id}"


_PARTICIPATION = SurveyParticipation.__table__
#: Built once: the participation finished, if it was not (its object in the session is left as
#: read: nothing reads it after).
_FINISH = (
    update(_PARTICIPATION)
    .where(_PARTICIPATION.c.id == bindparam("part"), _PARTICIPATION.c.finished.is_(False))
    .values(
        finished=True,
        draft=bindparam("ballot", type_=_PARTICIPATION.c.draft.type),
        sealed=bindparam("anonymous", type_=_PARTICIPATION.c.sealed.type),
        position=bindparam("end", type_=_PARTICIPATION.c.position.type),
    )
)


async def submit(
    session: AsyncSession, survey_id: int, telegram_id: int, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """Submit the draft, once. Named surveys: a response with the person and the time. Anonymous
    surveys: the ballot is sealed; :func:`bot.surveys.ballots.publish` turns it into a response
    with no person, no time and a random id, later, in a shuffled batch."""
    outcome, loaded = await _step(session, survey_id, telegram_id, now, None)
    if outcome is not Outcome.OK or loaded is None:
        return _result(outcome, loaded)
    state = _state(loaded.survey, loaded.questions, loaded.part)
    if state.missing:
        loaded.part.position = state.missing[0]
        return _result(Outcome.INCOMPLETE, loaded)
    if not may_move(loaded.part, SurveyStep.FINISHED):  # Send before the summary was seen
        _move(loaded.part, len(loaded.questions), len(loaded.questions))
        return _result(Outcome.OK, loaded)  # the summary, to review first
    answers = {q.key: state.answers.get(q.key) for q in loaded.questions}
    anonymous = loaded.survey.anonymous
    claimed = await session.execute(
        _FINISH,
        {
            "part": loaded.part.id,
            # Anonymous: the ballot stays sealed in the person's row until its batch is
            # published, in another transaction (bot.surveys.ballots).
            "ballot": answers if anonymous else {},
            "anonymous": anonymous,
            "end": len(loaded.questions),
        },
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return _result(Outcome.FINISHED, loaded)
    if not anonymous:
        session.add(
            SurveyResponse(
                id=secrets.token_hex(16),
                survey_id=survey_id,
                answers=answers,
                telegram_id=telegram_id,
                submitted_at=now,
                participant_name=await _name_of(session, telegram_id),
            )
        )
    await outbox.cancel(session, chat_id=telegram_id, subject=outbox_subject(survey_id))
    return Outcome.SUBMITTED, state


_NAME = (
    select(Participant.name, Account.first_name)
    .select_from(Account)
    .outerjoin(Participant, Participant.id == Account.participant_id)
    .where(Account.telegram_id == bindparam("person"))
)


async def _name_of(session: AsyncSession, telegram_id: int) -> str | None:
    row = (await session.execute(_NAME, {"person": telegram_id})).first()
    return (row[0] or row[1]) if row else None


async def close(session: AsyncSession, survey_id: int, now: datetime, batch: int) -> bool:
    """Close a survey now: no more answers; anonymous drafts of people who never submitted are
    deleted and the sealed ballots published (a last batch, mixed up to ``batch`` with responses
    already published); pending invitations and reminders are cancelled. False if it was closed
    already."""
    survey = await session.get(Survey, survey_id, with_for_update=True)
    if survey is None or survey.closed_at is not None:
        return False
    survey.closed_at = now
    parts = (
        (
            await session.execute(
                select(SurveyParticipation).where(
                    SurveyParticipation.survey_id == survey_id,
                    SurveyParticipation.finished.is_(False),
                )
            )
        )
        .scalars()
        .all()
    )
    for part in parts:
        if survey.anonymous:
            part.draft = {}
        await outbox.cancel(session, chat_id=part.telegram_id, subject=outbox_subject(survey_id))
    if survey.anonymous:
        await ballots.publish(session, survey_id, batch, force=True)
    return True
