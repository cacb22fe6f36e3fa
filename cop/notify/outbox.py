"""Putting messages in the queue, claiming them with a lease, recording what happened."""
import uuid
from datetime import datetime, timedelta
from typing import Optional

from flask import current_app
from sqlalchemy import insert, update

from cop.db import db, utcnow
from cop.notify.models import Delivery, OutboxMessage

#: Back-off between tries: 30 s, 1 min, 2 min… up to one hour.
FIRST_DELAY_SECONDS, LONGEST_DELAY_SECONDS = 30, 3600


def enqueue(to: str, subject: str, body: str, key: Optional[str] = None, language: str = "fr",
            calendar: Optional[str] = None, user_id: Optional[int] = None, delivery: str = Delivery.IMMEDIATE,
            unsubscribe_url: Optional[str] = None) -> OutboxMessage:
    """Add a message in the caller's transaction; a key already queued returns the existing message. A message
    held for a digest (`delivery`) is not sent on its own: the recipient's next digest lists it."""
    key = key or f"message:{uuid.uuid4()}"
    existing = db.session.scalar(db.select(OutboxMessage).filter_by(key=key))
    if existing is not None:
        return existing
    message = OutboxMessage(**message_values(to, subject, body, key, language, calendar, user_id, delivery,
                                             unsubscribe_url))
    db.session.add(message)
    db.session.flush()
    return message


def message_values(to: str, subject: str, body: str, key: str, language: str = "fr", calendar: Optional[str] = None,
                   user_id: Optional[int] = None, delivery: str = Delivery.IMMEDIATE,
                   unsubscribe_url: Optional[str] = None) -> dict:
    """The columns of one message of the outbox."""
    return {"key": key, "to_address": to, "subject": subject[:300], "body": body, "language": language,
            "calendar": calendar, "user_id": user_id, "delivery": str(delivery), "unsubscribe_url": unsubscribe_url}


def enqueue_all(messages: list[dict]) -> None:
    """Add many messages (`message_values`) of distinct keys, none of them queued yet (`queued_keys`), in one
    statement of the caller's transaction."""
    if messages:
        db.session.execute(insert(OutboxMessage), messages)


def queued(key: str) -> bool:
    """Whether a message with this key was already queued (so that it is not rendered again)."""
    return db.session.scalar(db.select(OutboxMessage.id).filter_by(key=key)) is not None


def queued_keys(keys: list[str]) -> set[str]:
    """Those of these keys already queued, read in one query per thousand keys."""
    found: set[str] = set()
    for start in range(0, len(keys), 1000):
        chunk = keys[start:start + 1000]
        found.update(db.session.scalars(db.select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk))))
    return found


def due_ids(now: datetime, limit: int = 20) -> list[int]:
    """Messages to send now: not sent, not given up, due, and not held by a live worker."""
    return list(db.session.scalars(db.select(OutboxMessage.id).where(
        OutboxMessage.sent_dt.is_(None), OutboxMessage.failed_dt.is_(None), OutboxMessage.next_attempt_dt <= now,
        OutboxMessage.delivery == Delivery.IMMEDIATE,
        db.or_(OutboxMessage.claimed_until_dt.is_(None), OutboxMessage.claimed_until_dt < now))
        .order_by(OutboxMessage.id).limit(limit)))


def claim(message_id: int, now: datetime) -> Optional[OutboxMessage]:
    """Take the message for one lease, or None when another worker took it first; commits."""
    lease = now + timedelta(seconds=current_app.config["COP_MAIL_LEASE_SECONDS"])
    taken = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.sent_dt.is_(None),
        db.or_(OutboxMessage.claimed_until_dt.is_(None), OutboxMessage.claimed_until_dt < now))
        .values(claimed_until_dt=lease).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, message_id) if taken else None


def mark_sent(message: OutboxMessage) -> None:
    """Record the delivery to the SMTP server; commits."""
    message.sent_dt, message.claimed_until_dt, message.attempts = utcnow(), None, message.attempts + 1
    db.session.commit()


def mark_failed(message: OutboxMessage, error: str) -> None:
    """Record a failed try and schedule the next one (or give up after the last); commits."""
    message.attempts += 1
    message.last_error, message.claimed_until_dt = error[:2000], None
    if message.attempts >= current_app.config["COP_MAIL_MAX_ATTEMPTS"]:
        message.failed_dt = utcnow()
    delay = min(FIRST_DELAY_SECONDS * 2 ** (message.attempts - 1), LONGEST_DELAY_SECONDS)
    message.next_attempt_dt = utcnow() + timedelta(seconds=delay)
    db.session.commit()
