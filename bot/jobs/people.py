"""Retention: personal data older than the retention period is erased every few hours."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import ContextTypes

from bot.infra.services import Services, services_of
from bot.people import service

log = logging.getLogger(__name__)

RETENTION_CHECK_EVERY = timedelta(hours=6)


async def erase_expired(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: erase personal data older than the retention period (question texts, survey links)."""
    services = services_of(context.application)
    cutoff = services.clock.now() - timedelta(days=services.settings.retention_days)
    done = await service.expire(
        services.db, cutoff, services.clock.now(), services.settings.staff_language
    )
    if any(done.values()):
        log.info("retention: erased %s (older than %s)", done, cutoff.isoformat())


async def start_retention(app: Any, services: Services) -> None:
    """Start hook: check the retention period every few hours, first a minute after start."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            erase_expired, interval=RETENTION_CHECK_EVERY, first=60, name="retention"
        )
