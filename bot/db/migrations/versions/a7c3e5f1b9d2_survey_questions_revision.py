"""survey questions revision: what each process's cache of a survey's questions is keyed by

Revision ID: a7c3e5f1b9d2
Revises: f4b2d6e8a0c3
Create Date: 2026-12-01 14:40:00.000000
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c3e5f1b9d2"
down_revision: str | None = "f4b2d6e8a0c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN, not a batch copy: on SQLite copying the survey table would cascade-delete its
    # questions.
    op.add_column(
        "survey",
        sa.Column("questions_revision", sa.String(length=32), nullable=False, server_default=""),
    )
    survey = sa.table("survey", sa.column("id", sa.Integer), sa.column("questions_revision"))
    connection = op.get_bind()
    for (survey_id,) in connection.execute(sa.select(survey.c.id)).all():
        connection.execute(
            survey.update()
            .where(survey.c.id == survey_id)
            .values(questions_revision=secrets.token_hex(8))
        )


def downgrade() -> None:
    op.drop_column("survey", "questions_revision")
