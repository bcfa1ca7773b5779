"""The templates and catalogs in ``locales/`` are what the README's ``pybabel`` commands make of
the code: every message of the code is there, under the file it is in, and nothing else is.

The commands are read from the README ("Translation workflow") and run, in this process, on a
copy of ``locales/``; the copy must come out as committed (a template's creation date aside).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*\n', re.MULTILINE)


def readme_commands() -> list[list[str]]:
    """The ``pybabel`` lines of the README's translation workflow, as argument lists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Translation workflow") :]
    block = section[section.index("```sh") : section.index("```", section.index("```sh") + 5)]
    return [
        shlex.split(line, comments=True)
        for line in block.splitlines()
        if line.startswith("pybabel ")
    ]


def _comparable(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return _CREATION_DATE.sub("", text) if path.suffix == ".pot" else text


def _ids(path: Path) -> set[tuple[str | None, str]]:
    with path.open("rb") as fh:
        catalog = read_po(fh)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def test_the_readme_extracts_updates_and_compiles_both_domains() -> None:
    commands = readme_commands()
    kinds = [(c[1], c[c.index("-D") + 1] if "-D" in c else c[-1]) for c in commands]
    assert ("extract", "bot") in kinds
    assert {domain for kind, domain in kinds if kind in ("update", "compile")} == {
        "messages",
        "operations",
    }


def test_the_catalogs_are_what_the_readme_commands_make_of_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    for mapping in ROOT.glob("babel*.cfg"):
        shutil.copy(mapping, tmp_path / mapping.name)
    (tmp_path / "bot").symlink_to(ROOT / "bot")
    monkeypatch.chdir(tmp_path)
    for command in readme_commands():
        quiet = [command[0], "--quiet", *command[1:]]
        assert CommandLineInterface().run(quiet) in (0, None), shlex.join(command)

    stale = []
    for made in sorted((tmp_path / "locales").rglob("*.po*")):
        committed = ROOT / made.relative_to(tmp_path)
        if committed.exists() and _comparable(made) == _comparable(committed):
            continue
        if not committed.exists():
            stale.append(f"{committed.relative_to(ROOT)}: missing")
            continue
        added, gone = _ids(made) - _ids(committed), _ids(committed) - _ids(made)
        stale.append(
            f"{committed.relative_to(ROOT)}: new {sorted(added, key=str)[:5]}, "
            f"gone {sorted(gone, key=str)[:5]}"
            + ("" if added or gone else " (locations, order or wrapping)")
        )
    assert not stale, (
        "the catalogs are not up to date with the code; run the pybabel commands of README.md "
        "(Translation workflow) and translate what they add:\n" + "\n".join(stale)
    )
