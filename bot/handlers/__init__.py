"""Telegram handlers, one module per area; :func:`register_all` wires them in order."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.handlers import (
    agenda,
    broadcasts,
    errors,
    fallback,
    flood,
    menu,
    onboarding,
    people,
    privacy,
    programme,
    questions,
    replies,
    send,
    settings,
    status,
    surveys,
    visit,
)
from bot.handlers.context import load_viewer_handler
from bot.handlers.dispatch import route

#: Area modules with a ``register(app)``; order matters only within group 0 (first match wins).
AREAS = [
    onboarding,
    menu,
    privacy,
    people,
    status,
    agenda,
    visit,
    settings,
    broadcasts,
    surveys,
    programme,
    questions,
]  # questions: its free-text handler takes what the areas before left


def register_all(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, load_viewer_handler), group=-100)
    send.register(app)
    flood.register(app)
    replies.register(app)
    for area in AREAS:
        area.register(app)
    fallback.register(app)  # last: catches what no area handled
    app.add_error_handler(errors.on_error)
    route(app)  # each group's handlers behind one that asks only those that may take an update
