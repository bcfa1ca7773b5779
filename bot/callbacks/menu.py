"""Buttons of the main menu, the public pages, the language picker and privacy."""

from __future__ import annotations

from enum import StrEnum

from bot.callbacks.base import CallbackData, callback
from bot.i18n import LANGUAGES


@callback("menu:main")
class MainMenu(CallbackData):
    pass


class AboutPage(StrEnum):
    PROGRAMME = "show"
    HOW_TO_JOIN = "join"


@callback("about")
class About(CallbackData):
    page: AboutPage


#: The languages of the bot (the wire value is the language code).
Language = StrEnum("Language", [(code.upper(), code) for code in LANGUAGES])  # type: ignore[misc]


@callback("lang:pick")
class LanguagePicker(CallbackData):
    pass


@callback("lang:set")
class SetLanguage(CallbackData):
    language: Language


@callback("privacy:show")
class PrivacyNotice(CallbackData):
    pass


@callback("priv:forget:yes")
class ForgetConfirmed(CallbackData):
    pass
