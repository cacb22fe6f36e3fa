"""What each person receives: every notice at once or a daily digest, or only the mandatory messages; the signed
one-link unsubscribe (no login, RFC 8058 one-click) and the re-subscribe of the account page.

An unsubscribe link names the account and its `mail_generation`; re-subscribing bumps the generation, so that the
links of older messages (a forwarded message, a mail scanner's copy) cannot unsubscribe the person again.
"""
from enum import StrEnum
from typing import Optional

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from cop.auth.models import User
from cop.db import db, utcnow
from cop.errors import Gone, Invalid, NotFound
from cop.notify.models import Delivery, MailMode, OutboxMessage

SALT = "cop.notify.unsubscribe"


class MailKind(StrEnum):
    """The messages the platform sends; MANDATORY ones are sent even to a person who unsubscribed."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"
    SIGNATURE_ASKED = "signature_asked"
    COMMITMENT = "commitment"
    MEETING_CONVENED = "meeting_convened"
    DECISION_OPENED = "decision_opened"
    ROADMAP = "roadmap"
    PROGRESS_DUE = "progress_due"
    DIGEST = "digest"


#: Sent whatever the person chose: they open an account, or ask for an act only that person can do.
MANDATORY = frozenset({MailKind.INVITATION, MailKind.PASSWORD_RESET, MailKind.SIGNATURE_ASKED})
#: The choices of the account page: the two modes, or nothing but the mandatory messages.
NONE = "none"
CHOICES = (MailMode.IMMEDIATE.value, MailMode.DIGEST.value, NONE)


def _serializer() -> URLSafeSerializer:
    """Signed, not timed: a message may be read months later and its link must still work."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(user: User) -> str:
    """The account's unsubscribe token for its current generation."""
    return _serializer().dumps([user.id, user.mail_generation])


def user_of(raw: str) -> User:
    """The account a token names; NotFound for a forged or altered one, Gone for one older than a re-subscribe."""
    try:
        user_id, generation = _serializer().loads(raw or "")
        user = db.session.get(User, int(user_id))
    except (BadSignature, TypeError, ValueError):
        user = None
    if user is None:
        raise NotFound("Ce lien de désabonnement n’est pas valide : copiez-le en entier depuis le message.")
    if generation != user.mail_generation:
        raise Gone("Ce lien date d’avant votre réabonnement : il ne sert plus. Utilisez celui d’un message plus "
                   "récent, ou votre page de compte.")
    return user


def choice_of(user: User) -> str:
    """The account page's current choice."""
    return NONE if user.unsubscribed_dt is not None else user.mail_mode


def unsubscribe(user: User) -> bool:
    """Only mandatory messages from now on; False when it already was so (the link may be used twice)."""
    if user.unsubscribed_dt is not None:
        return False
    user.unsubscribed_dt = utcnow()
    return True


def choose(user: User, choice: Optional[str]) -> None:
    """Apply the account page's choice; leaving the unsubscribed state retires the older unsubscribe links."""
    if choice not in CHOICES:
        raise Invalid("Choisissez une des options proposées.")
    if choice == NONE:
        unsubscribe(user)
        return
    if user.unsubscribed_dt is not None:
        user.unsubscribed_dt, user.mail_generation = None, user.mail_generation + 1
    if user.mail_mode != choice:
        user.mail_mode = choice
        user.last_digest_dt = utcnow() if choice == MailMode.DIGEST else user.last_digest_dt
        if choice == MailMode.IMMEDIATE:     # what waited for the next digest leaves now
            db.session.execute(db.update(OutboxMessage).where(
                OutboxMessage.user_id == user.id, OutboxMessage.delivery == Delivery.DIGEST,
                OutboxMessage.sent_dt.is_(None)).values(delivery=Delivery.IMMEDIATE)
                .execution_options(synchronize_session=False))
