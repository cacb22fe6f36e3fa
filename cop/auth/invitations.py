"""Invitations: a conference's managers invite a person by e-mail to a role; the link makes the membership."""
from typing import Optional

from sqlalchemy.exc import IntegrityError

from cop import labels, mail, permissions
from cop.audit.services import record
from cop.auth.models import AccountToken, User
from cop.auth.services import consume_token, is_aware, issue_token, normalize_email
from cop.conferences.models import PARTY_ROLES, ROLES, Conference, Membership, Party
from cop.db import db, utcnow
from cop.errors import Conflict, Forbidden, Invalid, NotFound, WrongPhase
from cop.notify import account_mail
from cop.permissions import MANAGING_ROLES


def invite(actor: User, conference: Conference, email: str, role: str, party: Optional[Party] = None,
           language: Optional[str] = None) -> str:
    """Create an invitation to this role (and party), in `language` (None: the COP's); return the link's secret.
    The caller commits, then sends."""
    if role not in ROLES:
        raise Invalid("Choisissez un rôle dans la liste.")
    if not permissions.can_invite_role(actor, conference, role):
        raise Forbidden("Vous ne pouvez pas inviter à ce rôle dans cette COP.")
    _check_party(conference, role, party)
    email = normalize_email(email)
    check_acceptable(conference, role, party, db.session.scalar(db.select(User).filter_by(email=email)))
    secret = issue_token("invitation", email, created_by=actor, conference_id=conference.id,
                         party_id=party.id if party else None, role=role,
                         language=language if language in account_mail.LANGUAGES else None)
    record("membership.invited", "party" if party else "conference", party.id if party else conference.id,
           actor=actor, conference_id=conference.id, data={"role": role})
    return secret


def _check_party(conference: Conference, role: str, party: Optional[Party]) -> None:
    """Delegation roles need a party of this conference; staff roles have none."""
    if party is not None and party.conference_id != conference.id:
        raise NotFound("Cette partie n'appartient pas à cette COP.")
    if role in PARTY_ROLES and party is None:
        raise Invalid("Un chef de délégation ou un délégué est invité pour une partie.")
    if role in MANAGING_ROLES and party is not None:
        raise Invalid("La présidence et le secrétariat ne sont rattachés à aucune partie.")


def check_acceptable(conference: Conference, role: str, party: Optional[Party], user: Optional[User]) -> None:
    """Refuse what the membership would break: a closed COP, a second role, a second head of delegation."""
    if conference.phase == "closed":
        raise WrongPhase("Cette COP est clôturée : elle n'accueille plus de nouveaux membres.")
    if user is not None and user.is_disabled:
        raise Forbidden("Le compte %(email)s est désactivé.", email=user.email)
    if user is not None:
        held = db.session.scalar(db.select(Membership).filter_by(user_id=user.id, conference_id=conference.id))
        if held is not None:
            if held.party:
                raise Conflict("%(name)s (%(email)s) est déjà membre de cette COP : %(role)s de %(party)s.",
                               name=user.name, email=user.email, role=labels.role(held.role), party=held.party.name)
            raise Conflict("%(name)s (%(email)s) est déjà membre de cette COP : %(role)s.",
                           name=user.name, email=user.email, role=labels.role(held.role))
    if role == "head_of_delegation":
        head = db.session.scalar(db.select(Membership).filter_by(party_id=party.id, role=role))
        if head is not None:
            raise Conflict(
                "La délégation de %(name)s a déjà un chef de délégation : %(name2)s.",
                name=party.name, name2=head.user.name)


def send_invitation(actor: User, token_email: str, secret: str, conference: Conference, role: str,
                    party: Optional[Party], language: Optional[str] = None) -> None:
    """Send the invitation link in the invitee's language (logged while no SMTP server is configured)."""
    language = account_mail.invitation_language(token_email, language)
    subject, body = account_mail.invitation(actor, token_email, secret, conference, role, party, language)
    mail.send(token_email, subject, body, language=language)


def accept(token: AccountToken, user: User) -> Membership:
    """Turn an invitation into a membership and consume the link; the caller commits."""
    if user.email != token.email:
        raise Forbidden("Cette invitation est adressée à une autre adresse électronique.")
    conference = db.session.get(Conference, token.conference_id)
    party = db.session.get(Party, token.party_id) if token.party_id else None
    check_acceptable(conference, token.role, party, user)
    consume_token(token)
    membership = Membership(user_id=user.id, conference_id=conference.id, role=token.role,
                            party_id=token.party_id, may_file=False, is_accredited=token.role in MANAGING_ROLES)
    db.session.add(membership)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise Conflict("Vous êtes déjà membre de cette COP.") from error
    record("membership.joined", "membership", membership.id, actor=user, conference_id=conference.id,
           data={"role": membership.role, "party_id": membership.party_id})
    return membership


def pending(conference: Conference, party: Optional[Party]) -> list[AccountToken]:
    """Invitations sent for this party (or for the conference staff) that are neither used nor expired."""
    query = db.select(AccountToken).filter_by(purpose="invitation", conference_id=conference.id,
                                              party_id=party.id if party else None, used_dt=None)
    tokens = db.session.scalars(query.order_by(AccountToken.created_dt)).all()
    now = utcnow()
    return [token for token in tokens if is_aware(token.expires_dt) >= now]
