"""The agenda on screen: a day's events, what is next, the whole visit by day, an event card.

Times are shown in the programme's time zone and labelled, with Kyiv time beside them where the
two differ; countdowns ("in 2 hours") are relative to the ``now`` the caller passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot import i18n
from bot.agenda.content import Event
from bot.agenda.service import ProgrammeContent
from bot.callbacks.agenda import (
    Agenda,
    AgendaDay,
    AgendaScreen,
    EventCard,
    LogisticsMenu,
    MyVisit,
    ReminderSettings,
    ResourcesMenu,
)
from bot.callbacks.base import CallbackData
from bot.i18n import N_, _, format_countdown, format_date, format_time, get_locale, ngettext, tr
from bot.views.common import Keyboard, Screen, back_to_menu, button, fit, keyboard

#: Texts that the platform's catalog (core.po) already holds; this alias keeps them out of ours.
core_text = i18n.gettext

#: The programme's entries in the main menu (callback -> label msgid), for invited people.
PROGRAMME_MENU: dict[CallbackData, str] = {
    Agenda(AgendaScreen.TODAY): N_("📅 Today"),
    Agenda(AgendaScreen.NEXT): N_("⏭ Next"),
    Agenda(AgendaScreen.WHOLE_VISIT): N_("🗓 Whole visit"),
    MyVisit(): N_("🧳 My visit"),
    LogisticsMenu(): N_("🚌 Logistics"),
    ResourcesMenu(): N_("📄 Materials"),
    Agenda(AgendaScreen.CALENDAR): N_("📆 Calendar"),
    ReminderSettings(): N_("⏰ Reminders"),
}

#: Events listed on one day screen; the rest are counted.
DAY_LIMIT = 15
NEXT_LIMIT = 5


def time_range(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """ "09:00–10:30", and the same in Kyiv time beside it where the two differ."""
    local = f"{format_time(start, tz)}–{format_time(end, tz)}"
    if not i18n.kyiv_differs(start, tz):
        return local
    kyiv = f"{format_time(start, i18n.KYIV)}–{format_time(end, i18n.KYIV)}"
    return core_text("{local} ({kyiv} Kyiv time)", local=local, kyiv=kyiv)


def zone_label(tz: ZoneInfo) -> str:
    """ "🕒 Ljubljana time", so nobody wonders which clock a time is on."""
    return _zone_label(tz, get_locale())


@lru_cache(maxsize=64)
def _zone_label(tz: ZoneInfo, lang: str) -> str:
    return _("🕒 Times are {city} time.", city=i18n.zone_city(tz, lang))


def countdown(event: Event, now: datetime, tz: ZoneInfo) -> str:
    """ "in 2 hours", "now, until 10:30" or "over".

    The distance is counted from the start of the current minute: a countdown is read at a glance
    and stays on screen for a while, and so every request within a minute shares one text.
    """
    if event.starts_at <= now < event.ends_at:
        return _("now, until {time}", time=format_time(event.ends_at, tz))
    if event.ends_at <= now:
        return _("ended")
    return format_countdown(event.starts_at, now.replace(second=0, microsecond=0), tz)


def place_line(event: Event) -> str:
    place = tr(event.place_name)
    parts = [p for p in (place, event.address or "") if p]
    return ", ".join(escape(p) for p in parts)


@dataclass(frozen=True, slots=True)
class _EventTexts:
    """The parts of an event's line that do not depend on when it is read."""

    head: str  # "<b>09:00–10:30</b> · Title"
    place: str  # escaped, "" when the event has none
    button: InlineKeyboardButton


def _event_texts(event: Event, tz: ZoneInfo) -> _EventTexts:
    title = tr(event.title)
    label = f"{format_time(event.starts_at, tz)} {title}"
    return _EventTexts(
        head=f"<b>{time_range(event.starts_at, event.ends_at, tz)}</b> · {escape(title)}",
        place=place_line(event),
        button=button(fit(label), EventCard(event.id)),
    )


def _texts_of(content: ProgrammeContent, event: Event) -> _EventTexts:
    """:func:`_event_texts` in the current language, kept for the content version."""
    return content.memo(
        ("event-texts", event.id, get_locale()), lambda: _event_texts(event, content.tz)
    )


def _line(texts: _EventTexts, event: Event, now: datetime, tz: ZoneInfo) -> str:
    text = f"{texts.head} — <i>{countdown(event, now, tz)}</i>"
    return text + (f"\n📍 {texts.place}" if texts.place else "")


def event_line(event: Event, now: datetime, tz: ZoneInfo) -> str:
    return _line(_event_texts(event, tz), event, now, tz)


def day_screen(
    content: ProgrammeContent,
    events: list[Event],
    day: date,
    now: datetime,
    *,
    heading: str,
    previous_day: date | None = None,
    next_day: date | None = None,
) -> Screen:
    """One day's events with a button per event; ◀ ▶ page through the visit's days."""
    tz = content.tz
    lines = [f"<b>{heading}</b> · {escape(format_date(day, tz, 'full'))}", zone_label(tz), ""]
    shown = events[:DAY_LIMIT]
    texts = [_texts_of(content, e) for e in shown]
    if not events:
        lines.append(_("No sessions on this day."))
    lines.extend(_line(t, e, now, tz) + "\n" for t, e in zip(texts, shown, strict=True))
    if len(events) > len(shown):
        more = len(events) - len(shown)
        lines.append(ngettext("… and {n} more session", "… and {n} more sessions", more))

    def build_keyboard() -> Keyboard:
        rows = [[t.button] for t in texts]
        nav = []
        if previous_day is not None:
            nav.append(button("◀ " + i18n.format_day(previous_day), AgendaDay(previous_day)))
        if next_day is not None:
            nav.append(button(i18n.format_day(next_day) + " ▶", AgendaDay(next_day)))
        rows.append(nav)
        rows.append(
            [
                button(_("📅 Today"), Agenda(AgendaScreen.TODAY)),
                button(_("📅 Tomorrow"), Agenda(AgendaScreen.TOMORROW)),
                button(_("⏭ Next"), Agenda(AgendaScreen.NEXT)),
            ]
        )
        rows.append([back_to_menu()])
        return keyboard(rows)

    key = ("day-keyboard", get_locale(), previous_day, next_day, tuple(e.id for e in shown))
    return Screen("\n".join(lines).rstrip(), content.memo(key, build_keyboard))


def next_screen(content: ProgrammeContent, events: list[Event], now: datetime) -> Screen:
    tz = content.tz
    heading = _("⏭ Next")
    lines = [f"<b>{heading}</b>", zone_label(tz), ""]
    if not events:
        lines.append(_("Nothing more is planned for you."))
    texts = [_texts_of(content, e) for e in events]
    for t, event in zip(texts, events, strict=True):
        day = format_date(event.starts_at, tz, "medium")
        lines.append(f"{escape(day)}\n{_line(t, event, now, tz)}\n")

    def build_keyboard() -> Keyboard:
        rows = [[t.button] for t in texts]
        rows.append(
            [
                button(_("📅 Today"), Agenda(AgendaScreen.TODAY)),
                button(_("🗓 Whole visit"), Agenda(AgendaScreen.WHOLE_VISIT)),
            ]
        )
        rows.append([back_to_menu()])
        return keyboard(rows)

    key = ("next-keyboard", get_locale(), tuple(e.id for e in events))
    return Screen("\n".join(lines).rstrip(), content.memo(key, build_keyboard))


@dataclass(frozen=True, slots=True)
class _Card:
    """An event card around its countdown, the one part that depends on when it is read."""

    head: str
    tail: str
    keyboard: Keyboard


def event_card(content: ProgrammeContent, event: Event, now: datetime) -> Screen:
    """Everything about one session: when, where, who hosts it, what it is about."""
    card = content.memo(("event-card", event.id, get_locale()), lambda: _card(content, event))
    return Screen(card.head + countdown(event, now, content.tz) + card.tail, card.keyboard)


def _card(content: ProgrammeContent, event: Event) -> _Card:
    tz = content.tz
    lines = [f"<b>{escape(tr(event.title))}</b>"]
    if event.cancelled:
        lines.append(_("❌ This session is cancelled."))
    lines.append(f"📅 {escape(format_date(event.starts_at, tz, 'full'))}")
    lines.append(f"🕒 {time_range(event.starts_at, event.ends_at, tz)} · ")
    head = "\n".join(lines)
    lines = [""]
    place = place_line(event)
    if place:
        lines.append(f"📍 {place}")
    host = tr(event.host_organisation)
    if host:
        lines.append(_("🏛 Host: {host}", host=escape(host)))
    description = tr(event.description)
    if description:
        lines.append("")
        lines.append(escape(description))
    lines.append("")
    lines.append(zone_label(tz))
    day = content.local_date(event.starts_at)
    return _Card(head, "\n".join(lines), _card_keyboard(content, day))


def _card_keyboard(content: ProgrammeContent, day: date) -> Keyboard:
    """Back to the card's day, or to the menu (the same for every session of that day)."""

    def build() -> Keyboard:
        rows = [
            [button(_("⬅️ Back to the day"), AgendaDay(day))],
            [back_to_menu()],
        ]
        return keyboard(rows)

    return content.memo(("card-keyboard", day, get_locale()), build)


def no_agenda() -> Screen:
    return Screen(
        _("There is no programme for you yet. The coordinators will add it soon."),
        keyboard([[back_to_menu()]]),
    )


def event_gone() -> Screen:
    return Screen(
        _("This session is no longer in your programme."),
        keyboard([[button(_("📅 Today"), Agenda(AgendaScreen.TODAY))], [back_to_menu()]]),
    )


def heading_for(day: date, today: date) -> str:
    if day == today:
        return _("📅 Today")
    if day == today + timedelta(days=1):
        return _("📅 Tomorrow")
    return _("🗓 Programme")
