"""The README stays true: every setting is documented, and its two set-up commands are there."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [
        f"BOT_{name.upper()}"
        for name in Settings.model_fields
        if f"`BOT_{name.upper()}`" not in README
    ]
    assert not missing, f"settings missing from the README's table: {missing}"


def test_the_two_commands() -> None:
    assert "pip install . && python -m bot console" in README
    assert "pip install '.[test]' && pytest" in README
