"""The public page about the programme and how to get an invite."""

from __future__ import annotations

from html import escape

from bot.agenda.content import Programme
from bot.i18n import _, tr
from bot.views.common import Screen, back_to_menu, keyboard


def about(programme: Programme | None) -> Screen:
    if programme is None:
        return Screen(_("No programme has been loaded yet."), keyboard([[back_to_menu()]]))
    text = f"<b>{escape(tr(programme.name))}</b>"
    description = tr(programme.description)
    if description:
        text += f"\n\n{escape(description)}"
    return Screen(text, keyboard([[back_to_menu()]]))


def how_to_join(programme: Programme | None) -> Screen:
    text = _(
        "<b>🔑 How to join</b>\nParticipants, hosts and coordinators get a personal invite "
        "link from the programme’s coordinators. Open it on the phone where you use Telegram "
        "and the bot will show you your visit."
    )
    extra = tr(programme.how_to_join) if programme is not None else ""
    if extra:
        text += f"\n\n{escape(extra)}"
    return Screen(text, keyboard([[back_to_menu()]]))
