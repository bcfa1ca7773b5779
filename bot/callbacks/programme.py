"""Buttons of a programme upload's preview: apply it or cancel it."""

from __future__ import annotations

from enum import StrEnum

from bot.callbacks.base import CallbackData, Id, callback


class ImportAction(StrEnum):
    APPLY = "ok"
    CANCEL = "no"


@callback("imp")
class ImportDecision(CallbackData):
    action: ImportAction
    import_id: Id
