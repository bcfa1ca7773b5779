"""Benchmark: garbage-collection pauses during the agenda mix, with and without the tuning.

Each variant runs in a fresh process: the programme of ``bench_schedule.py`` (1,000 participants,
2,000 events), every person's first requests (caches warm, as after start-up and a few minutes of
use), then the mix. ``gc.callbacks`` time every collection during the mix. The baseline keeps
CPython's defaults; "tuned" calls :func:`bot.infra.gc_tuning.settle` after the warm-up, as
``python -m bot run`` does after start-up. Printed per variant: collections per generation, the
longest pause (wall time, and CPU time, which a busy shared machine does not stretch), the total
time in the collector, the mix's throughput and p99, and the ratios.

    python tests/benchmarks/bench_gc.py [--updates 20000]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


async def variant(tuned: bool, updates: int) -> dict[str, object]:
    from bench_schedule import FIRST_DAY, TZ, build_programme, first_requests, link_users, mix

    from bot.app import build_application
    from bot.config import Settings
    from bot.db.engine import Database
    from bot.infra.clock import ManualClock
    from bot.infra.gc_tuning import settle
    from bot.transport.local_api import LocalBotApi

    with tempfile.TemporaryDirectory() as tmp:
        db = Database.from_url(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
        events = await build_programme(db)
        users = await link_users(db, 200)
        settings = Settings(_env_file=None, token="1:bench", data_dir=Path(tmp))  # type: ignore[call-arg]
        start = datetime.combine(FIRST_DAY + timedelta(days=2), datetime.min.time(), TZ)
        clock = ManualClock(start + timedelta(hours=9))
        api = LocalBotApi(keep_calls=False)
        app = build_application(settings, db, clock=clock, request=api, register_bot_commands=False)
        await app.initialize()
        try:
            screens, _, _ = await first_requests(app, api, users, events)
            timed = mix(app, users, events, screens, updates, 2)
            if tuned:
                settle()
            pauses: list[tuple[int, float, float]] = []  # generation, wall, CPU
            began = [0.0, 0.0]

            def timer(phase: str, info: dict[str, int]) -> None:
                if phase == "start":
                    began[:] = [time.perf_counter(), time.process_time()]
                else:
                    wall = time.perf_counter() - began[0]
                    pauses.append((info["generation"], wall, time.process_time() - began[1]))

            gc.callbacks.append(timer)
            latencies = []
            started = time.perf_counter()
            for update in timed:
                t0 = time.perf_counter()
                await app.process_update(update)
                latencies.append(time.perf_counter() - t0)
            wall = time.perf_counter() - started
            gc.callbacks.remove(timer)
        finally:
            await app.shutdown()
            await db.dispose()
    latencies.sort()
    return {
        "collections": [sum(1 for g, _, _ in pauses if g == n) for n in range(3)],
        "worst_ms": max((p for _, p, _ in pauses), default=0.0) * 1e3,
        "worst_cpu_ms": max((c for _, _, c in pauses), default=0.0) * 1e3,
        "worst_cpu_by_generation_ms": [
            max((c for g, _, c in pauses if g == n), default=0.0) * 1e3 for n in range(3)
        ],
        "total_ms": sum(p for _, p, _ in pauses) * 1e3,
        "rate": updates / wall,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1e3,
        "max_ms": latencies[-1] * 1e3,
        "p50_ms": statistics.median(latencies) * 1e3,
    }


def run(tuned: bool, updates: int) -> dict[str, float]:
    code = (
        "import asyncio, json, sys; sys.path.insert(0, sys.argv[1]); import bench_gc; "
        "print(json.dumps(asyncio.run(bench_gc.variant(sys.argv[2] == '1', int(sys.argv[3])))))"
    )
    here = str(Path(__file__).resolve().parent)
    done = subprocess.run(
        [sys.executable, "-c", code, here, "1" if tuned else "0", str(updates)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=20_000)
    args = parser.parse_args()
    figures = {"defaults": run(False, args.updates), "tuned": run(True, args.updates)}
    print(f"agenda mix, {args.updates} updates, one process per variant:")
    for name, f in figures.items():
        print(
            f"  {name:<9} collections (young/middle/full) {f['collections']}  "
            f"worst pause {f['worst_ms']:6.1f} ms (CPU {f['worst_cpu_ms']:.1f} ms; by generation "
            + "/".join(f"{c:.1f}" for c in f["worst_cpu_by_generation_ms"])
            + f")  in collector {f['total_ms']:7.1f} ms  "
            f"{f['rate']:6.0f} updates/s  p50 {f['p50_ms']:.2f} ms  p99 {f['p99_ms']:.2f} ms  "
            f"max {f['max_ms']:.1f} ms"
        )
    base, tuned = figures["defaults"], figures["tuned"]
    print(
        f"tuned / defaults: worst pause {tuned['worst_ms'] / max(base['worst_ms'], 1e-9):.2f}x "
        f"(CPU {tuned['worst_cpu_ms'] / max(base['worst_cpu_ms'], 1e-9):.2f}x), "
        f"time in collector {tuned['total_ms'] / max(base['total_ms'], 1e-9):.2f}x, "
        f"throughput {tuned['rate'] / base['rate']:.2f}x   (target: worst pause <= 20 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
