"""Alembic environment: runs on the connection handed over by :mod:`bot.db.migrate`."""

from __future__ import annotations

from alembic import context

from bot.db import models  # noqa: F401  (registers every table)
from bot.db.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `python -m bot db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
