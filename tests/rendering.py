"""What every message the bot shows must look like, checked on everything sent in every test.

The ``bot`` fixture runs :func:`problems` over all the Bot API calls of a test when it ends, and
the hostile-input test over every batch, so a screen anywhere fails if it shows a time with
seconds or AM/PM, an American date in English, or a button label longer than a phone shows
whole; and, where the language of the person it was sent to is known (the language that person
had when it was sent: :class:`SentIn`): another language's quotation marks, an ASCII apostrophe
in a Ukrainian word, an English range or full date that is not British ("8 – 28 October",
"09:00 – 10:30", "Tuesday, 10 October 2023") or a duration not in the house style's "1 hr 30
mins", a Slovenian time written with a colon (Slovenian writes 7.30), a Slovenian button in the
polite plural (buttons say "Pošlji", sentences "pošljite"), or a variant
``locales/glossary.yaml`` tells to avoid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from telegram import Update

from bot.db.models import Account
from bot.i18n import guess_language
from bot.transport.local_api import ApiCall
from bot.views.common import PHONE_LABEL

#: 08:00:00, 8:00:00 AM, 8 PM, 8:00 p.m.
SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")
AM_PM = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?)(?!\w)")
_MONTHS = (
    "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|"
    "July|August|September|October|November|December"
)
#: "Oct 10, 2023", "October 10, 2023", "10/28/2023": Babel's US English.
US_DATE = re.compile(rf"\b(?:{_MONTHS})\.? \d{{1,2}}, \d{{4}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b")

_CYRILLIC = "А-Яа-яІіЇїЄєҐґ"
#: "м'ясо": Ukrainian takes ’ (U+2019).
UK_APOSTROPHE = re.compile(rf"[{_CYRILLIC}]'[{_CYRILLIC}]")
#: Rules of one language's screens: (what, pattern).
_BY_LANGUAGE: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "en": [
        ("another language's quotation marks", re.compile(r"[«»„]")),
        # British style: "8–28 October", "09:00–10:30"; "8 October – 2 November".
        ("a spaced dash between numbers", re.compile(r"\d[ \u00a0\u2009]+–[ \u00a0\u2009]*\d")),
        ("a thin space by a dash", re.compile(r"\u2009[–—]|[–—]\u2009")),
        # British style: "Tuesday 10 October 2023", no comma after the weekday.
        (
            "a comma after the weekday",
            re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d"),
        ),
        # The house style writes durations as CLDR's en_GB: "1 hr", "2 hrs", "1 min", "30 mins".
        (
            "a duration not in hr/hrs and min/mins",
            re.compile(
                r"\b\d+[ \u00a0]?h\b"  # "1 h"
                r"|\b(?!1[ \u00a0])\d+[ \u00a0]?(?:hr|min)\b"  # "30 min"
                r"|\b1[ \u00a0]?(?:hrs|mins)\b"  # "1 mins"
            ),
        ),
    ],
    "uk": [
        ("another language's quotation marks", re.compile(r"“(?=\w)|»(?=\w)")),
    ],
    "sl": [
        ("another language's quotation marks", re.compile(r"“(?=\w)|«(?=\w)")),
        ("a time with a colon", re.compile(r"(?<![\dT:.])\b\d{1,2}:\d{2}\b(?!:)")),
    ],
}

#: Slovenian buttons take the short imperative ("Pošlji"), sentences the polite plural: a button
#: that starts with a polite-plural imperative ("Zastavite vprašanje") breaks the rule.
SL_POLITE_BUTTON = re.compile(r"^\W*\w+(?:ite|jte)\b")


@cache
def _avoided() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """The glossary's variants to avoid, per language."""
    path = Path(__file__).resolve().parent.parent / "locales" / "glossary.yaml"
    found: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for term in yaml.safe_load(path.read_text(encoding="utf-8"))["terms"]:
        for lang, patterns in (term.get("avoid") or {}).items():
            for pattern in patterns:
                rule = f"glossary ({term['name']})"
                found.setdefault(lang, []).append((rule, re.compile(pattern, re.IGNORECASE)))
    return found


_SHOWN = {"sendMessage", "editMessageText", "sendPhoto", "sendDocument", "editMessageCaption"}


#: The language a call was read in, if known: (index of the call among those checked, call).
LanguageOf = Callable[[int, ApiCall], str | None]


def by_chat(languages: Mapping[int, str]) -> LanguageOf:
    """Each call read in its chat's language (``languages``: chat id -> uk, sl or en)."""
    return lambda _index, call: languages.get(call.chat_id or 0)


def problems(calls: Iterable[ApiCall], language_of: LanguageOf | None = None) -> list[str]:
    """Every rule a shown message breaks, with the text that breaks it."""
    found = []
    for i, call in enumerate(calls):
        if call.method not in _SHOWN and not call.buttons:
            continue
        text = call.text
        rules = [("seconds", SECONDS), ("AM/PM", AM_PM), ("US date", US_DATE)]
        rules.append(("an ASCII apostrophe in a Ukrainian word", UK_APOSTROPHE))
        lang = language_of(i, call) if language_of is not None else None
        if lang is not None:
            rules += _BY_LANGUAGE.get(lang, []) + _avoided().get(lang, [])
        for rule, pattern in rules:
            for match in pattern.finditer(text):
                found.append(f"{call.method}: {rule} {match[0]!r} in {text[:200]!r}")
        for button in call.buttons:
            label = str(button.get("text", ""))
            if len(label) > PHONE_LABEL:
                found.append(f"{call.method}: button over {PHONE_LABEL} characters: {label!r}")
            if lang == "sl" and SL_POLITE_BUTTON.search(label):
                found.append(f"{call.method}: a Slovenian button in the polite plural: {label!r}")
    return found


async def chat_languages(db: Any, staff_chat_id: int | None, staff_language: str) -> dict[int, str]:
    """Each private chat's language (the person's choice, else the guess from Telegram's), and
    the staff chat's."""
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Account.telegram_id, Account.language, Account.language_code)
            )
        ).all()
    found = {tid: language or guess_language(code) for tid, language, code in rows}
    if staff_chat_id is not None:
        found[staff_chat_id] = staff_language
    return found


def may_switch_language(update: Update) -> bool:
    """An update after which a person's language may differ: the language picker, /start (an
    invite links a participant), /language, /forget."""
    query = update.callback_query
    if query is not None:
        return str(query.data or "").startswith(("lang:", "priv:"))
    message = update.effective_message
    text = (message.text or "") if message is not None else ""
    return text.startswith(("/start", "/language", "/forget"))


@dataclass
class SentIn:
    """The language each chat had when the bot's calls to it were made, noted after every update
    (and before one, for what the bot sent on its own in between), so that a message is checked
    in the language its reader had then, not in the one the test ends with."""

    by_call: dict[int, str] = field(default_factory=dict)  # index in api.calls -> language
    chats: dict[int, str] = field(default_factory=dict)  # chat id -> language, as last read
    read_for: set[int] = field(default_factory=set)  # the chats seen when it was last read
    noted: int = 0  # the calls before this index are noted

    async def note(self, calls: list[ApiCall], db: Any, settings: Any, *, reread: bool) -> None:
        """Note the calls made since the last note in the language their chat has now; the
        languages are read again if ``reread`` or a chat is new."""
        new = calls[self.noted :]
        chats = {c.chat_id for c in new if c.chat_id is not None}
        if reread or not chats <= self.read_for:
            self.chats = await chat_languages(db, settings.staff_chat_id, settings.staff_language)
            self.read_for = set(self.chats) | chats
        for i, call in enumerate(new, self.noted):
            lang = self.chats.get(call.chat_id or 0)
            if lang is not None:
                self.by_call[i] = lang
        self.noted = len(calls)

    def language_of(self, index: int, _call: ApiCall) -> str | None:
        return self.by_call.get(index)
