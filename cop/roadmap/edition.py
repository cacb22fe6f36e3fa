"""A new edition of a COP from the last one: same parties and people, targets to revise, signed commitments."""
from cop.audit.services import record
from cop.auth.models import User
from cop.commitments import drafts
from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector
from cop.conferences.models import Conference, Membership, Party, Target
from cop.conferences.services import EDITION_YEARS, default_code
from cop.db import db
from cop.rulebook import allowed
from cop.errors import Conflict, Invalid
from cop.roadmap import binding

#: Rules and calendar fields carried over as they were.
RULES = ("decision_mode", "objection_window_seconds", "vote_weighting", "secret_ballot", "speaking_time_seconds",
         "max_priority_sectors", "quorum_percent", "consensus_quorum", "signature_act_required", "description")


def _check(user: User, previous: Conference, edition_year: int) -> None:
    """The presidency of the latest edition, once it is implemented, for a later year not taken."""
    allowed("edition.next", user, previous)
    if edition_year not in EDITION_YEARS or edition_year <= previous.edition_year:
        raise Invalid(
            "L’édition suivante a lieu après %(edition_year)s (et au plus tard en 2100).",
            edition_year=previous.edition_year)
    if db.session.scalar(db.select(Conference.id).where(Conference.region_id == previous.region_id,
                                                        Conference.edition_year > previous.edition_year)):
        raise Conflict("Une édition plus récente de cette COP existe déjà : repartez de celle-ci.")


def _copy_parties(previous: Conference, conference: Conference) -> dict[int, Party]:
    """Same parties, same accreditation, same people in the same roles."""
    mapping = {}
    for party in previous.parties:
        mapping[party.id] = Party(conference_id=conference.id, territory_id=party.territory_id, name=party.name,
                                  kind=party.kind, accreditation=party.accreditation)
        db.session.add(mapping[party.id])
    db.session.flush()
    for m in db.session.scalars(db.select(Membership).filter_by(conference_id=previous.id)):
        db.session.add(Membership(user_id=m.user_id, conference_id=conference.id, role=m.role,
                                  party_id=mapping[m.party_id].id if m.party_id else None, may_file=m.may_file,
                                  is_accredited=m.is_accredited))
    for t in previous.targets:
        db.session.add(Target(conference_id=conference.id, sector_id=t.sector_id, indicator_id=t.indicator_id,
                              year=t.year, value=t.value))
    db.session.flush()
    return mapping


def _carry_commitment(user: User, old: Commitment, party: Party, mapping: dict) -> bool:
    """Start the party's commitment from the version it signed, as a draft to submit; False when none was."""
    signed = binding.signed_version(old)
    if signed is None:
        return False
    reason = db.session.scalar(db.select(PartyPrioritySector.reason).filter_by(party_id=old.party_id,
                                                                               sector_id=old.sector_id))
    db.session.add(PartyPrioritySector(party_id=party.id, sector_id=old.sector_id, reason=reason or "—"))
    commitment = Commitment(conference_id=party.conference_id, party_id=party.id, sector_id=old.sector_id)
    db.session.add(commitment)
    db.session.flush()
    draft = CommitmentVersion(commitment=commitment, number=1, author_id=user.id,
                              reference_year=signed.reference_year, target_year=signed.target_year)
    db.session.add(draft)
    data = drafts.snapshot(signed, keep_justification=False)
    data.partner_ids = [mapping[pid].id for pid in data.partner_ids if pid in mapping]
    drafts.write(draft, data, party)
    return True


def create_next_edition(user: User, previous: Conference, edition_year: int) -> Conference:
    """Open the next edition: parties start from the commitments they signed in the last adopted roadmap."""
    _check(user, previous, edition_year)
    code = default_code(previous.region, edition_year)
    if db.session.scalar(db.select(Conference.id).filter_by(code=code)):
        code = f"{previous.code}-{edition_year}"[:40]
    conference = Conference(region_id=previous.region_id, edition_year=edition_year, code=code,
                            title=f"COP industrielle {previous.region.name} {edition_year}",
                            horizon_year=max(previous.horizon_year, edition_year + 3),
                            **{name: getattr(previous, name) for name in RULES})
    db.session.add(conference)
    db.session.flush()
    mapping = _copy_parties(previous, conference)
    carried = sum(_carry_commitment(user, old, mapping[old.party_id], mapping) for old in db.session.scalars(
        db.select(Commitment).filter_by(conference_id=previous.id).order_by(Commitment.id)))
    record("conference.edition_created", "conference", conference.id, actor=user, conference_id=conference.id,
           data={"previous": previous.id, "edition_year": edition_year, "commitments_carried": carried})
    return conference
