"""The main menu: one entry per section of the bot, shown to those who may use it.

Each area adds its entry to :data:`MENU`; the order there is the order on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.callbacks import menu as data
from bot.callbacks import people
from bot.callbacks.base import CallbackData
from bot.callbacks.broadcasts import BroadcastList
from bot.callbacks.questions import AskPrompt, QuestionList
from bot.callbacks.surveys import ResultsList
from bot.i18n import N_, _, get_locale
from bot.people.access import Role, Viewer
from bot.questions.listing import Listing
from bot.views.agenda import PROGRAMME_MENU
from bot.views.common import Screen, button, chunk, keyboard, next_line


@dataclass(frozen=True, slots=True)
class MenuEntry:
    label: str  # an English msgid, translated when shown
    callback: CallbackData
    visible: Callable[[Role | None], bool]  # by the viewer's role (None: not invited)


def _invited(role: Role | None) -> bool:
    return role is not None


def _guest(role: Role | None) -> bool:
    return role is None


def _anyone(role: Role | None) -> bool:
    return True


def _staff(role: Role | None) -> bool:
    return role in (Role.COORDINATOR, Role.HOST)


def _coordinator(role: Role | None) -> bool:
    return role is Role.COORDINATOR


MENU: list[MenuEntry] = [
    *(MenuEntry(label, data, _invited) for data, label in PROGRAMME_MENU.items()),
    MenuEntry(N_("❓ Ask a question"), AskPrompt(), _anyone),
    MenuEntry(N_("ℹ️ About the programme"), data.About(data.AboutPage.PROGRAMME), _anyone),
    MenuEntry(N_("🔑 How to join"), data.About(data.AboutPage.HOW_TO_JOIN), _guest),
    MenuEntry(N_("📢 Announcements"), BroadcastList(), _staff),
    MenuEntry(N_("📊 Results"), ResultsList(), _staff),
    MenuEntry(N_("🙋 Questions"), QuestionList(Listing.OPEN), _coordinator),
    MenuEntry(N_("🌐 Language"), data.LanguagePicker(), _anyone),
    MenuEntry(N_("🔒 Privacy"), data.PrivacyNotice(), _anyone),
    MenuEntry(N_("🎟 Invites"), people.NewInvite(), _coordinator),
    MenuEntry(N_("👥 Roles"), people.Members(0), _coordinator),
    MenuEntry(N_("📜 Audit log"), people.AuditLog(people.AuditAction.SHOW), _coordinator),
]


def main_menu(viewer: Viewer) -> Screen:
    """The menu for the viewer's role in the current language (one screen per role and
    language, made once: it is the screen shown most)."""
    return _main_menu(get_locale(), viewer.role)


@lru_cache(maxsize=64)
def _main_menu(language: str, role: Role | None) -> Screen:
    # ``language`` is the current locale (the texts are translated into it): the cache's key.
    entries = [e for e in MENU if e.visible(role)]
    buttons = [button(_(e.label), e.callback) for e in entries]
    if role is not None:
        text = _("<b>Main menu</b>\nWhat would you like to see?")
        then = _(
            "Choose a section, or type a question: the bot answers it, or offers to pass it on to "
            "the coordinators."
        )
    else:
        text = _(
            "<b>Main menu</b>\nYou are not registered for a visit yet, so you see only public "
            "information about the programme. To see your agenda, hotel and contacts, open the "
            "invite link the coordinators sent you."
        )
        then = _(
            "Choose a section, or type a question: the bot answers it from the public information."
        )
    return Screen(text + "\n\n" + next_line(then), keyboard(chunk(buttons, 2)))
