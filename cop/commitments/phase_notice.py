"""What the filing pages say before anyone types: may the party file now, and who can change that."""
from dataclasses import dataclass, field
from typing import Optional

from cop.commitments import drafts
from cop.conferences.models import Conference, Membership
from cop.db import db
from cop.rulebook.phases import in_phase


@dataclass
class FilingState:
    """Whether filing is open, and when it is not, why and who can open it."""

    is_open: bool
    reason: str = ""
    deciders: list[str] = field(default_factory=list)


def filing_state(commitment=None, conference: Optional[Conference] = None) -> FilingState:
    """The rulebook's answer on the phase, for a commitment (a filed one is revised) or a new filing."""
    conference = conference or commitment.party.conference
    action = "commitment.revise" if commitment is not None and drafts.baseline(commitment) else "commitment.file"
    answer = in_phase(action, conference)
    if answer:
        return FilingState(True)
    return FilingState(False, answer.message, presidency_names(conference))


def presidency_names(conference: Conference) -> list[str]:
    """The people who move the COP's phase: its presidency."""
    members = db.session.scalars(db.select(Membership).where(
        Membership.conference_id == conference.id, Membership.role == "presidency").order_by(Membership.id))
    return [member.user.name for member in members]
