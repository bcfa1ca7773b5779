"""Long screens are split between lines, never refused by Telegram or cut silently; a screen's
Bot API parameters are made once."""

from __future__ import annotations

import json

from bot.callbacks.menu import MainMenu
from bot.handlers.send import payload, split_text
from bot.views.common import Screen, button, keyboard


def test_short_text_is_one_piece() -> None:
    assert split_text("a\nb", limit=10) == ["a\nb"]


def test_split_between_lines_keeps_every_line_whole() -> None:
    lines = [f"<b>line {n}</b> " + "x" * 30 for n in range(200)]
    pieces = split_text("\n".join(lines), limit=4096)
    assert len(pieces) > 1
    assert all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces).split("\n") == lines


def test_a_single_huge_line_is_cut_to_the_limit() -> None:
    pieces = split_text("y" * 9000, limit=4096)
    assert [len(p) for p in pieces] == [4096, 4096, 808]


def test_a_screens_payload_is_made_once_and_holds_the_keyboard_as_json() -> None:
    screen = Screen("<b>Menu</b>", keyboard([[button("A", MainMenu())]]))
    made = payload(screen)
    assert payload(screen) is made
    [piece] = made.pieces
    assert piece["text"] == "<b>Menu</b>" and piece["parse_mode"] == "HTML"
    assert json.loads(piece["reply_markup"]) == {
        "inline_keyboard": [[{"text": "A", "callback_data": MainMenu().pack()}]]
    }
    assert made.looks == ("Menu", screen.keyboard)


def test_a_long_screens_keyboard_goes_under_its_last_piece() -> None:
    text = "\n".join("x" * 100 for _ in range(100))
    pieces = payload(Screen(text, keyboard([[button("A", MainMenu())]]))).pieces
    assert len(pieces) == 3
    assert ["reply_markup" in p for p in pieces] == [False, False, True]


def test_a_keyboards_json_is_what_python_telegram_bot_makes_of_it() -> None:
    """Buttons of text fields are serialised directly (the generic ``to_dict`` was 40% of the
    time of a survey question's screen); any other kind of button as python-telegram-bot does."""
    from telegram import (
        CopyTextButton,
        InlineKeyboardButton,
        InlineKeyboardMarkup,
        LoginUrl,
        WebAppInfo,
    )

    rows = [
        [button("A", MainMenu()), InlineKeyboardButton("Site", url="https://example.org/a")],
        [InlineKeyboardButton("Copy", copy_text=CopyTextButton("x y"))],
        [InlineKeyboardButton("App", web_app=WebAppInfo("https://example.org/app"))],
        [InlineKeyboardButton("Log in", login_url=LoginUrl("https://example.org/l"))],
        [InlineKeyboardButton("Ask", switch_inline_query_current_chat="")],
        [InlineKeyboardButton("More", callback_data="x", api_kwargs={"style": "primary"})],
    ]
    made = payload(Screen("Links", keyboard(rows))).pieces[0]["reply_markup"]
    assert json.loads(made) == InlineKeyboardMarkup(rows).to_dict()
    assert keyboard(rows).to_dict() == InlineKeyboardMarkup(rows).to_dict()
