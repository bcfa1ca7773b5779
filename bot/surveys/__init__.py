"""Feedback: quick session ratings, surveys from the programme file, their results and exports.

Modules: :mod:`definition` (the programme file's survey sections and how they are stored),
:mod:`flow` (answering a survey one question at a time), :mod:`ratings` (session ratings),
:mod:`schedule` (invitations, reminders and rating prompts through the outbox, outside quiet
hours), :mod:`results` (figures per question, permissions), :mod:`charts` and :mod:`export`.

Anonymity
---------
For an anonymous survey no stored value links a person to their answers:

* while a person answers, their answers so far sit in their own participation row (so a restart
  or a pause resumes where they left off); submitting moves them, in one transaction, into a
  :class:`~bot.db.models.SurveyResponse` with no person column, no time and a random 128-bit id,
  and empties the participation row's draft. The participation row keeps only ``finished`` (for
  reminders) and no time of finishing, so neither a column, a timestamp nor the order of the
  ids can join the two tables;
* drafts of people who never submit are deleted when the survey closes;
* reminders and invitations in the outbox carry no answers.

What this does not defend against, by design: someone watching the database *while* a person
submits (the response count goes up by one), the database's own write-ahead log or backups
taken between two submissions, and very small audiences, where the answers themselves identify
people. Those are matters of operating the server, not of the schema.
"""

# The programme file's schema includes the survey sections of :mod:`bot.surveys.definition`,
# which build on the schema's field types: loading the schema first makes the two modules load
# in that one order, whichever of them is imported first.
import bot.programme.schema  # noqa: F401
