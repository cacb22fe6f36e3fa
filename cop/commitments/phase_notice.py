"""What the filing pages say before anyone types: may the party file now, and who can change that."""
from dataclasses import dataclass, field
from typing import Optional

from cop.commitments import services
from cop.conferences.models import Conference, Membership
from cop.db import db
from cop.errors import WrongPhase


@dataclass
class FilingState:
    """Whether filing is open, and when it is not, why and who can open it."""

    is_open: bool
    reason: str = ""
    deciders: list[str] = field(default_factory=list)


def filing_state(commitment=None, conference: Optional[Conference] = None) -> FilingState:
    """The answer for a commitment (revisions) or for a new filing in a conference."""
    conference = conference or commitment.party.conference
    try:
        services.check_filing_phase(conference, commitment)
    except WrongPhase as refusal:
        return FilingState(False, refusal.message, presidency_names(conference))
    return FilingState(True)


def presidency_names(conference: Conference) -> list[str]:
    """The people who move the COP's phase: its presidency."""
    members = db.session.scalars(db.select(Membership).where(
        Membership.conference_id == conference.id, Membership.role == "presidency").order_by(Membership.id))
    return [member.user.name for member in members]
