"""An in-process Bot API server, plugged in at python-telegram-bot's request layer.

The console transport, the tests and the benchmarks all drive the real ``Application`` through
this class: every Bot API call the bot makes is answered here as Telegram would answer it, kept in
:attr:`LocalBotApi.calls`, and checked against Telegram's limits (a text over 4,096 characters, a
caption over 1,024, callback data over 64 bytes, a callback answer over 200 characters or broken
HTML formatting get Telegram's own ``400 Bad Request``). ``faults`` lets a caller inject the
answers of a real network: 429 with ``retry_after``, 403 for a user who blocked the bot, time-outs.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Mentoring bot",
    "username": "mentoring_programme_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200

_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip


class ApiError(Exception):
    """An answer Telegram gives with ``ok: false``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


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
class _Markup:
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


def _parse_simple(text: str) -> _Markup | None:
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
    return _Markup(html.unescape(_TAGS.sub("", text)), error)


def _parse_general(text: str) -> _Markup:
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
    return _Markup(visible, error)


def _unclosed(tag: str) -> str:
    return f'Can\'t find end tag corresponding to start tag "{tag}"'


def _parse(text: str) -> _Markup:
    if "<" not in text and ">" not in text and "&" not in text:
        return _Markup(text, None)
    return _parse_simple(text) or _parse_general(text)


def check_html(text: str) -> str | None:
    """Why Telegram would refuse ``text`` as HTML, or None when it is fine."""
    return _parse(text).error


def visible_text(text: str, parse_mode: str | None) -> str:
    """What a person reads: the text without its HTML tags."""
    if parse_mode != "HTML":
        return text
    return _parse(text).visible or ""


@dataclass
class ApiCall:
    """One Bot API call as the bot made it."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    result: Any = None
    error: ApiError | None = None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None and str(value).lstrip("-").isdigit() else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]


#: A fault decides, before a call is answered, whether it fails: it returns an ApiError to send,
#: raises (for example :class:`telegram.error.TimedOut`), or returns None to let the call through.
Fault = Callable[[str, dict[str, Any]], ApiError | None]


class LocalBotApi(BaseRequest):
    """Answers Bot API calls in memory, like Telegram does."""

    def __init__(
        self,
        *,
        on_call: Callable[[ApiCall], None] | None = None,
        fault: Fault | None = None,
        keep_calls: bool = True,
    ) -> None:
        self.calls: list[ApiCall] = []
        #: Every URL asked for (Bot API methods and file downloads), in order.
        self.urls: list[str] = []
        self.on_call = on_call
        self.fault = fault
        self.keep_calls = keep_calls
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.chat_members: dict[int, str] = {}  # chat id -> the bot's status there
        self._ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.descriptions: dict[str, str] = {}

    # -- BaseRequest

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        self.urls.append(url)
        if "/file/bot" in url:
            file_path = url.rsplit("/", 1)[1]
            stored = self.files.get(file_path)
            return (200, stored[1]) if stored else (404, b"Not Found")
        api_method = url.rsplit("/", 1)[1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                filename, content = part[0], part[1]
                data = content if isinstance(content, bytes) else content.read()
                files[name] = (filename or name, data)
        call = ApiCall(api_method, params, files)
        try:
            if self.fault is not None:
                injected = self.fault(api_method, params)
                if injected is not None:
                    raise injected
            call.result = self._answer(api_method, params, files)
        except ApiError as exc:
            call.error = exc
        except TimedOut:
            self._record(call)
            raise
        self._record(call)
        if call.error is not None:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": call.error.code,
                "description": call.error.description,
            }
            if call.error.retry_after is not None:
                body["parameters"] = {"retry_after": call.error.retry_after}
            return call.error.code, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    def _record(self, call: ApiCall) -> None:
        if self.keep_calls:
            self.calls.append(call)
        if self.on_call is not None:
            self.on_call(call)

    # -- files the tests and the console hand to the bot

    def add_file(self, filename: str, content: bytes) -> str:
        """Store a file as if a user had uploaded it; returns its ``file_id``."""
        file_id = f"file-{next(self._file_ids)}"
        self.files[file_id] = (filename, content)
        return file_id

    # -- the answers

    def _answer(self, method: str, p: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return True
        return handler(p, files)

    def _m_getMe(self, p: dict[str, Any], files: Any) -> Any:
        return BOT_USER

    def _m_setMyCommands(self, p: dict[str, Any], files: Any) -> Any:
        self.commands[str(p.get("language_code") or "")] = p.get("commands", [])
        return True

    def _m_setMyDescription(self, p: dict[str, Any], files: Any) -> Any:
        self.descriptions[str(p.get("language_code") or "")] = p.get("description", "")
        return True

    def _m_getChatMember(self, p: dict[str, Any], files: Any) -> Any:
        chat_id = int(p["chat_id"])
        status = self.chat_members.get(chat_id)
        if status is None:
            raise ApiError(400, "Bad Request: chat not found")
        return {"status": status, "user": BOT_USER}

    def _check_text(self, p: dict[str, Any], key: str, limit: int) -> str | None:
        """Check ``p[key]`` as Telegram would; returns the text a person reads (None if absent)."""
        text = p.get(key)
        if text is None:
            return None
        text = str(text)
        if p.get("parse_mode") == "HTML":
            markup = _parse(text)
            visible, problem = markup.visible or "", markup.error
        else:
            visible, problem = text, None
        if not visible.strip() and key == "text":
            raise ApiError(400, "Bad Request: message text is empty")
        if problem:
            raise ApiError(400, f"Bad Request: can't parse entities: {problem}")
        if len(visible) > limit:
            raise ApiError(
                400, f"Bad Request: {'message' if key == 'text' else 'caption'} is too long"
            )
        return visible

    def _check_markup(self, p: dict[str, Any]) -> None:
        markup = p.get("reply_markup")
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        cid = int(chat_id)
        if cid in self.chat_members and self.chat_members[cid] in {"left", "kicked"}:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return {"id": cid, "type": "private" if cid > 0 else "supergroup", "first_name": "User"}

    def _new_message(self, p: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = self._chat(p["chat_id"])
        message = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **content,
        }
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _m_sendMessage(self, p: dict[str, Any], files: Any) -> Any:
        text = self._check_text(p, "text", TEXT_LIMIT)
        self._check_markup(p)
        return self._new_message(p, text=text)

    def _media(self, p: dict[str, Any], files: dict[str, tuple[str, bytes]], kind: str) -> Any:
        caption = self._check_text(p, "caption", CAPTION_LIMIT)
        self._check_markup(p)
        value = p.get(kind)
        name = "file"
        if kind in files:  # uploaded in the request's multipart body under the field's own name
            name, data = files[kind]
            file_id = self.add_file(name, data)
        elif isinstance(value, str) and value.startswith("attach://"):
            name, data = files[value.removeprefix("attach://")]
            file_id = self.add_file(name, data)
        elif isinstance(value, str) and value in self.files:
            file_id = value
            name = self.files[value][0]
        else:
            file_id = self.add_file(str(value), b"")
        media: Any = {"file_id": file_id, "file_unique_id": file_id, "file_name": name}
        if kind == "photo":
            media = [{"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1}]
        content: dict[str, Any] = {kind: media}
        if p.get("caption"):
            content["caption"] = caption
        return self._new_message(p, **content)

    def _m_sendDocument(self, p: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        return self._media(p, files, "document")

    def _m_sendPhoto(self, p: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        return self._media(p, files, "photo")

    def _m_sendLocation(self, p: dict[str, Any], files: Any) -> Any:
        return self._new_message(
            p, location={"latitude": p["latitude"], "longitude": p["longitude"]}
        )

    def _m_sendVenue(self, p: dict[str, Any], files: Any) -> Any:
        location = {"latitude": p["latitude"], "longitude": p["longitude"]}
        return self._new_message(
            p,
            location=location,
            venue={"location": location, "title": p["title"], "address": p["address"]},
        )

    def _m_sendChatAction(self, p: dict[str, Any], files: Any) -> Any:
        return True

    def _edit(self, p: dict[str, Any], **changes: Any) -> Any:
        key = (int(p["chat_id"]), int(p["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        same_text = "text" not in changes or changes["text"] == message.get("text")
        same_markup = p.get("reply_markup") == message.get("reply_markup")
        if same_text and same_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message.update(changes)
        if "reply_markup" in p:
            message["reply_markup"] = p["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    def _m_editMessageText(self, p: dict[str, Any], files: Any) -> Any:
        text = self._check_text(p, "text", TEXT_LIMIT)
        self._check_markup(p)
        return self._edit(p, text=text)

    def _m_editMessageReplyMarkup(self, p: dict[str, Any], files: Any) -> Any:
        self._check_markup(p)
        return self._edit(p)

    def _m_deleteMessage(self, p: dict[str, Any], files: Any) -> Any:
        self.messages.pop((int(p["chat_id"]), int(p["message_id"])), None)
        return True

    def _m_answerCallbackQuery(self, p: dict[str, Any], files: Any) -> Any:
        if len(str(p.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_getFile(self, p: dict[str, Any], files: Any) -> Any:
        file_id = p["file_id"]
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        _name, content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(content),
            "file_path": file_id,
        }

    def _m_getUpdates(self, p: dict[str, Any], files: Any) -> Any:
        return []
