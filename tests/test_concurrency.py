"""One person's slow update never holds up another's; one chat's updates keep their order.

Updates go through the application's update queue, as from Telegram. The coordinator's
programme file downloads slowly (the download waits on a gate, as a big file on a slow link
would); while it does, a mentee's /today is answered.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.programme.importer import import_file
from bot.runtime import running
from bot.transport.local_api import ApiCall, LocalBotApi
from bot.transport.updates import SimUser, document_update, text_update
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness
from tests.programme.test_import import write
from tests.programme.test_upload import WITH_MENTEE


class SlowDownloads(LocalBotApi):
    """The local Bot API, with file downloads that wait until ``gate`` opens."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if "/file/bot" in url:
            await self.gate.wait()
        return await super().do_request(url, method, *args, **kwargs)


async def _reply_to(api: LocalBotApi, chat_id: int, start: int) -> ApiCall:
    for _ in range(500):
        for call in api.calls[start:]:
            if call.method in ("sendMessage", "sendDocument") and call.chat_id == chat_id:
                return call
        await asyncio.sleep(0.01)
    raise AssertionError(f"no answer to {chat_id}")


async def test_a_mentees_today_is_answered_while_an_upload_runs(
    bot: BotHarness, tmp_path: Path
) -> None:
    assert (await import_file(bot.db, write(tmp_path, WITH_MENTEE))).ok
    mentee = bot.new_user("uk")
    await bot.onboard(mentee, "uk")
    await bot.register(mentee, "olena")
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")

    api = SlowDownloads()
    app = build_application(bot.settings, bot.db, clock=bot.clock, request=api)
    async with running(app):
        content = WITH_MENTEE.encode()
        file_id = api.add_file("programme.yaml", content)
        start = len(api.calls)
        upload = document_update(app.bot, coordinator, file_id, "programme.yaml", len(content))
        await app.update_queue.put(upload)
        await app.update_queue.put(text_update(app.bot, mentee, "/today"))
        try:
            today = await _reply_to(api, mentee.id, start)
            assert "Opening" in today.text or "Пожежна частина" in today.text, today.text
            # The upload is still waiting for its file: nothing answered the coordinator yet.
            assert not [
                c
                for c in api.calls[start:]
                if c.chat_id == coordinator.id and c.method != "getFile"
            ]
        finally:
            api.gate.set()  # (so that a failure here does not leave the upload waiting)
        checked = await _reply_to(api, coordinator.id, start)
        assert "nothing to change" in checked.text


async def test_one_chats_updates_keep_their_order(bot: BotHarness) -> None:
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    start = len(bot.api.calls)
    commands = ["/language", "/privacy", "/menu", "/language", "/privacy"] * 4
    for command in commands:
        await bot.app.update_queue.put(text_update(bot.app.bot, user, command))
    for _ in range(500):
        sent = [c for c in bot.api.calls[start:] if c.method == "sendMessage"]
        if len(sent) >= len(commands):
            break
        await asyncio.sleep(0.01)
    firsts = [c.text.splitlines()[0] for c in sent]
    assert firsts == firsts[:5] * 4
