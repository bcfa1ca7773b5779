"""What the bot waits for next from a person: a typed value, stored in ``Account.awaiting``.

When a step asks a person for a message (an announcement's text, a survey's free-text answer, a
comment on a rating, a coordinator's answer), its service stores one of the kinds below with
:func:`bot.people.access.set_awaiting`; :mod:`bot.handlers.replies` routes the person's next
private message to the handler the area registered for that kind.

The stored form is the kind's prefix and its fields joined by ``:`` (``bc:text:42``), written
and read by the codec of button data (:mod:`bot.callbacks.base`) with its range checks; the
column holds 64 characters, as button data holds 64 bytes. :func:`parse` returns None for a
stored value that is no kind's (an older format, an id out of range): nothing is awaited then.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, TypeVar

from bot.callbacks.base import Between, CallbackData, Id, declare
from bot.callbacks.menu import Language


class Awaited(CallbackData):
    """Base of every kind of awaited reply."""

    __slots__ = ()


A = TypeVar("A", bound=Awaited)

#: Every kind declared (a test checks that no stored value parses as two).
KINDS: list[type[Awaited]] = []


def awaited(prefix: str) -> Callable[[type[A]], type[A]]:
    """Declare a kind of awaited reply (see :func:`bot.callbacks.base.callback`)."""
    return declare(prefix, KINDS)  # type: ignore[arg-type]


def parse(stored: str | None) -> Awaited | None:
    """The stored value as its kind; None when nothing (or nothing valid) is awaited."""
    if not stored:
        return None
    for kind in KINDS:
        if stored.startswith(kind.prefix) and (value := kind.parse(stored)) is not None:
            return value
    return None


# ----------------------------------------------------------------------------- broadcasts


class DraftInput(StrEnum):
    """What a broadcast draft waits for (besides one language's version)."""

    TEXT = "text"  # its text (or a photo, or a document, with the text as caption)
    TIME = "time"  # a send time


@awaited("bc")
class DraftReply(Awaited):
    step: DraftInput
    draft_id: Id


@awaited("bc:v")
class DraftVersionReply(Awaited):
    """The text of a draft in one language."""

    draft_id: Id
    language: Language


# -------------------------------------------------------------------------------- surveys


@awaited("surveys:q")
class SurveyReply(Awaited):
    """The answer to the survey question on screen (a free-text one takes it)."""

    survey_id: Id


#: A message's date, in seconds since 1970 (Telegram's ``date``).
Timestamp = Annotated[int, Between(0, 2**40)]


@awaited("surveys:x")
class SurveyReplyRest(Awaited):
    """As :class:`SurveyReply`, after a text that was too long and came at ``sent_at``: the
    rest of it (Telegram splits long texts) is not taken as the answer."""

    survey_id: Id
    sent_at: Timestamp


@awaited("surveys:i")
class SurveyIntroReply(Awaited):
    """A message while the survey's introduction is on screen (Back from its first question):
    no answer; the person is told to press Start."""

    survey_id: Id


@awaited("rate:c")
class RatingCommentReply(Awaited):
    """A comment on the person's rating of an event."""

    event_id: Id


# ------------------------------------------------------------------------------ questions


class StaffInput(StrEnum):
    ANSWER = "answer"  # the answer to the asker
    FAQ = "faq"  # the wording of a FAQ entry


@awaited("questions")
class QuestionReply(Awaited):
    """A coordinator's private message about a question."""

    step: StaffInput
    question_id: Id
