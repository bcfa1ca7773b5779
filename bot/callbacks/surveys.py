"""Buttons of feedback: answering a survey, rating a session, results, launching and closing."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from bot.callbacks.base import Between, CallbackData, Id, callback

#: A question's place in its survey, from 0.
QuestionIndex = Annotated[int, Between(0, 999)]


class SurveyAction(StrEnum):
    OPEN = "o"  # start, or continue where the person left off
    SUBMIT = "s"  # send the reviewed answers
    INTRO = "i"  # Back from the first question: the survey's introduction again


@callback("srv")
class SurveyButton(CallbackData):
    action: SurveyAction
    survey_id: Id


class MoveAction(StrEnum):
    NEXT = "n"  # done with a multiple-choice question (or keep a text answer)
    SKIP = "k"  # leave an optional question unanswered
    GO_TO = "g"  # back, or a question picked on the summary


@callback("srv")
class SurveyMove(CallbackData):
    action: MoveAction
    survey_id: Id
    question: QuestionIndex


class AnswerAction(StrEnum):
    ANSWER = "a"  # a rating, 0-10, yes (1) / no (0), or the place of the single choice
    TOGGLE = "t"  # tick or untick the place of a multiple choice


@callback("srv")
class SurveyAnswer(CallbackData):
    action: AnswerAction
    survey_id: Id
    question: QuestionIndex
    value: Annotated[int, Between(0, 99)]


@callback("rate:s")
class Rate(CallbackData):
    event_id: Id
    stars: Annotated[int, Between(1, 5)]


@callback("rate:c")
class RatingComment(CallbackData):
    event_id: Id


@callback("rs:list")
class ResultsList(CallbackData):
    pass


@callback("rs:r")
class SessionRatings(CallbackData):
    pass


class ResultsAction(StrEnum):
    SHOW = "s"
    CHART = "c"


@callback("rs")
class Results(CallbackData):
    action: ResultsAction
    survey_id: Id


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@callback("rs:x")
class ResultsExport(CallbackData):
    survey_id: Id
    format: ExportFormat


class ManageAction(StrEnum):
    PICK_AUDIENCE = "s"  # whom to send it to
    CLOSE = "c"  # ask to confirm closing
    CLOSE_CONFIRMED = "x"


@callback("svm")
class SurveyManage(CallbackData):
    action: ManageAction
    survey_id: Id


class LaunchAction(StrEnum):
    CONFIRM = "a"  # how many people, send?
    SEND = "g"


@callback("svm")
class SurveyLaunch(CallbackData):
    """Send a survey to one visit's participants, or (``visit_id`` 0) to all of them."""

    action: LaunchAction
    survey_id: Id
    visit_id: Annotated[int, Between(0, 2**31 - 1)]
