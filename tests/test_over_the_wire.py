"""Over the wire: ``python -m bot run`` as its own process, against an HTTP Bot API on 127.0.0.1.

The server (:mod:`tests.wire`) answers with the local Bot API's rules, so a second answer to a
button press, an edit that changes nothing or a refused call shows up here as it would on
Telegram. People do what they do first: a mentee opens her invite link and picks a language, asks a
question that goes to the staff chat; a coordinator sends an announcement asking to confirm
reading, which she confirms, and uploads a programme file. Then the bot is stopped with SIGTERM
while updates are still queued, and started again: every update is handled exactly once.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

from bot.callbacks.menu import Language, SetLanguage
from bot.transport.updates import SimUser
from tests.wire import WireBotApi

TOKEN = "4242:wire-test"
STAFF_CHAT = -1005000
COORDINATOR = SimUser(id=900_000_001, first_name="Maja", language_code="en")
OLENA = SimUser(id=310_000_001, first_name="Олена", language_code="uk")


def _env(wire: WireBotApi, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TOKEN=TOKEN,
        BOT_API_BASE_URL=wire.base_url,
        BOT_DATA_DIR=str(data),
        BOT_COORDINATOR_IDS=str(COORDINATOR.id),
        BOT_STAFF_CHAT_ID=str(STAFF_CHAT),
        BOT_USERNAME="our_bot",
        BOT_LOG_LEVEL="INFO",
    )
    return env


async def _cli(env: dict[str, str], *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def _start(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=log.open("ab"), stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip


async def _stop(process: asyncio.subprocess.Process) -> int:
    process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), 30)


async def _picks_language(wire: WireBotApi, user: SimUser, lang: str, menu: str) -> None:
    await wire.settled(await wire.press(user, SetLanguage(Language(lang)).pack()))
    await wire.until(lambda: any(menu in text for text in wire.texts_to(user.id)), menu)


async def test_over_the_wire(tmp_path: Path) -> None:
    wire = WireBotApi(TOKEN)
    await wire.start()
    env = _env(wire, tmp_path)
    programme = tmp_path / "programme.yaml"
    invite = await _cli(env, "invite", "--participant", "mentee-olena")  # loads the demo
    await _cli(env, "export", str(programme))
    code = re.search(r"start=([\w-]+)", invite)
    assert code is not None
    log = tmp_path / "bot.log"
    bot = await _start(env, log)
    try:
        # Onboarding through the invite link, with a language choice.
        await wire.settled(wire.say(OLENA, f"/start {code.group(1)}"), seconds=30)
        await _picks_language(wire, OLENA, "uk", "Головне меню")

        # A question nobody answered yet goes to the staff chat.
        await wire.settled(wire.say(OLENA, "Чи можна взяти з собою собаку на екскурсію?"))
        await wire.settled(await wire.press(OLENA, "q:send:"))
        await wire.until(
            lambda: any("собаку" in text for text in wire.texts_to(STAFF_CHAT)), "the staff chat"
        )

        # A coordinator's announcement asking to confirm reading; she confirms.
        await wire.settled(wire.say(COORDINATOR, "/start"))
        await _picks_language(wire, COORDINATOR, "en", "Main menu")
        await wire.settled(wire.say(COORDINATOR, "/broadcast"))
        await wire.settled(wire.say(COORDINATOR, "The bus leaves at 8:00 from the hotel."))
        for step in ("bc:aud:", "bc:pre:", "bc:ask:"):
            await wire.settled(await wire.press(COORDINATOR, step))
        # The bot runs on the real clock: in the quiet hours bc:ok ("Send at 07:00") would wait
        # for the morning, and bc:urg ("Send now anyway", offered only then) sends at once.
        urgent = wire.button(COORDINATOR, "bc:urg:") is not None
        await wire.settled(await wire.press(COORDINATOR, "bc:urg:" if urgent else "bc:ok:"))
        await wire.settled(await wire.press(OLENA, "bc:ack:"))
        # The button goes once it is used: the bot answers the press first and removes the
        # keyboard after, so on a loaded machine the edit can come after a quiet quarter second.
        await wire.until(lambda: wire.button(OLENA, "bc:ack:") is None, "the button to go")

        # A document: the coordinator uploads a changed programme and applies it.
        changed = programme.read_text(encoding="utf-8").replace(
            "en: Mentoring visit to Domžale", "en: Mentoring visit to Domžale and Kamnik", 1
        )
        assert changed != programme.read_text(encoding="utf-8")
        await wire.settled(wire.upload(COORDINATOR, "programme.yaml", changed.encode()))
        await wire.settled(await wire.press(COORDINATOR, "imp:ok:"))
        await wire.until(
            lambda: any("has been imported" in text for text in wire.texts_to(COORDINATOR.id)),
            "the import",
        )

        # SIGTERM with updates still queued: a clean exit, then nothing lost or handled twice.
        before = wire.sent_to(OLENA.id)
        pushed = [wire.say(OLENA, "/help") for _ in range(6)]
        await wire.until(lambda: pushed[0] in wire.handed_out, "the first /help to be fetched")
        assert await _stop(bot) == 0, log.read_text()
        confirmed = max(wire.offsets)  # the first process confirmed everything below this
        handed, polls = len(wire.handed_out), len(wire.offsets)
        bot = await _start(env, log)
        await wire.until(lambda: len(wire.offsets) > polls, "the new process to poll", 30)
        await wire.settled(wire.say(OLENA, "/help"))  # and the new process answers
        await wire.quiet()
        assert wire.sent_to(OLENA.id) - before == len(pushed) + 1, "each /help answered once"
        again = wire.handed_out[handed:]
        assert all(uid >= confirmed for uid in again), "a confirmed update was handed out again"
    finally:
        code_at_end = await _stop(bot)
        await wire.stop()
    assert code_at_end == 0
    output = log.read_text()
    assert "Traceback" not in output, output[-3000:]
    assert not wire.refused(), wire.refused()
    assert wire.unanswered() == [], "every button press is answered once"
    offsets = [o for o in wire.offsets if o]  # a new process starts without one
    assert offsets == sorted(offsets), "getUpdates offsets only grow"
