"""ORM models, one module per area; importing this package registers every table."""

from bot.db.models.accounts import Account, Generation, Invite, UsedStep
from bot.db.models.audit import AuditEntry
from bot.db.models.broadcasts import Broadcast, BroadcastRecipient
from bot.db.models.content import Event, FaqEntry, LogisticsItem, Resource
from bot.db.models.imports import PendingImport
from bot.db.models.outbox import DeliveryBudget, DeliveryWorkerRow, OutboxMessage
from bot.db.models.questions import Phrasing, Question
from bot.db.models.structure import Delegation, Municipality, Participant, Programme, Visit
from bot.db.models.surveys import (
    SessionRating,
    Survey,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)

__all__ = [
    "Account",
    "AuditEntry",
    "Broadcast",
    "BroadcastRecipient",
    "Delegation",
    "DeliveryBudget",
    "DeliveryWorkerRow",
    "Event",
    "FaqEntry",
    "Generation",
    "Invite",
    "LogisticsItem",
    "Municipality",
    "OutboxMessage",
    "Participant",
    "PendingImport",
    "Phrasing",
    "Programme",
    "Question",
    "Resource",
    "SessionRating",
    "Survey",
    "SurveyParticipation",
    "SurveyQuestion",
    "SurveyResponse",
    "UsedStep",
    "Visit",
]
