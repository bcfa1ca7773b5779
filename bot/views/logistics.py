"""Logistics on screen: categories, and items (hotel, transport leg, contact, tip ...)."""

from __future__ import annotations

from html import escape

from bot import i18n
from bot.agenda.content import LogisticsItem
from bot.agenda.service import ProgrammeContent
from bot.callbacks.agenda import LogisticsCategory, LogisticsMenu
from bot.i18n import N_, _, tr
from bot.views.agenda import time_range, zone_label
from bot.views.common import Screen, back_to_menu, button, chunk, keyboard

#: Category -> its label msgid (translated when shown).
CATEGORY_LABELS = {
    "accommodation": N_("🏨 Accommodation"),
    "transport": N_("🚌 Transport"),
    "contact": N_("👥 Contacts"),
    "emergency": N_("🆘 Emergency numbers"),
    "money": N_("💶 Money and allowances"),
    "tip": N_("💡 Practical tips"),
}


def category_label(category: str) -> str:
    label = CATEGORY_LABELS.get(category)
    return _(label) if label else escape(category.capitalize())


def item_text(item: LogisticsItem, content: ProgrammeContent) -> str:
    """One item with everything a person needs to act on it."""
    tz = content.tz
    lines = [f"<b>{escape(tr(item.title))}</b>"]
    body = tr(item.body)
    if body:
        lines.append(escape(body))
    if item.departs_at is not None:
        day = i18n.format_day(content.local_date(item.departs_at))
        if item.arrives_at is None:  # a departure alone is not a range "14:20–14:20"
            leg = _("departs {time}", time=i18n.format_time_with_kyiv(item.departs_at, tz))
        else:
            leg = time_range(item.departs_at, item.arrives_at, tz)
        lines.append(f"🕒 {escape(day)}, {leg}")
    meeting = tr(item.meeting_point)
    if meeting:
        lines.append(_("🚏 Meeting point: {place}", place=escape(meeting)))
    if item.address:
        lines.append(f"📍 {escape(item.address)}")
    if item.phone:
        lines.append(f"📞 {escape(item.phone)}")
    if item.email:
        lines.append(f"✉️ {escape(item.email)}")
    if item.url:
        lines.append(f'🔗 <a href="{escape(item.url, quote=True)}">{escape(item.url)}</a>')
    return "\n".join(lines)


def categories_screen(categories: list[str]) -> Screen:
    if not categories:
        return Screen(
            _("No practical information has been added yet."), keyboard([[back_to_menu()]])
        )
    buttons = [button(category_label(c), LogisticsCategory.of(c)) for c in categories]
    return Screen(
        _("<b>🚌 Logistics</b>\nWhat do you need?"),
        keyboard([*chunk(buttons, 2), [back_to_menu()]]),
    )


def category_screen(content: ProgrammeContent, category: str, items: list[LogisticsItem]) -> Screen:
    parts = [f"<b>{category_label(category)}</b>"]
    parts.extend(item_text(i, content) for i in items)
    if not items:
        parts.append(_("Nothing here for you."))
    if any(i.departs_at is not None for i in items):
        parts.append(zone_label(content.tz))
    rows = [[button(_("⬅️ Logistics"), LogisticsMenu())], [back_to_menu()]]
    return Screen("\n\n".join(parts), keyboard(rows))
