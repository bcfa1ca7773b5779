"""A broadcast's text: the version each language gets, and Telegram's length limits.

Texts are Telegram HTML as the author wrote them (``message.text_html``). Telegram counts the
*visible* characters, after the tags are parsed: at most 4,096 for a text message and 1,024 for
the caption of a photo or document. Over-long texts are refused before sending, never cut.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any

from bot.i18n import FALLBACK, LANGUAGES

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CAPTION_TOO_LONG = "caption_too_long"


@dataclass(frozen=True)
class TextProblem:
    problem: Problem
    language: str
    length: int = 0
    limit: int = 0


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(markup: str) -> str:
    """What a reader sees of Telegram HTML: the text without its tags, entities decoded."""
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    return html.unescape("".join(parser.parts))


def version(texts: Mapping[str, str], language: str) -> tuple[str, str | None]:
    """The text ``language`` gets and, when it is another language's, which one (else None)."""
    for candidate in FALLBACK[language]:
        if texts.get(candidate):
            return texts[candidate], None if candidate == language else candidate
    return "", None


def check(texts: Mapping[str, str], media: Mapping[str, Any] | None) -> list[TextProblem]:
    """Everything Telegram would refuse in these versions (empty: send them)."""
    if not any(visible_text(t).strip() for t in texts.values()) and media is None:
        return [TextProblem(Problem.EMPTY, "")]
    limit = CAPTION_LIMIT if media else TEXT_LIMIT
    problems = []
    for lang in LANGUAGES:
        text = texts.get(lang)
        if not text:
            continue
        length = len(visible_text(text))
        if length > limit:
            kind = Problem.CAPTION_TOO_LONG if media else Problem.TOO_LONG
            problems.append(TextProblem(kind, lang, length, limit))
    return problems
