"""/start with or without an invite, the language picker and the privacy notice."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks.menu import LanguagePicker, PrivacyNotice, SetLanguage
from bot.handlers.context import BotContext, person_of
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed
from bot.handlers.send import say, show
from bot.i18n import set_locale
from bot.people import service
from bot.people.access import RedeemOutcome
from bot.views import onboarding as views
from bot.views.menu import main_menu

#: Telegram allows A-Z, a-z, 0-9, _ and - in a start parameter, at most 64 characters.
_MAX_CODE = 64


@allow(Access.ANYONE)
async def start(update: Update, context: BotContext) -> None:
    viewer = context.viewer
    services = context.services
    if context.args:
        code = context.args[0][:_MAX_CODE]
        person = person_of(update)
        assert person is not None
        outcome, participant, viewer = await service.redeem(
            services.db, person, code, services.coordinator_ids, services.clock.now()
        )
        services.viewers.put(person, viewer)  # as committed: the next update needs no reload
        context.viewer = viewer
        set_locale(viewer.language)
        role = viewer.role if outcome is RedeemOutcome.LINKED else None
        await say(
            update,
            views.invite_result(
                outcome,
                participant.name if participant else None,
                role,
                participant.gender if participant else None,
                choose_language=viewer.needs_language,
            ),
        )
    if viewer.needs_language:
        await show(update, views.language_picker(viewer.language, first_contact=True))
        return
    await show(update, main_menu(viewer))


@allow(Access.ANYONE)
async def language_command(update: Update, context: BotContext) -> None:
    await show(update, views.language_picker(context.viewer.language, first_contact=False))


@allow(Access.ANYONE)
async def pick_language(update: Update, context: BotContext) -> None:
    await show(update, views.language_picker(context.viewer.language, first_contact=False))


@allow(Access.ANYONE)
async def set_language(update: Update, context: BotContext) -> None:
    lang = str(pressed(update, SetLanguage).language)
    first_time = context.viewer.needs_language
    await service.set_language(context.services.db, context.viewer.telegram_id, lang)
    set_locale(lang)
    context.viewer = replace(context.viewer, language=lang, chosen_language=lang)
    if first_time:
        await show(update, views.privacy_notice(first_contact=True), edit=True)
        await show(update, main_menu(context.viewer), edit=False)
    else:
        await show(update, main_menu(context.viewer))


@allow(Access.ANYONE)
async def privacy(update: Update, context: BotContext) -> None:
    await show(update, views.privacy_notice())


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", start, filters=private))
    app.add_handler(CommandHandler("language", language_command, filters=private))
    app.add_handler(CommandHandler("privacy", privacy, filters=private))
    app.add_handler(CallbackQueryHandler(pick_language, pattern=LanguagePicker.pattern))
    app.add_handler(CallbackQueryHandler(set_language, pattern=SetLanguage.pattern))
    app.add_handler(CallbackQueryHandler(privacy, pattern=PrivacyNotice.pattern))
