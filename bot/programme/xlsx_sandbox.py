"""Reading an uploaded workbook in a child process with a time and a memory limit.

A workbook's caps (:mod:`bot.programme.xlsx_io`) bound what it may declare and hold, but not what
reading it costs: XML can be made expensive in ways no cap foresees. So the workbook is read by
``python -m bot.programme.xlsx_sandbox`` (the same code, in its own process): it loads the
reading code (:mod:`bot.programme.xlsx_read` and openpyxl, not the programme's models: the
sections and their columns come with the bytes), then limits its own address space to what it
holds plus ``memory_mb`` (``RLIMIT_AS``) and its CPU time (``RLIMIT_CPU``), reads the bytes and
the sections (pickled) from standard input and writes the result (pickled) to standard output.
The parent waits at most the read time plus ``STARTUP_SECONDS`` and kills it after that.
Whatever the workbook does, the bot's own process neither grows nor blocks; running out of
memory is answered with a problem that names the sheet being read.

The limits use Linux's ``/proc/self/statm`` and ``setrlimit``; where ``/proc`` is missing (macOS)
the time limit holds and the memory limit is not set.
"""

from __future__ import annotations

import math
import os
import pickle
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.programme.problems import Problem

if TYPE_CHECKING:
    from bot.programme.xlsx_read import Column, XlsxDocument

#: Time the child may take to start (load its code) on a busy machine, on top of the read time.
STARTUP_SECONDS = 10.0
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent.parent)


def run(
    content: bytes, read_seconds: float, memory_mb: int, sections: dict[str, list[Column]]
) -> XlsxDocument | list[Problem]:
    """Read ``content`` in a child process; its result, or the problem that stopped it."""
    env = dict(os.environ)  # the child imports the same code as this process
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", __name__, str(read_seconds), str(memory_mb)]
    try:
        done = subprocess.run(
            command,
            input=pickle.dumps((sections, content)),
            capture_output=True,
            env=env,
            timeout=read_seconds + STARTUP_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:  # killed: run() waits for it
        return [Problem("xlsx_too_slow", {"seconds": round(read_seconds)})]
    if done.returncode == 0:
        # Unpickling is safe here: the bytes are our own child's output, not the upload's.
        result: XlsxDocument | list[Problem] = pickle.loads(done.stdout)
        return result
    if done.returncode == -signal.SIGXCPU:
        return [Problem("xlsx_too_slow", {"seconds": round(read_seconds)})]
    if b"MemoryError" in done.stderr or done.returncode == -signal.SIGKILL:
        return [Problem("xlsx_too_much_memory", {"limit": memory_mb})]
    raise RuntimeError(f"reading a workbook failed: {done.stderr.decode(errors='replace')}")


def _limit(read_seconds: float, memory_mb: int) -> None:
    """Cap this process's address space at its present size plus ``memory_mb``, and its CPU."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except OSError:
        pages = 0
    if pages:
        cap = pages * resource.getpagesize() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(used.ru_utime + used.ru_stime + read_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def main() -> None:
    from openpyxl import load_workbook  # noqa: F401  (loaded before the limit, like all code)

    from bot.programme.xlsx_read import read_workbook, too_much_memory

    read_seconds, memory_mb = float(sys.argv[1]), int(sys.argv[2])
    sections, content = pickle.loads(sys.stdin.buffer.read())  # from our parent
    _limit(read_seconds, memory_mb)
    try:
        result = read_workbook(content, read_seconds, memory_mb, sections)
    except MemoryError:
        result = [too_much_memory(memory_mb)]
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    main()
