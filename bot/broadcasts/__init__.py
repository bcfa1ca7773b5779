"""Broadcasts: announcements from coordinators and hosts to chosen people, in their language.

- :mod:`bot.broadcasts.composing` — the /broadcast handler's calls (a transaction, a step each);
- :mod:`bot.broadcasts.following` — what the /broadcasts handler calls (list, stop, remind, report);
- :mod:`bot.broadcasts.audience` — who an audience reaches, and hosts' scope;
- :mod:`bot.broadcasts.content` — the version per language and Telegram's length limits;
- :mod:`bot.broadcasts.send_time` — reading a send time;
- :mod:`bot.broadcasts.drafts` — composing, step by step, in the database, with permissions;
- :mod:`bot.broadcasts.sending` — confirming into the outbox, acks, reminders, cancelling;
- :mod:`bot.broadcasts.report` — figures, the list, the per-recipient CSV;
- :mod:`bot.cli.broadcasts` — ``python -m bot broadcast FILE --audience ...``.

Plain Python over the database: no ``telegram`` import here.
"""
