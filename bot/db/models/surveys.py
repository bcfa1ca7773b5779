"""Surveys, their questions, who is taking part, the responses, and quick session ratings.

Anonymity is a property of the tables, not of the queries (see :mod:`bot.surveys` for the full
argument):

* :class:`SurveyParticipation` is about a *person*: invited, reminders sent, where they are in the
  survey, and ``finished``. It holds the answers given so far (``draft``) only until they submit;
  submitting empties it. It keeps no time of finishing.
* :class:`SurveyResponse` is about *answers*. For an anonymous survey its person columns and its
  time stay NULL, its primary key is a random token and rows arrive in shuffled batches of at
  least k, so neither a column, a time, a transaction id nor the physical order ties a response
  to one participation row.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONType, utcnow

I18nText = dict[str, Any]

#: Values of :attr:`Survey.opens`.
OPENS_AT_VISIT_END = "visit_end"
OPENS_MANUALLY = "manual"


class Survey(Base):
    """A survey defined in the programme file."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[I18nText]
    intro: Mapped[I18nText] = mapped_column(default=dict)
    anonymous: Mapped[bool] = mapped_column(default=False)
    #: ``visit_end``: each participant gets it when their own visit ends (+ delay);
    #: ``manual``: a coordinator launches it to an audience.
    opens: Mapped[str] = mapped_column(String(16), default=OPENS_AT_VISIT_END)
    open_delay_minutes: Mapped[int] = mapped_column(default=60)
    #: Only this visit's participants (None: every visit).
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"))
    closes_at: Mapped[datetime | None]
    #: Hours after the invitation when a reminder goes to those who have not finished (at most 2).
    reminder_hours: Mapped[list[int]] = mapped_column(JSONType, default=list)
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: A random token, new whenever the questions change (added, removed, reordered, reworded):
    #: what a process's cache of the questions is keyed by (``bot.surveys.flow``).
    questions_revision: Mapped[str] = mapped_column(
        String(32), default=lambda: new_revision(), server_default=""
    )


def new_revision() -> str:
    """A :attr:`Survey.questions_revision`: unique in every database (random 64 bits)."""
    return secrets.token_hex(8)


class SurveyQuestion(Base):
    __tablename__ = "survey_question"
    __table_args__ = (UniqueConstraint("survey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    #: rating | nps | single | multiple | text | yes_no
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[I18nText]
    required: Mapped[bool] = mapped_column(default=True)
    #: ``[{"key": ..., "text": {"uk": .., "sl": .., "en": ..}}, ...]`` for single / multiple.
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    low_label: Mapped[I18nText] = mapped_column(default=dict)
    high_label: Mapped[I18nText] = mapped_column(default=dict)


class SurveyParticipation(Base):
    """One person's place in one survey; never holds submitted answers."""

    __tablename__ = "survey_participation"
    __table_args__ = (UniqueConstraint("survey_id", "telegram_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    telegram_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.telegram_id", ondelete="CASCADE")
    )
    invited_at: Mapped[datetime]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    #: Index of the question shown; equal to the number of questions: the summary.
    position: Mapped[int] = mapped_column(default=0)
    #: Once the summary was seen, an answer leads back to it instead of to the next question.
    reviewing: Mapped[bool] = mapped_column(default=False)
    #: Answers given so far, by question key (None: skipped); emptied when submitted (anonymous
    #: surveys: when the sealed ballot is published with its batch).
    draft: Mapped[dict[str, Any]] = mapped_column(default=dict)
    finished: Mapped[bool] = mapped_column(default=False)
    #: Anonymous surveys: ``draft`` is a submitted ballot waiting for its batch
    #: (bot.surveys.ballots).
    sealed: Mapped[bool] = mapped_column(default=False, server_default=false())


class SurveyResponse(Base):
    """A submitted set of answers. Anonymous surveys: no person, no time, a random id, written
    in shuffled batches (bot.surveys.ballots); on SQLite the table has no rowid, so its physical
    order is the order of the random keys, not of insertion."""

    __tablename__ = "survey_response"
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_with_rowid": False}

    #: 128 random bits as hex, so the order of insertion cannot be read from the key.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    #: ``{question_key: value}``: int (rating, nps), choice key, list of choice keys, bool (yes/no),
    #: text, or None (skipped).
    answers: Mapped[dict[str, Any]]
    # Named surveys only; NULL in every anonymous response.
    telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    participant_name: Mapped[str | None] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None]


class SessionRating(Base):
    """A participant's quick rating of one event: 1-5 stars and an optional comment."""

    __tablename__ = "session_rating"
    __table_args__ = (
        UniqueConstraint("event_id", "telegram_id"),
        Index("ix_session_rating_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: None once the retention period is over: the stars stay counted, nobody's name is on them.
    telegram_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("account.telegram_id", ondelete="CASCADE")
    )
    stars: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
