"""``python -m bot``: see :mod:`bot.cli.main`."""

import sys

from bot.cli.main import main

sys.exit(main())
