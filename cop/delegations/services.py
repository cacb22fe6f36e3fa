"""Who belongs to a delegation, and the two switches on a member: filing rights and accreditation."""
from typing import Optional

from sqlalchemy.orm import joinedload

from cop import permissions
from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import ROLES, Conference, Membership, Party
from cop.db import db
from cop.errors import Forbidden, Invalid


def members(conference: Conference, party: Optional[Party]) -> list[Membership]:
    """A party's delegation (or, without a party, the conference staff and free observers), by role then name."""
    query = (db.select(Membership).join(Membership.user).options(joinedload(Membership.user))
             .filter(Membership.conference_id == conference.id,
                     Membership.party_id == (party.id if party else None)))
    rows = db.session.scalars(query.order_by(User.name)).all()
    return sorted(rows, key=lambda m: ROLES.index(m.role) if m.role in ROLES else len(ROLES))


def set_may_file(actor: User, membership: Membership, allowed: bool) -> None:
    """The head of delegation (or the presidency) lets a delegate file and vote for the party, or stops it."""
    if membership.party is None or not permissions.can_manage_delegation(actor, membership.party):
        raise Forbidden("Seul le chef de cette délégation ou la présidence décide qui dépose et vote pour elle.")
    if membership.role != "delegate":
        raise Invalid("Cette autorisation ne concerne que les délégués : le chef de délégation l'a d'office, "
                      "les observateurs ne l'ont jamais.")
    if membership.may_file != allowed:
        membership.may_file = allowed
        record("membership.may_file_set", "membership", membership.id, actor=actor,
               conference_id=membership.conference_id, data={"may_file": allowed})


def set_accredited(actor: User, membership: Membership, accredited: bool) -> None:
    """The presidency or the secretariat accredits a member, or withdraws the accreditation."""
    if not permissions.can_accredit_members(actor, membership.conference):
        raise Forbidden("Seules la présidence et le secrétariat accréditent les membres des délégations.")
    if membership.is_accredited != accredited:
        membership.is_accredited = accredited
        record("membership.accreditation_set", "membership", membership.id, actor=actor,
               conference_id=membership.conference_id, data={"is_accredited": accredited})
