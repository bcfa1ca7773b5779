"""The aiohttp Bot API client against a real HTTP server on 127.0.0.1.

Each behaviour of PTB's default client is checked through a real ``telegram.Bot``: form-encoded
parameters at the configured base URL, multipart uploads, file downloads from the base file URL,
time-outs as ``TimedOut``, refused connections as ``NetworkError``; and the setting that picks it.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.app import build_application
from bot.config import Settings
from bot.transport.aiohttp_request import AiohttpRequest

TOKEN = "42:abc"
ME = {"id": 42, "is_bot": True, "first_name": "Bot", "username": "our_bot"}


@dataclass
class FakeBotApi:
    """A Bot API server that records each request and answers like Telegram."""

    seen: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0

    async def method(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        record: dict[str, Any] = {"path": request.path, "type": request.content_type}
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            parts: dict[str, Any] = {}
            async for part in reader:
                payload = await part.read()  # type: ignore[union-attr]
                parts[part.name] = (part.filename, bytes(payload))  # type: ignore[union-attr]
            record["parts"] = parts
        else:
            record["form"] = dict(await request.post())
        self.seen.append(record)
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.json_response({"ok": True, "result": self._result(name, record)})

    def _result(self, name: str, record: dict[str, Any]) -> Any:
        if name == "getMe":
            return ME
        if name == "getFile":
            return {"file_id": "f1", "file_unique_id": "u1", "file_path": "docs/p.yaml"}
        chat = {"id": 7, "type": "private", "first_name": "A"}
        message: dict[str, Any] = {"message_id": 1, "date": 0, "chat": chat}
        if name == "sendMessage":
            message["text"] = record["form"]["text"]
        return message

    async def file(self, request: web.Request) -> web.Response:
        self.seen.append({"path": request.path, "type": "download"})
        return web.Response(body=b"x: 1\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def server() -> AsyncIterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api.method)
    app.router.add_get("/file/bot{token}/{path:.+}", api.file)
    runner = web.AppRunner(app)
    await runner.setup()
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield api, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def _bot(base: str, request: AiohttpRequest | None = None) -> Bot:
    return Bot(
        TOKEN,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=request or AiohttpRequest(),
    )


async def test_parameters_go_form_encoded_to_the_configured_url(
    server: tuple[FakeBotApi, str],
) -> None:
    api, base = server
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Open", callback_data="m:1")]])
    async with _bot(base) as bot:
        message = await bot.send_message(7, "Привіт <b>всім</b>", reply_markup=markup)
    assert message.text == "Привіт <b>всім</b>" and message.chat.id == 7
    sent = api.seen[-1]
    assert sent["path"] == f"/bot{TOKEN}/sendMessage"
    assert sent["type"] == "application/x-www-form-urlencoded"
    assert sent["form"]["chat_id"] == "7"
    assert json.loads(sent["form"]["reply_markup"]) == markup.to_dict()


async def test_files_go_as_multipart(server: tuple[FakeBotApi, str]) -> None:
    api, base = server
    async with _bot(base) as bot:
        await bot.send_document(7, b"%PDF-1.4 hello", filename="guide.pdf", caption="Guide")
    sent = api.seen[-1]
    assert sent["type"] == "multipart/form-data"
    assert sent["parts"]["chat_id"] == (None, b"7")
    assert sent["parts"]["caption"] == (None, b"Guide")
    assert sent["parts"]["document"] == ("guide.pdf", b"%PDF-1.4 hello")


async def test_download_uses_the_base_file_url(
    server: tuple[FakeBotApi, str], tmp_path: Path
) -> None:
    api, base = server
    async with _bot(base) as bot:
        file = await bot.get_file("f1")
        data = await file.download_as_bytearray()
        target = await file.download_to_drive(tmp_path / "p.yaml")
    assert data == bytearray(b"x: 1\n") and target.read_bytes() == b"x: 1\n"
    assert api.seen[-1] == {"path": f"/file/bot{TOKEN}/docs/p.yaml", "type": "download"}


async def test_slow_answer_is_timed_out(server: tuple[FakeBotApi, str]) -> None:
    api, base = server
    async with _bot(base, AiohttpRequest(read_timeout=0.2)) as bot:
        api.delay = 1.0
        with pytest.raises(TimedOut):
            await bot.send_message(7, "hi")
        with pytest.raises(TimedOut):  # a per-call time-out overrides the default
            await bot.send_message(7, "hi", read_timeout=0.1)


async def test_refused_connection_is_a_network_error() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match=r"aiohttp\.ClientConnectorError"):
            await request.post(f"http://127.0.0.1:{_free_port()}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()


async def test_not_initialized_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/x", "POST")


@pytest.mark.parametrize(("client", "kind"), [("aiohttp", AiohttpRequest), ("httpx", None)])
async def test_setting_picks_the_client(client: str, kind: type | None, tmp_path: Path) -> None:
    from telegram.request import HTTPXRequest

    from bot.db.engine import Database

    settings = Settings(_env_file=None, token=TOKEN, data_dir=tmp_path, http_client=client)  # type: ignore[call-arg]
    db = Database.from_url(settings.effective_database_url)
    app = build_application(settings, db)
    assert isinstance(app.bot.request, kind or HTTPXRequest)
    await db.dispose()
