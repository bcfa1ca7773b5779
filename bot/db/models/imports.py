"""Programme files sent to the bot, kept between the preview and the coordinator's decision.

The file itself is stored (not a path or a Telegram file id), so a restart, or the Apply button
landing on another process, still finds it; ``base_version`` is the programme's content version
the shown summary was computed against, so Apply can tell whether the database changed since.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, utcnow

#: Values of :attr:`PendingImport.status`.
PENDING = "pending"  # validated, summary shown, waiting for Apply or Cancel
APPLIED = "applied"
CANCELLED = "cancelled"
SUPERSEDED = "superseded"  # the same person sent another file before deciding
REJECTED = "rejected"  # no longer valid when Apply was pressed


class PendingImport(Base):
    """One uploaded programme file and what became of it."""

    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploader_id: Mapped[int] = mapped_column(BigInteger, index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    #: The content version the preview was made against (0: the database held no programme).
    base_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
