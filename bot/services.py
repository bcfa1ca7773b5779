"""The long-lived parts every handler and job uses, held once per ``Application``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.db.engine import Database
from bot.freshness import VersionWatch
from bot.viewer_cache import ViewerCache


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    #: The content and access versions, re-read at most every ``cache_check_seconds``.
    versions: VersionWatch = field(init=False)
    #: Who is who, in memory; dropped when the versions change.
    viewers: ViewerCache = field(init=False)
    #: Area-specific long-lived objects (the delivery worker, caches), by name.
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.versions = VersionWatch(self.db, self.settings.cache_check_seconds)
        self.viewers = ViewerCache(self.db, self.versions)

    @property
    def coordinator_ids(self) -> frozenset[int]:
        return frozenset(self.settings.coordinator_ids)
