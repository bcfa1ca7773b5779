"""My visit (the delegation dossier), logistics by category and resources (documents, links)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.agenda import service as agenda
from bot.callbacks.agenda import (
    LogisticsCategory,
    LogisticsMenu,
    MyVisit,
    ResourceCategory,
    ResourceFile,
    ResourcesMenu,
)
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed
from bot.handlers.send import answer, show
from bot.handlers.viewing import seen_by_viewer
from bot.views import logistics as logistics_views
from bot.views import resources as resource_views
from bot.views.visit import dossier_screen


@allow(Access.INVITED)
async def my_visit(update: Update, context: BotContext) -> None:
    seen = await seen_by_viewer(context)
    await show(update, dossier_screen(seen.content, agenda.dossiers(seen.content, seen.scope)))


# Guests may open logistics and resources: they see only the items marked public for everyone.


@allow(Access.ANYONE)
async def logistics_menu(update: Update, context: BotContext) -> None:
    seen = await seen_by_viewer(context)
    categories = agenda.logistics_categories(seen.content, seen.scope)
    await show(update, logistics_views.categories_screen(categories))


@allow(Access.ANYONE)
async def logistics_category(update: Update, context: BotContext) -> None:
    seen = await seen_by_viewer(context)
    category = pressed(update, LogisticsCategory).named(
        agenda.logistics_categories(seen.content, seen.scope)
    )
    if category is None:  # gone since the button was shown
        await logistics_menu(update, context)
        return
    items = agenda.logistics_items(seen.content, seen.scope, category)
    await show(update, logistics_views.category_screen(seen.content, category, items))


@allow(Access.ANYONE)
async def resources_menu(update: Update, context: BotContext) -> None:
    seen = await seen_by_viewer(context)
    await show(
        update,
        resource_views.categories_screen(agenda.resource_categories(seen.content, seen.scope)),
    )


@allow(Access.ANYONE)
async def resources_category(update: Update, context: BotContext) -> None:
    seen = await seen_by_viewer(context)
    category = pressed(update, ResourceCategory).named(
        agenda.resource_categories(seen.content, seen.scope)
    )
    if category is None:  # gone since the button was shown
        await resources_menu(update, context)
        return
    items = agenda.resources(seen.content, seen.scope, category)
    await show(update, resource_views.category_screen(category, items))


@allow(Access.ANYONE)
async def send_resource(update: Update, context: BotContext) -> None:
    """Send a file resource as a document: by its Telegram file_id once it has one."""
    seen = await seen_by_viewer(context)
    resource_id = pressed(update, ResourceFile).resource_id
    resource = agenda.visible_resource(seen.content, seen.scope, resource_id)
    chat = update.effective_chat
    if resource is None or not resource.file_name or chat is None:
        await show(update, resource_views.resource_gone())
        return
    assert update.callback_query is not None
    await answer(update)
    db = context.services.db
    file_id, data = await agenda.resource_file(db, resource.id)
    caption = resource_views.resource_caption(resource)
    if file_id is not None:
        await context.bot.send_document(chat.id, file_id, caption=caption)
        return
    if data is None:
        await show(update, resource_views.resource_gone(), edit=False)
        return
    message = await context.bot.send_document(
        chat.id, data, filename=resource.file_name, caption=caption
    )
    if message.document is not None:
        await agenda.remember_file_id(db, resource.id, message.document.file_id)


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("myvisit", my_visit, filters=private))
    app.add_handler(CommandHandler("logistics", logistics_menu, filters=private))
    app.add_handler(CommandHandler("resources", resources_menu, filters=private))
    app.add_handler(CallbackQueryHandler(my_visit, pattern=MyVisit.pattern))
    app.add_handler(CallbackQueryHandler(logistics_menu, pattern=LogisticsMenu.pattern))
    app.add_handler(CallbackQueryHandler(logistics_category, pattern=LogisticsCategory.pattern))
    app.add_handler(CallbackQueryHandler(resources_menu, pattern=ResourcesMenu.pattern))
    app.add_handler(CallbackQueryHandler(resources_category, pattern=ResourceCategory.pattern))
    app.add_handler(CallbackQueryHandler(send_resource, pattern=ResourceFile.pattern))
