"""Audit events, each chained to the previous one by its SHA-256."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db, utcnow


class AuditEvent(db.Model):
    """One recorded action: who did what to which object, and the hash that chains it."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain: 1, 2, 3… with no gap.
    seq: Mapped[int] = mapped_column(unique=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    conference_id: Mapped[Optional[int]] = mapped_column(ForeignKey("conference.id"), index=True)
    #: Dotted verb, e.g. "conference.phase_moved", "commitment.submitted".
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[Optional[int]] = mapped_column()
    #: Canonical JSON of the details.
    data: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: The web request or live command that recorded it (X-Request-Id; cop/logs.py), to find its log lines.
    #: Outside the hashed content: it links to logs, it is not part of what was done.
    request_id: Mapped[Optional[str]] = mapped_column(String(64))
