"""Chat with the bot in a terminal: the real ``Application`` over :class:`LocalBotApi`.

Each line typed (or piped in) is sent as a message from one simulated Telegram user; a number
presses the inline button of that number under the bot's latest message. The bot's messages are
printed readably: formatting as terminal styles, buttons as numbered choices, files and locations
described. With piped input the lines are processed in order and the console exits at the end.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from typing import Any, TextIO

from bot.transport.local_api import ApiCall, LocalBotApi
from bot.transport.updates import SimUser, callback_update, text_update

_TAG = re.compile(r"<(/?)(\w[\w-]*)([^>]*)>")
_HREF = re.compile(r'href="([^"]*)"')


def html_to_terminal(text: str, styles: bool) -> str:
    """Telegram HTML to terminal text: bold/italic as ANSI styles (or plain), links spelled out."""
    out: list[str] = []
    pos = 0
    links: list[str] = []
    codes = {"b": "1", "strong": "1", "i": "3", "em": "3", "u": "4", "code": "2", "pre": "2"}
    for match in _TAG.finditer(text):
        out.append(html.unescape(text[pos : match.start()]))
        pos = match.end()
        closing, tag = match.group(1), match.group(2)
        if tag == "a":
            if closing:
                out.append(f" ({links.pop()})" if links else "")
            else:
                href = _HREF.search(match.group(3))
                links.append(html.unescape(href.group(1)) if href else "")
        elif styles and tag in codes:
            out.append("\033[0m" if closing else f"\033[{codes[tag]}m")
    out.append(html.unescape(text[pos:]))
    return "".join(out)


class ConsoleChat:
    """One person's conversation with the bot, printed to ``out``."""

    def __init__(self, api: LocalBotApi, user: SimUser, out: TextIO, *, styles: bool) -> None:
        self.api = api
        self.user = user
        self.out = out
        self.styles = styles
        self.buttons: list[dict[str, Any]] = []
        self.buttons_message: dict[str, Any] | None = None
        api.on_call = self.render

    def _print(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def render(self, call: ApiCall) -> None:
        """Print what the bot sends to this person (and to the staff chat, marked)."""
        if call.error is not None:
            if call.method.startswith(("send", "edit")):
                self._print(f"  [Telegram refused {call.method}: {call.error.description}]")
            return
        chat = call.chat_id
        if chat is None or not call.method.startswith(("send", "edit")):
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                self._print(f"  💬 {call.params['text']}")
            return
        prefix = "" if chat == self.user.id else f"[chat {chat}] "
        body = self._body(call)
        if body is None:
            return
        marker = "✎ " if call.method.startswith("edit") else ""
        self._print()
        self._print(f"{prefix}{marker}{body}")
        markup = call.params.get("reply_markup") or {}
        if chat == self.user.id and isinstance(call.result, dict):
            self._remember_buttons(markup, call.result)

    def _body(self, call: ApiCall) -> str | None:
        p = call.params
        if call.method in ("sendMessage", "editMessageText"):
            return html_to_terminal(str(p.get("text", "")), self.styles)
        if call.method == "sendDocument":
            name, size = self._file(call, "document")
            caption = html_to_terminal(str(p.get("caption") or ""), self.styles)
            return f"📎 {name} ({size:,} bytes)" + (f"\n{caption}" if caption else "")
        if call.method == "sendPhoto":
            caption = html_to_terminal(str(p.get("caption") or ""), self.styles)
            return "🖼 [image]" + (f"\n{caption}" if caption else "")
        if call.method == "sendLocation":
            return f"📍 {p['latitude']:.5f}, {p['longitude']:.5f}"
        if call.method == "sendVenue":
            return f"📍 {p['title']}, {p['address']} ({p['latitude']:.5f}, {p['longitude']:.5f})"
        if call.method == "editMessageReplyMarkup":
            return None
        return f"[{call.method}]"

    def _file(self, call: ApiCall, kind: str) -> tuple[str, int]:
        if kind in call.files:
            name, content = call.files[kind]
            return name, len(content)
        ref = str(call.params.get(kind, ""))
        if ref.startswith("attach://"):
            name, content = call.files.get(ref.removeprefix("attach://"), (ref, b""))
            return name, len(content)
        stored = self.api.files.get(ref)
        return (stored[0], len(stored[1])) if stored else (ref, 0)

    def _remember_buttons(self, markup: dict[str, Any], message: dict[str, Any]) -> None:
        inline = markup.get("inline_keyboard")
        if inline:
            self.buttons = [b for row in inline for b in row]
            self.buttons_message = message
            for n, b in enumerate(self.buttons, 1):
                target = f" → {b['url']}" if b.get("url") else ""
                self._print(f"   [{n}] {b['text']}{target}")
        keyboard = markup.get("keyboard")
        if keyboard:
            labels = [b["text"] if isinstance(b, dict) else b for row in keyboard for b in row]
            self._print("   ⌨ " + " | ".join(labels))

    def update_for(self, line: str, bot: Any) -> Any:
        """The update a typed line stands for: a button press for a number, else a message."""
        stripped = line.strip()
        if stripped.isdigit() and self.buttons and self.buttons_message is not None:
            n = int(stripped)
            if 1 <= n <= len(self.buttons):
                button = self.buttons[n - 1]
                if button.get("callback_data"):
                    return callback_update(
                        bot, self.user, button["callback_data"], self.buttons_message
                    )
                if button.get("url"):
                    self._print(f"  (a link: {button['url']})")
                    return None
        return text_update(bot, self.user, stripped)


async def read_lines(stream: TextIO, interactive: bool) -> Any:
    """Yield input lines; interactively with a prompt, piped ones echoed for the transcript."""
    while True:
        if interactive:
            try:
                line = await asyncio.to_thread(input, "> ")
            except EOFError:
                return
        else:
            line = await asyncio.to_thread(stream.readline)
            if not line:
                return
            line = line.rstrip("\n")
            print(f"\n> {line}", flush=True)
        yield line


def stdin_is_interactive() -> bool:
    return sys.stdin.isatty()
