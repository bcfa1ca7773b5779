"""Names vulture cannot see being used: called by a framework, or columns written for people.

Run by ``.ci/run`` (settings in ``pyproject.toml`` ``[tool.vulture]``). Families of names
(``_m_*`` Bot API methods of the local double, ``handle_*`` of HTMLParser, pydantic and
SQLAlchemy hooks) are in ``ignore_names`` there; this file lists the single ones.
"""

# pydantic validators are found by their decorators; pydantic-settings and models read these.
model_config  # noqa: B018
# SQLAlchemy: TypeDecorator hooks and the declarative base's type map.
impl  # noqa: B018
cache_ok  # noqa: B018
type_annotation_map  # noqa: B018
# Session events registered with @event.listens_for (bot/infra/freshness.py).
_after_commit  # noqa: B018
_after_rollback  # noqa: B018
# python-telegram-bot calls Application.process_update -> do_process_update, and
# BaseRequest.do_request; asyncio calls Protocol.data_received (bot/transport/webhook.py).
do_process_update  # noqa: B018
do_request  # noqa: B018
data_received  # noqa: B018
# openpyxl worksheet and cell settings.
number_format  # noqa: B018
freeze_panes  # noqa: B018
# Columns written for people (exports, audit, the database itself), not read back by code.
confirmed_at  # noqa: B018
cancelled_at  # noqa: B018
decided_at  # noqa: B018
decided_by  # noqa: B018
voted_at  # noqa: B018
claimed_until  # noqa: B018
started_at  # noqa: B018
used_at  # noqa: B018
# HTMLParser.handle_starttag's signature.
attrs  # noqa: B018
# tests/benchmarks/bench_gc.py runs variant() in a child process, named in a string.
variant  # noqa: B018
