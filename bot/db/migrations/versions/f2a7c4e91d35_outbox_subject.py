"""outbox subject: what a message is about, as a column to cancel by

Revision ID: f2a7c4e91d35
Revises: f2b8c1d5e7a4
Create Date: 2026-12-01 09:10:00

Rows were cancelled by a prefix of their key; now by ``subject`` (with ``kind`` and
``chat_id``). Existing rows get the subject their key names: the third part of
``kind:chat_id:subject[:occurrence]``, or ``b<id>`` for broadcasts, whose keys were
``broadcast:<id>:<chat_id>[:n<k>]``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2a7c4e91d35"
down_revision: str | None = "f2b8c1d5e7a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _subject(kind: str, key: str) -> str | None:
    parts = key.split(":")
    if len(parts) < 3:
        return None
    return f"b{parts[1]}" if kind == "broadcast" else parts[2][:64]


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_outbox_message_subject", ["subject", "chat_id"], unique=False)
    outbox = sa.table(
        "outbox_message",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("key", sa.String),
        sa.column("subject", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(outbox.c.id, outbox.c.kind, outbox.c.key)).all()
    values = [
        {"row_id": r.id, "value": s} for r in rows if (s := _subject(r.kind, r.key)) is not None
    ]
    if values:
        conn.execute(
            outbox.update()
            .where(outbox.c.id == sa.bindparam("row_id"))
            .values(subject=sa.bindparam("value")),
            values,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_subject")
        batch_op.drop_column("subject")
