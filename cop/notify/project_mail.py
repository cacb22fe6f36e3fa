"""Telling the holder of a sealed content, a week before, that the presidency will reveal it at its date."""
from flask_babel import gettext as _

from cop.auth.models import User
from cop.conferences.models import Membership
from cop.db import db
from cop.notify.commitment_mail import filers
from cop.notify.compose import notify
from cop.notify.links import link
from cop.notify.preferences import MailKind
from cop.seals import kinds


def _holders(obj) -> list[User]:
    """Who is warned: the filers of the party that sealed it, or the COP's managers for a registry site."""
    party = getattr(obj, "party", None)
    if party is not None:
        return filers(party)
    return list(db.session.scalars(db.select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.conference_id == obj.conference_id, Membership.role.in_(("presidency", "secretariat")),
        User.is_disabled.is_(False)).order_by(User.id)))


def reveal_planned(obj) -> None:
    """Queue one message per holder (in the caller's transaction); never the hidden content."""
    kind = kinds.of(obj)
    endpoint, args = kind.page(obj)
    url = link(endpoint, **args)
    for user in _holders(obj):
        notify(user, MailKind.COMMITMENT, f"{kind.code}.warning:{obj.id}:{user.id}",
               lambda: _("Révélation prévue d’un contenu confidentiel : %(what)s", what=kind.title(obj)),
               "mail/seal_warning.txt", obj=obj, what=kind.title(obj), url=url,
               conference=obj.seal_conference)
