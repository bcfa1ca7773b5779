"""The long-lived parts every handler and job uses, built once per ``Application``.

:func:`bot.app.build_application` builds one :class:`Services`; handlers reach it as
``context.services``, jobs and start hooks through :func:`services_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from bot.agenda.cache import ContentCache
from bot.agenda.service import ProgrammeContent
from bot.config import Settings
from bot.db.engine import Database
from bot.infra.clock import Clock
from bot.infra.error_reports import ErrorThrottle
from bot.infra.freshness import VersionWatch
from bot.people.cache import ViewerCache
from bot.search.content import IndexCache

if TYPE_CHECKING:
    from bot.delivery.outbox import SentHook
    from bot.delivery.worker import DeliveryWorker
    from bot.infra.http import MonitoringServer

#: Where an ``Application`` keeps its services (``application.bot_data[SERVICES_KEY]``).
SERVICES_KEY = "services"


class HasBotData(Protocol):
    """An ``Application`` as far as finding its services goes."""

    @property
    def bot_data(self) -> Any: ...


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    #: The content and access versions, re-read at most every ``cache_check_seconds``.
    versions: VersionWatch = field(init=False)
    #: Who is who, in memory; dropped when the versions change.
    viewers: ViewerCache = field(init=False)
    #: The programme content at the newest version this process knows of.
    content: ContentCache = field(init=False)
    #: The free-text search index over that content.
    search: IndexCache = field(init=False)
    #: This process's delivery worker once started (``bot.delivery.worker.start_delivery``).
    delivery: DeliveryWorker | None = None
    #: The /health and /metrics server once started (``bot.infra.http.start_monitoring``).
    monitoring: MonitoringServer | None = None
    #: How often each kind of failure was posted to the error chat (``bot.handlers.errors``).
    error_reports: ErrorThrottle = field(default_factory=ErrorThrottle)
    #: What to record when the delivery worker has sent a row of a kind (``bot.app`` wires them).
    sent_hooks: dict[str, SentHook] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.versions = VersionWatch(self.db, self.settings.cache_check_seconds)
        self.viewers = ViewerCache(self.db, self.versions)
        self.content = ContentCache(self.settings.tz)
        self.search = IndexCache(self.versions)

    @property
    def coordinator_ids(self) -> frozenset[int]:
        return frozenset(self.settings.coordinator_ids)

    async def current_content(self) -> ProgrammeContent:
        """The programme content at the newest version this process knows of."""
        versions = await self.versions.current()
        return await self.content.get(self.db, versions.content)

    def wake_delivery(self, new: int = 1) -> None:
        """Rows were enqueued: have the worker look at the outbox now (no-op before it starts)."""
        if new and self.delivery is not None:
            self.delivery.notify()


def services_of(app: HasBotData) -> Services:
    """The services of an ``Application`` (for jobs and start hooks)."""
    return app.bot_data[SERVICES_KEY]
