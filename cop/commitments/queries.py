"""Loading commitments for a reader: what exists, and what this reader may see."""
from typing import Optional

from sqlalchemy import Select, select

from cop import permissions
from cop.auth.models import User
from cop.commitments.models import STATUSES, Commitment, CommitmentVersion, PartyPrioritySector
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.errors import NotFound
from cop.reference.models import Sector


def can_read_drafts(user: Optional[User], party: Party) -> bool:
    """Drafts are private to the party's members and the COP's presidency and secretariat."""
    return permissions.can_view_party_admin(user, party)


def get_sector(code: str) -> Sector:
    """A filière by its code, or 404."""
    sector = db.session.scalar(select(Sector).filter_by(code=code))
    if sector is None:
        raise NotFound("Cette filière n’existe pas.")
    return sector


def get_commitment(conference: Conference, commitment_id: int, user: Optional[User]) -> Commitment:
    """A commitment of this COP the reader may see: filed ones for all, drafts for the party and presidency."""
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or commitment.conference_id != conference.id:
        raise NotFound("Cet engagement n’existe pas.")
    if commitment.is_draft and not can_read_drafts(user, commitment.party):
        raise NotFound("Cet engagement n’existe pas.")
    return commitment


def get_version(commitment: Commitment, number: int, user: Optional[User]) -> CommitmentVersion:
    """One version; a draft only for those who may read drafts."""
    for version in commitment.versions:
        if version.number == number and (version.is_public or can_read_drafts(user, commitment.party)):
            return version
    raise NotFound("Cette version n’existe pas.")


def public_commitments(conference: Conference, party_id: Optional[int] = None, sector: Optional[str] = None,
                       status: Optional[str] = None) -> Select:
    """Filed commitments of a COP, filtered; a query to paginate."""
    query = (select(Commitment).join(Party, Party.id == Commitment.party_id)
             .join(Sector, Sector.id == Commitment.sector_id)
             .where(Commitment.conference_id == conference.id, Commitment.status != "draft"))
    if party_id:
        query = query.where(Commitment.party_id == party_id)
    if sector:
        query = query.where(Sector.code == sector)
    if status in STATUSES and status != "draft":
        query = query.where(Commitment.status == status)
    return query.order_by(Party.name, Sector.position)


def party_commitments(party: Party) -> list[Commitment]:
    """Every commitment of a party, drafts included (for its own page)."""
    query = (select(Commitment).join(Sector, Sector.id == Commitment.sector_id)
             .where(Commitment.party_id == party.id).order_by(Sector.position))
    return list(db.session.scalars(query))


def priorities(party: Party) -> list[PartyPrioritySector]:
    """The party's priority filières."""
    query = (select(PartyPrioritySector).join(Sector, Sector.id == PartyPrioritySector.sector_id)
             .where(PartyPrioritySector.party_id == party.id).order_by(Sector.position))
    return list(db.session.scalars(query))


def latest_public(commitment: Commitment) -> Optional[CommitmentVersion]:
    """The latest version that left the draft stage."""
    public = [version for version in commitment.versions if version.is_public]
    return public[-1] if public else None
