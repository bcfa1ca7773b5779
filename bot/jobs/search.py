"""The search index built in the background shortly after ``python -m bot run`` starts.

Building the index of a programme reads the lemma dictionaries and lemmatises every entry in
every language: about a second of CPU for the demo. Done by the first question, that second is
the first person's wait (and every other update's, as it holds the event loop); done at start-up,
it would delay the first ``getUpdates``. So it runs once the bot is taking updates, a moment
after start, and the first question finds the index ready.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram.ext import ContextTypes

from bot.infra.services import Services, services_of
from bot.questions.actions import search_index
from bot.search.text import QUERY_LANGUAGES, known

log = logging.getLogger(__name__)

#: Seconds after start: the bot is polling (or serving its webhook) by then.
WARM_AFTER = 1.0


async def build_index(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: build the search index of the current content and read the lemma dictionary of
    every language a question can be in (Russian is not a content language)."""
    services = services_of(context.application)
    started = time.process_time()
    content = await services.current_content()
    await search_index(services.db, services.search, content)
    for language in QUERY_LANGUAGES:
        known("a", language)  # reads the dictionary
    log.debug("search index ready in %.0f ms of CPU", (time.process_time() - started) * 1000)


def schedule_index(app: Any, services: Services) -> None:
    """Build the search index :data:`WARM_AFTER` seconds from now (``python -m bot run``)."""
    if app.job_queue is not None:
        app.job_queue.run_once(build_index, WARM_AFTER, name="search index")
