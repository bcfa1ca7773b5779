"""Handlers and jobs leave transactions to their areas' services: none opens a database session.

The import contracts (``[tool.importlinter]``) keep SQLAlchemy out of handlers and jobs, but they
could still open a session through ``services.db.session()`` and pass it down; this test finds
that.
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
