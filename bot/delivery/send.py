"""Sending one outbox payload with a ``telegram.Bot``: the delivery worker's call, and the
broadcast preview's, so that the preview is exactly what recipients get.

The Telegram-facing edge of the delivery area (it may import ``telegram``); payloads are made by
:func:`bot.delivery.outbox.text_message` and its siblings.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, Message


async def send_payload(
    bot: Bot, chat_id: int, payload: dict[str, Any], *, paid_broadcast: bool = False
) -> Message:
    """Send ``payload`` to ``chat_id`` now; Telegram's errors are raised as they come.

    ``paid_broadcast`` lets Telegram take it above the free rate (for Stars); the keyboard is
    passed as the Bot API JSON the payload holds.
    """
    markup = payload.get("reply_markup")
    if payload["method"] == "editMessageText":
        edited = await bot.edit_message_text(
            payload["text"],
            chat_id=chat_id,
            message_id=payload["message_id"],
            parse_mode=payload.get("parse_mode"),
            api_kwargs=None if markup is None else {"reply_markup": markup},
        )
        if not isinstance(edited, Message):
            raise ValueError("editMessageText answered without the message")
        return edited
    common: dict[str, Any] = {
        "chat_id": chat_id,
        "parse_mode": payload.get("parse_mode"),
        "allow_paid_broadcast": True if paid_broadcast else None,
    }
    if markup is not None:
        common["api_kwargs"] = {"reply_markup": markup}
    method = payload["method"]
    if method == "sendMessage":
        return await bot.send_message(text=payload["text"], **common)
    if method == "sendPhoto":
        return await bot.send_photo(photo=payload["file"], caption=payload.get("caption"), **common)
    if method == "sendDocument":
        return await bot.send_document(
            document=payload["file"], caption=payload.get("caption"), **common
        )
    raise ValueError(f"unknown outbox method {method!r}")
