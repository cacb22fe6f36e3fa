"""Append to the audit chain and verify it."""
import hashlib
import json
from dataclasses import dataclass
from datetime import timezone
from typing import Optional

from sqlalchemy import text

from cop import canonical, logs
from cop.audit.models import AuditEvent
from cop.db import db, utcnow

GENESIS = "0" * 64
_LOCK_KEY = 7_041_967  # PostgreSQL advisory lock serialising appends to the chain


def _content(event: AuditEvent) -> dict:
    """The fields a link's hash covers."""
    moment = event.created_dt if event.created_dt.tzinfo else event.created_dt.replace(tzinfo=timezone.utc)
    return {
        "seq": event.seq, "at": moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": event.actor_id, "conference": event.conference_id, "action": event.action,
        "subject_type": event.subject_type, "subject_id": event.subject_id,
        "data": json.loads(event.data), "prev": event.prev_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 of the canonical JSON of the event's content, previous hash included."""
    return hashlib.sha256(canonical.dumps_bytes(_content(event))).hexdigest()


def record(action: str, subject_type: str, subject_id: Optional[int] = None, *, actor=None,
           conference_id: Optional[int] = None, data: Optional[dict] = None) -> AuditEvent:
    """Append an event to the chain, inside the caller's transaction (the caller commits)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = db.session.scalar(db.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1, created_dt=utcnow(),
        actor_id=getattr(actor, "id", None), conference_id=conference_id, action=action,
        subject_type=subject_type, subject_id=subject_id, data=canonical.dumps(data or {}),
        prev_hash=last.hash if last else GENESIS, request_id=logs.current_id(),
    )
    event.hash = compute_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


@dataclass
class Break:
    """The first broken link of the chain, and what is wrong with it."""

    seq: int
    reason: str


def verify_chain(batch: int = 5000) -> tuple[int, Optional[Break]]:
    """Walk the chain in order; return how many links were checked and the first break, if any."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    query = db.select(AuditEvent).order_by(AuditEvent.seq)
    for event in db.session.scalars(query.execution_options(yield_per=batch)):
        if event.seq != expected_seq:
            return checked, Break(expected_seq, f"maillon {expected_seq} manquant (suivant trouvé : {event.seq})")
        if event.prev_hash != prev_hash:
            return checked, Break(event.seq, "le maillon ne suit pas le précédent (ordre modifié ou maillon retiré)")
        if compute_hash(event) != event.hash:
            return checked, Break(event.seq, "le contenu du maillon a été modifié")
        expected_seq, prev_hash, checked = expected_seq + 1, event.hash, checked + 1
    return checked, None
