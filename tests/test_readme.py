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


def _code_map() -> str:
    start = README.index("## Map of the code")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_the_code_map_names_every_package_and_area() -> None:
    """Each package of bot/ is in the map, and each area the map names has its modules."""
    root = Path(__file__).resolve().parent.parent
    code_map = _code_map()
    packages = [p.name for p in (root / "bot").iterdir() if (p / "__init__.py").is_file()]
    missing = [name for name in packages if f"{name}/" not in code_map]
    assert not missing, f"packages missing from the README's code map: {missing}"
    for area in ("agenda", "questions", "people", "broadcasts", "surveys", "programme"):
        assert (root / "bot" / area / "__init__.py").is_file(), area
        assert (root / "bot" / "handlers" / f"{area}.py").is_file(), area
        assert (root / "bot" / "views" / f"{area}.py").is_file(), area
        assert (root / "tests" / area).is_dir(), area
