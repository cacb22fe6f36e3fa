"""The outbox: messages waiting to be sent, being sent, sent, or given up."""
from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db, utcnow


class OutboxMessage(db.Model):
    """One e-mail to one address, with its delivery state."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Idempotency key ("commitment.returned:42:7"): enqueuing it twice keeps one message; its Message-ID.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    #: An iCalendar attachment (meeting convened), or None.
    calendar: Mapped[Optional[str]] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: A worker holds the message until then; after it, another worker may take it (the first one died).
    claimed_until_dt: Mapped[Optional[datetime]] = mapped_column()
    sent_dt: Mapped[Optional[datetime]] = mapped_column()
    #: Set when the tries ran out; the message stays for the record.
    failed_dt: Mapped[Optional[datetime]] = mapped_column()
    last_error: Mapped[str] = mapped_column(Text, default="")
