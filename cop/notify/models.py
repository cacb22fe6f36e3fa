"""The outbox: messages waiting to be sent, being sent, sent, or given up."""
from datetime import datetime
from enum import StrEnum
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db, utcnow


class MailMode(StrEnum):
    """How a person receives the messages that are not mandatory."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"


class Delivery(StrEnum):
    """How a queued message leaves: on its own, or within the recipient's next daily digest."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"


def check_in(column: str, enum) -> str:
    """The SQL of a check constraint keeping a column within an enumeration (as cop/rulebook/enums.py does; this
    module is imported by the account model, before the rulebook can be)."""
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


class OutboxMessage(db.Model):
    """One e-mail to one address, with its delivery state."""

    __tablename__ = "outbox_message"
    __table_args__ = (CheckConstraint(check_in("delivery", Delivery), name="delivery"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Idempotency key ("commitment.returned:42:7"): enqueuing it twice keeps one message; its Message-ID.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    #: An iCalendar attachment (meeting convened), or None.
    calendar: Mapped[Optional[str]] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    #: The account it is addressed to (None for an invitation to a person without one).
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: Sent on its own, or held for the recipient's daily digest (a Delivery); sent_dt is then the digest's.
    delivery: Mapped[str] = mapped_column(String(16), default=Delivery.IMMEDIATE,
                                          server_default=Delivery.IMMEDIATE.value)
    #: The signed one-link unsubscribe of a message that is not mandatory (List-Unsubscribe), else None.
    unsubscribe_url: Mapped[Optional[str]] = mapped_column(String(500))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: A worker holds the message until then; after it, another worker may take it (the first one died).
    claimed_until_dt: Mapped[Optional[datetime]] = mapped_column()
    sent_dt: Mapped[Optional[datetime]] = mapped_column()
    #: Set when the tries ran out; the message stays for the record.
    failed_dt: Mapped[Optional[datetime]] = mapped_column()
    last_error: Mapped[str] = mapped_column(Text, default="")
