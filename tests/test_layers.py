"""Handlers and jobs leave transactions to their areas' services: none opens a database session;
views and handlers never name the database layer, not even for type hints.

The import contracts (``[tool.importlinter]``) keep SQLAlchemy out of handlers and jobs, but they
could still open a session through ``services.db.session()`` and pass it down; this test finds
that. The contracts also leave out imports made only under ``TYPE_CHECKING`` (the settings are
shared by every contract); a row type named there would let a view be written against rows again,
so this test reads those blocks too.
"""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"


def _sessions(tree: ast.AST) -> list[int]:
    """Lines that call ``<anything>.session(...)`` or name a session type or factory."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("session", "sessionmaker"):
                lines.append(node.lineno)
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in ("AsyncSession", "sessionmaker"):
                lines.append(node.lineno)
    return lines


def test_no_handler_or_job_opens_a_database_session() -> None:
    paths = sorted([*BOT.glob("handlers/*.py"), *BOT.glob("jobs/*.py")])
    assert len(paths) > 20
    found = {
        path.relative_to(BOT).as_posix(): lines
        for path in paths
        if (lines := _sessions(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not found, f"handlers and jobs that open database sessions (file: lines): {found}"


def test_the_check_finds_a_session() -> None:
    code = "async def f(db):\n    async with db.session() as s:\n        await s.get(1)\n"
    assert _sessions(ast.parse(code)) == [2]
    assert _sessions(ast.parse("def f(db):\n    return db.sessions\n")) == []


def _database_imports(tree: ast.AST) -> list[int]:
    """Lines that import ``bot.db`` or anything in it, wherever the import is (type hints too)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        if any(n == "bot.db" or n.startswith("bot.db.") for n in names):
            lines.append(node.lineno)
    return lines


def test_no_view_or_handler_names_the_database_layer() -> None:
    paths = sorted([*BOT.glob("views/*.py"), *BOT.glob("handlers/*.py")])
    assert len(paths) > 30
    found = {
        path.relative_to(BOT).as_posix(): lines
        for path in paths
        if (lines := _database_imports(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not found, f"views and handlers that import bot.db (file: lines): {found}"


def test_the_check_finds_a_database_import() -> None:
    code = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.db.models import Event\n"
    )
    assert _database_imports(ast.parse(code)) == [3]
    assert _database_imports(ast.parse("from bot import db\nimport bot.dbx\n")) == [1]
    assert _database_imports(ast.parse("from bot.agenda.content import Event\n")) == []
