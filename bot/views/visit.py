"""My visit: the dossier of the viewer's own delegation (or of the visits a host receives)."""

from __future__ import annotations

from html import escape

from bot.agenda.service import Dossier, ProgrammeContent
from bot.callbacks.agenda import Agenda, AgendaScreen, LogisticsMenu
from bot.i18n import _, format_date_range, tr
from bot.views.agenda import zone_label
from bot.views.common import Screen, back_to_menu, button, keyboard
from bot.views.logistics import category_label, item_text


def dossier_text(content: ProgrammeContent, dossier: Dossier) -> str:
    visit = dossier.visit
    tz = content.tz
    lines = [f"<b>🧳 {escape(tr(visit.title))}</b>"]
    if dossier.delegation is not None:
        # A delegation's name says what it is ("Zavodske delegation", "Hromada Zavodske").
        lines.append(f"👥 {escape(tr(dossier.delegation.name))}")
    if dossier.host is not None:
        lines.append(_("Host municipality: {name}", name=escape(tr(dossier.host.name))))
    lines.append("📅 " + escape(format_date_range(visit.starts_on, visit.ends_on)))
    topics = tr(visit.topics)
    if topics:
        lines.append(_("Topics: {topics}", topics=escape(topics)))
    if dossier.host_people:
        names = ", ".join(escape(p.name) for p in dossier.host_people)
        lines.append(_("Hosts: {names}", names=names))
    sections = [
        ("accommodation", dossier.accommodation),
        ("transport", dossier.transport),
        ("contact", dossier.contacts),
    ]
    for category, items in sections:
        if items:
            lines.append(f"\n<b>{category_label(category)}</b>")
            lines.extend(item_text(i, content) + "\n" for i in items)
    if dossier.transport:
        lines.append(zone_label(tz))
    return "\n".join(lines).rstrip()


def dossier_screen(content: ProgrammeContent, dossiers: list[Dossier]) -> Screen:
    rows = [
        [
            button(_("🗓 Whole visit"), Agenda(AgendaScreen.WHOLE_VISIT)),
            button(_("🚌 Logistics"), LogisticsMenu()),
        ],
        [back_to_menu()],
    ]
    if not dossiers:
        return Screen(_("No visit has been planned for you yet."), keyboard(rows))
    return Screen("\n\n".join(dossier_text(content, d) for d in dossiers), keyboard(rows))
