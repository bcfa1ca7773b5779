"""Hot statements are built once, as Core statements on the table with their values bound per
call: SQLAlchemy's ORM builds an ``update(Model)...`` anew on every call, computes its cache key
and synchronises the session, which costs several times what running the statement costs (about
0.5 ms of CPU of a 1 ms transaction, measured in ``tests/benchmarks/bench_load.py``). What such a
statement writes is then copied onto the row's object if the session holds it, as the ORM's own
synchronisation would."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key


def mirror(session: AsyncSession, model: type[Any], key: Any, **values: Any) -> None:
    """The row ``key`` of ``model`` now holds ``values``: so does its object in ``session``'s
    identity map, if there is one (nothing is loaded)."""
    loaded = session.identity_map.get(identity_key(model, key))
    if loaded is not None:
        for name, value in values.items():
            set_committed_value(loaded, name, value)
