"""awaiting kind: the kind of a person's expected reply, in a column of its own

Expected replies were cancelled by a prefix of ``account.awaiting`` (``bc:`` also matched the
``bc:v:`` kind); now by this column. Existing values get their kind: the longest prefix first.

Revision ID: b7e2d4f6a8c1
Revises: a7c3e5f1b9d2
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2d4f6a8c1"
down_revision: str | None = "a7c3e5f1b9d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The kinds' prefixes when this migration was written, longer before shorter.
_KINDS = ("bc:v", "bc", "surveys:q", "surveys:x", "surveys:i", "rate:c", "questions")


def upgrade() -> None:
    op.add_column("account", sa.Column("awaiting_kind", sa.String(length=16), nullable=True))
    account = sa.table("account", sa.column("awaiting", sa.String), sa.column("awaiting_kind"))
    for kind in _KINDS:
        op.execute(
            account.update()
            .where(account.c.awaiting.startswith(f"{kind}:"), account.c.awaiting_kind.is_(None))
            .values(awaiting_kind=kind)
        )


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("awaiting_kind")
