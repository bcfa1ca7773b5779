"""Texts of the messages the bot sends on its own: reminders, digests, change notices.

Rendered in the recipient's language: callers wrap them in ``use_locale(recipient.language)``.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from bot.agenda.content import Event
from bot.agenda.service import ProgrammeContent
from bot.i18n import _, format_countdown, format_date, tr
from bot.views.agenda import event_line, place_line, time_range, zone_label


def reminder(content: ProgrammeContent, event: Event, send_at: datetime) -> str:
    tz = content.tz
    lines = [
        _(
            "⏰ Reminder: <b>{title}</b> starts {countdown}.",
            title=escape(tr(event.title)),
            countdown=format_countdown(event.starts_at, send_at, tz),
        ),
        f"🕒 {time_range(event.starts_at, event.ends_at, tz)}",
    ]
    place = place_line(event)
    if place:
        lines.append(f"📍 {place}")
    lines.append(zone_label(tz))
    return "\n".join(lines)


def digest(content: ProgrammeContent, day: date, events: list[Event], send_at: datetime) -> str:
    tz = content.tz
    lines = [
        _("☀️ Good morning! Your programme for {day}:", day=escape(format_date(day, tz, "full")))
    ]
    lines.append("")
    lines.extend(event_line(e, send_at, tz) + "\n" for e in events)
    lines.append(zone_label(tz))
    return "\n".join(lines)


def _when_where(content: ProgrammeContent, state: Any) -> str:
    tz = content.tz
    text = (
        f"{escape(format_date(state.starts_at, tz, 'medium'))}, "
        f"{time_range(state.starts_at, state.ends_at, tz)}"
    )
    place = ", ".join(escape(p) for p in (tr(state.place_name), state.address or "") if p)
    return text + (f", {place}" if place else "")


def change_notice(content: ProgrammeContent, old: Any, new: Any | None) -> str:
    """ "Moved: was ... now ..." or "Cancelled: ..." for an event of the viewer's programme."""
    if new is None:
        return "\n".join(
            [
                _("❌ Cancelled: <b>{title}</b>", title=escape(tr(old.title))),
                _("It was planned for {when}.", when=_when_where(content, old)),
                zone_label(content.tz),
            ]
        )
    return "\n".join(
        [
            _("🔄 Changed in your programme: <b>{title}</b>", title=escape(tr(new.title))),
            _("Was: {when}", when=_when_where(content, old)),
            _("Now: {when}", when=_when_where(content, new)),
            zone_label(content.tz),
        ]
    )
