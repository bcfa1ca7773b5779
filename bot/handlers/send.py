"""The one way a screen reaches a person: answer the button press once, then edit or send.

Telegram lets a bot answer a callback query once, within seconds of the press (until then the
person's app shows a spinner); it refuses an edit that changes nothing ("message is not
modified"). So:

* :func:`answer` answers the update's callback query at most once, whoever calls it first (a
  notice, a refusal, a screen); :func:`finish` (registered after every area) answers a query no
  handler answered, so no press is left spinning even when a handler failed;
* :func:`show` answers, then edits the pressed message into the screen — unless it already shows
  exactly that screen (a double tap, the button of the screen on display): then nothing is edited.
  What a message shows is read from the press, and from what this process last put there (the
  second press of a double tap may carry the message as it was before the first press's edit);
* :func:`optional` sends a part of a screen that may be missing (a venue pin, a document): if
  Telegram refuses it, the refusal is logged and the rest of the screen stands, no apology.

A screen longer than Telegram allows (4,096 characters) is sent as several messages, split
between lines (views keep their formatting tags within a line), the keyboard under the last one,
so that a long dossier or a programme with many entries is never refused or cut silently.

Screens go to the Bot API as ready parameters (:func:`payload`: the keyboard serialised once per
screen object, so a screen kept for a minute is serialised once) through the public
``Bot.do_api_request``, and Telegram's answer — the whole message, its keyboard button by button —
is not turned into python-telegram-bot objects, since nothing reads it (measured: 40% of the time
of an agenda screen). The request still goes through the bot's request object, so the local Bot API
checks every payload as ever, and Telegram's refusals raise as usual.
"""

from __future__ import annotations

import json
import logging
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest
from telegram.warnings import PTBUserWarning

from bot.infra import steps
from bot.transport.telegram_html import parse_html
from bot.views.common import Keyboard, Screen

log = logging.getLogger(__name__)

LIMIT: int = MessageLimit.MAX_TEXT_LENGTH
#: answerCallbackQuery: "Text of the notification ... 0-200 characters".
ANSWER_LIMIT = 200
T = TypeVar("T")

_KEEP = 10_000


def register(app: Any) -> None:
    """``Bot.do_api_request`` advises the dedicated method (``send_message``...) when one exists;
    here the generic call is the point (the answer stays unparsed), so the advice is silenced for
    this module's calls (installed with the handlers, where a test's warning filters see it)."""
    warnings.filterwarnings("ignore", r"Please use 'Bot\.", PTBUserWarning, r"bot\.handlers\.send")


@dataclass
class _Memory:
    """What one bot (one Application) remembers of its recent presses and screens."""

    #: Ids of the callback queries answered and not yet finished (bounded: a failed update may
    #: never reach :func:`finish`).
    answered: OrderedDict[str, None] = field(default_factory=OrderedDict)
    #: What :func:`show` last put in a message: (chat id, message id) -> (visible text, keyboard).
    shown: OrderedDict[tuple[int, int], tuple[str, InlineKeyboardMarkup | None]] = field(
        default_factory=OrderedDict
    )


_memories: dict[int, tuple[weakref.ref[Bot], _Memory]] = {}


def _memory(update: Update) -> _Memory:
    bot = update.get_bot()
    entry = _memories.get(id(bot))
    if entry is None or entry[0]() is not bot:
        for key in [k for k, (ref, _m) in _memories.items() if ref() is None]:
            del _memories[key]
        entry = (weakref.ref(bot), _Memory())
        _memories[id(bot)] = entry
    return entry[1]


def _remember(store: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    store[key] = value
    store.move_to_end(key)
    while len(store) > _KEEP:
        store.popitem(last=False)


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


def fit_answer(text: str) -> str:
    """``text`` cut to what a callback answer may hold."""
    return text if len(text) <= ANSWER_LIMIT else text[: ANSWER_LIMIT - 1] + "…"


async def answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer the update's callback query (a short notice, or an alert) unless already answered."""
    query = update.callback_query
    memory = _memory(update)
    if query is None or query.id in memory.answered:
        return
    _remember(memory.answered, query.id, None)
    params: dict[str, Any] = {"callback_query_id": query.id, "show_alert": alert}
    if text:
        params["text"] = fit_answer(text)
    await post(update.get_bot(), "answerCallbackQuery", params)


async def finish(update: Update, context: Any) -> None:
    """After every area: answer a press nobody answered, and forget it."""
    query = update.callback_query
    if query is None:
        return
    try:
        await answer(update)
    finally:
        _memory(update).answered.pop(query.id, None)


@dataclass(frozen=True, slots=True)
class Payload:
    """A screen as the Bot API takes it, worked out once per screen."""

    #: sendMessage parameters of each message of the screen (the keyboard under the last one).
    pieces: tuple[dict[str, Any], ...]
    #: What a person sees of it (visible text, keyboard): what "not modified" compares.
    looks: tuple[str, InlineKeyboardMarkup | None]


def payload(screen: Screen) -> Payload:
    """``screen``'s :class:`Payload`, made on its first send and kept with it."""
    made: Payload | None = screen.payload
    if made is None:
        pieces = [{"text": p, "parse_mode": ParseMode.HTML} for p in split_text(screen.text)]
        if screen.keyboard is not None:
            markup = screen.keyboard
            text = markup.json_text() if isinstance(markup, Keyboard) else None
            pieces[-1]["reply_markup"] = text or json.dumps(markup.to_dict())
        looks = ((parse_html(screen.text).visible or "").strip(), screen.keyboard or None)
        made = Payload(tuple(pieces), looks)
        object.__setattr__(screen, "payload", made)
    return made


def shows(update: Update, message: Message, screen: Screen) -> bool:
    """Whether ``message`` already shows ``screen``: same visible text and the same keyboard."""
    wanted = payload(screen).looks
    if _memory(update).shown.get((message.chat_id, message.message_id)) == wanted:
        return True
    keyboard = message.reply_markup or None
    return ((message.text or "").strip(), keyboard) == wanted


def pressed_step(update: Update) -> steps.Step | None:
    """The step whose button was pressed, for a service that makes something once per step
    (:mod:`bot.infra.steps`); None without a pressed message."""
    query = update.callback_query
    message = query.message if query is not None else None
    return None if message is None else steps.Step(message.chat.id, message.message_id)


async def show(update: Update, screen: Screen, *, edit: bool = True) -> bool:
    """Answer the press, then edit its message into ``screen`` (unless it shows it already);
    without a press to edit, send ``screen`` as a new message. False when nothing changed."""
    made = payload(screen)
    query = update.callback_query
    bot = update.get_bot()
    if query is not None:
        await answer(update)
        message = query.message
        if edit and len(made.pieces) == 1 and isinstance(message, Message) and message.text:
            if shows(update, message, screen):
                return False
            try:
                key = (message.chat_id, message.message_id)
                params = {"chat_id": key[0], "message_id": key[1], **made.pieces[0]}
                await post(bot, "editMessageText", params)
                _remember(_memory(update).shown, key, made.looks)
                return True
            except BadRequest as exc:
                # Gone or too old to edit: the screen comes as a new message instead.
                reason = str(exc).lower()
                if "not found" not in reason and "can't be edited" not in reason:
                    raise
    chat = update.effective_chat
    if chat is None:
        return False
    for piece in made.pieces:
        await post(bot, "sendMessage", {"chat_id": chat.id, **piece})
    return True


async def post(bot: Bot, method: str, params: dict[str, Any]) -> None:
    """A Bot API call whose answer nobody reads (see the module's docstring); files go as
    :class:`telegram.InputFile`."""
    await bot.do_api_request(method, params)


async def optional(what: str, sending: Awaitable[T]) -> T | None:
    """Send an optional part of a screen; a part Telegram refuses is logged and left out."""
    try:
        return await sending
    except BadRequest as exc:
        log.warning("optional part refused, left out (%s): %s", what, exc.message)
        return None


async def say(update: Update, text: str) -> None:
    """A plain reply in the chat of the update."""
    chat = update.effective_chat
    if chat is not None:
        for piece in split_text(text):
            params = {"chat_id": chat.id, "text": piece, "parse_mode": ParseMode.HTML}
            await post(update.get_bot(), "sendMessage", params)
