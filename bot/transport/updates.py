"""Builds the updates a simulated person sends: text, commands, button presses, files.

Used by the console transport, the tests and the benchmarks, so that all three speak to the
``Application`` exactly as Telegram would.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update

_update_ids = itertools.count(1)
_message_ids = itertools.count(1_000_000)


@dataclass
class SimUser:
    """A Telegram user in a private chat with the bot (or a member of a group)."""

    id: int
    first_name: str = "Test"
    language_code: str | None = "en"
    username: str | None = None
    last_name: str | None = None
    _chat_override: dict[str, Any] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        if self.username:
            user["username"] = self.username
        if self.last_name:
            user["last_name"] = self.last_name
        return user

    def private_chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


def _message(user: SimUser, chat: dict[str, Any] | None, **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat or user.private_chat(),
        "from": user.as_dict(),
        **content,
    }


def text_update(
    bot: Bot,
    user: SimUser,
    text: str,
    *,
    chat: dict[str, Any] | None = None,
    reply_to: dict[str, Any] | None = None,
) -> Update:
    """A text message; a leading ``/command`` gets its ``bot_command`` entity like on Telegram."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0] if text.split() else text
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if reply_to is not None:
        content["reply_to_message"] = reply_to
    data = {"update_id": next(_update_ids), "message": _message(user, chat, **content)}
    return Update.de_json(data, bot)


def message_update(
    bot: Bot,
    user: SimUser,
    content: dict[str, Any],
    *,
    chat: dict[str, Any] | None = None,
    edited: bool = False,
) -> Update:
    """Any other message (sticker, photo, document, location ...) given by its content fields."""
    key = "edited_message" if edited else "message"
    message = _message(user, chat, **content)
    if edited:
        message["edit_date"] = int(time.time())
    return Update.de_json({"update_id": next(_update_ids), key: message}, bot)


def document_update(
    bot: Bot,
    user: SimUser,
    file_id: str,
    file_name: str,
    size: int,
    mime_type: str = "application/octet-stream",
) -> Update:
    document = {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_name": file_name,
        "file_size": size,
        "mime_type": mime_type,
    }
    return message_update(bot, user, {"document": document})


def callback_update(bot: Bot, user: SimUser, data: str, message: dict[str, Any]) -> Update:
    """A press on an inline button carrying ``data`` under the bot's ``message``."""
    query = {
        "id": str(next(_update_ids)),
        "from": user.as_dict(),
        "chat_instance": str(user.id),
        "data": data,
        "message": message,
    }
    return Update.de_json({"update_id": next(_update_ids), "callback_query": query}, bot)
