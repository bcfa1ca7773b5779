"""Resources on screen: categories, a category's documents and links."""

from __future__ import annotations

from html import escape

from bot.agenda.content import Resource
from bot.callbacks.agenda import ResourceCategory, ResourceFile, ResourcesMenu
from bot.i18n import N_, _, tr
from bot.views.common import Screen, back_to_menu, button, chunk, fit, keyboard

#: Names of the usual resource categories; any other category is shown as written in the file.
_CATEGORY_NAMES = {
    "general": N_("General"),
    "guides": N_("Guides"),
    "links": N_("Links"),
    "workshops": N_("Workshops"),
    "templates": N_("Templates"),
    "presentations": N_("Presentations"),
    "forms": N_("Forms"),
    "maps": N_("Maps"),
}


def category_label(category: str) -> str:
    name = _CATEGORY_NAMES.get(category)
    label = _(name) if name else category.replace("-", " ").replace("_", " ").capitalize()
    return "📄 " + escape(label)


def categories_screen(categories: list[str]) -> Screen:
    if not categories:
        return Screen(_("No materials have been added yet."), keyboard([[back_to_menu()]]))
    buttons = [button(category_label(c), ResourceCategory.of(c)) for c in categories]
    return Screen(
        _("<b>📄 Materials</b>\nChoose a category."),
        keyboard([*chunk(buttons, 2), [back_to_menu()]]),
    )


def category_screen(category: str, items: list[Resource]) -> Screen:
    """Files get a button that sends them; links are shown as links."""
    parts = [f"<b>{category_label(category)}</b>"]
    rows = []
    for r in items:
        title = escape(tr(r.title))
        description = tr(r.description)
        line = (
            f'🔗 <a href="{escape(r.url, quote=True)}">{title}</a>'
            if r.url
            else f"📄 <b>{title}</b>"
        )
        parts.append(line + (f"\n{escape(description)}" if description else ""))
        if r.file_name:
            rows.append([button(fit("⬇️ " + tr(r.title)), ResourceFile(r.id))])
    if not items:
        parts.append(_("Nothing here for you."))
    rows.append([button(_("⬅️ Materials"), ResourcesMenu())])
    rows.append([back_to_menu()])
    return Screen("\n\n".join(parts), keyboard(rows))


def resource_caption(resource: Resource) -> str:
    description = tr(resource.description)[:700]
    title = f"<b>{escape(tr(resource.title)[:200])}</b>"
    return title + (f"\n{escape(description)}" if description else "")


def resource_gone() -> Screen:
    return Screen(
        _("This material is not available to you."),
        keyboard([[button(_("⬅️ Materials"), ResourcesMenu())], [back_to_menu()]]),
    )
