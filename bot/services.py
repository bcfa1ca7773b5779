"""The long-lived parts every handler and job uses, held once per ``Application``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.db.engine import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    #: Area-specific long-lived objects (the delivery worker, caches), by name.
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def coordinator_ids(self) -> frozenset[int]:
        return frozenset(self.settings.coordinator_ids)
