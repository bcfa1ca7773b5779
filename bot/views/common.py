"""Small building blocks shared by every screen."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.base import CallbackData
from bot.callbacks.menu import MainMenu
from bot.i18n import _


@dataclass(frozen=True, slots=True)
class Screen:
    """A message the bot shows: HTML text and an optional inline keyboard.

    A screen never changes once made, so what the Bot API takes of it (its keyboard as JSON, its
    visible text) is worked out on its first send and kept with it (``bot.handlers.send``): a
    screen kept for a content version, language, audience and minute is serialised once.
    """

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    payload: Any = field(default=None, init=False, compare=False, repr=False)


#: The sign that starts a screen's line saying what happens next: what pressing or typing does,
#: who gets what and when. Every screen of the staff flows ends with one (tests/taps.py checks
#: each screen of the flows it walks, in every language).
NEXT = "➡️"


def next_line(text: str) -> str:
    """``text`` (a translated sentence: what happens next) as a screen's "next" line."""
    return f"{NEXT} {text}"


#: The longest button label that a phone shows whole, one button to a row.
PHONE_LABEL = 30


def fit(label: str, limit: int = PHONE_LABEL) -> str:
    """A label of at most ``limit`` characters: cut at a word boundary, with "…" after it."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:–—-(") + "…"


def button(label: str, data: CallbackData) -> InlineKeyboardButton:
    """A button whose data is one of the kinds of :mod:`bot.callbacks` (packed here): the one
    way screens make buttons, so every press is one that a handler's pattern takes."""
    if not isinstance(data, CallbackData):
        raise TypeError(f"button data must be a kind of bot.callbacks, not {data!r}")
    return InlineKeyboardButton(label, callback_data=data.pack())


#: A button's fields that are plain text: the rest (a web app, a login URL...) are objects.
_TEXT_FIELDS = ("text", "callback_data", "url")
_OTHER_FIELDS = tuple(f for f in InlineKeyboardButton.__slots__ if f not in _TEXT_FIELDS)


def _button_dict(button: InlineKeyboardButton) -> dict[str, Any]:
    """``button.to_dict()``, made directly for a button of text fields only (the bot's every
    button: python-telegram-bot's generic ``to_dict`` took 40% of the time of making a survey
    question's screen); any other button by ``to_dict``."""
    if button.api_kwargs or any(getattr(button, f) is not None for f in _OTHER_FIELDS):
        return button.to_dict()
    return {f: v for f in _TEXT_FIELDS if (v := getattr(button, f)) is not None}


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard that is serialised once.

    A Telegram object cannot change once made, and the keyboards kept for a content version or a
    minute are sent again and again, so the JSON form is computed on the first send
    (:meth:`json_text` for a ready request; :meth:`to_dict` gives each caller its own copy of
    the rows, as python-telegram-bot's would).
    """

    __slots__ = ("_dict", "_text")

    def _serialised(self) -> dict[str, Any]:
        try:
            return self._dict  # type: ignore[no-any-return]
        except AttributeError:
            rows = [[_button_dict(b) for b in row] for row in self.inline_keyboard]
            made = self._dict = {"inline_keyboard": rows}
            return made

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        if not recursive:
            return super().to_dict(recursive=False)
        cached = self._serialised()
        return {
            **cached,
            "inline_keyboard": [[dict(b) for b in row] for row in cached["inline_keyboard"]],
        }

    def json_text(self) -> str:
        """The keyboard as the JSON text of a ``reply_markup`` parameter."""
        try:
            return self._text  # type: ignore[no-any-return]
        except AttributeError:
            made = self._text = json.dumps(self._serialised())
            return made


def keyboard(rows: Sequence[Sequence[InlineKeyboardButton]]) -> Keyboard:
    return Keyboard([list(row) for row in rows if row])


def back_to_menu() -> InlineKeyboardButton:
    return button("⬅️ " + _("Menu"), MainMenu())


def chunk(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]
