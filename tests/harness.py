"""Drives the real Application through the in-process Bot API, as a person on Telegram would.

After every update the harness checks what Telegram would make of it (:meth:`BotHarness.check`):
each callback query was answered exactly once, Telegram refused none of the bot's calls, and the
update did not end in the error handler. A test that injects faults on purpose says so with
``@pytest.mark.faults`` (the whole test) or ``with bot.tolerating():`` (a few steps).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from telegram import Update

from bot.app import BotApplication, build_application
from bot.callbacks.base import KINDS
from bot.callbacks.menu import Language, SetLanguage
from bot.config import Settings
from bot.db.engine import Database
from bot.db.models import OutboxMessage, Participant
from bot.infra.clock import ManualClock
from bot.infra.services import services_of
from bot.people.access import Role, TelegramPerson, link_account, load_viewer
from bot.runtime import running
from bot.transport.local_api import BOT_USER, ApiCall, LocalBotApi
from bot.transport.updates import SimUser, callback_update, message_update, text_update
from tests.rendering import SentIn, may_switch_language

_user_ids = itertools.count(200_000_001)

#: A sticker message's content, as Telegram sends it.
STICKER: dict[str, Any] = {
    "sticker": {
        "file_id": "s",
        "file_unique_id": "s",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
}


class InvariantBroken(AssertionError):
    """An update left something Telegram would show as broken."""


@dataclass
class BotHarness:
    app: BotApplication
    api: LocalBotApi
    db: Database
    clock: ManualClock
    settings: Settings
    users: dict[int, SimUser] = field(default_factory=dict)
    #: Updates that ended in the error handler: (update id, error).
    failures: list[tuple[int, BaseException | None]] = field(default_factory=list)
    #: True while a test injects faults on purpose: refused calls and failures are then expected.
    faults_expected: bool = False
    #: The language each call's reader had when it was made (for the rendering checks).
    sent_in: SentIn = field(default_factory=SentIn)

    def __post_init__(self) -> None:
        self.app.add_error_handler(self._note_failure)

    async def _note_failure(self, update: object, context: Any) -> None:
        if isinstance(update, Update):
            self.failures.append((update.update_id, context.error))

    @contextmanager
    def tolerating(self) -> Iterator[None]:
        """Within the block, refused calls and failed updates are expected (injected faults)."""
        before, self.faults_expected = self.faults_expected, True
        try:
            yield
        finally:
            self.faults_expected = before

    def check(self, update: Update, calls: list[ApiCall]) -> None:
        """What Telegram would show after ``update``: raise :class:`InvariantBroken` if broken."""
        query = update.callback_query
        if query is not None:
            answers = [
                c
                for c in calls
                if c.method == "answerCallbackQuery"
                and str(c.params.get("callback_query_id")) == query.id
                and c.error is None
            ]
            if len(answers) != 1 and not self.faults_expected:
                raise InvariantBroken(
                    f"callback query {query.data!r} answered {len(answers)} times (want 1)"
                )
        unknown = [d for d in _button_data(calls) if sum(k.pattern(d) for k in KINDS) != 1]
        if unknown:
            raise InvariantBroken(f"buttons whose data no one kind takes: {unknown}")
        if self.faults_expected:
            return
        refused = [(c.method, c.error.description) for c in calls if c.error is not None]
        if refused:
            raise InvariantBroken(f"Telegram refused {refused} (update {_kind(update)})")
        failed = [repr(e) for uid, e in self.failures if uid == update.update_id]
        if failed:
            raise InvariantBroken(f"update {_kind(update)} ended in the error handler: {failed}")

    def new_user(self, language_code: str | None = "uk", first_name: str = "Olena") -> SimUser:
        user = SimUser(id=next(_user_ids), first_name=first_name, language_code=language_code)
        self.users[user.id] = user
        return user

    async def process(self, update: Update) -> list[ApiCall]:
        """Hand ``update`` to the bot as Telegram would; returns the calls it caused (checked)."""
        if self.sent_in.noted < len(self.api.calls):  # sent on the bot's own since the last update
            await self.note_languages(reread=True)
        start = len(self.api.calls)
        await self.app.process_update(self.api.deliver(update))
        calls = self.api.calls[start:]
        self.check(update, calls)
        await self.note_languages(reread=may_switch_language(update))
        return calls

    async def note_languages(self, *, reread: bool = True) -> None:
        """Note the language each chat has now for the calls made since the last note."""
        await self.sent_in.note(self.api.calls, self.db, self.settings, reread=reread)

    async def send(self, user: SimUser, text: str, **kwargs: Any) -> list[ApiCall]:
        """The user sends a text or a command; returns the Bot API calls it caused."""
        return await self.process(text_update(self.app.bot, user, text, **kwargs))

    async def send_content(
        self, user: SimUser, content: dict[str, Any], **kw: Any
    ) -> list[ApiCall]:
        return await self.process(message_update(self.app.bot, user, content, **kw))

    async def upload(self, user: SimUser, file_name: str, content: bytes) -> list[ApiCall]:
        file_id = self.api.add_file(file_name, content)
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": file_name,
            "file_size": len(content),
        }
        return await self.send_content(user, {"document": document})

    def _bot_messages(self, user: SimUser) -> list[tuple[int, int]]:
        return [
            k
            for k, m in self.api.messages.items()
            if k[0] == user.id and (m.get("from") or {}).get("id") == BOT_USER["id"]
        ]

    async def delivered(self) -> None:
        """Wait (at most ten seconds) until the delivery worker has sent, or given up on, every
        outbox row that is due now (messages the bot sends on its own initiative)."""
        due = OutboxMessage.next_attempt_at <= self.clock.now()
        waiting = (OutboxMessage.status == "sending") | ((OutboxMessage.status == "pending") & due)
        async with asyncio.timeout(10):
            while True:
                async with self.db.session() as s:
                    left = await s.scalar(
                        select(func.count()).select_from(OutboxMessage).where(waiting)
                    )
                if not left:
                    return
                services_of(self.app).wake_delivery()
                await asyncio.sleep(0.05)

    def last_message(self, user: SimUser) -> dict[str, Any]:
        """The newest message the bot holds in this user's chat (after edits)."""
        keys = self._bot_messages(user)
        if not keys:
            raise AssertionError("the bot has sent this user nothing")
        return self.api.messages[max(keys, key=lambda k: k[1])]

    def find_button(self, user: SimUser, label: str) -> tuple[dict[str, Any], str]:
        """The newest message to ``user`` with a button whose text contains ``label``."""
        for key in sorted(self._bot_messages(user), key=lambda k: k[1], reverse=True):
            message = self.api.messages[key]
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if label in button["text"] and "callback_data" in button:
                        return message, button["callback_data"]
        raise AssertionError(f"no button {label!r} in the chat of user {user.id}")

    async def press(self, user: SimUser, label: str) -> list[ApiCall]:
        """Press the button labelled ``label`` (a substring) under the bot's newest message."""
        message, data = self.find_button(user, label)
        return await self.press_data(user, data, message)

    async def press_data(
        self, user: SimUser, data: str, message: dict[str, Any] | None = None
    ) -> list[ApiCall]:
        """Send a callback with arbitrary ``data`` (forged or stale buttons)."""
        message = message or self.last_message(user)
        return await self.process(callback_update(self.app.bot, user, data, message))

    async def onboard(self, user: SimUser, language: str = "uk") -> None:
        """/start and pick a language."""
        await self.send(user, "/start")
        await self.press_data(user, SetLanguage(Language(language)).pack())

    async def register(
        self, user: SimUser, participant_key: str | None = None, role: Role = Role.MENTEE
    ) -> Participant:
        """Link ``user`` to a participant (by key, else the first with ``role``)."""
        async with self.db.session() as session:
            await load_viewer(
                session,
                TelegramPerson(user.id, user.first_name, None, user.language_code),
                frozenset(self.settings.coordinator_ids),
                self.clock.now(),
            )
            query = select(Participant).order_by(Participant.id)
            query = (
                query.where(Participant.key == participant_key)
                if participant_key
                else query.where(Participant.role == role.value)
            )
            participant = (await session.execute(query)).scalars().first()
            assert participant is not None, f"no participant {participant_key or role}"
            await link_account(session, user.id, participant.id)
            return participant


def timers_stopped(app: BotApplication) -> None:
    """Stop the clock of ``app``'s timer jobs (reminders 10 s after start and then every minute,
    survey ticks, retention): in a test they would run on real time, at moments that depend on
    the machine's load, and write rows between two of the test's steps. They stay scheduled; a
    test of a job calls it itself (``tick(services)``), on the test clock."""
    if app.job_queue is not None:
        app.job_queue.scheduler.pause()


@asynccontextmanager
async def restarted(bot: BotHarness) -> AsyncIterator[BotHarness]:
    """The bot's process ends and a new one starts on the same database, as after a deployment;
    Telegram (the local Bot API) keeps its messages, so old buttons can still be pressed. The
    first process comes back when the block ends."""
    await bot.app.stop()
    app = build_application(bot.settings, bot.db, clock=bot.clock, request=bot.api)
    try:
        async with running(app):
            timers_stopped(app)
            yield _beside(bot, app)
    finally:
        await bot.app.start()
        timers_stopped(bot.app)


def _beside(bot: BotHarness, app: BotApplication) -> BotHarness:
    """A harness for another application on ``bot``'s database, Bot API, clock and settings (its
    own users and failures; the languages of the calls shared for the rendering checks)."""
    return BotHarness(
        app=app, api=bot.api, db=bot.db, clock=bot.clock, settings=bot.settings, sent_in=bot.sent_in
    )


@asynccontextmanager
async def another_process(bot: BotHarness) -> AsyncIterator[BotHarness]:
    """A second bot process on the same database and Bot API, running beside ``bot`` (as behind
    a webhook load balancer) for the block."""
    app = build_application(bot.settings, bot.db, clock=bot.clock, request=bot.api)
    async with running(app):
        timers_stopped(app)
        yield _beside(bot, app)


def _button_data(calls: list[ApiCall]) -> list[str]:
    """The data of every inline button the calls sent."""
    return [b["callback_data"] for call in calls for b in call.buttons if "callback_data" in b]


def _kind(update: Update) -> str:
    if update.callback_query is not None:
        return f"button {update.callback_query.data!r}"
    message = update.effective_message
    return repr((message.text or "")[:40]) if message is not None else "other"


def texts(calls: list[ApiCall]) -> str:
    """Everything the calls would show, joined: handy for ``in`` assertions."""
    return "\n".join(c.text for c in calls if c.error is None)


def at(clock: ManualClock, value: str, tz: Any) -> datetime:
    moment = datetime.fromisoformat(value).replace(tzinfo=tz)
    clock.set(moment)
    return moment
