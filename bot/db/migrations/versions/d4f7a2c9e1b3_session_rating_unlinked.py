"""session ratings outlive the retention period without their person

Revision ID: d4f7a2c9e1b3
Revises: a9c3e5d7f1b2
Create Date: 2026-12-01 09:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4f7a2c9e1b3"
down_revision: str | None = "a9c3e5d7f1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("session_rating", schema=None) as batch_op:
        batch_op.alter_column("telegram_id", existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM session_rating WHERE telegram_id IS NULL")
    with op.batch_alter_table("session_rating", schema=None) as batch_op:
        batch_op.alter_column("telegram_id", existing_type=sa.BigInteger(), nullable=False)
