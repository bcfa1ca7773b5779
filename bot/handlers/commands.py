"""The bot's command list and descriptions, registered with Telegram in each language."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.ext import Application

from bot.i18n import LANGUAGES, N_, gettext

#: (command, description msgid) for everyone.
PUBLIC_COMMANDS: list[tuple[str, str]] = [
    ("start", N_("Start and register")),
    ("menu", N_("Main menu")),
    ("today", N_("Today’s programme")),
    ("tomorrow", N_("Tomorrow’s programme")),
    ("next", N_("The next sessions")),
    ("agenda", N_("The whole visit, day by day")),
    ("myvisit", N_("My visit: hosts, hotel, transport, contacts")),
    ("logistics", N_("Accommodation, transport, contacts, emergencies")),
    ("resources", N_("Documents and links")),
    ("calendar", N_("My programme as a calendar file")),
    ("settings", N_("Reminders and the morning summary")),
    ("language", N_("Change the language")),
    ("help", N_("How to use the bot")),
    ("privacy", N_("What the bot stores about you")),
    ("mydata", N_("Get a copy of your data")),
    ("forget", N_("Delete your data")),
]

#: Extra commands shown to coordinators only.
COORDINATOR_COMMANDS: list[tuple[str, str]] = [
    ("invite", N_("Create an invite link")),
    ("invites", N_("Active invites")),
    ("roles", N_("Grant or revoke roles")),
    ("audit", N_("Audit log")),
    ("broadcast", N_("Write an announcement")),
    ("broadcasts", N_("Announcements and their statistics")),
    ("results", N_("Survey results and session ratings")),
    ("survey", N_("Send a survey")),
    ("questions", N_("Open questions from participants")),
    ("status", N_("How the bot is doing: messages, questions, database")),
]

DESCRIPTION = N_(
    "The pocket guide to the mentoring programme: your agenda, hotel, transport, contacts and "
    "documents, answers to your questions, announcements and surveys. In Ukrainian, Slovenian and "
    "English."
)
SHORT_DESCRIPTION = N_("Agenda, logistics and answers for the mentoring programme.")


def _commands(pairs: list[tuple[str, str]], lang: str) -> list[BotCommand]:
    return [BotCommand(name, gettext(desc, locale=lang)) for name, desc in pairs]


async def register_commands(app: Application, coordinator_ids: list[int]) -> None:  # type: ignore[type-arg]
    """setMyCommands / setMyDescription per language; English is also the default."""
    bot = app.bot
    for lang in (*LANGUAGES, None):  # None: the default for every other language
        text_lang = lang or "en"
        await bot.set_my_commands(
            _commands(PUBLIC_COMMANDS, text_lang),
            scope=BotCommandScopeDefault(),
            language_code=lang,
        )
        await bot.set_my_description(gettext(DESCRIPTION, locale=text_lang), language_code=lang)
        await bot.set_my_short_description(
            gettext(SHORT_DESCRIPTION, locale=text_lang), language_code=lang
        )
    if not COORDINATOR_COMMANDS:
        return
    for chat_id in coordinator_ids:
        for lang in (*LANGUAGES, None):
            await bot.set_my_commands(
                _commands(PUBLIC_COMMANDS + COORDINATOR_COMMANDS, lang or "en"),
                scope=BotCommandScopeChat(chat_id),
                language_code=lang,
            )
