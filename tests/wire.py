"""Telegram's Bot API over HTTP on 127.0.0.1, for the end-to-end test (``test_over_the_wire``).

The bot runs as a separate process (``python -m bot run``) with ``BOT_API_BASE_URL`` pointed
here. Every method is answered by :class:`~bot.transport.local_api.LocalBotApi`, so the wire obeys
exactly the rules the in-process tests obey (one answer per callback query within its window, no
edit that changes nothing ...). On top, this server does what only a network server does:
``getUpdates`` long polling with Telegram's offsets (an update is confirmed, and never handed out
again, once ``getUpdates`` is called with a higher offset), and file downloads.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPFile, parse_body_arguments
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.transport.local_api import BOT_USER, LocalBotApi
from bot.transport.updates import SimUser

_message_ids = itertools.count(5_000_000)


class WireBotApi:
    """An HTTP Bot API server sharing the local Bot API's rules."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.api = LocalBotApi()
        self.pending: list[dict[str, Any]] = []  # pushed, not yet confirmed
        self._next_update = 1
        #: The ``offset`` of every getUpdates call, in order (0 when none was given).
        self.offsets: list[int] = []
        #: Update ids in the order they were handed out by getUpdates.
        self.handed_out: list[int] = []
        self._arrived = asyncio.Event()
        self._server: HTTPServer | None = None
        self.port = 0
        #: Seconds each ``send*`` call takes to be answered, so that sends are in flight.
        self.send_delay = 0.0
        #: ``send*`` calls received and not yet answered.
        self.in_flight = 0

    # -- the server

    async def start(self) -> int:
        app = Application(
            [
                (r"/bot([^/]+)/(\w+)", _Method, {"wire": self}),
                (r"/file/bot([^/]+)/(.+)", _File, {"wire": self}),
            ]
        )
        self._server = HTTPServer(app)
        sockets = bind_sockets(0, "127.0.0.1")
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self.offsets.append(offset)
        if offset:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 5.0)
        while not self.pending and time.monotonic() < deadline:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        batch = self.pending[: int(params.get("limit") or 100)]
        self.handed_out += [u["update_id"] for u in batch]
        return batch

    # -- people

    def push(self, content: dict[str, Any]) -> int:
        """Queue an update for the bot (``content`` without ``update_id``); returns its id."""
        update = {"update_id": self._next_update, **content}
        self._next_update += 1
        self.api.deliver(Update.de_json(update, None))
        self.pending.append(update)
        self._arrived.set()
        return update["update_id"]

    def say(self, user: SimUser, text: str) -> int:
        message: dict[str, Any] = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": user.private_chat(),
            "from": user.as_dict(),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.push({"message": message})

    def upload(self, user: SimUser, name: str, content: bytes) -> int:
        file_id = self.api.add_file(name, content)
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": name,
            "file_size": len(content),
        }
        message = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": user.private_chat(),
            "from": user.as_dict(),
            "document": document,
        }
        return self.push({"message": message})

    def button(self, user: SimUser, prefix: str) -> tuple[dict[str, Any], str] | None:
        """The newest bot message to ``user`` with a button whose data starts with ``prefix``."""
        for key in sorted(self.api.messages, key=lambda k: k[1], reverse=True):
            message = self.api.messages[key]
            if key[0] != user.id or message.get("from", {}).get("id") != BOT_USER["id"]:
                continue
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if str(button.get("callback_data", "")).startswith(prefix):
                        return message, button["callback_data"]
        return None

    async def press(self, user: SimUser, prefix: str) -> int:
        """Press the newest button whose data starts with ``prefix`` (waiting for it to come);
        returns the update id."""
        await self.until(lambda: self.button(user, prefix) is not None, f"button {prefix!r}")
        found = self.button(user, prefix)
        assert found is not None
        message, data = found
        query_id = f"q{self._next_update}"
        query = {
            "id": query_id,
            "from": user.as_dict(),
            "chat_instance": str(user.id),
            "data": data,
            "message": message,
        }
        return self.push({"callback_query": query})

    def texts_to(self, chat_id: int) -> list[str]:
        """What the bot's messages in the chat show now, oldest first (after their edits)."""
        keys = sorted(
            k
            for k, m in self.api.messages.items()
            if k[0] == chat_id and m.get("from", {}).get("id") == BOT_USER["id"]
        )
        return [str(self.api.messages[k].get("text") or "") for k in keys]

    def sent_to(self, chat_id: int) -> int:
        """How many messages the bot has sent to ``chat_id`` (accepted ones)."""
        return sum(
            1
            for c in self.api.calls
            if c.method == "sendMessage" and c.chat_id == chat_id and c.error is None
        )

    def refused(self) -> list[tuple[str, str]]:
        return [(c.method, c.error.description) for c in self.api.calls if c.error is not None]

    def unanswered(self) -> list[str]:
        """Button presses the bot has not answered (a second answer would be refused)."""
        return list(self.api.open_queries)

    async def quiet(self, seconds: float = 0.25) -> None:
        """Wait until the bot has made no call for ``seconds``."""
        count = -1
        while count != len(self.api.calls):
            count = len(self.api.calls)
            await asyncio.sleep(seconds)

    async def settled(self, update_id: int, seconds: float = 10) -> None:
        """Wait until the bot fetched the update and then went quiet."""
        await self.until(lambda: update_id in self.handed_out, f"update {update_id}", seconds)
        await self.quiet()

    async def until(self, check: Callable[[], bool], what: str, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.05)


def _value(raw: bytes) -> Any:
    """A form field as python-telegram-bot sends it: JSON for objects and arrays."""
    text = raw.decode()
    if text[:1] in "[{":
        return json.loads(text)
    return text


class _Method(RequestHandler):
    def initialize(self, wire: WireBotApi) -> None:
        self.wire = wire

    async def post(self, token: str, method: str) -> None:
        if token != self.wire.token:
            self.set_status(401)
            self.finish({"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        arguments: dict[str, list[bytes]] = {}
        uploads: dict[str, list[HTTPFile]] = {}
        parse_body_arguments(
            self.request.headers.get("Content-Type", ""), self.request.body, arguments, uploads
        )
        params = {name: _value(values[-1]) for name, values in arguments.items()}
        files = {name: (parts[0].filename, parts[0].body) for name, parts in uploads.items()}
        if method == "getUpdates":
            batch = await self.wire.get_updates(params)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"ok": True, "result": batch}))
            return
        if method.startswith("send") and self.wire.send_delay:
            self.wire.in_flight += 1
            try:
                await asyncio.sleep(self.wire.send_delay)
            finally:
                self.wire.in_flight -= 1
        status, body = self.wire.api.handle(method, params, files)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(body)

    get = post


class _File(RequestHandler):
    def initialize(self, wire: WireBotApi) -> None:
        self.wire = wire

    def get(self, token: str, path: str) -> None:
        stored = self.wire.api.files.get(path)
        if token != self.wire.token or stored is None:
            self.set_status(404)
            self.finish(b"Not Found")
            return
        self.finish(stored[1])
