"""participant gender: the grammatical form of a person's role label

Revision ID: b3e9f2a14c07
Revises: e15a0c1f2b3d
Create Date: 2026-12-01 07:00:00

An optional ``f`` or ``m`` from the programme file chooses "koordinatorka" or "koordinator";
people without it get the general form.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3e9f2a14c07"
down_revision: str | None = "e15a0c1f2b3d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gender", sa.String(length=1), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("gender")
