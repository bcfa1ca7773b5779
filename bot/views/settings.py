"""The reminder settings screen: lead time before events, the morning digest, quiet hours."""

from __future__ import annotations

from datetime import timedelta

from bot.agenda.reminders import (
    DIGEST_AT,
    QUIET_END,
    QUIET_START,
    REMINDER_CHOICES,
    NotificationSettings,
)
from bot.callbacks.agenda import SetDigest, SetReminder, Switch
from bot.i18n import _, format_clock, format_duration
from bot.views.common import Screen, back_to_menu, button, chunk, keyboard


def _minutes(n: int) -> str:
    """A short lead time ("30 хв", "1 h"): abbreviations read right in every grammatical case."""
    return format_duration(timedelta(minutes=n))


def settings_screen(current: NotificationSettings) -> Screen:
    if current.reminder_minutes:
        reminder = _("{lead} before each session", lead=_minutes(current.reminder_minutes))
    else:
        reminder = _("off")
    at = format_clock(DIGEST_AT)
    digest = _("on, at {time}", time=at) if current.digest_enabled else _("off")
    text = "\n".join(
        [
            _("<b>⏰ Reminders</b>"),
            _("Reminder: {state}", state=reminder),
            _("Morning summary: {state}", state=digest),
            "",
            _(
                "Quiet hours: {start}–{end} (local time). During these hours the bot sends "
                "only urgent announcements. A session reminder due in these hours comes when "
                "they end, if the session has not started yet.",
                start=format_clock(QUIET_START),
                end=format_clock(QUIET_END),
            ),
        ]
    )
    choices = [
        button(("✓ " if n == current.reminder_minutes else "") + _minutes(n), SetReminder(n))
        for n in REMINDER_CHOICES
    ]
    off = button(("✓ " if not current.reminder_minutes else "") + _("No reminders"), SetReminder(0))
    digest_button = (
        button(_("Turn the summary off"), SetDigest(Switch.OFF))
        if current.digest_enabled
        else button(_("Turn the summary on"), SetDigest(Switch.ON))
    )
    rows = [*chunk(choices, 3), [off], [digest_button], [back_to_menu()]]
    return Screen(text, keyboard(rows))
