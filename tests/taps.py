"""Walking a flow as a person would: counting every button pressed and every message typed, and
checking that every screen the bot answers with says what happens next.

The common staff flows are tested against a budget of actions so that they do not creep back up
(issue 14). Only visible buttons are pressed: by their label (an English msgid, read in the
person's language through the catalog) or, for a label that is content or a number, by the kind
of button data (:class:`~bot.callbacks.base.Pattern`), as a person picks the button they see.

Each action is checked by :meth:`Actions.look`: of the messages it shows the person (in their
chat, and in the staff chat when they act there), the last one, and every one with buttons, has a
line starting with :data:`bot.views.common.NEXT` (what pressing or typing does next: who gets
what, when). Messages that show the person their own words (an announcement's
preview is what they typed) and files (a QR code, a chart, an export) are not screens of the bot.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from bot.callbacks.base import Pattern
from bot.callbacks.menu import Language, SetLanguage
from bot.i18n import gettext
from bot.transport.local_api import ApiCall
from bot.transport.updates import SimUser
from bot.views.common import NEXT
from tests.harness import BotHarness

#: A line that says what happens next (after any opening tags).
NEXT_LINE = re.compile(rf"^(?:<[^>]+>)*{re.escape(NEXT)} \S", re.MULTILINE)
_SCREENS = {"sendMessage", "editMessageText"}


def plain(text: str) -> str:
    """A message's visible text: tags removed, entities read, spaces trimmed."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


@dataclass
class Actions:
    """One person's actions in a flow, in ``language``: ``taps`` buttons, ``typed`` messages,
    commands and files; every answer is checked to say what happens next."""

    bot: BotHarness
    user: SimUser
    language: str = "en"
    taps: int = 0
    typed: int = 0
    #: What the person typed: shown back to them, it is their words, not a screen of the bot.
    own: set[str] = field(default_factory=set)

    def label(self, msgid: str) -> str:
        """A button's label as the person reads it."""
        return gettext(msgid, locale=self.language)

    async def press(self, button: str | Pattern) -> list[ApiCall]:
        """Press a button under the bot's newest message with it: by its label's msgid, or the
        first whose data the pattern takes."""
        self.taps += 1
        if isinstance(button, Pattern):
            message, data = self._find(button)
            return self.look(await self.bot.press_data(self.user, data, message))
        return self.look(await self.bot.press(self.user, self.label(button)))

    async def press_under(self, chat: int, label: str) -> list[ApiCall]:
        """Press the button labelled ``label`` (msgid) under the newest message of another chat
        (the staff chat) that has it."""
        wanted = self.label(label)
        for key in sorted((k for k in self.bot.api.messages if k[0] == chat), reverse=True):
            message = self.bot.api.messages[key]
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            data = [b["callback_data"] for row in rows for b in row if wanted in b["text"]]
            if data:
                self.taps += 1
                return self.look(await self.bot.press_data(self.user, data[0], message), chat)
        raise AssertionError(f"no button {wanted!r} in chat {chat}")

    async def send(self, text: str, **kwargs: Any) -> list[ApiCall]:
        self.typed += 1
        self.own.add(plain(text))
        chat = kwargs.get("chat", {}).get("id")
        return self.look(await self.bot.send(self.user, text, **kwargs), chat)

    async def send_content(self, content: dict[str, Any]) -> list[ApiCall]:
        """A message that is not text (a sticker, a voice message)."""
        self.typed += 1
        return self.look(await self.bot.send_content(self.user, content))

    async def upload(self, file_name: str, content: bytes) -> list[ApiCall]:
        self.typed += 1
        return self.look(await self.bot.upload(self.user, file_name, content))

    def _find(self, pattern: Pattern) -> tuple[dict[str, Any], str]:
        keys = [k for k in self.bot.api.messages if k[0] == self.user.id]
        for key in sorted(keys, key=lambda k: k[1], reverse=True):
            message = self.bot.api.messages[key]
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if pattern(button.get("callback_data")):
                        return message, button["callback_data"]
        raise AssertionError(f"no button of {pattern} in the chat of user {self.user.id}")

    def look(self, calls: list[ApiCall], chat: int | None = None) -> list[ApiCall]:
        """Check the screens among ``calls`` shown to the person (in their chat, or ``chat``):
        the last one, which they read last, and each with buttons say what happens next."""
        chats = {self.user.id} if chat is None else {self.user.id, chat}
        screens = [
            c
            for c in calls
            if c.method in _SCREENS
            and c.error is None
            and c.chat_id in chats
            and plain(c.text) not in self.own
        ]
        silent = [
            c.text
            for i, c in enumerate(screens, 1)
            if (c.buttons or i == len(screens)) and not NEXT_LINE.search(c.text)
        ]
        assert not silent, f"screens that do not say what happens next ({self.language}): {silent}"
        return calls


async def speaking(bot: BotHarness, user: SimUser, language: str) -> SimUser:
    """``user`` switches the bot to ``language`` with /language, as a person would."""
    await bot.send(user, "/language")
    await bot.press_data(user, SetLanguage(Language(language)).pack())
    return user
