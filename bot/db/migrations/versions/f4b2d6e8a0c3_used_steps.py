"""used steps: a step's buttons make something once, whatever process and restarts

Revision ID: f4b2d6e8a0c3
Revises: f2a7c4e91d35
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "f4b2d6e8a0c3"
down_revision: str | None = "f2a7c4e91d35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "used_step",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("used_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "message_id", name=op.f("pk_used_step")),
    )


def downgrade() -> None:
    op.drop_table("used_step")
