"""phrasing: wordings learnt from use (issue 15)

Revision ID: e15a0c1f2b3d
Revises: 7d1e5a0c9b21
Create Date: 2026-12-01 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "e15a0c1f2b3d"
down_revision: str | None = "7d1e5a0c9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "phrasing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=80), nullable=False),
        sa.Column("terms", sa.String(length=500), nullable=False),
        sa.Column("signal", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phrasing")),
    )
    with op.batch_alter_table("phrasing", schema=None) as batch_op:
        batch_op.create_index("ix_phrasing_entry_key", ["entry_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("phrasing", schema=None) as batch_op:
        batch_op.drop_index("ix_phrasing_entry_key")
    op.drop_table("phrasing")
