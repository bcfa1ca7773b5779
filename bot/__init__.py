"""A trilingual Telegram bot for municipal mentoring programmes."""
