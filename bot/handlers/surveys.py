"""Feedback in the chat: answering surveys, rating sessions, /results, /survey (launch, close).

The minute job that puts invitations, reminders and rating prompts in the outbox is
:mod:`bot.jobs.surveys`.

While a survey question or summary is on screen the person's account awaits ``surveys:q:<id>``,
so a typed text is taken as the answer to a free-text question, or answered with "please use the
buttons" for the others, instead of wandering off to the question search.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.broadcasts.audience import EVERYTHING, Audience, resolve
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
from bot.db.models import Survey, Visit
from bot.handlers import replies
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed_any
from bot.handlers.send import answer, consume, say, show
from bot.handlers.viewing import programme_tz
from bot.i18n import get_locale
from bot.infra.text import clean
from bot.jobs.surveys import enqueue_planned
from bot.people import access, audit
from bot.surveys import ballots, charts, due, export, flow, ratings, results
from bot.surveys.flow import Outcome, SurveyState
from bot.surveys.ratings import RatingOutcome
from bot.views import surveys as views
from bot.views.common import Screen

log = logging.getLogger(__name__)

AREA = "surveys"
RATING_AREA = "rate"
#: Parts of one long text that Telegram split arrive within this many seconds of each other.
SPLIT_WINDOW = 3

# ------------------------------------------------------------------------ answering a survey


def _notice(outcome: Outcome) -> str:
    return {
        Outcome.SAVED: views.saved(),
        Outcome.INVALID: views.not_an_answer(),
        Outcome.REQUIRED: views.needs_answer(),
        Outcome.INCOMPLETE: views.incomplete(),
    }.get(outcome, "")


_FINAL = {
    Outcome.CLOSED: views.survey_closed,
    Outcome.NOT_INVITED: views.not_invited,
    Outcome.FINISHED: views.already_sent,
}


async def _await_answer(
    context: BotContext, outcome: Outcome, state: SurveyState | None, session: Any
) -> None:
    tg = context.viewer.telegram_id
    if state is not None and outcome not in _FINAL and outcome is not Outcome.SUBMITTED:
        await access.set_awaiting(session, tg, f"{AREA}:q:{state.survey_id}")
    else:
        await access.clear_awaiting(session, tg, f"{AREA}:")


async def _render(
    update: Update, outcome: Outcome, state: SurveyState | None, *, edit: bool = True
) -> None:
    if outcome is Outcome.SUBMITTED and state is not None:
        await show(update, views.thanks(state), edit=edit)
    elif outcome in _FINAL or state is None:
        await show(update, Screen(_FINAL.get(outcome, views.survey_closed)()), edit=edit)
    else:
        await show(update, views.survey_screen(state, _notice(outcome)), edit=edit)


_SURVEY_BUTTONS = (SurveyButton, SurveyMove, SurveyAnswer)
_MOVES = {
    MoveAction.NEXT: flow.next_question,
    MoveAction.SKIP: flow.skip,
    MoveAction.GO_TO: flow.go_to,
}
_ANSWERS = {AnswerAction.ANSWER: flow.answer, AnswerAction.TOGGLE: flow.toggle}


@allow(Access.INVITED)
async def on_survey_button(update: Update, context: BotContext) -> None:
    press: SurveyButton | SurveyMove | SurveyAnswer = pressed_any(update, *_SURVEY_BUTTONS)
    survey_id = press.survey_id
    services, tg = context.services, context.viewer.telegram_id
    now = services.clock.now()
    async with services.db.session() as s:
        if isinstance(press, SurveyAnswer):
            outcome, state = await _ANSWERS[press.action](
                s, survey_id, tg, press.question, press.value, now
            )
        elif isinstance(press, SurveyMove):
            outcome, state = await _MOVES[press.action](s, survey_id, tg, press.question, now)
        elif press.action is SurveyAction.OPEN:
            outcome, state = await flow.show(s, survey_id, tg, now)
        else:
            outcome, state = await flow.submit(s, survey_id, tg, now)
        await _await_answer(context, outcome, state, s)
    if outcome is Outcome.SUBMITTED and state is not None and state.anonymous:
        async with services.db.session() as s:  # a transaction of its own (bot.surveys.ballots)
            await ballots.publish(s, survey_id, services.settings.anonymous_batch)
    await _render(update, outcome, state)


async def on_survey_text(update: Update, context: BotContext, rest: str) -> None:
    """A message while a survey is on screen: a free-text answer, or a pointer to the buttons."""
    message = update.message
    assert message is not None
    kind, _sep, tail = rest.partition(":")
    survey_id = int(tail.split(":")[0])
    sent_at = int(message.date.timestamp())
    services, tg = context.services, context.viewer.telegram_id
    text = clean(message.text)
    if kind == "x" and sent_at - int(tail.split(":")[1]) <= SPLIT_WINDOW:
        await say(update, views.continuation_ignored())
        return
    now = services.clock.now()
    async with services.db.session() as s:
        outcome, state = await flow.show(s, survey_id, tg, now)
        question = state.current if state is not None and outcome is Outcome.OK else None
        if question is not None and question.kind == "text":
            outcome, state = await flow.answer_text(s, survey_id, tg, state.position, text, now)
        elif outcome is Outcome.OK:
            outcome = Outcome.INVALID
        if outcome is Outcome.TOO_LONG:
            await access.set_awaiting(s, tg, f"{AREA}:x:{survey_id}:{sent_at}")
        else:
            await _await_answer(context, outcome, state, s)
    if outcome is Outcome.TOO_LONG:
        await say(update, views.too_long(len(text.strip())))
    elif outcome is Outcome.INVALID and state is not None:
        await show(update, views.survey_screen(state, views.use_buttons()), edit=False)
    else:
        await _render(update, outcome, state, edit=False)


# --------------------------------------------------------------------------- session ratings


def _rating_notice(outcome: RatingOutcome) -> str:
    if outcome is RatingOutcome.NOT_YET:
        return views.rating_not_yet()
    return views.rating_unavailable()


@allow(Access.INVITED)
async def on_rating_button(update: Update, context: BotContext) -> None:
    press: Rate | RatingComment = pressed_any(update, Rate, RatingComment)
    event_id = press.event_id
    rate = press if isinstance(press, Rate) else None
    services, viewer = context.services, context.viewer
    async with services.db.session() as s:
        if rate is not None:
            outcome, state = await ratings.rate(
                s, event_id, viewer, rate.stars, services.clock.now()
            )
        else:
            outcome, state = await ratings.current(s, event_id, viewer, services.clock.now())
            if outcome is RatingOutcome.OK:
                await access.set_awaiting(s, viewer.telegram_id, f"{RATING_AREA}:c:{event_id}")
    if outcome is not RatingOutcome.OK or state is None:
        await show(update, Screen(_rating_notice(outcome)))
    elif rate is not None:
        await show(update, views.rating_prompt(state))
    else:
        await answer(update)
        await say(update, views.comment_prompt(state))


async def on_rating_comment(update: Update, context: BotContext, rest: str) -> None:
    message = update.message
    assert message is not None
    event_id = int(rest.partition(":")[2])
    services, viewer = context.services, context.viewer
    text = clean(message.text)
    async with services.db.session() as s:
        outcome, state = await ratings.comment(s, event_id, viewer, text, services.clock.now())
        if outcome is not RatingOutcome.TOO_LONG:
            await access.set_awaiting(s, viewer.telegram_id, None)
    if outcome is RatingOutcome.TOO_LONG:
        await say(update, views.too_long(len(text.strip())))
    elif outcome is RatingOutcome.OK and state is not None:
        await say(update, views.comment_saved())
        await show(update, views.rating_prompt(state), edit=False)
    else:
        await say(update, _rating_notice(outcome))


# ------------------------------------------------------------------------------------ results


@allow(Access.STAFF)
async def results_command(update: Update, context: BotContext) -> None:
    async with context.services.db.session() as s:
        surveys = await results.visible_surveys(s, context.viewer)
    await show(update, views.results_list([(x.id, x.title) for x in surveys]))


async def _visible(context: BotContext, s: Any, survey_id: int) -> Survey | None:
    if not await results.may_see_survey(s, context.viewer, survey_id):
        return None
    return await s.get(Survey, survey_id)


@allow(Access.STAFF)
async def on_session_ratings(update: Update, context: BotContext) -> None:
    async with context.services.db.session() as s:
        screen = views.ratings_screen(await results.event_ratings(s, context.viewer))
    await show(update, screen)


@allow(Access.STAFF)
async def on_results_button(update: Update, context: BotContext) -> None:
    """A survey's results on screen, its chart, or an export (CSV, XLSX)."""
    query = update.callback_query
    assert query is not None
    press: Results | ResultsExport = pressed_any(update, Results, ResultsExport)
    export_ = press if isinstance(press, ResultsExport) else None
    action = press.action if isinstance(press, Results) else None
    services = context.services
    now = services.clock.now()
    async with services.db.session() as s:
        survey = await _visible(context, s, press.survey_id)
        batch = services.settings.anonymous_batch
        data = await results.survey_results(s, survey.id, batch) if survey else None
        if survey is not None and data is not None and not data.withheld and export_:
            await audit.record_by(
                s,
                context.viewer,
                "survey.export",
                f"survey {survey.key}",
                now,
                format=export_.format.value,
            )
    if survey is None or data is None:
        await show(update, Screen(views.nothing_to_show()))
        return
    lang = get_locale()
    if action is ResultsAction.SHOW or data.withheld:
        await show(
            update,
            views.survey_results(
                data, coordinator=context.viewer.is_coordinator, closed=flow.is_closed(survey, now)
            ),
        )
    elif action is ResultsAction.CHART:
        png = charts.render_png(data, lang)
        await answer(update)
        if png is None:
            await say(update, views.no_chart())
        else:
            await context.bot.send_photo(
                query.message.chat.id,  # type: ignore[union-attr]
                InputFile(png, filename=f"{survey.key}.png"),
                caption=views.chart_caption(data),
            )
    else:
        assert export_ is not None
        fmt = export_.format.value
        make = export.to_xlsx if export_.format is ExportFormat.XLSX else export.to_csv
        content = make(data, lang, await programme_tz(services))
        await answer(update)
        await context.bot.send_document(
            query.message.chat.id,  # type: ignore[union-attr]
            InputFile(content, filename=f"{survey.key}.{fmt}"),
        )


# ----------------------------------------------------------------- launching and closing


@allow(Access.COORDINATOR)
async def survey_command(update: Update, context: BotContext) -> None:
    """/survey (coordinators): the surveys, to send one (or see a closed one's results)."""
    now = context.services.clock.now()
    async with context.services.db.session() as s:
        surveys = await results.visible_surveys(s, context.viewer)
    listed = [(x.id, x.title, flow.is_closed(x, now)) for x in surveys]
    await show(update, views.survey_manager(listed))


def _audience(visit_id: int) -> Audience:
    if visit_id:
        return Audience(visits=frozenset({visit_id}))
    return Audience(roles=frozenset({"mentee", "host"}))


@allow(Access.COORDINATOR)
async def on_manage_button(update: Update, context: BotContext) -> None:
    press: SurveyManage | SurveyLaunch = pressed_any(update, SurveyManage, SurveyLaunch)
    launch = press if isinstance(press, SurveyLaunch) else None
    action, visit_id = press.action, launch.visit_id if launch else 0
    target = f"v:{visit_id}" if visit_id else "all:0"  # as the audit log has always said
    services = context.services
    now, tz = services.clock.now(), await programme_tz(services)
    async with services.db.session() as s:
        survey = await s.get(Survey, press.survey_id)
        if survey is None or flow.is_closed(survey, now):
            screen = Screen(views.survey_closed())
        elif action is ManageAction.PICK_AUDIENCE:
            visits = await s.execute(select(Visit.id, Visit.title).order_by(Visit.starts_on))
            screen = views.audience_picker(survey.id, survey.title, [tuple(v) for v in visits])
        elif action is LaunchAction.CONFIRM:
            people = await resolve(s, _audience(visit_id), services.coordinator_ids, EVERYTHING)
            screen = views.launch_confirm(survey.id, survey.title, len(people), visit_id)
        elif action is LaunchAction.SEND:
            if not await consume(update):  # a second tap on Send: launched already
                return
            planned = await due.launch(
                s, survey.id, _audience(visit_id), services.coordinator_ids, now, tz
            )
            new = await enqueue_planned(s, planned)
            await audit.record_by(
                s,
                context.viewer,
                "survey.launch",
                f"survey {survey.key}",
                now,
                audience=target,
                people=len(planned),
            )
            held = [p.due_at for p in planned if p.due_at > now]
            until = max(held, default=None)
            screen = Screen(views.launched(len(planned) - len(held), len(held), until, tz))
        elif action is ManageAction.CLOSE:
            screen = views.close_confirm(survey.id, survey.title)
        else:
            await flow.close(s, survey.id, now, services.settings.anonymous_batch)
            await audit.record_by(s, context.viewer, "survey.close", f"survey {survey.key}", now)
            screen = Screen(views.closed_now())
    if action is LaunchAction.SEND:
        services.wake_delivery(new)
    await show(update, screen)


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    replies.expect(AREA, on_survey_text)
    replies.expect(RATING_AREA, on_rating_comment)
    for kinds, callback in (
        (_SURVEY_BUTTONS, on_survey_button),
        ((Rate, RatingComment), on_rating_button),
        ((SessionRatings,), on_session_ratings),
        ((Results, ResultsExport), on_results_button),
        ((SurveyManage, SurveyLaunch), on_manage_button),
        ((ResultsList,), results_command),
    ):
        for kind in kinds:
            app.add_handler(CallbackQueryHandler(callback, pattern=kind.pattern))
    app.add_handler(CommandHandler("results", results_command, filters=private))
    app.add_handler(CommandHandler("survey", survey_command, filters=private))
