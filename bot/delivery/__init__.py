"""Delivery: the outbox every proactive message goes through, its pacing and its one worker.

- :mod:`bot.delivery.outbox` — enqueue (idempotent), claim, mark, cancel, figures (no Telegram);
- :mod:`bot.delivery.pacing` — Telegram's limits as a pure limiter;
- :mod:`bot.delivery.worker` — the loop that sends through ``application.bot``.
"""
