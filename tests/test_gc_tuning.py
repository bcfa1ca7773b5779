"""After start-up the live heap is frozen out of the collector's way, with the programme loaded."""

from __future__ import annotations

import gc

from bot.app import build_application
from bot.config import Settings
from bot.db.engine import Database
from bot.infra.gc_tuning import THRESHOLDS
from bot.infra.services import services_of
from bot.programme.demo import ensure_demo
from bot.runtime import running
from bot.transport.local_api import LocalBotApi


async def test_run_freezes_the_heap_after_start_up(db: Database, settings: Settings) -> None:
    await ensure_demo(db)
    before = gc.get_threshold()
    app = build_application(settings, db, request=LocalBotApi(), tune_gc=True)
    try:
        async with running(app):
            assert gc.get_threshold() == THRESHOLDS
            assert gc.get_freeze_count() > 10_000
            # the programme content was loaded before the freeze, so it is frozen too
            assert services_of(app).content._content is not None
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


async def test_other_uses_keep_the_collector_as_it_is(db: Database, settings: Settings) -> None:
    before = (gc.get_threshold(), gc.get_freeze_count())
    async with running(build_application(settings, db, request=LocalBotApi())):
        assert (gc.get_threshold(), gc.get_freeze_count()) == before


async def test_run_builds_the_search_index_a_moment_after_start(
    db: Database, settings: Settings
) -> None:
    await ensure_demo(db)
    before = gc.get_threshold()
    app = build_application(settings, db, request=LocalBotApi(), tune_gc=True)
    try:
        async with running(app):
            assert app.job_queue is not None
            [job] = app.job_queue.get_jobs_by_name("search index")
            assert services_of(app).search._index is None  # not built during start-up
            await job.run(app)
            assert services_of(app).search._index is not None
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


async def test_other_uses_build_no_index_in_the_background(
    db: Database, settings: Settings
) -> None:
    app = build_application(settings, db, request=LocalBotApi())
    async with running(app):
        assert app.job_queue is not None
        assert not app.job_queue.get_jobs_by_name("search index")
