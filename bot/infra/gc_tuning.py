"""Garbage collection tuned for a long-running bot: no full collection of the start-up heap.

CPython's cyclic collector pauses the process for as long as it takes to walk every tracked
object of the generation it collects; a full collection of a heap of a few hundred megabytes takes
0.2–0.5 s, which is the bot's worst latency, in a bare python-telegram-bot echo too. What is
alive after start-up (modules, the libraries' tables, the programme's content) stays alive, so:

* :func:`settle` collects once, then moves every live object into the permanent generation
  (``gc.freeze()``), which no later collection walks, and raises the young-generation threshold
  so that the per-update garbage (mostly freed by reference counting anyway) triggers fewer
  collections. ``python -m bot run`` calls it once, after start-up, with the programme
  content loaded.

Reference counting still frees frozen objects that lose their last reference (a replaced
programme content, mostly); only reference cycles among them are never collected.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)

#: Young generation: a collection every 10,000 net allocations instead of 700 (a few ms); a middle
#: collection every 5 young ones (it walks their survivors: every 20, as by default, took 60 ms of
#: CPU while the caches fill); a full one every 100 middle ones, and only when the long-lived
#: (unfrozen) heap grew by a quarter. ``tests/benchmarks/bench_gc.py`` measures the pauses.
THRESHOLDS = (10_000, 5, 100)


def settle() -> float:
    """Collect, freeze what is alive, set the thresholds; returns the pause in seconds."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    pause = time.perf_counter() - started
    log.debug("gc settled: %d objects frozen in %.1f ms", gc.get_freeze_count(), pause * 1000)
    return pause
