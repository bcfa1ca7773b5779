"""Buttons of questions: the asker's (vote, another entry, pass on) and the coordinators'
(answer, FAQ from a question, the lists)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from bot.callbacks.base import Between, CallbackData, Id, callback
from bot.questions.listing import Listing

#: At most this many entries are offered beside an answer (their place in the question's list).
MAX_OFFERED = 10


@callback("q:ask")
class AskPrompt(CallbackData):
    pass


class Verdict(StrEnum):
    HELPFUL = "up"
    UNHELPFUL = "down"


@callback("q:vote")
class Vote(CallbackData):
    question_id: Id
    verdict: Verdict


@callback("q:alt")
class Alternative(CallbackData):
    """One of the entries offered for the question: its place in ``question.alternatives``."""

    question_id: Id
    place: Annotated[int, Between(0, MAX_OFFERED - 1)]


class QuestionAction(StrEnum):
    PASS_ON = "send"  # the asker: to the coordinators
    ANSWER = "answer"  # a coordinator: the next private message is the answer
    FAQ = "faq"  # a coordinator: preview the FAQ entry made from it
    REWORD = "fe"  # a coordinator: the next private message is the FAQ's wording
    CANCEL_FAQ = "fx"  # a coordinator: leave the FAQ preview, nothing published


@callback("q")
class QuestionButton(CallbackData):
    action: QuestionAction
    question_id: Id


class FaqAudience(StrEnum):
    DELEGATION = "d"  # the asker's delegation
    EVERYONE = "a"  # everyone invited


@callback("q:fp")
class PublishFaq(CallbackData):
    question_id: Id
    audience: FaqAudience


@callback("q:list")
class QuestionList(CallbackData):
    listing: Listing
