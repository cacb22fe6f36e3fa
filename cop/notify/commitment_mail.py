"""Telling a party, in each recipient's language, that its version was received, returned or accepted."""
from flask_babel import gettext as _

from cop.auth.models import User
from cop.commitments.models import CommitmentVersion
from cop.conferences.models import Membership
from cop.db import db
from cop.notify.compose import notify
from cop.notify.links import link
from cop.notify.preferences import MailKind


def filers(party) -> list[User]:
    """Who files for the party: its head and the delegates allowed to file (active accounts)."""
    return list(db.session.scalars(db.select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.party_id == party.id, User.is_disabled.is_(False),
        db.or_(Membership.role == "head_of_delegation", Membership.may_file.is_(True))).order_by(User.id)))


def version_event(version: CommitmentVersion) -> None:
    """Queue one message per filer of the party about the version's new status (in the caller's transaction)."""
    commitment = version.commitment
    url = link("commitments.version", conference_id=commitment.conference_id, commitment_id=commitment.id,
               number=version.number)
    for user in filers(commitment.party):
        notify(user, MailKind.COMMITMENT, f"commitment.{version.status}:{version.id}:{user.id}",
               lambda: _subject(version), "mail/commitment_version.txt", version=version, url=url,
               commitment=commitment)


def _subject(version: CommitmentVersion) -> str:
    """The subject line for the version's status."""
    sector = version.commitment.sector.name
    if version.status == "submitted":
        return _("Version %(n)s de « %(sector)s » reçue", n=version.number, sector=sector)
    if version.status == "accepted":
        return _("Version %(n)s de « %(sector)s » acceptée", n=version.number, sector=sector)
    return _("Version %(n)s de « %(sector)s » renvoyée à la partie", n=version.number, sector=sector)
