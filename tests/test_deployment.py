"""The deployment files stay true to the package: Dockerfile, compose.yaml, the systemd unit.

No container engine runs here, so the files are checked against what they use: every path the
image build copies exists and passes .dockerignore, the built wheel holds what the image runs
(entry point, catalogs, migrations, demo), and every command of the image, compose and systemd is
one the command line accepts. The health endpoint they poll is exercised in polling mode.
"""

from __future__ import annotations

import fnmatch
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import dockerfile
import pytest
import yaml

from bot.cli.main import _parser
from bot.config import Settings
from bot.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = dockerfile.parse_file(str(ROOT / "Dockerfile"))
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
UNIT = (ROOT / "deploy" / "mentoring-bot.service").read_text(encoding="utf-8")


def _instructions(name: str) -> list[dockerfile.Command]:
    return [c for c in COMMANDS if c.cmd == name]


def _assert_bot_command(argv: list[str]) -> None:
    """``python -m bot ARGS`` (any python path) with ARGS the command line accepts."""
    assert Path(argv[0]).name == "python" and argv[1:3] == ["-m", "bot"], argv
    args = _parser().parse_args(argv[3:])  # exits (SystemExit) on an unknown command
    assert callable(args.func)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*pip, "--wheel-dir", str(out), str(ROOT)], check=True)
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_image_is_multi_stage_slim_and_unprivileged() -> None:
    stages = _instructions("FROM")
    assert len(stages) >= 2
    assert all("-slim" in stage.value[0] for stage in stages)
    (user,) = _instructions("USER")
    assert user.value[0] not in ("root", "0")
    assert user.start_line > stages[-1].start_line  # the final stage runs unprivileged


def test_everything_the_build_copies_exists_and_passes_dockerignore() -> None:
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    copies = [c for c in _instructions("COPY") if not any(f.startswith("--from") for f in c.flags)]
    sources = [src for c in copies for src in c.value[:-1]]
    assert sources
    for src in sources:
        assert (ROOT / src).exists(), src
        assert src in allowed, f"{src} is copied but .dockerignore leaves it out"


def test_the_wheel_holds_what_the_image_runs(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    (install,) = [c for c in _instructions("RUN") if "pip wheel" in c.value[0]]
    pattern = next(w for w in shlex.split(install.value[0]) if w.endswith(".whl"))
    assert fnmatch.fnmatch("/dist/" + Path(wheel.filename or "").name, pattern)
    required = [
        "bot/__main__.py",
        "bot/db/migrations/env.py",
        "bot/programme/demo/demo.yaml",
        *(f"bot/locales/{lang}/LC_MESSAGES/messages.po" for lang in LANGUAGES),
    ]
    assert not [name for name in required if name not in names]
    assert any(n.startswith("bot/db/migrations/versions/") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)


def test_image_commands_are_commands_of_the_bot() -> None:
    (cmd,) = _instructions("CMD")
    (check,) = _instructions("HEALTHCHECK")
    assert cmd.json and check.json and check.value[0] == "CMD"
    _assert_bot_command(list(cmd.value))
    _assert_bot_command(list(check.value[1:]))
    assert any(word.startswith("--interval") for word in check.flags)


def test_compose_runs_migrations_before_the_bot_with_a_named_volume() -> None:
    services = COMPOSE["services"]
    assert set(services) >= {"bot", "db", "migrate"}
    for name in ("bot", "migrate"):
        _assert_bot_command(services[name]["command"])
        assert services[name]["env_file"] == ".env"
    assert services["migrate"]["command"][3:] == ["db", "upgrade"]
    assert services["bot"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert "healthcheck" in services["db"]
    volume = services["db"]["volumes"][0].split(":")[0]
    assert volume in COMPOSE["volumes"]
    url = services["bot"]["environment"]["BOT_DATABASE_URL"].replace("${POSTGRES_PASSWORD", "")
    assert Settings(_env_file=None, database_url=url).database_url  # type: ignore[call-arg]


def test_systemd_unit_restarts_runs_unprivileged_and_is_hardened() -> None:
    lines = [line for line in UNIT.splitlines() if "=" in line and not line.startswith("#")]
    entries: dict[str, list[str]] = {}
    for line in lines:
        key, _, value = line.partition("=")
        entries.setdefault(key, []).append(value)
    for key in ("ExecStart", "ExecStartPre"):
        _assert_bot_command(shlex.split(entries[key][0]))
    assert entries["Restart"] == ["on-failure"]
    assert entries["User"][0] not in ("root", "0") and entries["EnvironmentFile"]
    hardening = (
        "NoNewPrivileges",
        "ProtectSystem",
        "ProtectHome",
        "PrivateTmp",
        "CapabilityBoundingSet",
    )
    assert all(key in entries for key in hardening)
