"""privacy, second round: sealed anonymous ballots; survey responses without rowid

Revision ID: 7d1e5a0c9b21
Revises: c411664f4aba
Create Date: 2026-12-01 06:30:00

Anonymous survey answers wait sealed in the participation row until a shuffled batch publishes
them (``bot.surveys.ballots``). ``survey_response`` is rebuilt on SQLite as a ``WITHOUT ROWID``
table (its physical order is then the random key's), and on both databases the responses already
stored are written again in a random order in this one transaction, which cuts the transaction-id
and row-order links older versions left between a response and its participation row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d1e5a0c9b21"
down_revision: str | None = "c411664f4aba"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "id, survey_id, answers, telegram_id, participant_name, submitted_at"


def upgrade() -> None:
    with op.batch_alter_table("survey_participation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sealed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TABLE survey_response_new ("
            "id VARCHAR(32) NOT NULL, survey_id INTEGER NOT NULL, answers JSON NOT NULL, "
            "telegram_id BIGINT, participant_name VARCHAR(200), submitted_at DATETIME, "
            "CONSTRAINT pk_survey_response PRIMARY KEY (id), "
            "CONSTRAINT fk_survey_response_survey_id_survey FOREIGN KEY(survey_id) "
            "REFERENCES survey (id) ON DELETE CASCADE) WITHOUT ROWID"
        )
        op.execute(
            f"INSERT INTO survey_response_new ({_COLUMNS}) "
            f"SELECT {_COLUMNS} FROM survey_response ORDER BY random()"
        )
        op.execute("DROP TABLE survey_response")
        op.execute("ALTER TABLE survey_response_new RENAME TO survey_response")
        op.create_index("ix_survey_response_survey_id", "survey_response", ["survey_id"])
    else:
        op.execute("CREATE TEMPORARY TABLE survey_response_old AS SELECT * FROM survey_response")
        op.execute("DELETE FROM survey_response")
        op.execute(
            f"INSERT INTO survey_response ({_COLUMNS}) "
            f"SELECT {_COLUMNS} FROM survey_response_old ORDER BY random()"
        )
        op.execute("DROP TABLE survey_response_old")


def downgrade() -> None:
    with op.batch_alter_table("survey_participation", schema=None) as batch_op:
        batch_op.drop_column("sealed")
