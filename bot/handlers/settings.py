"""The reminder settings: lead time before each event or none, the morning digest on or off."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.agenda import reminders
from bot.callbacks.agenda import ReminderSettings, SetDigest, SetReminder, Switch
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed
from bot.handlers.send import answer, show
from bot.views.settings import settings_screen


async def _show_settings(update: Update, context: BotContext) -> None:
    current = await reminders.notification_settings(context.services.db, context.viewer.telegram_id)
    await show(update, settings_screen(current))


@allow(Access.INVITED)
async def settings(update: Update, context: BotContext) -> None:
    await _show_settings(update, context)


@allow(Access.INVITED)
async def set_reminder(update: Update, context: BotContext) -> None:
    minutes = pressed(update, SetReminder).minutes or None
    if minutes is not None and minutes not in reminders.REMINDER_CHOICES:
        await answer(update)
        return
    await reminders.set_reminder_minutes(context.services.db, context.viewer.telegram_id, minutes)
    await _show_settings(update, context)


@allow(Access.INVITED)
async def set_digest(update: Update, context: BotContext) -> None:
    on = pressed(update, SetDigest).digest is Switch.ON
    await reminders.set_digest(context.services.db, context.viewer.telegram_id, on)
    await _show_settings(update, context)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("settings", settings, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(settings, pattern=ReminderSettings.pattern))
    app.add_handler(CallbackQueryHandler(set_reminder, pattern=SetReminder.pattern))
    app.add_handler(CallbackQueryHandler(set_digest, pattern=SetDigest.pattern))
