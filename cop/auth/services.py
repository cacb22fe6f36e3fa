"""Accounts: creation, authentication, and one-use links for invitations and password resets."""
import hashlib
import re
import secrets
from datetime import datetime, timedelta, timezone
from typing import Optional

from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from cop.auth.models import AccountToken, User
from cop.auth.passwords import check_password, hash_password
from cop.db import db, utcnow
from cop.errors import Gone, Invalid, NotFound

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
TOKEN_PURPOSES = ("invitation", "password_reset")


def normalize_email(email: str) -> str:
    """Trim and lower-case an e-mail address, refusing what is not one."""
    email = (email or "").strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise Invalid("Adresse électronique invalide.")
    return email


def check_new_password(password: str) -> None:
    """Refuse a password too short to be safe."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid(
            "Le mot de passe doit compter au moins %(n)s caractères.",
            n=MIN_PASSWORD_LENGTH)


def create_user(email: str, password: Optional[str], name: str, is_admin: bool = False) -> User:
    """Create an account; the caller commits."""
    email = normalize_email(email)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise Invalid("Le nom est obligatoire (200 caractères au plus).")
    if db.session.scalar(db.select(User).filter_by(email=email)):
        raise Invalid("Un compte existe déjà avec cette adresse.")
    user = User(email=email, name=name, is_admin=is_admin)
    if password is not None:
        check_new_password(password)
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> Optional[User]:
    """The user when e-mail and password match an active account; None otherwise, in the same time."""
    try:
        email = normalize_email(email)
    except Invalid:
        check_password(None, password or "")
        return None
    user = db.session.scalar(db.select(User).filter_by(email=email))
    if user is None or user.is_disabled:
        check_password(None, password or "")
        return None
    return user if check_password(user.password_hash, password or "") else None


def rotate_session(user: User) -> None:
    """Give the user a new session nonce: every older session cookie stops working."""
    user.session_nonce = secrets.token_hex(8)


def revoke_sessions(user: User) -> None:
    """An administrator ends every web session of the account, and with them its live connections."""
    rotate_session(user)


def set_disabled(user: User, disabled: bool) -> None:
    """Disable (or enable again) an account: a disabled account cannot log in, and its sessions end."""
    user.is_disabled = disabled
    rotate_session(user)


def set_password(user: User, password: str) -> None:
    """Change a password and end the user's other sessions."""
    check_new_password(password)
    user.password_hash = hash_password(password)
    rotate_session(user)


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password: the current one is required; other sessions end."""
    if not check_password(user.password_hash, current or ""):
        raise Invalid("Le mot de passe actuel est incorrect.")
    set_password(user, new)


def _digest(secret: str) -> str:
    """SHA-256 of a link secret; only this is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(purpose: str, email: str, *, user: Optional[User] = None, created_by: Optional[User] = None,
                conference_id: Optional[int] = None, party_id: Optional[int] = None,
                role: Optional[str] = None, hours: Optional[int] = None, secret: Optional[str] = None,
                language: Optional[str] = None) -> str:
    """Create a one-use link token and return its secret (to put in the URL; drawn here unless given)."""
    if purpose not in TOKEN_PURPOSES:
        raise ValueError(purpose)
    secret = secret or secrets.token_urlsafe(32)
    hours = hours or current_app.config["COP_TOKEN_HOURS"]
    db.session.add(AccountToken(
        purpose=purpose, token_hash=_digest(secret), email=normalize_email(email),
        user_id=user.id if user else None, created_by_id=created_by.id if created_by else None,
        conference_id=conference_id, party_id=party_id, role=role, language=language,
        expires_dt=utcnow() + timedelta(hours=hours),
    ))
    db.session.flush()
    return secret


def find_token(purpose: str, secret: str) -> AccountToken:
    """The unused, unexpired token for this secret; NotFound (unknown) or Gone (used, expired) otherwise."""
    token = None
    if secret and len(secret) <= 100:
        token = db.session.scalar(db.select(AccountToken).filter_by(token_hash=_digest(secret), purpose=purpose))
    if token is None:
        raise NotFound("Ce lien n'est pas valide : vérifiez qu'il a été copié en entier.")
    if token.used_dt is not None:
        raise Gone("Ce lien a déjà été utilisé : il ne sert qu'une fois.")
    if is_aware(token.expires_dt) < utcnow():
        raise Gone("Ce lien a expiré : demandez-en un nouveau.")
    return token


def consume_token(token: AccountToken) -> None:
    """Mark a token used, once: a second use (even a concurrent one) is refused."""
    now = utcnow()
    result = db.session.execute(
        db.update(AccountToken).where(AccountToken.id == token.id, AccountToken.used_dt.is_(None))
        .values(used_dt=now).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Gone("Ce lien a déjà été utilisé : il ne sert qu'une fois.")
    set_committed_value(token, "used_dt", now)


def is_aware(moment: datetime) -> datetime:
    """Read a stored datetime as UTC (SQLite returns naive datetimes)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
