"""Today, tomorrow, next, the whole visit by day, an event card with its map pin, the calendar."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.agenda import service as agenda
from bot.agenda.calendar import agenda_ics
from bot.callbacks.agenda import Agenda, AgendaDay, AgendaScreen, EventCard
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed
from bot.handlers.send import answer, optional, show
from bot.handlers.viewing import Seen, seen_by_viewer
from bot.i18n import _, get_locale, tr
from bot.views import agenda as views


async def _day(update: Update, context: BotContext, offset: int) -> None:
    seen = await seen_by_viewer(context)
    today = seen.content.local_date(context.services.clock.now())
    await _show_day(update, context, seen, today + timedelta(days=offset))


@allow(Access.INVITED)
async def today(update: Update, context: BotContext) -> None:
    await _day(update, context, 0)


@allow(Access.INVITED)
async def tomorrow(update: Update, context: BotContext) -> None:
    await _day(update, context, 1)


async def _show_day(update: Update, context: BotContext, seen: Seen, day: date) -> None:
    content, scope = seen.content, seen.scope
    now = context.services.clock.now()
    days = agenda.agenda_days(content, scope)
    if not days:
        await show(update, views.no_agenda())
        return
    earlier = [d for d in days if d < day]
    later = [d for d in days if d > day]
    screen = views.day_screen(
        content,
        agenda.day_events(content, scope, day),
        day,
        now,
        heading=views.heading_for(day, content.local_date(now)),
        previous_day=earlier[-1] if earlier else None,
        next_day=later[0] if later else None,
    )
    await show(update, screen)


@allow(Access.INVITED)
async def whole_visit(update: Update, context: BotContext) -> None:
    """The visit by day: today when it has sessions, else the next day that has, else the last."""
    seen = await seen_by_viewer(context)
    days = agenda.agenda_days(seen.content, seen.scope)
    today_ = seen.content.local_date(context.services.clock.now())
    upcoming = [d for d in days if d >= today_]
    await _show_day(
        update, context, seen, upcoming[0] if upcoming else (days[-1] if days else today_)
    )


@allow(Access.INVITED)
async def page_day(update: Update, context: BotContext) -> None:
    day = pressed(update, AgendaDay).day
    await _show_day(update, context, await seen_by_viewer(context), day)


@allow(Access.INVITED)
async def next_up(update: Update, context: BotContext) -> None:
    seen = await seen_by_viewer(context)
    now = context.services.clock.now()
    events = agenda.next_events(seen.content, seen.scope, now, views.NEXT_LIMIT)
    await show(update, views.next_screen(seen.content, events, now))


@allow(Access.INVITED)
async def event_card(update: Update, context: BotContext) -> None:
    event_id = pressed(update, EventCard).event_id
    seen = await seen_by_viewer(context)
    event = agenda.visible_event(seen.content, seen.scope, event_id)
    if event is None:
        await show(update, views.event_gone())
        return
    card = views.event_card(seen.content, event, context.services.clock.now())
    if not await show(update, card):
        return  # the card was on screen already (a double tap): its pin is there too
    chat = update.effective_chat
    if chat is None or event.latitude is None or event.longitude is None or event.cancelled:
        return
    title = tr(event.place_name) or tr(event.title)
    if event.address:
        pin = context.bot.send_venue(
            chat.id, event.latitude, event.longitude, title=title[:100], address=event.address
        )
    else:
        pin = context.bot.send_location(chat.id, event.latitude, event.longitude)
    await optional(f"the pin of event {event.id}", pin)


@allow(Access.INVITED)
async def calendar(update: Update, context: BotContext) -> None:
    """The viewer's own agenda as an .ics file."""
    if update.callback_query is not None:
        await answer(update)
    seen = await seen_by_viewer(context)
    chat = update.effective_chat
    if chat is None:
        return
    data = agenda_ics(seen.content, seen.scope, get_locale())
    await context.bot.send_document(
        chat.id,
        data,
        filename="programme.ics",
        caption=_(
            "📆 Your programme as a calendar file. Open it to add the sessions to your "
            "calendar; open a newer file later and the calendar updates them."
        ),
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    for name, callback in (
        ("today", today),
        ("tomorrow", tomorrow),
        ("next", next_up),
        ("agenda", whole_visit),
        ("calendar", calendar),
    ):
        app.add_handler(CommandHandler(name, callback, filters=private))
    for screen, callback in (
        (AgendaScreen.TODAY, today),
        (AgendaScreen.TOMORROW, tomorrow),
        (AgendaScreen.NEXT, next_up),
        (AgendaScreen.WHOLE_VISIT, whole_visit),
        (AgendaScreen.CALENDAR, calendar),
    ):
        app.add_handler(CallbackQueryHandler(callback, pattern=Agenda.matching(screen=screen)))
    app.add_handler(CallbackQueryHandler(page_day, pattern=AgendaDay.pattern))
    app.add_handler(CallbackQueryHandler(event_card, pattern=EventCard.pattern))
