"""The two messages that open an account: the invitation (in the language the inviter chose, or the COP's, with
the other language below) and the password reset (in the account's language). Both are mandatory."""
from typing import Optional

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from cop import labels
from cop.auth.models import User
from cop.db import db
from cop.notify.links import link

#: The languages of the platform; the COP's own is French.
LANGUAGES, COP_LANGUAGE = ("fr", "en"), "fr"


def invitation_language(email: str, chosen: Optional[str]) -> str:
    """The invitee's account language if they have one, else the inviter's choice, else the COP's."""
    user = db.session.scalar(db.select(User).filter_by(email=email))
    if user is not None:
        return user.language
    return chosen if chosen in LANGUAGES else COP_LANGUAGE


def invitation(actor, email: str, secret: str, conference, role: str, party, language: str) -> tuple[str, str]:
    """(subject, body): the message in `language`, then the same in the other language."""
    url = link("auth.invitation", secret=secret)
    other = next(code for code in LANGUAGES if code != language)
    parts = []
    for code in (language, other):
        with force_locale(code):
            parts.append(render_template("mail/invitation.txt", actor=actor, email=email, url=url,
                                         conference=conference, role=labels.role(role), party=party))
    with force_locale(language):
        subject = _("Invitation : %(cop)s", cop=conference.title)
    return subject, parts[0] + "\n\n" + "—" * 20 + "\n\n" + parts[1] + "\n"


def password_reset(user: User, url: str) -> tuple[str, str]:
    """(subject, body) in the account's language."""
    with force_locale(user.language):
        return (_("Réinitialisation de votre mot de passe"),
                render_template("mail/password_reset.txt", user=user, url=url) + "\n")
