"""The agenda: which parts of the programme concern a person, the calendar file, reminders."""
