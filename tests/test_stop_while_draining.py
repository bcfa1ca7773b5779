"""Stopping the bot while it sends a broadcast loses nothing: ``python -m bot run`` as its own
process, against the HTTP Bot API (:mod:`tests.wire`), gets SIGTERM half-way through delivering a
broadcast to 120 people and is started again; everyone gets the announcement, and at most the
messages that were in flight when the signal came are sent twice (on each database).

The Bot API answers every send after 50 ms, so that sends are in flight when the signal arrives;
the delivery rate is 30 messages a second, so the broadcast takes about 4 seconds.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import Account, Delegation, Participant
from bot.programme.demo import DEMO_PATH
from tests.conftest import stamp_head
from tests.test_over_the_wire import TOKEN, _cli, _env, _start, _stop
from tests.wire import WireBotApi

PEOPLE = [700_000_000 + n for n in range(120)]
TEXT = "The bus leaves at 8:00 from the hotel."


async def _people(db: Database) -> None:
    """120 mentees of the demo's delegation, each with a Telegram account."""
    async with db.session() as s:
        delegation = await s.scalar(select(Delegation.id).limit(1))
        for telegram_id in PEOPLE:
            participant = Participant(
                key=f"p{telegram_id}", name=f"P{telegram_id}", role="mentee",
                delegation_id=delegation, language="en",
            )  # fmt: skip
            s.add(participant)
            await s.flush()
            s.add(
                Account(telegram_id=telegram_id, first_name="P", language="en",
                        participant_id=participant.id)
            )  # fmt: skip


def _received(wire: WireBotApi) -> Counter[int]:
    return Counter(
        c.chat_id
        for c in wire.api.calls
        if c.method == "sendMessage" and c.error is None and TEXT in str(c.params.get("text"))
    )


async def test_sigterm_while_a_broadcast_is_sent(db: Database, tmp_path: Path) -> None:
    await stamp_head(db)
    wire = WireBotApi(TOKEN)
    await wire.start()
    wire.send_delay = 0.05
    env = _env(wire, tmp_path)
    env.update(
        BOT_DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        BOT_DELIVERY_RATE="30",
    )
    await _cli(env, "import", str(DEMO_PATH))
    await _people(db)
    notice = tmp_path / "notice.txt"
    notice.write_text(TEXT, encoding="utf-8")
    log = tmp_path / "bot.log"
    bot = await _start(env, log)
    try:
        await _cli(env, "broadcast", str(notice), "--audience", "role=mentee")
        await wire.until(lambda: sum(_received(wire).values()) >= 30, "30 sent", 60)
        in_flight = wire.in_flight
        assert await _stop(bot) == 0, log.read_text()[-3000:]
        first = sum(_received(wire).values())
        assert first < len(PEOPLE), "the broadcast was still being sent at SIGTERM"
        bot = await _start(env, log)
        await wire.until(lambda: set(_received(wire)) >= set(PEOPLE), "everyone", 60)
        await wire.quiet()
    finally:
        code_at_end = await _stop(bot)
        await wire.stop()
    assert code_at_end == 0
    received = _received(wire)
    assert set(received) == set(PEOPLE)  # nothing lost
    twice = sum(n - 1 for n in received.values())
    assert twice <= in_flight, (twice, in_flight)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
    assert not wire.refused(), wire.refused()
