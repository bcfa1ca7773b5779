"""visits archived after their round

Revision ID: a9c3e5d7f1b2
Revises: 8c3d2e4f6a10
Create Date: 2026-12-01 07:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "a9c3e5d7f1b2"
down_revision: str | None = "8c3d2e4f6a10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archived_at", bot.db.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
