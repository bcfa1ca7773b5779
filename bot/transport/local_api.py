"""An in-process Bot API server, plugged in at python-telegram-bot's request layer.

The console transport, the tests and the benchmarks all drive the real ``Application`` through
this class: every Bot API call the bot makes is answered here as Telegram would answer it, kept in
:attr:`LocalBotApi.calls`, and checked against what Telegram enforces on what bots commonly get
wrong. Each rule names its source: the Bot API documentation (https://core.telegram.org/bots/api) or
the error text Telegram is known to answer with (quoted from public issue threads):

* a text over 4,096 characters, a caption over 1,024, callback data outside 1-64 bytes, broken
  HTML formatting: ``400 Bad Request`` (sendMessage, "Formatting options", InlineKeyboardButton);
* a callback query is answered at most once, and only within :data:`CALLBACK_ANSWER_WINDOW` of
  its arrival; otherwise "query is too old and response timeout expired or query ID is invalid"
  (answerCallbackQuery: "clients will display a progress bar until you call answerCallbackQuery";
  e.g. aiogram_dialog#145, nutgram#725). The queries it knows are those given to :meth:`deliver`;
* ``answerCallbackQuery`` text is 0-200 characters (its documentation) -> "MESSAGE_TOO_LONG";
* ``reply_markup`` arrives as a JSON-serialised object (sendMessage: "A JSON-serialized object
  for an inline keyboard", which is how every HTTP client sends it); a string that is not such
  JSON: "can't parse reply keyboard markup JSON object" (python-telegram-bot#2533);
* editing to the same text and keyboard: "message is not modified: ..." (well known 400);
* editing a message that does not exist: "message to edit not found" (TelegramBotAPI/errors#7),
  one the bot did not send: "message can't be edited";
* deleting a message that does not exist: "message to delete not found" (kaishnik-bot#1); one
  sent 48 hours ago or earlier: "message can't be deleted for everyone" (deleteMessage: "A message
  can only be deleted if it was sent less than 48 hours ago");
* any send to a person who blocked the bot (:meth:`block`): ``403 Forbidden: bot was blocked by
  the user`` (e.g. telegram-bot-sdk#651).

Time is read from the ``clock`` given (a test's :class:`~bot.clock.ManualClock`), so a test can
move past a window. ``faults`` lets a caller inject the answers of a real network: 429 with
``retry_after``, 403, time-outs.

Not enforced (README, "What the local Bot API enforces"): flood limits (30 messages a second,
20 a minute per group) unless injected as faults, the 48-hour limit on editing, file sizes,
entity limits (100 entities), and anything about inline mode, payments or games.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Update
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.infra.clock import Clock
from bot.transport.telegram_html import parse_html

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
#: How long Telegram waits for the answer to a callback query (measured: about 15 s).
CALLBACK_ANSWER_WINDOW = timedelta(seconds=15)
#: deleteMessage: "A message can only be deleted if it was sent less than 48 hours ago."
DELETE_WINDOW = timedelta(hours=48)

QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"


class ApiError(Exception):
    """An answer Telegram gives with ``ok: false``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def _markup(p: dict[str, Any]) -> dict[str, Any] | None:
    """The keyboard a message keeps: none for an empty one (python-telegram-bot sends an empty
    inline keyboard as ``{}``; Telegram then shows, and returns, no keyboard)."""
    markup = p.get("reply_markup")
    if not markup or markup.get("inline_keyboard") == []:
        return None
    return markup


def _json_markup(text: str) -> dict[str, Any]:
    """A keyboard sent as JSON text (as over HTTP), read as Telegram reads it."""
    try:
        markup = json.loads(text)
    except ValueError:
        markup = None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    return markup


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
        clock: Clock | None = None,
    ) -> None:
        self.calls: list[ApiCall] = []
        self.clock = clock or Clock()
        #: Every URL asked for (Bot API methods and file downloads), in order.
        self.urls: list[str] = []
        self.on_call = on_call
        self.fault = fault
        self.keep_calls = keep_calls
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.chat_members: dict[int, str] = {}  # chat id -> the bot's status there
        #: People who blocked the bot: every send to them is 403.
        self.blocked: set[int] = set()
        #: Callback queries delivered and not yet answered: id -> when they arrived.
        self.open_queries: dict[str, datetime] = {}
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
        return self.handle(api_method, params, files)

    def handle(
        self, api_method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, bytes]:
        """Answer one Bot API call: the HTTP status and the JSON body Telegram would send.
        (The over-the-wire test server answers through here too: one set of rules.)"""
        call = ApiCall(api_method, params, files)
        try:
            if isinstance(params.get("reply_markup"), str):
                params["reply_markup"] = _json_markup(params["reply_markup"])
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

    # -- what people send, as Telegram would know it

    def deliver(self, update: Update) -> Update:
        """Note an update Telegram hands to the bot: its callback query's arrival (the answer
        window starts now), and a person's message (so that the bot cannot edit it)."""
        query = update.callback_query
        if query is not None:
            self.open_queries[query.id] = self.clock.now()
        message = update.message
        if message is not None and message.from_user is not None:
            key = (message.chat.id, message.message_id)
            self.messages.setdefault(key, message.to_dict())
        return update

    def block(self, user_id: int) -> None:
        """The person blocks the bot: from now on every send to them is refused with 403."""
        self.blocked.add(user_id)

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
            markup = parse_html(text)
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
        if cid in self.blocked:
            raise ApiError(403, BLOCKED)
        if cid in self.chat_members and self.chat_members[cid] in {"left", "kicked"}:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return {"id": cid, "type": "private" if cid > 0 else "supergroup", "first_name": "User"}

    def _new_message(self, p: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = self._chat(p["chat_id"])
        message = {
            "message_id": next(self._ids),
            "date": int(self.clock.now().timestamp()),
            "chat": chat,
            "from": BOT_USER,
            **content,
        }
        if _markup(p) is not None:
            message["reply_markup"] = _markup(p)
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
        self._chat(p["chat_id"])
        key = (int(p["chat_id"]), int(p["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if (message.get("from") or {}).get("id") != BOT_USER["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        same_text = "text" not in changes or changes["text"] == message.get("text")
        same_markup = _markup(p) == message.get("reply_markup")
        if same_text and same_markup:
            raise ApiError(400, NOT_MODIFIED)
        message.update(changes)
        if _markup(p) is not None:
            message["reply_markup"] = _markup(p)
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
        key = (int(p["chat_id"]), int(p["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        by_bot = (message.get("from") or {}).get("id") == BOT_USER["id"]
        if not by_bot and message["chat"].get("type") != "private":
            raise ApiError(400, "Bad Request: message can't be deleted")
        sent = datetime.fromtimestamp(int(message.get("date") or 0), tz=UTC)
        if self.clock.now() - sent >= DELETE_WINDOW:
            raise ApiError(400, "Bad Request: message can't be deleted for everyone")
        del self.messages[key]
        return True

    def _m_answerCallbackQuery(self, p: dict[str, Any], files: Any) -> Any:
        query_id = str(p.get("callback_query_id"))
        arrived = self.open_queries.get(query_id)
        if arrived is None or self.clock.now() - arrived > CALLBACK_ANSWER_WINDOW:
            raise ApiError(400, QUERY_INVALID)
        if len(str(p.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        del self.open_queries[query_id]
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
