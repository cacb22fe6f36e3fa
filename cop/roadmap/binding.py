"""Signed pledges are binding: until the next edition they may only rise; across editions they are the baseline."""
from typing import Optional

from cop.commitments.models import Commitment, CommitmentVersion
from cop.commitments.progression import lowered_pledges
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.errors import Conflict
from cop.roadmap.models import RoadmapCommitment, Signature


class BindingPledge(Conflict):
    """A new version would lower a pledge its party signed in the adopted roadmap."""


def signed_version(commitment: Commitment) -> Optional[CommitmentVersion]:
    """The latest version of the commitment that its party signed within an adopted roadmap of the same COP."""
    return db.session.scalar(
        db.select(CommitmentVersion)
        .join(RoadmapCommitment, RoadmapCommitment.commitment_version_id == CommitmentVersion.id)
        .join(Signature, (Signature.version_id == RoadmapCommitment.version_id)
              & (Signature.party_id == RoadmapCommitment.party_id))
        .where(CommitmentVersion.commitment_id == commitment.id)
        .order_by(CommitmentVersion.number.desc()).limit(1))


def lowered(new: CommitmentVersion, signed: CommitmentVersion) -> list[str]:
    """Each signed pledge the new version drops or lowers (unconditional value, or total with conditions)."""
    return lowered_pledges(new, signed, gone="signé ne figure plus", values="{new}, signé {old}")


def check_signed_pledges(commitment: Commitment, draft: CommitmentVersion) -> None:
    """Refuse a version that lowers a signed pledge, whatever its justification, until the next edition."""
    signed = signed_version(commitment)
    if signed is None:
        return
    problems = lowered(draft, signed)
    if problems:
        raise BindingPledge(f"Cet engagement a été signé dans la feuille de route adoptée (version {signed.number}) : "
                            "jusqu’à la prochaine édition, ses cibles ne peuvent que monter — "
                            + " ; ".join(problems) + ".")


def previous_conference(conference: Conference) -> Optional[Conference]:
    """The region's edition just before this one."""
    return db.session.scalar(
        db.select(Conference).where(Conference.region_id == conference.region_id,
                                    Conference.edition_year < conference.edition_year)
        .order_by(Conference.edition_year.desc()).limit(1))


def counterpart(party: Party, conference: Conference) -> Optional[Party]:
    """The same participant in another edition: the same territory, or the same organisation name."""
    query = db.select(Party).filter_by(conference_id=conference.id)
    if party.territory_id is not None:
        return db.session.scalar(query.filter_by(territory_id=party.territory_id))
    return db.session.scalar(query.filter_by(territory_id=None, name=party.name))


def previous_edition_baseline(commitment: Commitment) -> Optional[CommitmentVersion]:
    """The version the party signed in the previous edition for the same filière: the cross-edition baseline."""
    party = commitment.party
    before = previous_conference(party.conference)
    old_party = counterpart(party, before) if before else None
    if old_party is None:
        return None
    old = db.session.scalar(db.select(Commitment).filter_by(party_id=old_party.id, sector_id=commitment.sector_id))
    return signed_version(old) if old else None
