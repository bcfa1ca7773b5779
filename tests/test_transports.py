"""Webhook mode (secret checked, health endpoint), the command line and the console."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.transport.webhook import SECRET_HEADER, make_server
from tests.harness import BotHarness

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_refuses_wrong_secret_and_serves_health(bot: BotHarness) -> None:
    port = _free_port()
    server = make_server(bot.app, "s3cret-token")
    server.listen(port, address="127.0.0.1")
    update = {
        "update_id": 77,
        "message": {
            "message_id": 1,
            "date": 0,
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            "chat": {"id": 4242, "type": "private", "first_name": "A"},
            "from": {"id": 4242, "is_bot": False, "first_name": "A"},
        },
    }
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            missing = await client.post("/telegram", content=json.dumps(update))
            wrong = await client.post(
                "/telegram", content=json.dumps(update), headers={SECRET_HEADER: "guess"}
            )
            assert (missing.status_code, wrong.status_code) == (403, 403)
            assert bot.api.calls == [c for c in bot.api.calls if c.chat_id != 4242]

            right = await client.post(
                "/telegram", content=json.dumps(update), headers={SECRET_HEADER: "s3cret-token"}
            )
            assert right.status_code == 200
            health = await client.get("/health")
            assert health.status_code == 200 and health.json()["database"] == "ok"
    finally:
        server.stop()
    # The accepted update went through the update queue to the handlers.
    for _ in range(100):
        if any(c.chat_id == 4242 for c in bot.api.calls):
            break
        import asyncio

        await asyncio.sleep(0.02)
    assert any(c.chat_id == 4242 and c.method == "sendMessage" for c in bot.api.calls)


def _cli(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_TIMEZONE", "Mars/Olympus"),
        ("BOT_DATABASE_URL", "mysql://x"),
        ("BOT_COORDINATOR_IDS", "12,abc"),
        ("BOT_WEBHOOK_LISTEN", "nohost"),
    ],
)
def test_invalid_setting_is_one_line_and_exit_2(name: str, value: str, tmp_path: Path) -> None:
    result = _cli("db", "upgrade", env={name: value, "BOT_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in result.stderr


def test_run_without_token_explains_and_exits_2(tmp_path: Path) -> None:
    result = _cli("run", env={"BOT_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "@BotFather" in result.stderr


def test_help_texts() -> None:
    for args in ([], ["run"], ["console"], ["db"], ["db", "upgrade"]):
        result = _cli(*args, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_db_upgrade_creates_the_sqlite_file(tmp_path: Path) -> None:
    result = _cli("db", "upgrade", env={"BOT_DATA_DIR": str(tmp_path / "new")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "new" / "bot.sqlite3").exists()


@pytest.mark.parametrize(
    ("button", "expected"),
    [("1", "Головне меню"), ("2", "Glavni meni"), ("3", "Main menu")],
)
def test_console_start_choose_language_open_menu(
    button: str, expected: str, tmp_path: Path
) -> None:
    result = _cli(
        "console",
        "--language",
        "en",
        stdin=f"/start\n{button}\n/menu\n",
        env={"BOT_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert "[1]" in result.stdout  # buttons are shown as numbered choices


async def test_the_configured_bot_api_server_gets_every_call_and_download(
    db: object, tmp_path: Path
) -> None:
    from bot.app import build_application
    from bot.config import Settings
    from bot.runtime import running
    from bot.transport.local_api import LocalBotApi

    api = LocalBotApi()
    settings = Settings(
        _env_file=None,
        token="42:abc",
        data_dir=tmp_path,  # type: ignore[call-arg]
        api_base_url="http://127.0.0.1:8081",
    )
    app = build_application(settings, db, request=api)  # type: ignore[arg-type]
    async with running(app):
        file_id = api.add_file("programme.yaml", b"x: 1")
        file = await app.bot.get_file(file_id)
        assert await file.download_as_bytearray() == bytearray(b"x: 1")
    assert api.urls and all(u.startswith("http://127.0.0.1:8081/") for u in api.urls)
    assert any(u.startswith("http://127.0.0.1:8081/file/bot42") for u in api.urls), api.urls


def test_invite_and_audit_commands(tmp_path: Path) -> None:
    env = {"BOT_DATA_DIR": str(tmp_path), "BOT_USERNAME": "our_bot"}
    qr = tmp_path / "invite.png"
    made = _cli("invite", "--delegation", "zavodske", "--days", "3", "--qr", str(qr), env=env)
    assert made.returncode == 0, made.stderr
    assert "https://t.me/our_bot?start=" in made.stdout
    assert qr.read_bytes().startswith(b"\x89PNG")
    unknown = _cli("invite", "--participant", "nobody", env=env)
    assert unknown.returncode == 1 and "no such" in unknown.stderr
    log = _cli("audit", "-", env=env)
    assert log.returncode == 0 and "invite.create" in log.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("import", "--dry-run", "{demo}"),
        ("import", "{demo}"),
        ("export", "{tmp}/out.yaml"),
        ("results", "--survey", "none", "-o", "{tmp}/r.csv"),
        ("broadcast", "{tmp}/note.txt", "--dry-run"),
    ],
)
def test_every_database_command_migrates_a_fresh_database_first(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    (tmp_path / "note.txt").write_text("Hello", encoding="utf-8")
    demo = ROOT / "bot" / "programme" / "demo" / "demo.yaml"
    argv = [a.format(demo=demo, tmp=tmp_path) for a in args]
    result = _cli(*argv, env={"BOT_DATA_DIR": str(tmp_path / "fresh")})
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 2), result.stderr
