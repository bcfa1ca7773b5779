"""Feedback: quick session ratings, surveys from the programme file, their results and exports.

Modules: :mod:`definition` (the programme file's survey sections and how they are stored),
:mod:`flow` (answering a survey one question at a time), :mod:`ratings` (session ratings),
:mod:`due` (invitations, reminders and rating prompts through the outbox, outside quiet
hours), :mod:`results` (figures per question, permissions), :mod:`charts` and :mod:`export`.

Anonymity
---------
For an anonymous survey no stored value links a person to their answers, even for someone who
reads the database itself (see :mod:`bot.surveys.ballots`):

* while a person answers, their answers so far sit in their own participation row (so a restart
  or a pause resumes where they left off); submitting seals them there;
* sealed ballots become :class:`~bot.db.models.SurveyResponse` rows in a transaction of their
  own, only in shuffled batches of at least k (``BOT_ANONYMOUS_BATCH``) or when the survey
  closes, with no person column, no time and a random 128-bit key; on SQLite the table has no
  rowid, so neither a column, a timestamp, the keys' order, the physical order nor a
  transaction id (PostgreSQL ``xmin``) singles out one person's response;
* results with fewer than k responses are not shown;
* drafts of people who never submit are deleted when the survey closes;
* reminders and invitations in the outbox carry no answers.

What this does not defend against, by design: someone watching the database *while* ballots
wait for their batch, old row versions before the database vacuums them, the write-ahead log
and backups, and very small audiences, where the answers themselves identify people.
"""
