"""First contact: the language picker, the privacy notice, the result of an invite."""

from __future__ import annotations

from html import escape

from bot.callbacks.menu import Language, SetLanguage
from bot.i18n import LANGUAGES, _, gettext, language_name, pgettext
from bot.people.access import RedeemOutcome, Role
from bot.views.common import Screen, back_to_menu, button, keyboard, next_line

_FLAGS = {"uk": "🇺🇦", "sl": "🇸🇮", "en": "🇬🇧"}


def language_picker(current: str, first_contact: bool) -> Screen:
    """Three buttons, the current (or guessed) language marked."""
    rows = []
    for lang in LANGUAGES:
        mark = " ✓" if lang == current else ""
        label = f"{_FLAGS[lang]} {language_name(lang, lang)}{mark}"  # each in itself
        rows.append([button(label, SetLanguage(Language(lang)))])
    # The prompt is in all three languages: the person may not read the guessed one.
    text = "Оберіть мову · Izberite jezik · Choose your language"
    then = " · ".join(
        gettext("Then the menu, in that language.", locale=lang) for lang in LANGUAGES
    )
    text += "\n" + next_line(then)
    if first_contact:
        welcome = _("Welcome!")
        text = f"👋 {escape(welcome)}\n\n{text}"
    return Screen(text, keyboard(rows))


def privacy_notice(first_contact: bool = False) -> Screen:
    """What the bot stores and why; on first contact, the menu follows."""
    text = _(
        "<b>🔒 Privacy</b>\nThe bot stores your Telegram ID, name, username and language, your "
        "link to the programme (role and delegation), the questions you ask, your ratings and "
        "survey answers, and which messages it has delivered to you.\nIt uses them only to show "
        "you your programme, send you reminders and announcements, answer your questions and "
        "improve the programme.\nCoordinators of the programme can see them. To get a copy or "
        "have them deleted, send /mydata or /forget, or ask the coordinators."
    )
    if first_contact:
        text += "\n\n" + next_line(_("Your menu is below."))
    return Screen(text, keyboard([[back_to_menu()]]))


#: A role's label by the person's grammatical gender: general, feminine, masculine.
_ROLE_NAMES = {
    (Role.MENTEE, None): lambda: _("participant"),
    (Role.MENTEE, "f"): lambda: pgettext("feminine", "participant"),
    (Role.MENTEE, "m"): lambda: pgettext("masculine", "participant"),
    (Role.HOST, None): lambda: _("host"),
    (Role.HOST, "f"): lambda: pgettext("feminine", "host"),
    (Role.HOST, "m"): lambda: pgettext("masculine", "host"),
    (Role.COORDINATOR, None): lambda: _("coordinator"),
    (Role.COORDINATOR, "f"): lambda: pgettext("feminine", "coordinator"),
    (Role.COORDINATOR, "m"): lambda: pgettext("masculine", "coordinator"),
}


def role_name(role: Role, gender: str | None = None) -> str:
    """The role's label for one person: by their gender where the programme gives it."""
    return _ROLE_NAMES.get((role, gender), _ROLE_NAMES[role, None])()


def invite_result(
    outcome: RedeemOutcome,
    name: str | None,
    role: Role | None,
    gender: str | None = None,
    *,
    choose_language: bool = False,
) -> str:
    """What opening an invite link did; ``choose_language``: the language picker follows (else
    the menu)."""
    if outcome is RedeemOutcome.LINKED and role is not None:
        welcome = _(
            "✅ Welcome, {name}! You are now registered for the programme. Your role: {role}.",
            name=escape(name or ""),
            role=role_name(role, gender),
        )
        then = (
            _("Choose the bot’s language below; then your menu opens.")
            if choose_language
            else _("Your menu is below: your programme, visit and contacts.")
        )
        return welcome + "\n\n" + next_line(then)
    if outcome is RedeemOutcome.EXPIRED:
        return _("⚠️ This invite link has expired. Please ask the coordinators for a new one.")
    if outcome is RedeemOutcome.USED_UP:
        return _(
            "⚠️ This invite link has already been used. Please ask the coordinators for a new one."
        )
    if outcome is RedeemOutcome.TOO_MANY_TRIES:
        return _("⚠️ Too many wrong invite codes. Please wait 15 minutes and try again.")
    return _(
        "⚠️ This invite link is not valid. Please check it or ask the coordinators for a new one."
    )
