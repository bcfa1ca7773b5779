"""delivery workers: identity and heartbeat; the shared rate budget

Revision ID: 8c3d2e4f6a10
Revises: 5b1f0c7e9a21
Create Date: 2026-12-01 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "8c3d2e4f6a10"
down_revision: str | None = "5b1f0c7e9a21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_worker",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.BigInteger(), nullable=False),
        sa.Column("started_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_worker")),
    )
    op.create_table(
        "delivery_budget",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("refilled_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_delivery_budget")),
    )


def downgrade() -> None:
    op.drop_table("delivery_budget")
    op.drop_table("delivery_worker")
