"""Button data: one small frozen type per kind of button, in one module per area.

Views build a button's data only as ``Kind(...).pack()`` (through ``views.common.button``),
handlers register with ``Kind.pattern`` (or ``Kind.matching(field=value)``) and read the press with
``Kind.parse``; tests build data the same way. The machinery is in :mod:`bot.callbacks.base`.
No Telegram import here: views, handlers and the domain (an announcement's "I have read this"
button is packed where its outbox rows are made) all use these types.
"""
