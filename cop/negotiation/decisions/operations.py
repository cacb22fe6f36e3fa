"""Decisions: numbered per conference without gaps, taken by consensus, by vote, or by taking note."""
from datetime import datetime
from typing import Optional

from sqlalchemy import text as sql

from cop import signals
from cop.auth.models import User
from cop.db import db
from cop.errors import Conflict
from cop.meetings.models import AgendaItem, Meeting
from cop.negotiation.decisions.models import Decision, ObjectionWindow
from cop.negotiation.votes.models import Vote
from cop.negotiation.texts.models import PENDING_STATES, Amendment, Paragraph
from cop.negotiation.services import draft_of, has_brackets, record, snapshot

_LOCK_CLASS = 7_041_968  # PostgreSQL advisory lock class serialising decision numbers, keyed by conference


def next_number(conference_id: int) -> int:
    """The conference's next decision number, under a lock held until commit."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sql("SELECT pg_advisory_xact_lock(:k, :c)"), {"k": _LOCK_CLASS, "c": conference_id})
    else:
        # SQLite: writing first takes the database's single write lock before the number is read.
        db.session.execute(sql("UPDATE conference SET code = code WHERE id = :c"), {"c": conference_id})
    last = db.session.scalar(db.select(db.func.max(Decision.number)).filter_by(conference_id=conference_id))
    return (last or 0) + 1


def check_decidable(meeting: Meeting, item: AgendaItem, paragraph: Optional[Paragraph]) -> None:
    """Nothing else under decision in the meeting, a clean text, no pending amendment, not yet decided."""
    if db.session.scalar(db.select(ObjectionWindow.id).filter_by(meeting_id=meeting.id, state="open")) or \
            db.session.scalar(db.select(Vote.id).filter_by(meeting_id=meeting.id, state="open")):
        raise Conflict("Une autre décision est déjà en cours dans cette séance.")
    taken = db.select(Decision.id).filter_by(agenda_item_id=item.id)
    if db.session.scalar(taken.filter(Decision.paragraph_id.is_(None))):
        raise Conflict("Ce point a déjà fait l’objet d’une décision.")
    draft = draft_of(item)
    if draft is None:
        return
    paragraphs = [paragraph] if paragraph is not None else draft.live_paragraphs
    if paragraph is not None and paragraph.status == "adopted":
        raise Conflict(f"Le § {paragraph.number} est déjà adopté.")
    bracketed = [p.number for p in paragraphs if has_brackets(p.text)]
    if bracketed:
        raise Conflict("Le texte contient encore des crochets (§ " + ", ".join(map(str, bracketed)) +
                       ") : il ne peut pas être adopté en l’état.")
    ids = [p.id for p in paragraphs]
    pending = db.session.scalars(db.select(Amendment.number).filter(
        Amendment.paragraph_id.in_(ids), Amendment.state.in_(PENDING_STATES)).order_by(Amendment.number)).all()
    if pending:
        raise Conflict("Des amendements restent en suspens (n° " + ", ".join(map(str, pending)) +
                       ") : intégrez-les, mettez-les entre crochets ou écartez-les d’abord.")


def decided_text(item: AgendaItem, paragraph: Optional[Paragraph]) -> str:
    """The words decided: one paragraph, the whole draft numbered, or the item itself."""
    if paragraph is not None:
        return paragraph.text
    draft = draft_of(item)
    if draft is None:
        return item.description or item.title
    return "\n\n".join(f"{p.number}. {p.text}" for p in draft.live_paragraphs)


def adopt(user: Optional[User], meeting: Meeting, item: AgendaItem, paragraph: Optional[Paragraph], mode: str,
          now: datetime) -> Decision:
    """Record the decision under the next number, adopt the paragraphs, and tell the roadmap."""
    draft = draft_of(item)
    decision = Decision(conference_id=meeting.conference_id, number=next_number(meeting.conference_id),
                        meeting_id=meeting.id, agenda_item_id=item.id, paragraph_id=paragraph.id if paragraph else None,
                        mode=mode, outcome="noted" if mode == "taken_note" else "adopted",
                        text=decided_text(item, paragraph), chair_id=user.id if user else None, created_dt=now)
    if draft is not None and mode != "taken_note":
        for p in [paragraph] if paragraph is not None else draft.live_paragraphs:
            p.status, p.version = "adopted", p.version + 1
        what = f"§ {paragraph.number} adopté" if paragraph is not None else "Texte adopté"
        decision.draft_version = snapshot(draft, user or meeting.chair, now, f"{what} ({mode_words(mode)})").number
    db.session.add(decision)
    db.session.flush()
    record("decision.adopted" if mode != "taken_note" else "decision.noted", decision, user, meeting,
           number=decision.number, mode=mode, item=item.id, paragraph=decision.paragraph_id)
    signals.decision_adopted.send(decision)
    return decision


def mode_words(mode: str) -> str:
    """How a decision was taken, in words."""
    return {"consensus": "par consensus", "vote": "par un vote", "taken_note": "la présidence en prend acte"}[mode]


def take_note(user: User, meeting: Meeting, item: AgendaItem, now: datetime) -> Decision:
    """The chair takes note of an item instead of adopting it."""
    if db.session.scalar(db.select(ObjectionWindow.id).filter_by(meeting_id=meeting.id, state="open")) or \
            db.session.scalar(db.select(Vote.id).filter_by(meeting_id=meeting.id, state="open")):
        raise Conflict("Une décision est en cours dans cette séance : attendez son issue.")
    if db.session.scalar(db.select(Decision.id).filter_by(agenda_item_id=item.id, paragraph_id=None)):
        raise Conflict("Ce point a déjà fait l’objet d’une décision.")
    return adopt(user, meeting, item, None, "taken_note", now)
