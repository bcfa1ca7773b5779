"""Small building blocks shared by every screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.base import CallbackData
from bot.callbacks.menu import MainMenu
from bot.i18n import _


@dataclass(frozen=True, slots=True)
class Screen:
    """A message the bot shows: HTML text and an optional inline keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


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


def button(label: str, data: CallbackData | str) -> InlineKeyboardButton:
    """A button whose data is one of the kinds of :mod:`bot.callbacks` (packed here)."""
    if isinstance(data, CallbackData):
        data = data.pack()
    elif len(data.encode()) > 64:
        raise ValueError(f"callback data over 64 bytes: {data!r}")
    return InlineKeyboardButton(label, callback_data=data)


def keyboard(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def back_to_menu() -> InlineKeyboardButton:
    return button("⬅️ " + _("Menu"), MainMenu())


def chunk(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]
