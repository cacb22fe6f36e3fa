"""Who receives what: the delegations of a COP, its heads of delegation, the signers of a party (active accounts)."""
from cop.auth.models import User
from cop.conferences.models import Membership, Party
from cop.db import db
from cop.rulebook.enums import Accreditation, Role


def _users(*conditions) -> list[User]:
    """Active accounts holding a membership that meets the conditions, once each, in a stable order."""
    return list(db.session.scalars(db.select(User).join(Membership, Membership.user_id == User.id)
                                   .join(Party, Party.id == Membership.party_id)
                                   .where(User.is_disabled.is_(False), *conditions).distinct().order_by(User.id)))


def delegations(conference) -> list[User]:
    """The accredited heads and delegates of the COP's accredited parties: those who sit, object and vote."""
    return _users(Party.conference_id == conference.id, Party.accreditation == Accreditation.ACCREDITED,
                  Membership.role.in_((Role.HEAD_OF_DELEGATION, Role.DELEGATE)), Membership.is_accredited.is_(True))


def heads(conference) -> list[User]:
    """The head of delegation of every party of the COP."""
    return _users(Party.conference_id == conference.id, Membership.role == Role.HEAD_OF_DELEGATION)


def signers(party) -> list[User]:
    """Who signs for the party (cop/rulebook/who.py `signer`): its accredited head, if the party is accredited."""
    if party.accreditation != Accreditation.ACCREDITED:
        return []
    return _users(Party.id == party.id, Membership.role == Role.HEAD_OF_DELEGATION, Membership.is_accredited.is_(True))
