"""Free-text questions: automatic answers, votes, the staff chat round trip and /questions.

Any private text that is not a command or an expected reply lands here. Coordinators answer
a passed-on question by replying to its message in the staff chat, or with its ✍️ Answer button
(then their next private message is the answer, routed by :mod:`bot.handlers.replies`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.callbacks.questions import (
    Alternative,
    AskPrompt,
    FaqAudience,
    PublishFaq,
    QuestionAction,
    QuestionButton,
    QuestionList,
    Verdict,
    Vote,
)
from bot.delivery.outbox import text_message
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed, pressed_or_none
from bot.handlers.replies import expect
from bot.handlers.send import answer, say, show
from bot.handlers.viewing import Seen, seen_by_viewer
from bot.i18n import _, tr, use_locale
from bot.infra.text import clean
from bot.people.awaiting import QuestionReply, StaffInput
from bot.people.service import stop_awaiting
from bot.questions import actions
from bot.questions import service as questions
from bot.questions.actions import Question
from bot.questions.live import DayAnswer, LiveAnswer, NextAnswer, live_answer
from bot.search import intents
from bot.search.content import visible_to
from bot.search.index import SearchIndex
from bot.views import agenda as schedule_views
from bot.views import logistics as logistics_views
from bot.views import questions as views
from bot.views.common import Screen, back_to_menu, keyboard


async def _seen_and_index(context: BotContext) -> tuple[Seen, SearchIndex]:
    seen = await seen_by_viewer(context)
    services = context.services
    index = await actions.search_index(services.db, services.search, seen.content)
    return seen, index


# --------------------------------------------------------------------------- asking


def _live_screen(live: LiveAnswer, seen: Seen, now: datetime, question_id: int) -> Screen:
    """The live answer, rendered (its data comes from :func:`bot.questions.live.live_answer`)."""
    content = seen.content
    if isinstance(live, DayAnswer):
        screen = schedule_views.day_screen(
            content,
            live.events,
            live.day,
            now,
            heading=schedule_views.heading_for(live.day, live.today),
            previous_day=live.previous_day,
            next_day=live.next_day,
        )
        return views.with_votes(screen, question_id)
    if isinstance(live, NextAnswer):
        return views.with_votes(schedule_views.next_screen(content, live.events, now), question_id)
    texts = [logistics_views.item_text(i, content) for i in live.items]
    if any(i.departs_at for i in live.items):
        texts.append(schedule_views.zone_label(content.tz))
    return views.items_screen(question_id, logistics_views.category_label(live.category), texts)


@allow(Access.ANYONE)
async def free_text(update: Update, context: BotContext) -> None:
    message = update.message
    if message is None or not context.has_viewer:
        return
    text = clean(message.text)
    problem = questions.check_input(text)
    if problem is not None:
        await show(update, views.bad_input(problem))
        return
    viewer = context.viewer
    now = context.services.clock.now()
    seen, index = await _seen_and_index(context)
    today = seen.content.local_date(now)
    resolution = questions.resolve(text, index, visible_to(seen.scope), today, live=viewer.invited)
    if not (viewer.invited or resolution.safety) and intents.detect_intent(text, today):
        await say(update, views.guests_only_public())
        return
    live = None
    if resolution.intent is not None:
        limit = schedule_views.NEXT_LIMIT
        live = live_answer(resolution.intent, seen.content, seen.scope, now, limit)
        if live is None:  # nothing live for it: the ranked entries answer
            resolution = dataclasses.replace(resolution, intent=None)
    qid = await actions.store(context.services.db, viewer, text, resolution, now)
    screen = _live_screen(live, seen, now, qid) if live else _ranked_screen(resolution, qid, seen)
    await show(update, screen or views.declined(qid))


def _ranked_screen(resolution: questions.Resolution, question_id: int, seen: Seen) -> Screen | None:
    """Safety first; then the sure answer (with the message's other questions), or choices."""
    if resolution.safety:
        return views.safety_screen(question_id, list(resolution.safety), seen.content)
    if resolution.best is not None:
        return views.answer_screen(
            question_id,
            resolution.best,
            resolution.alternatives,
            seen.content,
            also=list(resolution.also),
        )
    if resolution.choices:
        return views.choices_screen(question_id, resolution.choices)
    return None


@allow(Access.ANYONE)
async def ask_prompt(update: Update, context: BotContext) -> None:
    await show(
        update,
        Screen(
            _(
                "❓ Type your question in a message, in any language. I will answer from the "
                "programme, or pass it on to the coordinators."
            ),
            keyboard([[back_to_menu()]]),
        ),
    )


async def _toast(update: Update, text: str = "", alert: bool = False) -> None:
    if update.callback_query is not None:
        await answer(update, text or None, alert=alert)


@allow(Access.ANYONE)
async def vote(update: Update, context: BotContext) -> None:
    ballot = pressed(update, Vote)
    qid, helpful = ballot.question_id, ballot.verdict is Verdict.HELPFUL
    services = context.services
    tg, now = context.viewer.telegram_id, services.clock.now()
    if not await actions.vote(services.db, qid, tg, helpful, now):
        await _toast(update)
        return
    await _toast(update, views.thanks_for_vote(helpful))


@allow(Access.ANYONE)
async def alternative(update: Update, context: BotContext) -> None:
    offered = pressed(update, Alternative)
    qid, n = offered.question_id, offered.place
    seen, index = await _seen_and_index(context)
    allowed = visible_to(seen.scope)
    documents = {d.key: d for d in index.documents}

    def may_see(key: str) -> bool:
        return key in documents and allowed(documents[key])

    services = context.services
    tg, now = context.viewer.telegram_id, services.clock.now()
    key = await actions.choose(services.db, qid, tg, n, may_see, now)
    if key is None:
        await _toast(update)
        return
    await show(update, views.answer_screen(qid, documents[key], [], seen.content), edit=False)


@allow(Access.ANYONE)
async def send_on(update: Update, context: BotContext) -> None:
    """The asker passes the question on to the coordinators."""
    qid = pressed(update, QuestionButton).question_id
    services = context.services
    settings = services.settings
    seen = await seen_by_viewer(context)

    def for_staff(question: Question) -> dict[str, Any]:
        delegation = _delegation(seen, question, settings.staff_language)
        with use_locale(settings.staff_language):
            return _payload(views.staff_message(question, delegation))

    outcome, question = await actions.pass_on(
        services.db, qid, context.viewer, services.clock.now(), settings.staff_chat_id, for_staff
    )
    if outcome is actions.PassOn.GONE or question is None:
        await _toast(update)
        return
    if outcome is actions.PassOn.ALREADY:
        await _toast(update, views.already_sent())
        return
    if outcome is actions.PassOn.TOO_MANY:
        await _toast(update, views.too_many_passed_on(), alert=True)
        return
    await _toast(update)
    services.wake_delivery()
    passed = settings.staff_chat_id is not None
    await say(update, views.sent_on() if passed else views.saved_for_staff())


def _payload(screen: Screen) -> dict[str, Any]:
    markup = screen.keyboard.to_dict() if screen.keyboard else None
    return text_message(screen.text, reply_markup=markup)


def _delegation(seen: Seen, question: Question, language: str) -> str | None:
    """The asker's delegation, named in ``language`` (the staff chat's)."""
    if question.delegation_id is None:
        return None
    delegation = seen.content.delegations.get(question.delegation_id)
    return tr(delegation.name, language) if delegation else None


async def _delegation_name(context: BotContext, question: Question) -> str | None:
    seen = await seen_by_viewer(context)
    return _delegation(seen, question, context.services.settings.staff_language)


# --------------------------------------------------------------------- coordinators


def _is_coordinator(context: BotContext) -> bool:
    return context.has_viewer and context.viewer.is_coordinator


async def _ask_privately(
    update: Update,
    context: BotContext,
    step: StaffInput,
    prompt: Callable[[Question], str],
    refused: str,
    *,
    open_only: bool = False,
) -> None:
    """The coordinator's next private message is awaited as ``step`` for the pressed question,
    and ``prompt`` asks for it in the private chat (``refused`` when that chat is closed).

    The prompt is the answer to this coordinator's own press, so it is sent here, not through
    the outbox: the toast must say at once whether their private chat is open."""
    qid = pressed(update, QuestionButton).question_id
    viewer = context.viewer
    state, question = await actions.await_reply(
        context.services.db, qid, viewer.telegram_id, step, open_only=open_only
    )
    if state is actions.Awaiting.GONE or question is None:
        await _toast(update)
        return
    if state is actions.Awaiting.ANSWERED:
        await _toast(update, views.already_answered(question), alert=True)
        return
    try:
        await context.bot.send_message(viewer.telegram_id, prompt(question))
    except (Forbidden, BadRequest):
        await _toast(update, refused, alert=True)
        return
    await _toast(update)


@allow(Access.COORDINATOR)
async def answer_button(update: Update, context: BotContext) -> None:
    """✍️ Answer: the coordinator's next private message becomes the answer."""
    await _ask_privately(
        update,
        context,
        StaffInput.ANSWER,
        views.ask_for_answer,
        _("Open a private chat with me first, or answer by replying to the question message here."),
        open_only=True,
    )


@allow(Access.COORDINATOR)
async def staff_reply(update: Update, context: BotContext) -> None:
    """A coordinator replies in the staff chat to a question's message."""
    message = update.message
    if message is None or message.reply_to_message is None:
        return
    question = await actions.by_staff_message(
        context.services.db, message.chat_id, message.reply_to_message.message_id
    )
    if question is not None:
        await _deliver(update, context, question.id, clean(message.text))


async def expected_answer(update: Update, context: BotContext, awaited: QuestionReply) -> None:
    """The private message after ✍️ Answer or ✏️ Reword (routed by bot.handlers.replies)."""
    await stop_awaiting(context.services.db, context.viewer.telegram_id)
    message = update.message
    if message is None or not _is_coordinator(context):
        return
    qid = awaited.question_id
    if awaited.step is StaffInput.FAQ:
        wording = clean(message.text).strip()
        if not wording:
            await say(update, _("The text is empty; nothing was published."))
            return
        await _publish(update, context, qid, wording, everyone=False)
        return
    await _deliver(update, context, qid, clean(message.text))


async def _deliver(update: Update, context: BotContext, question_id: int, text: str) -> None:
    if not text.strip():
        await say(update, _("The answer is empty; nothing was sent."))
        return
    services = context.services

    def for_asker(question: Question) -> dict[str, Any]:
        with use_locale(question.language):
            return text_message(views.answer_for_asker(question))

    answered, question = await actions.answer(
        services.db,
        question_id,
        text.strip(),
        context.viewer,
        services.clock.now(),
        for_asker,
        await _for_staff_chat(context),
    )
    if question is None:
        return
    if answered is actions.Answered.ALREADY:
        await say(update, views.already_answered(question))
        return
    services.wake_delivery()
    sent = answered is actions.Answered.SENT
    await say(update, views.answer_sent(question) if sent else views.answer_not_delivered(question))


async def _for_staff_chat(context: BotContext) -> actions.Render:
    """Renders an answered question's staff-chat message (in the staff chat's language), which
    the outbox then edits in place."""
    seen = await seen_by_viewer(context)
    language = context.services.settings.staff_language

    def render(question: Question) -> dict[str, Any]:
        delegation = _delegation(seen, question, language)
        with use_locale(language):
            return _payload(views.staff_answered(question, delegation))

    return render


@allow(Access.COORDINATOR)
async def make_faq(update: Update, context: BotContext) -> None:
    """➕ FAQ: the coordinator first sees what would be published, and to whom."""
    qid = pressed(update, QuestionButton).question_id
    question = await actions.question(context.services.db, qid)
    if question is None or question.status != questions.Status.ANSWERED:
        await _toast(update)
        return
    if question.faq_entry_id is not None:
        await _toast(update, _("This question is already in the FAQ."))
        return
    delegation = await _delegation_name(context, question)
    await show(update, views.faq_preview(question, delegation), edit=False)


@allow(Access.COORDINATOR)
async def publish_faq(update: Update, context: BotContext) -> None:
    """✅ Publish (for the asker's delegation, or 🌍 for everyone invited) as the preview showed."""
    publish = pressed(update, PublishFaq)
    everyone = publish.audience is FaqAudience.EVERYONE
    await _publish(update, context, publish.question_id, None, everyone=everyone)


@allow(Access.COORDINATOR)
async def cancel_faq(update: Update, context: BotContext) -> None:
    """✖️ Cancel under the FAQ preview: nothing is published, the preview says so."""
    await show(update, Screen(views.faq_not_published()))


@allow(Access.COORDINATOR)
async def reword_faq(update: Update, context: BotContext) -> None:
    """✏️ Reword: the coordinator's next private message is the question as the FAQ shows it."""
    await _ask_privately(
        update,
        context,
        StaffInput.FAQ,
        views.ask_for_faq_wording,
        _("Open a private chat with me first."),
    )


async def _publish(
    update: Update, context: BotContext, qid: int, wording: str | None, *, everyone: bool
) -> None:
    services = context.services
    question, entry = await actions.publish(
        services.db,
        qid,
        wording,
        services.clock.now(),
        await _for_staff_chat(context),
        everyone=everyone,
    )
    if question is None or entry is None:
        await _toast(update)
        return
    services.wake_delivery()
    delegation = None if entry.delegation_id is None else await _delegation_name(context, question)
    if update.callback_query is not None:
        await show(update, Screen(views.faq_added(entry, delegation)))
    else:
        await say(update, views.faq_added(entry, delegation))


@allow(Access.COORDINATOR)
async def list_questions(update: Update, context: BotContext) -> None:
    """/questions and its filter buttons: open, 👎, unanswered (coordinators only)."""
    listing = pressed_or_none(update, QuestionList)
    kind = listing.listing if listing is not None else questions.Listing.OPEN
    found, counts = await actions.listing(context.services.db, kind)
    await show(update, views.listing_screen(kind, found, counts))


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    expect(expected_answer, QuestionReply)
    app.add_handler(CommandHandler("questions", list_questions, filters=private))
    app.add_handler(CallbackQueryHandler(ask_prompt, pattern=AskPrompt.pattern))
    app.add_handler(CallbackQueryHandler(vote, pattern=Vote.pattern))
    app.add_handler(CallbackQueryHandler(alternative, pattern=Alternative.pattern))
    for action, callback in (
        (QuestionAction.PASS_ON, send_on),
        (QuestionAction.ANSWER, answer_button),
        (QuestionAction.FAQ, make_faq),
        (QuestionAction.REWORD, reword_faq),
        (QuestionAction.CANCEL_FAQ, cancel_faq),
    ):
        app.add_handler(
            CallbackQueryHandler(callback, pattern=QuestionButton.matching(action=action))
        )
    app.add_handler(CallbackQueryHandler(publish_faq, pattern=PublishFaq.pattern))
    app.add_handler(CallbackQueryHandler(list_questions, pattern=QuestionList.pattern))
    app.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS
            & filters.UpdateType.MESSAGE
            & filters.REPLY
            & filters.TEXT
            & ~filters.COMMAND,
            staff_reply,
        )
    )
    app.add_handler(
        MessageHandler(
            private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, free_text
        )
    )
