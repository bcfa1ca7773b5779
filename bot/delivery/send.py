"""Sending one outbox payload with a ``telegram.Bot``: the delivery worker's call, and the
broadcast preview's, so that the preview is exactly what recipients get.

The Telegram-facing edge of the delivery area (it may import ``telegram``); payloads are made by
:func:`bot.delivery.outbox.text_message` and its siblings.
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot, Message
from telegram.warnings import PTBUserWarning


def quiet_generic_calls() -> None:
    """``Bot.do_api_request`` advises the dedicated method (``send_message``...) when one exists;
    here the generic call is the point (the answer stays unparsed), so the advice is silenced for
    this module's calls (installed when the worker starts, where a test's warning filters see
    it)."""
    warnings.filterwarnings("ignore", r"Please use 'Bot\.", PTBUserWarning, r"bot\.delivery\.send")


async def send_payload(
    bot: Bot, chat_id: int, payload: dict[str, Any], *, paid_broadcast: bool = False
) -> int:
    """Send ``payload`` to ``chat_id`` now; the sent message's id. Telegram's errors are raised
    as they come.

    ``paid_broadcast`` lets Telegram take it above the free rate (for Stars); the keyboard is
    passed as the Bot API JSON the payload holds. Text messages and edits (every broadcast,
    reminder and answer) go as the Bot API parameters they are, through ``do_api_request``, and
    only the message id is read from the answer (turning each answer into a ``Message`` was a
    large part of the worker's CPU per message), with the parameters PTB's methods sent: the
    payload's parse mode (None: plain text) and buttons, and for a message the bot's
    ``disable_notification`` default.
    """
    method = payload["method"]
    markup = payload.get("reply_markup")
    if method in ("sendMessage", "editMessageText"):
        params: dict[str, Any] = {"chat_id": chat_id, "text": payload["text"]}
        if method == "editMessageText":
            params["message_id"] = payload["message_id"]
        if payload.get("parse_mode") is not None:
            params["parse_mode"] = payload["parse_mode"]
        if method == "sendMessage":
            defaults = getattr(bot, "defaults", None)
            if defaults is not None and defaults.disable_notification is not None:
                params["disable_notification"] = defaults.disable_notification
            if paid_broadcast:
                params["allow_paid_broadcast"] = True
        if markup is not None:
            params["reply_markup"] = markup
        answer = await bot.do_api_request(method, api_kwargs=params)
        if not isinstance(answer, dict) or not isinstance(answer.get("message_id"), int):
            raise ValueError(f"{method} answered without the message")
        return answer["message_id"]
    common: dict[str, Any] = {
        "chat_id": chat_id,
        "parse_mode": payload.get("parse_mode"),
        "allow_paid_broadcast": True if paid_broadcast else None,
    }
    if markup is not None:
        common["api_kwargs"] = {"reply_markup": markup}
    sent: Message
    if method == "sendPhoto":
        sent = await bot.send_photo(photo=payload["file"], caption=payload.get("caption"), **common)
    elif method == "sendDocument":
        sent = await bot.send_document(
            document=payload["file"], caption=payload.get("caption"), **common
        )
    else:
        raise ValueError(f"unknown outbox method {method!r}")
    return sent.message_id
