"""Showing a screen: a new message, or the edited message of the button that was pressed."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest

from bot.views.common import Screen


async def show(update: Update, screen: Screen, *, edit: bool = True) -> None:
    """Edit the pressed button's message when there is one, otherwise send a new message."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        if edit and query.message is not None and getattr(query.message, "text", None):
            try:
                await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
                return
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return
                if "not found" not in str(exc).lower():
                    raise
    chat = update.effective_chat
    if chat is None:
        return
    await update.get_bot().send_message(chat.id, screen.text, reply_markup=screen.keyboard)


async def say(update: Update, text: str) -> None:
    """A plain reply in the chat of the update."""
    chat = update.effective_chat
    if chat is not None:
        await update.get_bot().send_message(chat.id, text)
