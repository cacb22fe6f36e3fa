"""Filing: priority filières, starting a commitment, opening and saving its draft."""
from typing import Optional

from cop.auth.models import User
from cop.commitments import drafts, sealing
from cop.commitments.inputs import DraftInput
from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector
from cop.conferences.models import Conference, Party
from cop.db import db, utcnow
from cop.errors import Conflict, Invalid, NotFound
from cop.reference.models import Sector
from cop.rulebook import allowed, in_phase, require, who_may
from cop.rulebook.states import draft_open, filing_action

class StaleDraft(Conflict):
    """The draft was saved by someone else since the actor opened it."""

    def __init__(self, message: str, draft: CommitmentVersion, changed: list[str], **params):
        super().__init__(message, **params)
        self.draft, self.changed = draft, changed


def check_filer(user: Optional[User], party: Party) -> None:
    """Only the party's head, or a delegate the head allows, files for it (the rulebook's role answer)."""
    require(who_may("commitment.file", user, party))


def check_filing_phase(conference: Conference, commitment: Optional[Commitment] = None) -> None:
    """Filing during the call; revising a filed commitment later; never in preparation or once closed (the
    rulebook's phase answer for filing, or for revising a filed commitment)."""
    require(in_phase(filing_action(commitment), conference))


def declare_priority(user: User, party: Party, sector: Sector, reason: str) -> PartyPrioritySector:
    """Add a filière to the party's short list, within the COP's cap."""
    allowed("priorities.declare", user, party)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Dites en une phrase pourquoi cette filière est prioritaire pour le territoire.")
    chosen = db.session.scalars(db.select(PartyPrioritySector.sector_id).filter_by(party_id=party.id)).all()
    if sector.id in chosen:
        raise Invalid("La filière « %(name)s » est déjà prioritaire.", name=sector.name)
    cap = party.conference.max_priority_sectors
    if len(chosen) >= cap:
        raise Invalid("Les règles de la COP limitent les filières prioritaires à %(cap)s par partie.", cap=cap)
    item = PartyPrioritySector(party_id=party.id, sector_id=sector.id, reason=reason)
    db.session.add(item)
    db.session.flush()
    return item


def remove_priority(user: User, party: Party, sector: Sector) -> None:
    """Drop a filière from the short list while no commitment relies on it."""
    allowed("priorities.declare", user, party)
    item = db.session.scalar(db.select(PartyPrioritySector).filter_by(party_id=party.id, sector_id=sector.id))
    if item is None:
        raise NotFound("Cette filière n’est pas dans la liste des priorités.")
    if db.session.scalar(db.select(Commitment.id).filter_by(party_id=party.id, sector_id=sector.id)):
        raise Conflict("Un engagement existe pour cette filière : retirez-le plutôt que la priorité.")
    db.session.delete(item)
    db.session.flush()


def start_commitment(user: User, party: Party, sector: Sector) -> Commitment:
    """Create a commitment for a priority filière, with an empty first draft."""
    allowed("commitment.file", user, party)
    if not db.session.scalar(db.select(PartyPrioritySector.id).filter_by(party_id=party.id, sector_id=sector.id)):
        raise Invalid("Déclarez d’abord « %(name)s » parmi les filières prioritaires de la partie.", name=sector.name)
    if db.session.scalar(db.select(Commitment.id).filter_by(party_id=party.id, sector_id=sector.id)):
        raise Conflict("La partie a déjà un engagement pour la filière « %(name)s ».", name=sector.name)
    conference = party.conference
    commitment = Commitment(conference_id=conference.id, party_id=party.id, sector_id=sector.id)
    db.session.add(commitment)
    db.session.flush()
    db.session.add(CommitmentVersion(commitment=commitment, number=1, author_id=user.id,
                                     reference_year=conference.edition_year - 2,
                                     target_year=conference.horizon_year))
    db.session.flush()
    return commitment


def open_draft(user: User, commitment: Commitment) -> CommitmentVersion:
    """Return the draft, or start one from the latest version (the next number)."""
    allowed(filing_action(commitment), user, commitment.party)
    draft = drafts.current_draft(commitment)
    if draft is not None:
        return draft
    latest = commitment.versions[-1]
    draft = CommitmentVersion(commitment=commitment, number=latest.number + 1, author_id=user.id,
                              reference_year=latest.reference_year, target_year=latest.target_year)
    db.session.add(draft)
    snapshot = drafts.snapshot(latest, keep_justification=False)
    drafts.write(draft, sealing.unsealed_snapshot(latest, snapshot), commitment.party)
    touch(commitment)
    return draft


def save_draft(user: User, commitment: Commitment, expected_version: int, data: DraftInput) -> CommitmentVersion:
    """Replace the draft's content, refusing a save made from a stale copy."""
    allowed(filing_action(commitment), user, commitment.party)
    require(draft_open(commitment))
    draft = drafts.current_draft(commitment)
    if expected_version != commitment.version:
        changed = drafts.differences(drafts.snapshot(draft), data)
        who = draft.author.name if draft.author else "quelqu’un"
        raise StaleDraft(
            "%(who)s a enregistré ce brouillon depuis que vous l’avez ouvert. Votre saisie n’a pas été enregistrée "
            ": elle vous est présentée à nouveau.",
            draft, changed, who=who)
    drafts.validate(data, commitment.party)
    drafts.write(draft, data, commitment.party)
    draft.author_id, draft.updated_dt, draft.form_state = user.id, utcnow(), None
    touch(commitment)
    return draft


def touch(commitment: Commitment) -> None:
    """Update the commitment row: its version goes up, so that older copies of the draft become stale."""
    commitment.updated_dt = utcnow()
    drafts.flush()
