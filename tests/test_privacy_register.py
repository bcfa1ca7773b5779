"""The personal-data register in bot/people/privacy.py lists every column that refers to a person.

A column "refers to a person" when it holds a Telegram id or a chat id (every 64-bit column),
points to an account or a participant, or is named like a name, a text, a comment, answers, a
payload or audit details. Each such column must be in the register (with what /mydata, /forget
and retention do with it) or be explained in ``NOT_PERSONAL``; and the register names only
columns that exist.
"""

from __future__ import annotations

import re

from sqlalchemy import BigInteger

from bot.db import models  # noqa: F401  (registers every table)
from bot.db.base import Base
from bot.people.privacy import NOT_PERSONAL, REGISTER

_NAMED = re.compile(
    r"(^|_)(name|username|text|texts|comment|answers|draft|payload|details|target|label|error)$"
)


def _refers_to_a_person(column: object) -> bool:
    name = column.name  # type: ignore[attr-defined]
    tables = {fk.column.table.name for fk in column.foreign_keys}  # type: ignore[attr-defined]
    return (
        isinstance(column.type, BigInteger)  # type: ignore[attr-defined]
        or bool(tables & {"account", "participant"})
        or bool(_NAMED.search(name))
        or name.endswith("_by")
    )


def test_every_column_about_a_person_is_in_the_register() -> None:
    registered = {(h.table, c) for h in REGISTER for c in h.columns}
    missing = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if _refers_to_a_person(column)
        and (table.name, column.name) not in registered
        and (table.name, column.name) not in NOT_PERSONAL
    ]
    assert missing == [], f"add these to bot.people.privacy.REGISTER (or NOT_PERSONAL): {missing}"


def test_the_register_names_real_columns_and_says_what_happens() -> None:
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    for holding in REGISTER:
        assert holding.mydata and holding.forget and holding.retention, holding
        if holding.table in tables:
            assert set(holding.columns) <= {c.name for c in tables[holding.table].columns}, holding
        else:  # a copy outside the database
            assert holding.columns == () and "(Telegram)" in holding.table, holding
    for table, column in NOT_PERSONAL:
        assert column in tables[table].columns, (table, column)
    assert any(h.table == "faq_entry" for h in REGISTER)
    assert any(h.table == "outbox_message" for h in REGISTER)
    assert any(h.table == "audit_entry" for h in REGISTER)
