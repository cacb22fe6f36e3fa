"""Password reset by a one-use link: the same token mechanism as invitations."""
from typing import Optional

from flask import current_app
from flask_babel import lazy_gettext as _l

from cop import mail
from cop.auth.models import AccountToken, User
from cop.auth.services import consume_token, issue_token, normalize_email, set_password
from cop.db import db, utcnow
from cop.errors import Forbidden, Gone
from cop.urls import external_url

#: What the person reads after asking, whether or not the address has an account.
REQUEST_ANSWER = _l("Si un compte actif existe pour cette adresse, un lien de réinitialisation vient de lui être "
                  "envoyé. Il expire dans quelques heures et ne sert qu'une fois.")


def request_reset(email: str) -> Optional[tuple[User, str]]:
    """Issue a reset link for an active account; None (and nothing written) for any other address."""
    email = normalize_email(email)
    user = db.session.scalar(db.select(User).filter_by(email=email))
    if user is None or user.is_disabled:
        return None
    hours = current_app.config["COP_RESET_TOKEN_HOURS"]
    return user, issue_token("password_reset", email, user=user, hours=hours)


def send_reset(user: User, secret: str) -> None:
    """Send the reset link (logged while no SMTP server is configured)."""
    url = external_url("auth.reset", secret=secret)
    body = (f"Bonjour {user.name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien : {url}\n\n"
            "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.")
    mail.send(user.email, "Réinitialisation de votre mot de passe", body)


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
