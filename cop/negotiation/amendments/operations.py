"""Amendments: tabled by a delegation, co-sponsored, revised or withdrawn by their authors.

The chair's part (take up, integrate, bracket, set aside) is in rulings.py."""
from datetime import datetime

from cop.auth.models import User
from cop.conferences.models import Membership
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid
from cop.meetings.models import Meeting
from cop.negotiation.texts.models import AMENDMENT_KINDS, PENDING_STATES, Amendment, AmendmentSponsor, Paragraph
from cop.negotiation.services import MAX_EXPLANATION, check_fresh, check_not_deciding, clean_text, record
from cop.permissions import amending_membership

def _member(user: User, meeting: Meeting) -> Membership:
    """The delegation the user amends for, or Forbidden."""
    m = amending_membership(user, meeting.conference)
    if m is None:
        raise Forbidden("Seules les délégations accréditées (chef ou délégué) déposent et soutiennent des amendements.")
    return m


def _words(kind, text, explanation) -> tuple[str, str]:
    """Checked proposed words and explanation for this kind of amendment."""
    if kind not in AMENDMENT_KINDS:
        raise Invalid("Type d’amendement inconnu : remplacement, insertion ou suppression.")
    text = "" if kind == "delete" else clean_text(text, "Le texte proposé")
    return text, clean_text(explanation or "", "L’exposé des motifs", required=False,
                                                           limit=MAX_EXPLANATION)


def check_open_paragraph(paragraph: Paragraph) -> None:
    """Adopted paragraphs and texts under decision take no amendment."""
    if paragraph.status == "adopted":
        raise Conflict("Le § %(number)s est adopté : il n’est plus amendable.", number=paragraph.number)
    check_not_deciding(paragraph.draft.agenda_item)


def table(user: User, meeting: Meeting, paragraph: Paragraph, kind, text, explanation, version,
          now: datetime) -> Amendment:
    """A delegation tables an amendment against the paragraph version it read."""
    m = _member(user, meeting)
    check_open_paragraph(paragraph)
    check_fresh(paragraph, version)
    text, explanation = _words(kind, text, explanation)
    if kind == "replace" and text == paragraph.text:
        raise Invalid("Le texte proposé est identique au texte actuel du paragraphe.")
    draft = paragraph.draft
    draft.last_amendment_number += 1
    amendment = Amendment(draft_id=draft.id, number=draft.last_amendment_number, paragraph_id=paragraph.id,
                          party_id=m.party_id, author_id=user.id, kind=kind, text=text, explanation=explanation,
                          paragraph_version=paragraph.version, created_dt=now)
    db.session.add(amendment)
    db.session.flush()
    record("amendment.tabled", amendment, user, meeting, party=m.party_id, kind=kind, paragraph=paragraph.id)
    return amendment


def check_pending(amendment: Amendment) -> None:
    """Only an amendment still before the room can change."""
    if amendment.state not in PENDING_STATES:
        raise Conflict("L’amendement %(number)s n’est plus en discussion.", number=amendment.number)


def cosponsor(user: User, meeting: Meeting, amendment: Amendment, now: datetime) -> AmendmentSponsor:
    """Another delegation puts its name to the amendment."""
    m = _member(user, meeting)
    check_pending(amendment)
    if m.party_id == amendment.party_id or any(s.party_id == m.party_id for s in amendment.sponsors):
        raise Conflict("Votre délégation figure déjà parmi les auteurs de cet amendement.")
    sponsor = AmendmentSponsor(party_id=m.party_id, user_id=user.id, created_dt=now)
    amendment.sponsors.append(sponsor)
    db.session.flush()
    return sponsor


def _own(user: User, meeting: Meeting, amendment: Amendment) -> None:
    """Only the delegation that tabled an amendment revises or withdraws it."""
    if _member(user, meeting).party_id != amendment.party_id:
        raise Forbidden("Seule la délégation qui a déposé cet amendement peut le modifier ou le retirer.")


def revise(user: User, meeting: Meeting, amendment: Amendment, text, explanation, version) -> Amendment:
    """The author rewrites its amendment against the current paragraph (after a conflict, nothing is lost)."""
    _own(user, meeting, amendment)
    check_pending(amendment)
    check_open_paragraph(amendment.paragraph)
    check_fresh(amendment.paragraph, version)
    amendment.text, amendment.explanation = _words(amendment.kind, text, explanation)
    amendment.paragraph_version = amendment.paragraph.version
    return amendment


def withdraw(user: User, meeting: Meeting, amendment: Amendment, now: datetime) -> Amendment:
    """The author withdraws its amendment, until the chair takes it up."""
    _own(user, meeting, amendment)
    if amendment.state != "tabled":
        raise Conflict(
            "L’amendement %(number)s a été pris en considération : il ne peut plus être retiré.",
            number=amendment.number)
    amendment.state, amendment.decided_dt = "withdrawn", now
    record("amendment.withdrawn", amendment, user, meeting)
    return amendment
