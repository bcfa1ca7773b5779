"""Feedback in the chat: answering surveys, rating sessions, /results, /survey (launch, close).

The minute job that puts invitations, reminders and rating prompts in the outbox is
:mod:`bot.jobs.surveys`.

While a survey question or summary is on screen the person's account awaits ``surveys:q:<id>``,
so a typed text is taken as the answer to a free-text question, or answered with "please use the
buttons" for the others, instead of wandering off to the question search.
"""

from __future__ import annotations

import logging

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.broadcasts.audience import Audience
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
from bot.handlers import replies
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed_any
from bot.handlers.send import answer, pressed_step, say, show
from bot.handlers.viewing import programme_tz
from bot.i18n import get_locale
from bot.infra import steps
from bot.infra.text import clean
from bot.jobs.surveys import payload
from bot.people.awaiting import (
    RatingCommentReply,
    SurveyIntroReply,
    SurveyReply,
    SurveyReplyRest,
)
from bot.surveys import charts, export, flow, service
from bot.surveys.flow import Outcome, SurveyState
from bot.surveys.ratings import RatingOutcome
from bot.views import surveys as views
from bot.views.common import Screen

log = logging.getLogger(__name__)

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
    step: service.FlowStep
    args: tuple[object, ...]
    submit = isinstance(press, SurveyButton) and press.action is SurveyAction.SUBMIT
    if isinstance(press, SurveyButton) and press.action is SurveyAction.INTRO:
        await _introduction(update, context, survey_id)
        return
    if isinstance(press, SurveyAnswer):
        step, args = _ANSWERS[press.action], (press.question, press.value)
    elif isinstance(press, SurveyMove):
        step, args = _MOVES[press.action], (press.question,)
    elif not submit:  # open (Start)
        step, args = flow.show, ()
    else:
        step, args = flow.submit, ()
    outcome, state = await service.step(
        services.db,
        step,
        survey_id,
        tg,
        *args,
        now=services.clock.now(),
        batch=services.settings.anonymous_batch,
    )
    if submit and outcome is Outcome.FINISHED:  # a second tap on Send: the thanks stay
        await answer(update, views.already_sent())
    else:
        await _render(update, outcome, state)


async def _introduction(update: Update, context: BotContext, survey_id: int) -> None:
    """Back from the first question: the introduction, and typed text is then no answer."""
    services = context.services
    outcome, state = await service.introduction(
        services.db, survey_id, context.viewer.telegram_id, services.clock.now()
    )
    if outcome is Outcome.OK and state is not None:
        await show(update, views.introduction(state))
    else:
        await _render(update, outcome, state)


async def on_introduction_text(
    update: Update, context: BotContext, awaited: SurveyIntroReply
) -> None:
    """A message while the introduction is on screen: nothing is answered before Start."""
    await say(update, views.press_start())


async def on_survey_text(
    update: Update, context: BotContext, awaited: SurveyReply | SurveyReplyRest
) -> None:
    """A message while a survey is on screen: a free-text answer, or a pointer to the buttons."""
    message = update.message
    assert message is not None
    survey_id = awaited.survey_id
    sent_at = int(message.date.timestamp())
    services, tg = context.services, context.viewer.telegram_id
    text = clean(message.text)
    if isinstance(awaited, SurveyReplyRest) and sent_at - awaited.sent_at <= SPLIT_WINDOW:
        await say(update, views.continuation_ignored())
        return
    outcome, state = await service.typed_answer(
        services.db, survey_id, tg, text, sent_at, services.clock.now()
    )
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
    now = services.clock.now()
    if rate is not None:
        outcome, state = await service.rate(services.db, event_id, viewer, rate.stars, now)
    else:
        outcome, state = await service.ask_comment(services.db, event_id, viewer, now)
    if outcome is not RatingOutcome.OK or state is None:
        await show(update, Screen(_rating_notice(outcome)))
    elif rate is not None:
        await show(update, views.rating_prompt(state))
    else:
        await answer(update)
        await say(update, views.comment_prompt(state))


async def on_rating_comment(
    update: Update, context: BotContext, awaited: RatingCommentReply
) -> None:
    message = update.message
    assert message is not None
    event_id = awaited.event_id
    services, viewer = context.services, context.viewer
    text = clean(message.text)
    outcome, state = await service.comment(
        services.db, event_id, viewer, text, services.clock.now()
    )
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
    services = context.services
    surveys = await service.surveys_for(services.db, context.viewer, services.clock.now())
    await show(update, views.results_list([(x.id, x.title) for x in surveys]))


@allow(Access.STAFF)
async def on_session_ratings(update: Update, context: BotContext) -> None:
    rated = await service.ratings_for(context.services.db, context.viewer)
    await show(update, views.ratings_screen(rated))


@allow(Access.STAFF)
async def on_results_button(update: Update, context: BotContext) -> None:
    """A survey's results on screen, its chart, or an export (CSV, XLSX)."""
    query = update.callback_query
    assert query is not None
    press: Results | ResultsExport = pressed_any(update, Results, ResultsExport)
    export_ = press if isinstance(press, ResultsExport) else None
    action = press.action if isinstance(press, Results) else None
    services = context.services
    found = await service.results_for(
        services.db,
        context.viewer,
        press.survey_id,
        services.settings.anonymous_batch,
        services.clock.now(),
        export_format=export_.format.value if export_ else None,
    )
    if found is None:
        await show(update, Screen(views.nothing_to_show()))
        return
    survey, data = found
    lang = get_locale()
    if action is ResultsAction.SHOW or data.withheld:
        await show(
            update,
            views.survey_results(
                data, coordinator=context.viewer.is_coordinator, closed=survey.closed
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
    services = context.services
    surveys = await service.surveys_for(services.db, context.viewer, services.clock.now())
    listed = [(x.id, x.title, x.closed) for x in surveys]
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
    db, now = services.db, services.clock.now()
    survey = await service.open_survey(db, press.survey_id, now)
    if survey is None:
        await show(update, Screen(views.survey_closed()))
        return
    if action is ManageAction.PICK_AUDIENCE:
        screen = views.audience_picker(survey.id, survey.title, await service.visits(db))
    elif action is LaunchAction.CONFIRM:
        people = await service.audience_size(db, _audience(visit_id), services.coordinator_ids)
        screen = views.launch_confirm(survey.id, survey.title, people, visit_id)
    elif action is LaunchAction.SEND:
        tz = await programme_tz(services)
        try:
            launched = await service.launch(
                db,
                survey.id,
                _audience(visit_id),
                services.coordinator_ids,
                now,
                tz,
                payload,
                context.viewer,
                target,
                pressed_step(update),
            )
        except steps.Used:  # a second tap: launched already
            await answer(update)
            return
        if launched is None:
            screen = Screen(views.survey_closed())
        else:
            services.wake_delivery(launched.new_rows)
            screen = Screen(views.launched(launched.now, launched.held, launched.until, tz))
    elif action is ManageAction.CLOSE:
        screen = views.close_confirm(survey.id, survey.title)
    else:
        batch = services.settings.anonymous_batch
        closed = await service.close(db, survey.id, now, batch, context.viewer)
        screen = Screen(views.closed_now() if closed else views.survey_closed())
    await show(update, screen)


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    replies.expect(on_survey_text, SurveyReply, SurveyReplyRest)
    replies.expect(on_introduction_text, SurveyIntroReply)
    replies.expect(on_rating_comment, RatingCommentReply)
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
