"""Ways to talk to the bot other than Telegram's servers: an in-process Bot API and the console."""
