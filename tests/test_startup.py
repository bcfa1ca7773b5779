"""Start light: importing the application or asking for command-line help loads no heavy library.

Charts (matplotlib, numpy, Pillow), spreadsheets (openpyxl), calendars (icalendar), QR codes (segno)
and migrations (Alembic) are imported only by the functions that use them: each costs every
process tens of megabytes and tenths of a second otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("matplotlib", "numpy", "PIL", "openpyxl", "icalendar", "segno", "alembic")

_REPORT = "import json, sys; print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))"


def _loaded(code: str) -> list[str]:
    script = f"{code}\n{_REPORT.format(heavy=HEAVY)}"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_application_loads_no_heavy_library() -> None:
    assert _loaded("import bot.app, bot.runtime, bot.cli.main") == []


def test_command_line_help_loads_no_heavy_library() -> None:
    code = (
        "import runpy, sys\n"
        "sys.argv = ['bot', '--help']\n"
        "try:\n"
        "    runpy.run_module('bot', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass"
    )
    assert _loaded(code) == []


def test_the_check_sees_a_heavy_import() -> None:
    """The check above can fail: a library imported on the way is reported."""
    assert "openpyxl" in _loaded("import openpyxl")


def test_importing_the_application_lemmatises_nothing() -> None:
    """The lemmatiser's dictionaries (hundreds of megabytes) load on first use, not at import."""
    code = (
        "import simplemma\n"
        "def refuse(*args, **kwargs):\n"
        "    raise SystemExit('lemmatised at import: ' + repr(args))\n"
        "simplemma.lemmatize = simplemma.is_known = refuse\n"
        "import bot.app, bot.cli.main"
    )
    assert _loaded(code) == []
