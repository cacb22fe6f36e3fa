"""The chair's rulings on amendments: take up, integrate (provenance kept), bracket, set aside."""
from datetime import datetime

from cop.auth.models import User
from cop.db import db
from cop.errors import Conflict
from cop.meetings.models import Meeting
from cop.negotiation.amendments.operations import check_open_paragraph, check_pending
from cop.negotiation.texts.models import Amendment, DraftVersion, Paragraph
from cop.negotiation.services import check_fresh, has_brackets, record, require_chair, snapshot


def take_up(user: User, meeting: Meeting, amendment: Amendment) -> Amendment:
    """The chair puts the amendment before the room."""
    require_chair(user, meeting)
    if amendment.state != "tabled":
        raise Conflict(f"L’amendement {amendment.number} n’est pas en attente.")
    amendment.state = "taken_up"
    return amendment


def _decide(user: User, meeting: Meeting, amendment: Amendment) -> Paragraph:
    """Guards of the chair's decisions on an amendment, stale versions included."""
    require_chair(user, meeting)
    check_pending(amendment)
    paragraph = amendment.paragraph
    check_open_paragraph(paragraph)
    if paragraph.status == "deleted":
        raise Conflict(f"Le paragraphe visé par l’amendement {amendment.number} a été supprimé.")
    if amendment.paragraph_version != paragraph.version:
        check_fresh(paragraph, amendment.paragraph_version)
    return paragraph


def _insert_after(paragraph: Paragraph, text: str, amendment: Amendment) -> Paragraph:
    """A new paragraph right after the given one."""
    later = [p for p in paragraph.draft.paragraphs if p.position > paragraph.position]
    for other in later:
        other.position += 10
    new = Paragraph(draft_id=paragraph.draft_id, position=paragraph.position + 5, number=paragraph.number + 1,
                    text=text, origin_amendment=amendment.number)
    paragraph.draft.paragraphs.append(new)
    db.session.flush()
    return new


def _provenance(amendment: Amendment) -> str:
    """"Amendement 2 (Métropole de Lyon, avec Grenoble-Alpes-Métropole)"."""
    others = ", ".join(s.party.name for s in amendment.sponsors)
    return f"Amendement {amendment.number} ({amendment.party.name}{', avec ' + others if others else ''})"


def integrate(user: User, meeting: Meeting, amendment: Amendment, now: datetime) -> DraftVersion:
    """The chair writes the amendment into the text: a new version that names who proposed the words."""
    paragraph = _decide(user, meeting, amendment)
    number = paragraph.number
    if amendment.kind == "replace":
        paragraph.text = amendment.text
    elif amendment.kind == "delete":
        paragraph.status = "deleted"
    else:
        _insert_after(paragraph, amendment.text, amendment)
    if amendment.kind == "replace" and paragraph.status == "agreed_ad_ref":
        paragraph.status = "bracketed"
    paragraph.version += 1
    where = f"après le § {number}" if amendment.kind == "insert_after" else f"au § {number}"
    return _settle(user, meeting, amendment, "integrated", now, f"{_provenance(amendment)} intégré {where}")


def bracket(user: User, meeting: Meeting, amendment: Amendment, now: datetime) -> DraftVersion:
    """The chair turns the amendment into a bracketed option next to the current words."""
    paragraph = _decide(user, meeting, amendment)
    number = paragraph.number
    if amendment.kind == "insert_after":
        _insert_after(paragraph, f"[{amendment.text}]", amendment)
    else:
        if has_brackets(paragraph.text):
            raise Conflict(f"Le § {number} contient déjà des crochets : résolvez-les ou intégrez l’amendement.")
        new = "" if amendment.kind == "delete" else f" / {amendment.text}"
        paragraph.text, paragraph.status = f"[{paragraph.text}{new}]", "bracketed"
    paragraph.version += 1
    return _settle(user, meeting, amendment, "bracketed", now, f"{_provenance(amendment)} mis entre crochets "
                   f"{'après' if amendment.kind == 'insert_after' else 'au'} § {number}")


def set_aside(user: User, meeting: Meeting, amendment: Amendment, now: datetime) -> Amendment:
    """The chair sets the amendment aside (even a stale one): the text does not change, the record keeps it."""
    require_chair(user, meeting)
    check_pending(amendment)
    amendment.state, amendment.decided_dt = "set_aside", now
    record("amendment.set_aside", amendment, user, meeting)
    return amendment


def _settle(user: User, meeting: Meeting, amendment: Amendment, state: str, now: datetime,
            reason: str) -> DraftVersion:
    """Close the amendment and keep the new version, tied to it."""
    version = snapshot(amendment.paragraph.draft, user, now, reason, amendment)
    amendment.state, amendment.decided_dt, amendment.result_version = state, now, version.number
    record(f"amendment.{state}", amendment, user, meeting, version=version.number)
    return version
