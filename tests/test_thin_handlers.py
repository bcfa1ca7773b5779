"""Handlers parse, call a service, render and send: the areas moved onto services open no
database session of their own (import contracts cannot see a call on ``services.db``)."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.handlers

HANDLERS = Path(bot.handlers.__file__).parent

#: Handlers that still open sessions themselves (issue 11: to move onto services). Only ever
#: shrinks; a handler not named here may not open one.
STILL_OPENING = {
    "flood",
    "menu",
    "onboarding",
    "people",
    "privacy",
    "replies",
    "settings",
    "surveys",
    "visit",
}


def sessions_opened(source: str) -> list[int]:
    """The lines of ``source`` that call a ``.session()`` (a database transaction)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "session"
    ]


def test_the_finder_finds_a_session() -> None:
    source = "async def f(services):\n    async with services.db.session() as s:\n        pass\n"
    assert sessions_opened(source) == [2]
    assert sessions_opened("def f(db):\n    return db.sessions\n") == []


def test_moved_handlers_open_no_session() -> None:
    opening = {
        path.stem: lines
        for path in sorted(HANDLERS.glob("*.py"))
        if path.stem not in STILL_OPENING and (lines := sessions_opened(path.read_text()))
    }
    assert opening == {}, "open sessions in a service of bot/<area>/ instead"
    assert {"broadcasts", "questions", "agenda"} <= {p.stem for p in HANDLERS.glob("*.py")}
