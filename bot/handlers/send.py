"""Showing a screen: a new message, or the edited message of the button that was pressed.

A screen longer than Telegram allows (4,096 characters) is sent as several messages, split
between lines (views keep their formatting tags within a line), the keyboard under the last one,
so that a long dossier or a programme with many entries is never refused or cut silently.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import MessageLimit
from telegram.error import BadRequest

from bot.views.common import Screen

LIMIT: int = MessageLimit.MAX_TEXT_LENGTH


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut between lines where possible."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line longer than a message: cut it (rare)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return pieces


async def show(update: Update, screen: Screen, *, edit: bool = True) -> None:
    """Edit the pressed button's message when there is one, otherwise send a new message."""
    pieces = split_text(screen.text)
    query = update.callback_query
    if query is not None:
        await query.answer()
        if (
            edit
            and len(pieces) == 1
            and query.message is not None
            and getattr(query.message, "text", None)
        ):
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
    bot = update.get_bot()
    for n, piece in enumerate(pieces, 1):
        markup = screen.keyboard if n == len(pieces) else None
        await bot.send_message(chat.id, piece, reply_markup=markup)


async def say(update: Update, text: str) -> None:
    """A plain reply in the chat of the update."""
    chat = update.effective_chat
    if chat is not None:
        for piece in split_text(text):
            await update.get_bot().send_message(chat.id, piece)
