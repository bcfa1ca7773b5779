"""Screens of feedback: survey questions, summary, invitations, rating prompts, results, launch.

Their buttons' data are the kinds of :mod:`bot.callbacks.surveys`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot.callbacks.surveys import (
    AnswerAction,
    ExportFormat,
    LaunchAction,
    ManageAction,
    MoveAction,
    Rate,
    RatingComment,
    Results,
    ResultsAction,
    ResultsExport,
    ResultsList,
    SessionRatings,
    SurveyAction,
    SurveyAnswer,
    SurveyButton,
    SurveyLaunch,
    SurveyManage,
    SurveyMove,
)
from bot.i18n import _, format_datetime, get_locale, ngettext, quote, tr
from bot.surveys.charts import format_number
from bot.surveys.flow import MAX_TEXT, Question, SurveyState
from bot.surveys.ratings import RatingState
from bot.surveys.results import EventRatings, QuestionResult, SurveyResults, option_label
from bot.views.common import Screen, back_to_menu, button, chunk, fit, keyboard, next_line

#: Room kept free under Telegram's 4,096 characters when lists of free-text answers are cut.
_TEXT_BUDGET = 3600
_SUMMARY_ANSWER = 120


def _t(text: Any) -> str:
    return html.escape(tr(text))


def _mark(selected: bool, label: str) -> str:
    return f"✓ {label}" if selected else label


# -------------------------------------------------------------------------- answering a survey


def answer_text(question: Question, value: Any) -> str:
    """An answer as the person reads it (plain text, not escaped)."""
    if value is None or value == []:
        return "—"
    if question.kind == "yes_no":
        return _("Yes") if value else _("No")
    if question.kind in ("single", "multiple"):
        texts = {c["key"]: tr(c["text"]) for c in question.choices}
        return "; ".join(texts.get(k, "?") for k in (value if isinstance(value, list) else [value]))
    if question.kind in ("rating", "nps"):
        return str(value)
    return str(value)


Rows = list[list[InlineKeyboardButton]]


def _choice(chosen: bool, choice: dict[str, Any]) -> str:
    return fit(_mark(chosen, tr(choice["text"])))


def _choice_rows(state: SurveyState, index: int, question: Question) -> Rows:
    sid, value = state.survey_id, state.answers.get(question.key)

    def answer(n: int) -> SurveyAnswer:
        return SurveyAnswer(AnswerAction.ANSWER, sid, index, n)

    if question.kind == "rating":
        return [[button(_mark(value == n, str(n)), answer(n)) for n in range(1, 6)]]
    if question.kind == "nps":
        buttons = [button(_mark(value == n, str(n)), answer(n)) for n in range(11)]
        return [buttons[:6], buttons[6:]]
    if question.kind == "yes_no":
        return [
            [
                button(_mark(value is True, _("Yes")), answer(1)),
                button(_mark(value is False, _("No")), answer(0)),
            ]
        ]
    # A choice is named by its place: its key can be longer than a button's data holds.
    if question.kind == "single":
        return [
            [button(_choice(value == c["key"], c), answer(n))]
            for n, c in enumerate(question.choices)
        ]
    next_ = SurveyMove(MoveAction.NEXT, sid, index)
    if question.kind == "multiple":
        ticked = set(value or [])
        rows = [
            [
                button(
                    fit(("☑ " if c["key"] in ticked else "☐ ") + tr(c["text"])),
                    SurveyAnswer(AnswerAction.TOGGLE, sid, index, n),
                )
            ]
            for n, c in enumerate(question.choices)
        ]
        return [*rows, [button(_("Next ➡️"), next_)]]
    if value:  # a text question answered before: keep that answer
        return [[button(_("Keep my answer ➡️"), next_)]]
    return []


def _hint(question: Question) -> str:
    if question.kind == "rating":
        return _("1 = {low}, 5 = {high}", low=_t(question.low), high=_t(question.high))
    if question.kind == "nps":
        return _("0 = {low}, 10 = {high}", low=_t(question.low), high=_t(question.high))
    if question.kind == "multiple":
        return _("Tick all that apply, then press “Next”.")
    if question.kind == "text":
        return _("Type your answer and send it (at most {limit} characters).", limit=MAX_TEXT)
    return ""


def question_screen(state: SurveyState, notice: str = "") -> Screen:
    question = state.current
    assert question is not None
    index = state.position
    lines = [
        f"📝 <b>{_t(state.title)}</b>",
        f"{index + 1} / {state.total}",
        "",
        f"<b>{_t(question.text)}</b>",
    ]
    if not question.required:
        lines.append(_("(optional)"))
    hint = _hint(question)
    if hint:
        lines.append(f"<i>{hint}</i>")
    value = state.answers.get(question.key)
    if question.kind == "text" and value:
        lines += ["", _("Your answer: {answer}", answer=html.escape(str(value)[:_SUMMARY_ANSWER]))]
    if notice:
        lines += ["", notice]
    rows = _choice_rows(state, index, question)
    # Back: to the previous question, or from the first one to the survey's introduction.
    back = (
        SurveyMove(MoveAction.GO_TO, state.survey_id, index - 1)
        if index > 0
        else SurveyButton(SurveyAction.INTRO, state.survey_id)
    )
    nav = [button(_("⬅️ Back"), back)]
    if not question.required:
        nav.append(button(_("Skip"), SurveyMove(MoveAction.SKIP, state.survey_id, index)))
    return Screen("\n".join(lines), keyboard([*rows, nav]))


def summary_screen(state: SurveyState, notice: str = "") -> Screen:
    lines = [
        f"📝 <b>{_t(state.title)}</b>",
        _("<b>Your answers.</b> Check them before sending:"),
        "",
    ]
    for n, question in enumerate(state.questions, start=1):
        given = answer_text(question, state.answers.get(question.key))
        if len(given) > _SUMMARY_ANSWER:
            given = given[: _SUMMARY_ANSWER - 1] + "…"
        lines.append(f"{n}. {_t(question.text)}\n    → {html.escape(given)}")
    if notice:
        lines += ["", notice]
    edits = [
        button(f"✏️ {n}", SurveyMove(MoveAction.GO_TO, state.survey_id, n - 1))
        for n in range(1, state.total + 1)
    ]
    rows = [
        *chunk(edits, 5),
        [
            button(_("⬅️ Back"), SurveyMove(MoveAction.GO_TO, state.survey_id, state.total - 1)),
            button(_("✅ Send answers"), SurveyButton(SurveyAction.SUBMIT, state.survey_id)),
        ],
    ]
    return Screen("\n".join(lines), keyboard(rows))


def survey_screen(state: SurveyState, notice: str = "") -> Screen:
    """Where the person is: the current question, or the summary."""
    return summary_screen(state, notice) if state.at_summary else question_screen(state, notice)


def introduction(state: SurveyState) -> Screen:
    """The invitation's screen again (Back from the first question)."""
    return invitation(state.title, state.intro, state.survey_id, state.total, state.anonymous)


def thanks(state: SurveyState) -> Screen:
    text = _("🙏 Thank you! Your answers to “{title}” have been sent.", title=_t(state.title))
    if state.anonymous:
        text += "\n" + _("They are stored without your name.")
    return Screen(text)


def invitation(
    title: dict[str, str], intro: dict[str, str], survey_id: int, questions: int, anonymous: bool
) -> Screen:
    lines = [f"📝 <b>{_t(title)}</b>"]
    if intro:
        lines.append(_t(intro))
    lines += [
        "",
        ngettext(
            "{n} question; it takes a minute or two.",
            "{n} questions; it takes a minute or two.",
            questions,
        ),
    ]
    if anonymous:
        lines.append(_("The survey is anonymous: your answers are stored without your name."))
    lines.append(_("You can stop at any time and continue later."))
    return Screen(
        "\n".join(lines),
        keyboard([[button(_("Start"), SurveyButton(SurveyAction.OPEN, survey_id))]]),
    )


def reminder(title: dict[str, str], survey_id: int) -> Screen:
    text = _(
        "📝 A reminder: the survey “{title}” is still waiting for your answers.", title=_t(title)
    )
    return Screen(
        text, keyboard([[button(_("Continue"), SurveyButton(SurveyAction.OPEN, survey_id))]])
    )


def survey_closed() -> str:
    return _("This survey is closed; answers are no longer accepted.")


def not_invited() -> str:
    return _("This survey is not addressed to you.")


def already_sent() -> str:
    return _("You have already sent your answers to this survey. Thank you!")


def not_an_answer() -> str:
    return _("That is not one of the answers to this question. Please use the buttons.")


def use_buttons() -> str:
    return _(
        "Please answer with the buttons above. To leave the survey, send /menu; "
        "you can continue later where you stopped."
    )


def needs_answer() -> str:
    return _("This question needs an answer.")


def incomplete() -> str:
    return _("Some required questions have no answer yet.")


def saved() -> str:
    return _("Saved.")


def too_long(length: int) -> str:
    return ngettext(
        "Your text has {n} character; the limit is {limit}. Please shorten it and send it again.",
        "Your text has {n} characters; the limit is {limit}. Please shorten it and send it again.",
        length,
        limit=MAX_TEXT,
    )


def press_start() -> str:
    return _(
        "Nothing was saved: the survey has not started yet. To answer, press “Start” above; to "
        "leave the survey, send /menu."
    )


def continuation_ignored() -> str:
    return _(
        "Telegram split your long text into several messages, so none of it was saved. "
        "Please send a shorter text in one message."
    )


# ---------------------------------------------------------------------------- session ratings


def _stars(n: int) -> str:
    return "★" * n + "☆" * (5 - n)


def rating_prompt(state: RatingState) -> Screen:
    lines = [f"⭐ <b>{_t(state.title)}</b>"]
    if state.stars is None:
        lines.append(_("How was this session? Rate it from 1 to 5 stars."))
    else:
        lines.append(
            _(
                "Your rating: {stars} ({n}/5). Thank you!",
                stars=_stars(state.stars),
                n=state.stars,
            )
        )
        if state.comment:
            lines.append(
                _("Your comment: {comment}", comment=html.escape(state.comment[:_SUMMARY_ANSWER]))
            )
        lines.append(_("You can change the rating or add a comment."))
    stars = [
        button(_mark(state.stars == n, f"{n}⭐"), Rate(state.event_id, n)) for n in range(1, 6)
    ]
    rows = [stars]
    if state.stars is not None:
        rows.append([button(_("💬 Comment"), RatingComment(state.event_id))])
    return Screen("\n".join(lines), keyboard(rows))


def comment_prompt(state: RatingState) -> str:
    return _(
        "Type your comment about “{title}” (at most {limit} characters).",
        title=_t(state.title),
        limit=MAX_TEXT,
    )


def rating_unavailable() -> str:
    return _("This session cannot be rated.")


def rating_not_yet() -> str:
    return _("You can rate this session once it has ended.")


def comment_saved() -> str:
    return _("Thank you, your comment is saved.")


# ------------------------------------------------------------------------------------ results


def results_list(surveys: Sequence[tuple[int, dict[str, str]]]) -> Screen:
    buttons = [
        [button(fit(f"📊 {tr(title)}"), Results(ResultsAction.SHOW, sid))] for sid, title in surveys
    ]
    buttons.append([button(_("⭐ Session ratings"), SessionRatings())])
    buttons.append([back_to_menu()])
    then = _(
        "Each button shows the answers so far; the chart and the files come as separate messages."
    )
    text = _("<b>Results</b>\nChoose a survey, or see the session ratings.")
    return Screen(text + "\n\n" + next_line(then), keyboard(buttons))


def survey_manager(surveys: Sequence[tuple[int, dict[str, str], bool]]) -> Screen:
    """/survey: each survey to send (🚀), or, once closed, its results (📊)."""
    rows = [
        [
            button(
                fit(("📊 " if closed else "🚀 ") + tr(title)),
                Results(ResultsAction.SHOW, sid)
                if closed
                else SurveyManage(ManageAction.PICK_AUDIENCE, sid),
            )
        ]
        for sid, title, closed in surveys
    ]
    text = _(
        "<b>📝 Surveys</b>\nChoose a survey to send it to people; a closed one shows its "
        "results. /results shows the answers of every survey."
    )
    then = _("Then you choose who gets it and confirm: nothing is sent before that.")
    if not surveys:
        text = _("There are no surveys in the programme yet.")
        then = _("Surveys come with the programme file: add them there and send it.")
    return Screen(text + "\n\n" + next_line(then), keyboard([*rows, [back_to_menu()]]))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _question_lines(n: int, item: QuestionResult, budget: int) -> list[str]:
    lines = [
        f"<b>{n}. {_t(item.question.text)}</b>",
        _("answered {answered}, skipped {skipped}", answered=item.answered, skipped=item.skipped),
    ]
    if item.mean is not None and item.median is not None:
        lines.append(
            _(
                "mean {mean}, median {median}",
                mean=format_number(item.mean),
                median=format_number(item.median),
            )
        )
    if item.options:
        lang = get_locale()
        lines.append(
            " · ".join(f"{html.escape(option_label(o, lang))}: {o.count}" for o in item.options)
        )
    used = sum(len(line) for line in lines)
    for shown, text in enumerate(item.texts):
        entry = quote(html.escape(text))
        if used + len(entry) > budget:
            lines.append(_("… and {n} more in the export.", n=len(item.texts) - shown))
            break
        lines.append(entry)
        used += len(entry)
    return lines


def survey_results(results: SurveyResults, *, coordinator: bool, closed: bool) -> Screen:
    head = f"📊 <b>{_t(results.title)}</b>"
    if results.anonymous:
        head += " " + _("(anonymous)")
    lines = [head]
    if results.invited == 0 and closed:
        lines.append(_("The survey closed before anyone was invited, so it has no answers."))
    elif results.invited == 0:
        lines.append(_("Nobody has been invited yet: “🚀 Send to people” sends it."))
    else:
        lines.append(
            _(
                "Responses: {finished} of {invited} invited ({rate})",
                finished=results.finished,
                invited=results.invited,
                rate=_percent(results.response_rate),
            )
        )
        if closed:
            lines.append(_("The survey is closed."))
    if results.waiting:
        lines.append(
            ngettext(
                "{n} answer is held back until there are {k} to publish together, or until "
                "the survey closes.",
                "{n} answers are held back until there are {k} to publish together, or until "
                "the survey closes.",
                results.waiting,
                k=results.min_responses,
            )
        )
    sid = results.survey_id
    rows = []
    nexts = []
    if results.withheld:
        lines += ["", withheld_notice(results.min_responses)]
    else:
        budget = _TEXT_BUDGET // max(1, len(results.questions))
        for n, item in enumerate(results.questions, start=1):
            lines += ["", *_question_lines(n, item, budget)]
        rows.append(
            [
                button(_("📈 Chart"), Results(ResultsAction.CHART, sid)),
                button("CSV", ResultsExport(sid, ExportFormat.CSV)),
                button("XLSX", ResultsExport(sid, ExportFormat.XLSX)),
            ]
        )
        nexts.append(
            _(
                "“📈 Chart” sends a chart of the answers; “CSV” and “XLSX” send every answer as a "
                "file."
            )
        )
    if coordinator and not closed:
        nexts.append(
            _(
                "“🚀 Send to people” invites those who do not have it yet; “🔒 Close the survey” "
                "ends it."
            )
        )
    if not nexts:
        nexts.append(_("“⬅️ Back” leads to the other results."))
    if coordinator:
        rows.append(
            [button(_("🚀 Send to people"), SurveyManage(ManageAction.PICK_AUDIENCE, sid))]
            if not closed
            else []
        )
        rows.append(
            [button(_("🔒 Close the survey"), SurveyManage(ManageAction.CLOSE, sid))]
            if not closed
            else []
        )
    rows.append([_back_to_results()])
    text = "\n".join(lines)[: 4000 - sum(len(n) + 4 for n in nexts)]
    return Screen("\n".join([text, "", *map(next_line, nexts)]), keyboard(rows))


def _back_to_results() -> Any:
    return button("⬅️ " + _("Back"), ResultsList())


def withheld_notice(k: int) -> str:
    return _(
        "The answers of this anonymous survey are shown only when there are at least {k} of "
        "them: with fewer, someone could work out who gave which answer.",
        k=k,
    )


def ratings_screen(ratings: Sequence[EventRatings]) -> Screen:
    back = keyboard([[_back_to_results()]])
    then = next_line(
        _(
            "Participants are asked to rate each session once it has ended; their ratings "
            "appear here."
        )
    )
    if not ratings:
        return Screen(_("No session has been rated yet.") + "\n\n" + then, back)
    lines = [_("<b>Session ratings</b>")]
    budget = _TEXT_BUDGET // max(1, len(ratings))
    for item in ratings:
        summary = ngettext("{n} rating", "{n} ratings", item.count)
        if item.mean is not None and item.median is not None:
            summary += ", " + _(
                "mean {mean}, median {median}",
                mean=format_number(item.mean),
                median=format_number(item.median),
            )
        lines += [
            "",
            f"<b>{_t(item.title)}</b>",
            summary,
            " · ".join(f"{n}⭐: {c}" for n, c in enumerate(item.distribution, start=1)),
        ]
        used = 0
        for comment in item.comments:
            entry = quote(html.escape(comment))
            if used + len(entry) > budget:
                break
            lines.append(entry)
            used += len(entry)
    text = "\n".join(lines)[: 4000 - len(then) - 2]
    return Screen(text + "\n\n" + then, back)


def nothing_to_show() -> str:
    return _("There are no results for you to see.")


def chart_caption(results: SurveyResults) -> str:
    return f"📈 {_t(results.title)}"


def no_chart() -> str:
    return _("This survey has no questions with answers to chart.")


# -------------------------------------------------------------------- launching and closing


def audience_picker(
    survey_id: int, title: dict[str, str], visits: Sequence[tuple[int, dict[str, str]]]
) -> Screen:
    rows = [[button(_("All participants"), SurveyLaunch(LaunchAction.CONFIRM, survey_id, 0))]]
    rows += [
        [button(fit(tr(name)), SurveyLaunch(LaunchAction.CONFIRM, survey_id, vid))]
        for vid, name in visits
    ]
    rows.append([button("⬅️ " + _("Back"), Results(ResultsAction.SHOW, survey_id))])
    text = _(
        "Choose who should receive “{title}”. Those who already have it are skipped.",
        title=_t(title),
    )
    then = _("Then you see how many people get it, before anything is sent.")
    return Screen(text + "\n\n" + next_line(then), keyboard(rows))


def launch_confirm(survey_id: int, title: dict[str, str], count: int, visit_id: int) -> Screen:
    """Send to ``count`` people now? (``visit_id``: one visit's, or 0: all participants)"""
    text = ngettext(
        "Send “{title}” to {n} person now?",
        "Send “{title}” to {n} people now?",
        count,
        title=_t(title),
    )
    then = _(
        "“🚀 Send” sends the invitation now, in each person’s language; during quiet hours it "
        "waits until they end."
    )
    return Screen(
        text + "\n\n" + next_line(then),
        keyboard(
            [
                [
                    button(_("🚀 Send"), SurveyLaunch(LaunchAction.SEND, survey_id, visit_id)),
                    button("⬅️ " + _("Back"), SurveyManage(ManageAction.PICK_AUDIENCE, survey_id)),
                ]
            ]
        ),
    )


def launched(now: int, held: int, until: datetime | None, tz: ZoneInfo) -> str:
    """The launch's confirmation: how many invitations go now, and how many wait for the end of
    the quiet hours (until when, programme time)."""
    parts = []
    if now or not held:
        parts.append(
            ngettext(
                "Invitations are on their way to {n} person.",
                "Invitations are on their way to {n} people.",
                now,
            )
        )
    if held and until is not None:
        parts.append(
            ngettext(
                "🌙 {n} invitation waits for the end of the quiet hours: it goes out on {time}.",
                "🌙 {n} invitations wait for the end of the quiet hours: they go out on {time}.",
                held,
                time=format_datetime(until, tz),
            )
        )
    then = _("/results shows the answers as they come in; close the survey there when done.")
    return "\n".join(parts) + "\n\n" + next_line(then)


def close_confirm(survey_id: int, title: dict[str, str]) -> Screen:
    text = _(
        "Close the survey now? Nobody will be able to answer “{title}” any more.", title=_t(title)
    )
    then = _("“🔒 Close” ends it now; the answers given so far stay in /results.")
    return Screen(
        text + "\n\n" + next_line(then),
        keyboard(
            [
                [
                    button(_("🔒 Close"), SurveyManage(ManageAction.CLOSE_CONFIRMED, survey_id)),
                    button("✖️ " + _("Cancel"), Results(ResultsAction.SHOW, survey_id)),
                ]
            ]
        ),
    )


def closed_now() -> str:
    then = _("Its answers stay in /results.")
    return _("The survey is closed.") + "\n" + next_line(then)
