"""The agenda on screen: a day's events, what is next, the whole visit by day, an event card.

Times are shown in the programme's time zone and labelled, with Kyiv time beside them where the
two differ; countdowns ("in 2 hours") are relative to the ``now`` the caller passes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

from bot import i18n
from bot.agenda import ProgrammeContent
from bot.db.models import Event
from bot.i18n import N_, _, format_date, format_relative, format_time, get_locale, ngettext, tr
from bot.views.common import Screen, back_to_menu, button, keyboard

#: Texts that the platform's catalog (core.po) already holds; this alias keeps them out of ours.
core_text = i18n.gettext

#: The programme's entries in the main menu (callback -> label msgid), for invited people.
PROGRAMME_MENU = {
    "sch:today": N_("📅 Today"),
    "sch:next": N_("⏭ Next"),
    "sch:visit": N_("🗓 Whole visit"),
    "visit:show": N_("🧳 My visit"),
    "log:menu": N_("🚌 Logistics"),
    "res:menu": N_("📄 Materials"),
    "sch:ics": N_("📆 Calendar"),
    "set:show": N_("⏰ Reminders"),
}

#: Events listed on one day screen; the rest are counted.
DAY_LIMIT = 15
NEXT_LIMIT = 5


def day_code(day: date) -> str:
    return day.strftime("%Y%m%d")


def time_range(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """ "09:00–10:30", and the same in Kyiv time beside it where the two differ."""
    local = f"{format_time(start, tz)}–{format_time(end, tz)}"
    if not i18n.kyiv_differs(start, tz):
        return local
    kyiv = f"{format_time(start, i18n.KYIV)}–{format_time(end, i18n.KYIV)}"
    return core_text("{local} ({kyiv} Kyiv time)", local=local, kyiv=kyiv)


def zone_label(tz: ZoneInfo) -> str:
    """ "🕒 Ljubljana time", so nobody wonders which clock a time is on."""
    city = babel_dates.get_timezone_location(tz, locale=get_locale(), return_city=True)
    return _("🕒 Times are {city} time.", city=city)


def countdown(event: Event, now: datetime, tz: ZoneInfo) -> str:
    if event.starts_at <= now < event.ends_at:
        return _("now, until {time}", time=format_time(event.ends_at, tz))
    if event.ends_at <= now:
        return _("over")
    return format_relative(event.starts_at - now)


def place_line(event: Event) -> str:
    place = tr(event.place_name)
    parts = [p for p in (place, event.address or "") if p]
    return ", ".join(escape(p) for p in parts)


def event_line(event: Event, now: datetime, tz: ZoneInfo) -> str:
    text = (
        f"<b>{time_range(event.starts_at, event.ends_at, tz)}</b> · "
        f"{escape(tr(event.title))} — <i>{countdown(event, now, tz)}</i>"
    )
    place = place_line(event)
    return text + (f"\n📍 {place}" if place else "")


def _event_button(event: Event, tz: ZoneInfo) -> list:  # type: ignore[type-arg]
    title = tr(event.title)
    label = f"{format_time(event.starts_at, tz)} {title}"
    return [button(label[:60], f"sch:ev:{event.id}")]


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
    if not events:
        lines.append(_("No sessions on this day."))
    lines.extend(event_line(e, now, tz) + "\n" for e in shown)
    if len(events) > len(shown):
        more = len(events) - len(shown)
        lines.append(ngettext("… and {n} more session", "… and {n} more sessions", more))
    rows = [_event_button(e, tz) for e in shown]
    nav = []
    if previous_day is not None:
        nav.append(
            button("◀ " + i18n.format_day(previous_day), f"sch:day:{day_code(previous_day)}")
        )
    if next_day is not None:
        nav.append(button(i18n.format_day(next_day) + " ▶", f"sch:day:{day_code(next_day)}"))
    rows.append(nav)
    rows.append(
        [
            button(_("📅 Today"), "sch:today"),
            button(_("Tomorrow"), "sch:tomorrow"),
            button(_("⏭ Next"), "sch:next"),
        ]
    )
    rows.append([back_to_menu()])
    return Screen("\n".join(lines).rstrip(), keyboard(rows))


def next_screen(content: ProgrammeContent, events: list[Event], now: datetime) -> Screen:
    tz = content.tz
    lines = [f"<b>{_('⏭ Next')}</b>", zone_label(tz), ""]
    if not events:
        lines.append(_("Nothing more is planned for you."))
    for event in events:
        day = format_date(event.starts_at, tz, "medium")
        lines.append(f"{escape(day)}\n{event_line(event, now, tz)}\n")
    rows = [_event_button(e, tz) for e in events]
    rows.append([button(_("📅 Today"), "sch:today"), button(_("🗓 Whole visit"), "sch:visit")])
    rows.append([back_to_menu()])
    return Screen("\n".join(lines).rstrip(), keyboard(rows))


def event_card(content: ProgrammeContent, event: Event, now: datetime) -> Screen:
    """Everything about one session: when, where, who hosts it, what it is about."""
    tz = content.tz
    lines = [f"<b>{escape(tr(event.title))}</b>"]
    if event.cancelled:
        lines.append(_("❌ This session is cancelled."))
    lines.append(f"📅 {escape(format_date(event.starts_at, tz, 'full'))}")
    lines.append(
        f"🕒 {time_range(event.starts_at, event.ends_at, tz)} · {countdown(event, now, tz)}"
    )
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
    rows = [
        [button(_("⬅️ Back to the day"), f"sch:day:{day_code(day)}")],
        [back_to_menu()],
    ]
    return Screen("\n".join(lines), keyboard(rows))


def no_agenda() -> Screen:
    return Screen(
        _("There is no programme for you yet. The coordinators will add it soon."),
        keyboard([[back_to_menu()]]),
    )


def event_gone() -> Screen:
    return Screen(
        _("This session is no longer in your programme."),
        keyboard([[button(_("📅 Today"), "sch:today")], [back_to_menu()]]),
    )


def heading_for(day: date, today: date) -> str:
    if day == today:
        return _("📅 Today")
    if day == today + timedelta(days=1):
        return _("📅 Tomorrow")
    return _("🗓 Programme")
