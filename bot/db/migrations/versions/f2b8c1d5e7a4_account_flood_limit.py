"""the flood limit on free text, shared by processes: account.flood_tat, flood_warned

Revision ID: f2b8c1d5e7a4
Revises: d4f7a2c9e1b3
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2b8c1d5e7a4"
down_revision: str | None = "d4f7a2c9e1b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN, never a batch copy: on SQLite a copy drops the old
    # account table, and with foreign keys on that deletes every row referring to an account.
    op.add_column("account", sa.Column("flood_tat", sa.Double(), nullable=True))
    op.add_column(
        "account",
        sa.Column("flood_warned", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("account", "flood_warned")  # ALTER TABLE ... DROP COLUMN (SQLite 3.35+)
    op.drop_column("account", "flood_tat")
