"""What the text, amendment, decision and vote functions share: loading, guards, versions and the audit trail."""
import re
from datetime import datetime
from typing import Optional
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from cop.audit.services import record as audit
from cop.auth.models import User
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, NotFound
from cop.loaders import is_id, item_of
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.rules import aware
from cop.negotiation.limits import (MAX_DRAFT, MAX_EXPLANATION, MAX_PARAGRAPH, MAX_QUESTION,  # noqa: F401
                                    MAX_REASON, MAX_TITLE)
from cop.negotiation.decisions.models import ObjectionWindow
from cop.negotiation.votes.models import Vote
from cop.negotiation.texts.models import Amendment, Draft, DraftVersion, Paragraph
from cop.permissions import can_chair_meeting

BRACKET = re.compile(r"\[([^\[\]]*)\]")
#: Meeting states in which the chair acts on the text and decisions, and those in which delegations still write.
IN_SESSION = ("open",)
ON_RECORD = ("open", "suspended")


def require_chair(user: User, meeting: Meeting) -> None:
    """Only the chair, the co-facilitators and the presidency steer the text and the decisions."""
    if not can_chair_meeting(user, meeting):
        raise Forbidden("Seule la présidence de séance peut faire cela.")


def clean_text(text, what: str = "Le texte", required: bool = True, limit: int = MAX_PARAGRAPH) -> str:
    """Trimmed text of a sane length, with well-formed brackets; Invalid otherwise."""
    if not isinstance(text, str):
        raise Invalid("%(what)s doit être une chaîne de caractères.", what=what)
    text = text.replace("\r\n", "\n").strip()
    if required and not text:
        raise Invalid("%(what)s est obligatoire.", what=what)
    if len(text) > limit:
        raise Invalid("%(what)s dépasse %(n)s caractères (%(length)s) : c’est davantage qu’un négociateur n’écrit.",
                      what=what, n=limit, length=len(text))
    check_brackets(text)
    return text


def check_brackets(text: str) -> None:
    """Brackets hold options and never nest: "[a / b]"."""
    depth = 0
    for char in text:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth not in (0, 1):
            raise Invalid("Crochets mal formés : un crochet ouvert doit être fermé, sans crochets imbriqués.")
    if depth:
        raise Invalid("Crochets mal formés : un crochet ouvert n’est pas fermé.")


def has_brackets(text: str) -> bool:
    """True while options remain to be resolved."""
    return "[" in text


def draft_of(item: AgendaItem) -> Optional[Draft]:
    """The draft text an item carries, if any."""
    return db.session.scalar(db.select(Draft).filter_by(agenda_item_id=item.id))


def paragraph_of(meeting: Meeting, paragraph_id) -> Paragraph:
    """A paragraph of a draft of this meeting, or NotFound."""
    paragraph = db.session.get(Paragraph, paragraph_id) if is_id(paragraph_id) else None
    if paragraph is None or paragraph.draft.agenda_item.meeting_id != meeting.id or paragraph.status == "deleted":
        raise NotFound("Ce paragraphe n’existe pas dans les textes de cette séance.")
    return paragraph



def decision_target(meeting: Meeting, args: dict) -> tuple[AgendaItem, Optional[Paragraph]]:
    """The item (and optional paragraph of its draft) a decision or a vote is about."""
    item = item_of(meeting, args.get("item_id"))
    paragraph_id = args.get("paragraph_id")
    paragraph = paragraph_of(meeting, paragraph_id) if paragraph_id is not None else None
    if paragraph is not None and paragraph.draft.agenda_item_id != item.id:
        raise NotFound("Ce paragraphe n’appartient pas au texte de ce point.")
    return item, paragraph

def amendment_of(meeting: Meeting, amendment_id) -> Amendment:
    """An amendment to a draft of this meeting, or NotFound."""
    amendment = db.session.get(Amendment, amendment_id) if is_id(amendment_id) else None
    if amendment is None or amendment.paragraph.draft.agenda_item.meeting_id != meeting.id:
        raise NotFound("Cet amendement n’existe pas dans cette séance.")
    return amendment


def check_fresh(paragraph: Paragraph, version) -> None:
    """Refuse a write against a paragraph version that is no longer current, saying what changed."""
    if version != paragraph.version:
        raise Conflict(
            "Le § %(number)s a changé depuis la version %(version)s que vous aviez sous les yeux (il en est à la "
            "version %(version2)s : %(paragraph_change)s). Rien n’a été appliqué : relisez le texte actuel.",
            number=paragraph.number, version=version, version2=paragraph.version,
            paragraph_change=paragraph_change(paragraph))


def paragraph_change(paragraph: Paragraph) -> str:
    """The reason of the last version that touched this paragraph."""
    versions = db.session.scalars(db.select(DraftVersion).filter_by(draft_id=paragraph.draft_id)
                                  .order_by(DraftVersion.number.desc())).all()
    latest, previous = None, None
    for version in reversed(versions):
        entry = next(((p["text"], p["status"]) for p in version.paragraphs if p["id"] == paragraph.id), None)
        if entry != previous:
            latest, previous = version, entry
    return latest.reason if latest else "modification"


def check_not_deciding(item: AgendaItem) -> None:
    """The text stands still while its adoption is proposed or put to the vote."""
    window = db.session.scalar(db.select(ObjectionWindow).filter_by(agenda_item_id=item.id, state="open"))
    vote = db.session.scalar(db.select(Vote).filter_by(agenda_item_id=item.id, state="open"))
    if window is not None or vote is not None:
        raise Conflict("Une décision est en cours sur ce point : le texte ne change plus jusqu’à son issue.")


def version_label(now: datetime) -> str:
    """"Projet de texte de la présidence — version du 26/11/2026 14:32", in the conference's time zone."""
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris") if has_app_context() else "Europe/Paris"
    local = aware(now).astimezone(ZoneInfo(zone))
    return f"Projet de texte de la présidence — version du {local:%d/%m/%Y %H:%M}"


def snapshot(draft: Draft, user: User, now: datetime, reason: str,
             amendment: Optional[Amendment] = None) -> DraftVersion:
    """Renumber the live paragraphs and keep an immutable copy of the whole text as the next version."""
    entries, number = [], 0
    for paragraph in sorted(draft.paragraphs, key=lambda p: p.position):
        if paragraph.status != "deleted":
            number += 1
            paragraph.number = number
            entries.append({"id": paragraph.id, "number": number, "text": paragraph.text, "status": paragraph.status})
    draft.version += 1
    version = DraftVersion(draft_id=draft.id, number=draft.version, label=version_label(now), reason=reason,
                           paragraphs=entries, is_clean=not any(has_brackets(e["text"]) for e in entries),
                           amendment_id=amendment.id if amendment else None, author_id=user.id, created_dt=now)
    db.session.add(version)
    db.session.flush()
    return version


def record(action: str, subject, user: Optional[User], meeting: Meeting, **data) -> None:
    """Write a state change of consequence to the audit chain."""
    audit(action, type(subject).__name__.lower(), subject.id, actor=user,
          conference_id=meeting.conference_id, data=dict(data, meeting=meeting.id))
