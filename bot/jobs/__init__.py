"""Everything that runs on a timer, one module per area: reminders, prompts, retention, progress."""
