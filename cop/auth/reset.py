"""Password reset by a one-use link: the same token mechanism as invitations."""
import logging
import secrets
from typing import Optional

from flask import current_app
from flask_babel import lazy_gettext as _l

from cop import mail
from cop.auth.models import AccountToken, User
from cop.auth.services import consume_token, issue_token, normalize_email, set_password
from cop.db import db, utcnow
from cop.errors import Forbidden, Gone
from cop.notify import account_mail
from cop.urls import external_url

log = logging.getLogger("cop.auth")
#: What the person reads after asking, whether or not the address has an account.
REQUEST_ANSWER = _l("Si un compte actif existe pour cette adresse, un lien de réinitialisation vient de lui être "
                  "envoyé. Il expire dans quelques heures et ne sert qu'une fois.")


def prepare_reset() -> tuple[str, str]:
    """A fresh link secret and its URL, drawn during the request whatever the address (same work for all)."""
    secret = secrets.token_urlsafe(32)
    return secret, external_url("auth.reset", secret=secret)


def request_reset(email: str, secret: str) -> Optional[User]:
    """Issue the reset link for an active account; None (and nothing written) for any other address."""
    email = normalize_email(email)
    user = db.session.scalar(db.select(User).filter_by(email=email))
    if user is None or user.is_disabled:
        return None
    issue_token("password_reset", email, user=user, hours=current_app.config["COP_RESET_TOKEN_HOURS"], secret=secret)
    return user


def send_reset(user: User, url: str) -> None:
    """Send the reset link (logged while no SMTP server is configured, and only where COP_MAIL_LOG_BODY allows)."""
    subject, body = account_mail.password_reset(user, url)
    mail.send(user.email, subject, body, language=user.language)


def reset_after_response(app, email: str, secret: str, url: str) -> None:
    """Look the address up, issue and send the link: run once the answer has left, so known and unknown addresses
    answer alike and in the same time."""
    with app.app_context():
        try:
            user = request_reset(email, secret)
            db.session.commit()
            if user is not None:
                send_reset(user, url)
        except Exception:  # the answer is gone; the failure is logged, never shown
            db.session.rollback()
            log.exception("password reset request failed")


def reset_password(token: AccountToken, password: str) -> User:
    """Set the new password, consume this link and every other pending reset link; sessions end."""
    user = db.session.get(User, token.user_id) if token.user_id else None
    if user is None:
        raise Gone("Ce lien ne correspond plus à aucun compte.")
    if user.is_disabled:
        raise Forbidden("Ce compte est désactivé : adressez-vous à l'administrateur de la plateforme.")
    consume_token(token)
    set_password(user, password)
    db.session.execute(
        db.update(AccountToken)
        .where(AccountToken.purpose == "password_reset", AccountToken.user_id == user.id,
               AccountToken.used_dt.is_(None))
        .values(used_dt=utcnow()).execution_options(synchronize_session=False)
    )
    return user
