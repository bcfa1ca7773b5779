"""Today, tomorrow, next, the whole visit by day, an event card with its map pin, the calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.agenda import service as agenda
from bot.agenda.calendar import agenda_ics
from bot.callbacks.agenda import Agenda, AgendaDay, AgendaScreen, EventCard
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed
from bot.handlers.send import answer, optional, post, show
from bot.handlers.viewing import Seen, screen_of_minute, seen_by_viewer
from bot.i18n import _, get_locale, tr
from bot.views import agenda as views
from bot.views.common import Screen


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
    now = context.services.clock.now()
    screen = screen_of_minute(
        seen, now, lambda m: _day_screen(seen, day, m), "day", seen.scope, day
    )
    await show(update, screen)


def _day_screen(seen: Seen, day: date, now: datetime) -> Screen:
    content, scope = seen.content, seen.scope
    days = agenda.agenda_days(content, scope)
    if not days:
        return views.no_agenda()
    earlier = [d for d in days if d < day]
    later = [d for d in days if d > day]
    return views.day_screen(
        content,
        agenda.day_events(content, scope, day),
        day,
        now,
        heading=views.heading_for(day, content.local_date(now)),
        previous_day=earlier[-1] if earlier else None,
        next_day=later[0] if later else None,
    )


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

    def build(now: datetime) -> Screen:
        events = agenda.next_events(seen.content, seen.scope, now, views.NEXT_LIMIT)
        return views.next_screen(seen.content, events, now)

    now = context.services.clock.now()
    await show(update, screen_of_minute(seen, now, build, "next", seen.scope))


@allow(Access.INVITED)
async def event_card(update: Update, context: BotContext) -> None:
    event_id = pressed(update, EventCard).event_id
    seen = await seen_by_viewer(context)
    event = agenda.visible_event(seen.content, seen.scope, event_id)
    if event is None:
        await show(update, views.event_gone())
        return
    now = context.services.clock.now()
    card = screen_of_minute(
        seen, now, lambda m: views.event_card(seen.content, event, m), "card", event.id
    )
    if not await show(update, card):
        return  # the card was on screen already (a double tap): its pin is there too
    chat = update.effective_chat
    if chat is None or event.latitude is None or event.longitude is None or event.cancelled:
        return
    pin: dict[str, object] = {
        "chat_id": chat.id,
        "latitude": event.latitude,
        "longitude": event.longitude,
    }
    if event.address:
        title = tr(event.place_name) or tr(event.title)
        pin.update(title=title[:100], address=event.address)
    method = "sendVenue" if event.address else "sendLocation"
    await optional(f"the pin of event {event.id}", post(context.bot, method, pin))


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
    caption = _(
        "📆 Your programme as a calendar file. Open it to add the sessions to your calendar. "
        "If you open a newer file later, your calendar updates the sessions instead of "
        "adding them again."
    )
    document = InputFile(data, filename="programme.ics")
    params = {"chat_id": chat.id, "document": document, "caption": caption, "parse_mode": "HTML"}
    await post(context.bot, "sendDocument", params)


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
