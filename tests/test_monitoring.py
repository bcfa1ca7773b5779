"""Health and metrics endpoints in polling mode, the health command, and /status.

The bot runs with ``BOT_HEALTH_LISTEN`` on a free port; the endpoints are fetched over HTTP as a
container engine or Prometheus would.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot.app import build_application
from bot.cli.broadcasts import broadcast_file
from bot.cli.ops import health_url
from bot.config import Settings
from bot.db.engine import Database
from bot.db.models import Account, OutboxMessage, Participant
from bot.db.models.outbox import SENT
from bot.infra.clock import ManualClock
from bot.infra.http import monitoring_port
from bot.infra.services import services_of
from bot.programme.demo import ensure_demo
from bot.runtime import running
from bot.transport.local_api import LocalBotApi
from bot.transport.updates import SimUser
from tests.broadcasts.conftest import eventually
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def monitored(
    db: Database, settings: Settings, request: pytest.FixtureRequest
) -> AsyncIterator[BotHarness]:
    """The bot with BOT_HEALTH_LISTEN on a free port; metrics when the test is marked so."""
    metrics_on = request.node.get_closest_marker("metrics") is not None
    settings = settings.model_copy(update={"health_listen": "127.0.0.1:0", "metrics": metrics_on})
    api = LocalBotApi()
    clock = ManualClock(datetime(2023, 10, 9, 6, 0, tzinfo=UTC))
    app = build_application(settings, db, clock=clock, request=api)
    async with running(app):
        yield BotHarness(app=app, api=api, db=db, clock=clock, settings=settings)


async def test_health_endpoint_in_polling_mode(monitored: BotHarness) -> None:
    """BOT_HEALTH_LISTEN serves /health outside webhook mode; ``python -m bot health`` finds it."""
    port = monitoring_port(services_of(monitored.app))
    assert port
    settings = monitored.settings.model_copy(update={"health_listen": f"0.0.0.0:{port}"})
    url = health_url(settings)
    assert url == f"http://127.0.0.1:{port}/health"
    async with httpx.AsyncClient() as client:
        health = await client.get(url)
        metrics = await client.get(url.replace("/health", "/metrics"))
    assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}
    assert metrics.status_code == 404  # BOT_METRICS is off
    status = await asyncio.to_thread(_run_health_command, port)
    assert status.returncode == 0, status.stderr
    assert "healthy" in status.stdout


async def test_health_command_fails_when_nothing_answers() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    status = await asyncio.to_thread(_run_health_command, port)
    assert status.returncode == 1 and "unhealthy" in status.stderr


def _run_health_command(port: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOT_HEALTH_LISTEN": f"0.0.0.0:{port}"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "health", "--timeout", "5"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT / "tests",  # no .env of a developer's checkout
        check=False,
    )


def _figures(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


@pytest.mark.metrics
async def test_metrics_count_updates(monitored: BotHarness) -> None:
    url = f"http://127.0.0.1:{monitoring_port(services_of(monitored.app))}/metrics"
    async with httpx.AsyncClient() as client:
        before = _figures((await client.get(url)).text)
        user = monitored.new_user("uk")
        await monitored.send(user, "/start")
        await monitored.send(user, "/help")
        response = await client.get(url)
    after = _figures(response.text)
    assert response.headers["content-type"].startswith("text/plain")
    command = ("mentoring_bot_updates_total", (("kind", "command"),))
    assert after[command] - before.get(command, 0) == 2
    count = ("mentoring_bot_update_seconds_count", ())
    assert after[count] - before.get(count, 0) == 2
    assert ("mentoring_bot_outbox_depth", ()) in after


async def _broadcast_to_demo(bot: BotHarness, tmp_path: Path) -> int:
    """The demo programme, an account for each of its participants, and a broadcast to all."""
    await ensure_demo(bot.db, clock=bot.clock)
    async with bot.db.session() as s:
        people = (await s.execute(select(Participant).order_by(Participant.id))).scalars().all()
        s.add_all(
            Account(
                telegram_id=600_000_000 + p.id,
                first_name=p.name,
                language="uk",
                participant_id=p.id,
            )
            for p in people
        )
    news = tmp_path / "news.md"
    news.write_text("The bus leaves at 9:00.", encoding="utf-8")
    await broadcast_file(bot.db, bot.settings, news, "everyone", clock=bot.clock)
    worker = services_of(bot.app).delivery
    assert worker is not None
    worker.notify()
    total = len(people)

    async def all_sent() -> bool:
        async with bot.db.session() as s:
            return (
                await s.scalar(select(func.count()).where(OutboxMessage.status == SENT))
            ) >= total

    await eventually(all_sent)
    return total


@pytest.mark.metrics
async def test_metrics_show_a_broadcast_and_questions(
    monitored: BotHarness, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{monitoring_port(services_of(monitored.app))}/metrics"
    async with httpx.AsyncClient() as client:
        before = _figures((await client.get(url)).text)
        sent = await _broadcast_to_demo(monitored, tmp_path)
        guest = monitored.new_user("en")
        await monitored.send(guest, "/start")
        await monitored.send(guest, "Where is the emergency number?")
        after = _figures((await client.get(url)).text)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("mentoring_bot_deliveries_total", result="sent") >= sent > 0
    assert grew("mentoring_bot_updates_total", kind="message") >= 1
    assert grew("mentoring_bot_update_seconds_count") >= 2
    assert (
        grew("mentoring_bot_questions_total", outcome="answered")
        + grew("mentoring_bot_questions_total", outcome="declined")
        == 1
    )
    assert after[("mentoring_bot_outbox_depth", ())] == 0
    assert after[("mentoring_bot_outbox_oldest_due_age_seconds", ())] == 0
    assert after[("mentoring_bot_db_pool_connections", (("state", "size"),))] >= 1


@pytest.mark.parametrize(
    ("language", "heading", "sent_label"),
    [
        ("en", "📊 Bot status", "Messages sent:"),
        ("uk", "📊 Стан бота", "Надіслано повідомлень:"),
        ("sl", "📊 Stanje bota", "Poslana sporočila:"),
    ],
)
async def test_status_for_coordinators_in_their_language(
    monitored: BotHarness, tmp_path: Path, language: str, heading: str, sent_label: str
) -> None:
    sent = await _broadcast_to_demo(monitored, tmp_path)
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code=language)
    await monitored.onboard(coordinator, language)
    reply = texts(await monitored.send(coordinator, "/status"))
    assert heading in reply
    assert f"{sent_label} <b>{sent}</b>" in reply

    mentee = monitored.new_user("uk")
    await monitored.register(mentee)
    await monitored.onboard(mentee, "uk")
    refused = texts(await monitored.send(mentee, "/status"))
    assert refused and "Стан бота" not in refused
