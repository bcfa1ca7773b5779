"""How Telegram reads a text sent with ``parse_mode=HTML``: what a person sees, and why Telegram
would refuse it ("Formatting options" in the Bot API documentation: the allowed tags, entities
``&lt;`` ``&gt;`` ``&amp;`` ``&quot;`` and numeric ones, every tag closed)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip


class _HtmlChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = f'Unexpected end tag "{tag}"'
        else:
            self.stack.pop()


class _TextCollector(HTMLParser):
    """The text between the tags, entities kept as written (unescaped at the end)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


@dataclass(frozen=True, slots=True)
class Markup:
    """What Telegram makes of an HTML text: its visible text (None when a bare ``<`` or ``>``
    is left in it) and why it would refuse the text (None when it is fine)."""

    visible: str | None
    error: str | None


#: The markup the bot writes: text, ``&name;`` / ``&#n;`` entities, and allowed tags with quoted
#: attributes. A text made only of these is checked with two regular expressions; anything else
#: (other tags, comments, a bare ``<`` ``>``, loose attributes) goes through :class:`HTMLParser`.
_TAG = r'<(/?)([a-z][a-z0-9-]*)(?:\s+[a-z][a-z0-9-]*(?:="[^"<>&]*")?)*\s*>'
_SIMPLE = re.compile(
    r"(?:[^<>&]++|&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);|" + _TAG + r")*+"
)
_TAGS = re.compile(_TAG)


def _parse_simple(text: str) -> Markup | None:
    if _SIMPLE.fullmatch(text) is None:
        return None
    stack: list[str] = []
    error: str | None = None
    for close, tag in _TAGS.findall(text):
        if tag not in _ALLOWED_TAGS:
            return None
        if not close:
            stack.append(tag)
        elif stack and stack[-1] == tag:
            stack.pop()
        else:
            error = f'Unexpected end tag "{tag}"'
    if error is None and stack:
        error = _unclosed(stack[-1])
    return Markup(html.unescape(_TAGS.sub("", text)), error)


def _parse_general(text: str) -> Markup:
    checker = _HtmlChecker()
    checker.feed(text)
    checker.close()
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    raw = "".join(collector.out)
    visible = None if "<" in raw or ">" in raw else html.unescape(raw)
    error = checker.error
    if error is None and checker.stack:
        error = _unclosed(checker.stack[-1])
    if error is None and visible is None:
        # A bare "<" or "&" that the parser kept as text is an error on Telegram's side.
        error = "Can't parse entities: unescaped < or &"
    return Markup(visible, error)


def _unclosed(tag: str) -> str:
    return f'Can\'t find end tag corresponding to start tag "{tag}"'


@lru_cache(maxsize=4096)
def parse_html(text: str) -> Markup:
    """What Telegram makes of ``text`` sent as HTML (kept for the texts met most recently: the
    bot's ready screens are sent, and checked, again and again)."""
    if "<" not in text and ">" not in text and "&" not in text:
        return Markup(text, None)
    return _parse_simple(text) or _parse_general(text)
