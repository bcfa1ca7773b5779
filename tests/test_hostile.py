"""Hostile input, measured: at least 10,000 generated updates through the real Application.

Hypothesis generates batches of updates of every kind — any text (huge, empty, RTL, zero-width,
emoji, markup characters), commands with junk arguments, forged, oversized and stale callback
data, stickers, photos, documents, locations, contacts, edited messages, group and channel posts —
from a guest, a mentee, a host and a coordinator, on SQLite and on PostgreSQL. After each batch:

* no handler failed (the error handler logged nothing);
* Telegram refused no outgoing call: the local Bot API enforces what Telegram does (limits on
  text, captions, callback answers and data, HTML entities; one answer per callback query within
  its window; no edit that changes nothing; no edit of a missing message ...);
* every callback query (forged, stale or fresh) was answered exactly once;
* no private detail (hotel, phone numbers, places of the agenda) reached the guest;
* nobody without the right changed privileged state (invites, roles, broadcasts, the audit log);
* every screen keeps the rendering rules of ``tests/rendering.py`` (no seconds or AM/PM, no US
  dates, buttons a phone shows whole, each language's quotation marks and times, the Ukrainian
  apostrophe, no glossary variant to avoid).

The test prints how many updates of each kind it tried, and how many calls Telegram refused and
how many callback queries were not answered exactly once (both must be 0).
``BOT_HOSTILE_UPDATES`` sets the total per database (default 10,000).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections import Counter
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from telegram import Update

from bot.app import build_application
from bot.callbacks.base import KINDS
from bot.config import Settings
from bot.db.base import Base
from bot.db.engine import Database
from bot.db.models import (
    Account,
    AuditEntry,
    Event,
    FaqEntry,
    Invite,
    LogisticsItem,
    Programme,
)
from bot.infra.clock import ManualClock
from bot.people.access import Role
from bot.programme.demo import ensure_demo
from bot.runtime import running
from bot.transport.local_api import ApiCall, LocalBotApi
from bot.transport.updates import SimUser, callback_update, message_update, text_update
from tests import rendering
from tests.conftest import COORDINATOR_ID, PG_URL, _pg_state
from tests.harness import STICKER, BotHarness

T = TypeVar("T")
TOTAL = int(os.environ.get("BOT_HOSTILE_UPDATES", "10000"))
BATCH = 40
EXAMPLES = -(-(TOTAL * 21 // 20) // BATCH)  # rounded up, 5% spare for skipped steps

ROLES = ("guest", "mentee", "host", "coordinator")
#: Lines printed at the end of the test session (see ``pytest_terminal_summary`` in conftest).
REPORT: list[str] = []
GROUP = {"id": -1001000, "type": "supergroup", "title": "Group"}
CHANNEL = {"id": -1002000, "type": "channel", "title": "Channel"}

#: Every kind of button data's prefix, and its example press without the last field: the fuzz
#: appends a number or a text to one (so ids out of range, wrong actions, junk tails are tried).
KNOWN_PREFIXES = sorted(
    {kind.prefix + ":" for kind in KINDS}
    | {kind.pattern.example().rpartition(":")[0] + ":" for kind in KINDS if kind.wire_fields}
)

#: The rendering rules (tests/rendering.py) judge the bot's wording; they cannot tell it from the
#: person's own words that the bot shows back (the /questions list, the staff chat's quote), so
#: typed texts carry none of the quotation marks those rules flag.
_FLAGGED_QUOTES = str.maketrans("", "", "«»„“")


def _typed(text: str) -> str:
    return text.translate(_FLAGGED_QUOTES)


weird_text = st.one_of(
    st.text(max_size=50).map(_typed),
    st.builds(lambda piece, n: (piece * n)[:5000], st.text(min_size=1, max_size=8).map(_typed),
              st.integers(400, 5000)),
    st.sampled_from([
        "", " ", "\u200b\u200c\u200d", "\u202eRTL override", "مرحبا كيف حالك", "שלום", "😀" * 30,
        "<b>bold</b>", "</b><i>", "&amp;&lt;&gt;&", "<script>alert(1)</script>", "a\x00b",
        "*_`[]()~>#+-=|{}.!", "1234567890", "👍", "Де готель?", "kje je hotel", "где гостиница",
        "\n\n\n", "\t", "%s %d {0} {name}", "/start " + "x" * 300, "ḩ̸̡̧̛̛͓̝̥͍̪̟̙̠̥̘ä̵͚͇̞̰́̇̍̅",
    ]),
)  # fmt: skip

callback_data = st.one_of(
    st.text(min_size=1, max_size=64).filter(lambda s: len(s.encode()) <= 64),
    st.builds(
        lambda p, n: f"{p}{n}",
        st.sampled_from(KNOWN_PREFIXES),
        st.one_of(st.integers(-5, 10**12).map(str), st.text(max_size=20)),
    ),
    st.binary(min_size=60, max_size=120).map(lambda b: b.decode("latin-1")),
    st.just("STALE"),  # replaced by a button the bot really sent to someone
)


@dataclass
class Step:
    kind: str
    role: str
    payload: Any = None
    chat: str = "private"


def _steps() -> st.SearchStrategy[Step]:
    role = st.sampled_from(ROLES)
    chat = st.sampled_from(["private"] * 8 + ["group", "channel"])
    callback = st.builds(Step, st.just("callback"), role, callback_data)
    return st.one_of(
        callback,
        callback,
        st.builds(Step, st.just("text"), role, weird_text, chat),
        st.builds(
            Step,
            st.just("command"),
            role,
            st.tuples(
                st.sampled_from(
                    [
                        "start",
                        "menu",
                        "help",
                        "language",
                        "privacy",
                        "mydata",
                        "invite",
                        "invites",
                        "roles",
                        "audit",
                        "broadcast",
                        "broadcasts",
                        "questions",
                        "results",
                        "survey",
                        "today",
                        "settings",
                        "xyz",
                        "forget",
                    ]
                ),
                weird_text,
            ),
            chat,
        ),
        st.builds(Step, st.just("callback"), role, callback_data),
        st.builds(Step, st.just("sticker"), role),
        st.builds(Step, st.just("photo"), role, st.text(max_size=1100).map(_typed)),
        st.builds(
            Step,
            st.just("document"),
            role,
            st.tuples(
                st.sampled_from(["p.yaml", "p.xlsx", "x.txt", "", "a" * 300]),
                st.binary(max_size=2000),
            ),
        ),
        st.builds(
            Step, st.just("location"), role, st.tuples(st.floats(-90, 90), st.floats(-180, 180))
        ),
        st.builds(Step, st.just("contact"), role, st.text(max_size=30).map(_typed)),
        st.builds(Step, st.just("edited"), role, weird_text),
    )


class LoopThread:
    """An event loop in its own thread, so that synchronous Hypothesis examples can drive it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout=600)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class World:
    harness: BotHarness
    users: dict[str, SimUser]
    private_markers: set[str]
    errors: ErrorLog
    tried: Counter[str] = field(default_factory=Counter)
    seen_buttons: list[str] = field(default_factory=list)
    stop: Any = None
    refused: int = 0
    unanswered: int = 0
    #: Each chat's language now (a step may switch it: /language, a language button, /forget).
    languages: dict[int, str] = field(default_factory=dict)
    shown_wrong: list[str] = field(default_factory=list)


async def _setup(kind: str, tmp: Path) -> World:
    if kind == "sqlite":
        db = Database.from_url(f"sqlite+aiosqlite:///{tmp / 'hostile.sqlite3'}")
    else:
        if _pg_state["error"] is not None:
            raise RuntimeError(str(_pg_state["error"]))
        db = Database.from_url(PG_URL.render_as_string(hide_password=False))
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    clock = ManualClock(datetime(2023, 10, 10, 8, 0, tzinfo=UTC))
    await ensure_demo(db, clock=clock)
    config = Settings(
        _env_file=None,
        token="1:test",
        data_dir=tmp,  # type: ignore[call-arg]
        coordinator_ids=[COORDINATOR_ID],
    )
    api = LocalBotApi(clock=clock)
    app = build_application(config, db, clock=clock, request=api)
    harness = BotHarness(app=app, api=api, db=db, clock=clock, settings=config)
    context = running(app)
    await context.__aenter__()
    users = {
        "guest": harness.new_user("en"),
        "mentee": harness.new_user("uk"),
        "host": harness.new_user("sl"),
        "coordinator": SimUser(id=COORDINATOR_ID, first_name="Coordinator", language_code="en"),
    }
    for user in users.values():
        await harness.onboard(user, user.language_code or "en")
    await harness.register(users["mentee"], role=Role.MENTEE)
    await harness.register(users["host"], role=Role.HOST)
    markers: set[str] = set()
    public: list[str] = []  # what anyone may read: a marker found there is not private
    async with db.session() as session:
        for item in (await session.execute(select(LogisticsItem))).scalars():
            values = [item.phone, item.address, item.email]
            if item.public:
                public += [v for v in values if v] + [json.dumps(item.body, ensure_ascii=False)]
            else:
                markers.update(v for v in values if v)
        for event in (await session.execute(select(Event))).scalars():
            if event.address:
                markers.add(event.address)
        programme = (await session.execute(select(Programme))).scalar_one()
        public.append(
            json.dumps([programme.description, programme.how_to_join], ensure_ascii=False)
        )
        for faq in (await session.execute(select(FaqEntry).where(FaqEntry.public))).scalars():
            public.append(json.dumps(faq.answer, ensure_ascii=False))
    markers = {m for m in markers if not any(m in text for text in public)}
    errors = ErrorLog()
    logging.getLogger("bot").addHandler(errors)
    world = World(harness, users, {m for m in markers if len(m) >= 6}, errors)
    assert world.private_markers, "the demo should have private details to protect"
    world.stop = context
    return world


def _update(world: World, step: Step) -> Update | None:
    bot = world.harness.app.bot
    user = world.users[step.role]
    chat = {"private": None, "group": GROUP, "channel": CHANNEL}[step.chat]
    if step.chat == "channel":
        post = {"message_id": 1, "date": 0, "chat": CHANNEL, "text": str(step.payload)[:4096]}
        return Update.de_json({"update_id": 1, "channel_post": post}, bot)
    if step.kind == "text":
        return (
            text_update(bot, user, step.payload, chat=chat)
            if step.payload
            else message_update(bot, user, {"text": " "}, chat=chat)
        )
    if step.kind == "command":
        name, junk = step.payload
        return text_update(bot, user, f"/{name} {junk}".strip(), chat=chat)
    if step.kind == "callback":
        data = step.payload
        if data == "STALE":
            if not world.seen_buttons:
                return None
            data = world.seen_buttons[hash(step.role) % len(world.seen_buttons)]
            if step.role == "coordinator" and data.startswith(("role:", "priv:")):
                return None  # the coordinator may legitimately change roles; skip
        # As on Telegram, a button is pressed under a message the bot sent to this person.
        return callback_update(bot, user, data, world.harness.last_message(user))
    if step.kind == "sticker":
        return message_update(
            bot,
            user,
            STICKER,
            chat=chat,
        )
    if step.kind == "photo":
        return message_update(
            bot,
            user,
            {
                "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
                "caption": step.payload,
            },
            chat=chat,
        )
    if step.kind == "document":
        name, content = step.payload
        file_id = world.harness.api.add_file(name or "file", content)
        document = {"file_id": file_id, "file_unique_id": file_id, "file_size": len(content)}
        if name:
            document["file_name"] = name
        return message_update(bot, user, {"document": document}, chat=chat)
    if step.kind == "location":
        lat, lon = step.payload
        return message_update(
            bot, user, {"location": {"latitude": lat, "longitude": lon}}, chat=chat
        )
    if step.kind == "contact":
        contact = {"phone_number": "+38600000000", "first_name": step.payload or "X"}
        return message_update(bot, user, {"contact": contact}, chat=chat)
    return message_update(bot, user, {"text": step.payload or "x"}, chat=chat, edited=True)


async def _privileged_state(world: World) -> tuple[Any, ...]:
    async with world.harness.db.session() as session:
        invites = (await session.execute(select(Invite.created_by))).scalars().all()
        actors = (await session.execute(select(AuditEntry.actor_id))).scalars().all()
        roles = {
            a.telegram_id: (a.role_override, a.participant_id)
            for a in (await session.execute(select(Account))).scalars()
            if a.telegram_id in {world.users["guest"].id, world.users["mentee"].id}
        }
    return tuple(invites), tuple(actors), roles


def _count(world: World, update: Update, calls: list[ApiCall]) -> None:
    """Add the update's refused calls, and its query if it was not answered exactly once."""
    world.refused += sum(1 for c in calls if c.error is not None)
    query = update.callback_query
    if query is not None:
        answers = [
            c
            for c in calls
            if c.method == "answerCallbackQuery"
            and c.error is None
            and str(c.params.get("callback_query_id")) == query.id
        ]
        world.unanswered += len(answers) != 1


async def _run_batch(world: World, steps: list[Step]) -> None:
    api = world.harness.api
    staff = {COORDINATOR_ID, world.users["host"].id}
    before = await _privileged_state(world)
    start = len(api.calls)
    first_error = len(world.errors.records)
    for step in steps:
        update = _update(world, step)
        if update is None:
            continue
        world.tried[step.kind if step.chat != "channel" else "channel post"] += 1
        world.tried[f"as {step.role}"] += 1
        first = len(api.calls)
        await world.harness.app.process_update(api.deliver(update))
        _count(world, update, api.calls[first:])
        if rendering.may_switch_language(update) or not world.languages:
            world.languages = await rendering.chat_languages(world.harness.db, None, "en")
        language_of = rendering.by_chat(world.languages)
        world.shown_wrong += rendering.problems(api.calls[first:], language_of)
    calls = api.calls[start:]
    world.tried["bot calls"] += len(calls)
    refused = [c for c in calls if c.error is not None]
    assert not refused, [(c.method, c.error.description, c.params) for c in refused][:3]
    assert world.unanswered == 0, "a callback query was not answered exactly once"
    failures = world.errors.records[first_error:]
    assert not failures, [r.getMessage() + repr(r.exc_info) for r in failures][:3]
    shown_wrong = world.shown_wrong
    assert not shown_wrong, "screens that break the rendering rules:\n" + "\n".join(shown_wrong[:5])
    guest = world.users["guest"].id
    for call in calls:
        for button in call.buttons:
            if button.get("callback_data"):
                world.seen_buttons.append(button["callback_data"])
        if call.chat_id == guest:
            leaked = [m for m in world.private_markers if m in call.text]
            assert not leaked, f"private detail {leaked} shown to a guest: {call.text[:200]}"
    after = await _privileged_state(world)
    invites, actors, roles = after
    assert set(invites) <= staff | {None}, "an invite made by someone without the right"
    assert set(actors) <= staff | {None}, "an audited action by someone without the right"
    # The guest and the mentee may forget themselves (losing their link), never gain a role.
    for telegram_id, (override, participant) in roles.items():
        _old_override, old_participant = before[2].get(telegram_id, (None, None))
        assert override is None, f"account {telegram_id} was granted {override!r}"
        assert participant in (old_participant, None), f"account {telegram_id} was linked"
    del world.seen_buttons[:-500]
    api.calls.clear()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    if request.param == "postgresql" and _pg_state["error"] is not None:
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL unreachable: {_pg_state['error']}")
        pytest.skip("PostgreSQL not reachable")
    runner = LoopThread()
    state = runner.run(_setup(request.param, tmp_path_factory.mktemp("hostile")))
    state.runner = runner  # type: ignore[attr-defined]
    yield state
    logging.getLogger("bot").removeHandler(state.errors)
    runner.run(state.stop.__aexit__(None, None, None))
    runner.run(state.harness.db.dispose())
    runner.close()
    total = sum(v for k, v in state.tried.items() if not k.startswith("as ") and k != "bot calls")
    REPORT.append(
        f"hostile input on {request.param}: {total} updates: "
        + ", ".join(f"{k} {v}" for k, v in sorted(state.tried.items()))
        + f"; refused calls {state.refused}, unanswered callback queries {state.unanswered}"
    )
    assert total >= TOTAL, f"only {total} updates were tried"
    assert state.tried["bot calls"] > total / 2, "the bot hardly answered: is it reached at all?"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(steps=st.lists(_steps(), min_size=BATCH, max_size=BATCH))
def test_hostile_updates(world: World, steps: list[Step]) -> None:
    world.runner.run(_run_batch(world, steps))  # type: ignore[attr-defined]
